import { validateEnvelope, MAX_ITEM_BYTES } from '../src/ingestion/validate-envelope';
import { parseItems } from '../src/ingestion/parse-items';
import { requestEnvelope, envelope } from './helpers/envelopes';

const IKEY = '11111111-2222-4333-8444-555555555555';
const without = (path: string[]): Record<string, unknown> => {
  const e = JSON.parse(JSON.stringify(requestEnvelope(IKEY))) as Record<string, Record<string, unknown>>;
  let o: Record<string, unknown> = e;
  for (const p of path.slice(0, -1)) o = o[p] as Record<string, unknown>;
  delete o[path[path.length - 1] as string];
  return e;
};

describe('validateEnvelope', () => {
  it('accepts a complete request', () => {
    expect(validateEnvelope(requestEnvelope(IKEY), 500)).toMatchObject({ ok: true });
  });

  it.each([
    [['name'], "'name'"],
    [['time'], "'time'"],
    [['iKey'], "'iKey'"],
    [['data'], "'data'"],
    [['data', 'baseType'], "'baseType'"],
    [['data', 'baseData'], "'baseData'"],
    [['data', 'baseData', 'id'], "'id' on type RequestData"],
    [['data', 'baseData', 'duration'], "'duration' on type RequestData"],
  ])('rejects an item without %j', (path, message) => {
    const r = validateEnvelope(without(path), 500);
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.message).toContain(message);
  });

  it.each([
    ['MessageData', { severityLevel: 'Information' }, "'message'"],
    ['EventData', {}, "'name'"],
    ['MetricData', { metrics: [] }, "'metrics'"],
    ['ExceptionData', { exceptions: [{ message: 'x' }] }, "'typeName'"],
    ['RemoteDependencyData', { name: 'SELECT', duration: 'later' }, "'duration'"],
    ['AvailabilityData', { name: 'Ping', duration: '00:00:01', success: true }, "'id' on type AvailabilityData"],
    ['AvailabilityData', { id: 'r1', name: 'Ping', duration: 'soon', success: true }, "'duration' on type AvailabilityData"],
    ['PageViewData', { id: 'pv1' }, "'name' on type PageViewData"],
    ['PageViewDatum', {}, "Unknown baseType 'PageViewDatum'"],
  ])('rejects %s missing required fields', (baseType, baseData, message) => {
    const r = validateEnvelope(envelope(IKEY, baseType, baseData), 200);
    expect(!r.ok && r.message).toContain(message);
  });

  it('rejects an item over 64 KB and a bad time and a bad sampleRate', () => {
    expect(validateEnvelope(requestEnvelope(IKEY), MAX_ITEM_BYTES + 1)).toMatchObject({ ok: false, message: expect.stringContaining('limit') });
    expect(validateEnvelope({ ...requestEnvelope(IKEY), time: 'yesterday' }, 10)).toMatchObject({ ok: false });
    expect(validateEnvelope({ ...requestEnvelope(IKEY), sampleRate: 0 }, 10)).toMatchObject({ ok: false });
  });
});

describe('parseItems', () => {
  it('splits a JSON array, NDJSON, and marks bad NDJSON lines', () => {
    expect(parseItems('[{"a":1},{"b":2}]')).toMatchObject({ ok: true, items: [{ value: { a: 1 } }, { value: { b: 2 } }] });
    expect(parseItems('{"a":1}\n{"b":2}\n')).toMatchObject({ ok: true, items: [{ value: { a: 1 } }, { value: { b: 2 } }] });
    expect(parseItems('{"a":1}\n{oops')).toMatchObject({ ok: true, items: [{ value: { a: 1 } }, { error: expect.any(String) }] });
  });

  it.each([[''], ['[1,2'], ['garbage'], ['{"a":']])('refuses %p as malformed', (text) => {
    expect(parseItems(text)).toMatchObject({ ok: false });
  });
});
