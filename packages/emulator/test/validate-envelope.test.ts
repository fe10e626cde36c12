import { validateEnvelope, MAX_ITEM_BYTES, MAX_ITEM_AGE_MILLIS } from '../src/ingestion/validate-envelope';
import { checkAgainstSchema } from '../src/ingestion/check-against-schema';
import { isDurationString } from '../src/ingestion/is-duration-string';
import { formatViolation } from '../src/ingestion/format-violation';
import { TRACK_DEFINITIONS, BASE_TYPE_DEFINITIONS, BASE_TYPE_ALIASES_SOURCE, TRACK_SCHEMA_SOURCE, type SchemaNode } from '../src/contracts/track-schema';
import { BASE_TYPE_TABLES } from '../src/storage/table-schemas';
import { CONTEXT_TAG_LIMITS_SOURCE, CONTEXT_TAG_MAX_LENGTHS } from '../src/contracts/context-tag-limits';
import { parseItems } from '../src/ingestion/parse-items';
import { requestEnvelope, envelope } from './helpers/envelopes';

const IKEY = '11111111-2222-4333-8444-555555555555';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const recent = new Date(NOW - 60_000).toISOString();

describe('validateEnvelope', () => {
  it('accepts a complete request', () => {
    expect(validateEnvelope(requestEnvelope(IKEY, {}, recent), 500, NOW)).toMatchObject({ ok: true });
  });

  it('refuses by size first, then shape, then the envelope, then baseData', () => {
    expect(validateEnvelope(requestEnvelope(IKEY, {}, recent), MAX_ITEM_BYTES + 1, NOW)).toEqual({ ok: false, violation: { kind: 'item-too-large', byteLength: MAX_ITEM_BYTES + 1, maxBytes: MAX_ITEM_BYTES } });
    expect(validateEnvelope([], 2, NOW)).toEqual({ ok: false, violation: { kind: 'not-an-object', actual: 'array' } });
    const both = requestEnvelope(IKEY, { id: '' }, recent);
    delete both['name'];
    expect(validateEnvelope(both, 500, NOW)).toMatchObject({ ok: false, violation: { kind: 'missing', field: 'name', type: 'Envelope' } });
  });

  it('applies the 48-hour window against the injected clock, to the millisecond', () => {
    const at = (age: number): string => new Date(NOW - age).toISOString();
    expect(validateEnvelope(requestEnvelope(IKEY, {}, at(MAX_ITEM_AGE_MILLIS)), 500, NOW)).toMatchObject({ ok: true });
    expect(validateEnvelope(requestEnvelope(IKEY, {}, at(MAX_ITEM_AGE_MILLIS + 1)), 500, NOW)).toEqual({ ok: false, violation: { kind: 'too-old', maxAgeMillis: 172_800_000, ageMillis: 172_800_001 } });
  });

  it('checks baseData against the definition its baseType names (MetricData -> MetricsData)', () => {
    expect(BASE_TYPE_DEFINITIONS['MetricData']).toBe('MetricsData');
    const r = validateEnvelope(envelope(IKEY, 'MetricData', { metrics: [{ name: 'm' }] }, recent), 200, NOW);
    expect(r).toMatchObject({ ok: false, violation: { kind: 'missing', field: 'value', type: 'DataPoint' } });
  });

  const timings = { name: 'Checkout', url: 'https://shop/', perfTotal: '00:00:01.320', networkConnect: '00:00:00.120', sentRequest: '00:00:00.080', receivedResponse: '00:00:00.300', domProcessing: '00:00:00.820' };
  it.each<[string, string, Record<string, unknown>, unknown]>([
    ['PageViewPerfData, the spec\'s name', 'PageViewPerfData', { id: 'p', ...timings }, { ok: true }],
    ['PageviewPerformanceData, the browser SDK\'s name (a Bond alias)', 'PageviewPerformanceData', timings, { ok: true }],
    ['PageViewPerformanceData (a Bond alias)', 'PageViewPerformanceData', timings, { ok: true }],
    ['PageviewData, the browser SDK\'s name (a Bond alias)', 'PageviewData', { id: 'p', name: 'Home' }, { ok: true }],
    ['PageEventData (a Bond alias)', 'PageEventData', { id: 'p', name: 'Home' }, { ok: true }],
    ['PageviewData without its id (the spec requires it)', 'PageviewData', { name: 'Home' }, { ok: false, violation: { kind: 'missing', field: 'id', type: 'PageViewData', expected: 'string', actual: 'undefined' } }],
    ['a page view timing in TimeSpan \'G\' form (d:hh:mm:ss.fffffff, as its description says)', 'PageviewPerformanceData', { ...timings, perfTotal: '0:00:00:01.3200000' }, { ok: true }],
    ['a page view timing that is not a duration', 'PageviewPerformanceData', { ...timings, networkConnect: '120ms' }, { ok: false, violation: { kind: 'bad-duration', field: 'networkConnect', type: 'PageViewPerfData', actual: '120ms' } }],
    ['a page view timing without a name', 'PageviewPerformanceData', { ...timings, name: '' }, { ok: false, violation: { kind: 'missing', field: 'name', type: 'PageViewPerfData', expected: 'string', actual: '' } }],
    ['a metric kind as its Bond enum number (the browser SDK sends kind: 0)', 'MetricData', { metrics: [{ name: 'm', value: 1, kind: 0 }] }, { ok: true }],
    ['a metric kind 1 (Aggregation)', 'MetricData', { metrics: [{ name: 'm', value: 1, kind: 1 }] }, { ok: true }],
    ['a metric kind number outside the enum', 'MetricData', { metrics: [{ name: 'm', value: 1, kind: 2 }] }, { ok: false, violation: { kind: 'not-in-enum', field: 'kind', type: 'DataPoint', allowed: ['Measurement', 'Aggregation'], actual: '2' } }],
  ])('%s', (_name, baseType, baseData, expected) => {
    expect(validateEnvelope(envelope(IKEY, baseType, baseData, recent), 300, NOW)).toMatchObject(expected as object);
  });
});

describe('checkAgainstSchema', () => {
  const defs: Record<string, SchemaNode> = {
    Base: { type: 'object', required: ['ver'], properties: { ver: { type: 'integer', format: 'int32', default: 2 }, tag: { type: 'string', maxLength: 3 } } },
    Leaf: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, level: { $ref: '#/definitions/Level' } } },
    Level: { type: 'string', enum: ['Low', 'High'] },
    Thing: {
      allOf: [{ $ref: '#/definitions/Base' }, {
        type: 'object', required: ['name', 'leaves'],
        properties: { name: { type: 'string' }, leaves: { type: 'array', items: { $ref: '#/definitions/Leaf' } }, bag: { type: 'object', additionalProperties: { type: 'number' } } },
      }],
    },
  };

  it.each([
    ['a conforming value', { name: 'n', leaves: [{ code: 'c' }] }, undefined],
    ['a required field with a default, absent', { name: 'n', leaves: [{ code: 'c' }] }, undefined],
    ['unknown properties', { name: 'n', leaves: [{ code: 'c', extra: 1 }], extra: { deep: true } }, undefined],
    ['an optional field set to null', { name: 'n', leaves: [{ code: 'c' }], tag: null }, undefined],
    ['the required list of the allOf part', { leaves: [{ code: 'c' }] }, { kind: 'missing', field: 'name', type: 'Thing', expected: 'string', actual: 'undefined' }],
    ['a required list that is empty', { name: 'n', leaves: [] }, { kind: 'missing', field: 'leaves', type: 'Thing', expected: 'array', actual: 'array' }],
    ['the base part (maxLength)', { name: 'n', leaves: [{ code: 'c' }], tag: 'long' }, { kind: 'too-long', field: 'tag', type: 'Thing', maxLength: 3, length: 4 }],
    ['an int32 default field with the wrong type', { ver: 2.5, name: 'n', leaves: [{ code: 'c' }] }, { kind: 'wrong-type', field: 'ver', type: 'Thing', expected: 'int32', actual: 'number' }],
    ['an item of a $ref array, named by its definition', { name: 'n', leaves: [{ code: 'c' }, {}] }, { kind: 'missing', field: 'code', type: 'Leaf', expected: 'string', actual: 'undefined' }],
    ['a $ref enum', { name: 'n', leaves: [{ code: 'c', level: 'Mid' }] }, { kind: 'not-in-enum', field: 'level', type: 'Leaf', allowed: ['Low', 'High'], actual: 'Mid' }],
    ['a map value', { name: 'n', leaves: [{ code: 'c' }], bag: { a: 1, b: '2' } }, { kind: 'child-wrong-type', key: 'b', value: '2', expected: 'number', actual: 'string' }],
    ['a value that is not an object', 'thing', { kind: 'wrong-type', field: 'Thing', type: 'Thing', expected: 'object', actual: 'string' }],
  ])('%s', (_name, value, expected) => {
    expect(checkAgainstSchema(value, 'Thing', defs)).toEqual(expected);
  });

  it('reads every definition of the published schema without a dangling $ref', () => {
    const refs = JSON.stringify(TRACK_DEFINITIONS).match(/#\/definitions\/\w+/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(TRACK_DEFINITIONS[ref.slice('#/definitions/'.length)]).toBeDefined();
    for (const definition of Object.values(BASE_TYPE_DEFINITIONS)) expect(TRACK_DEFINITIONS[definition]).toBeDefined();
    expect(TRACK_SCHEMA_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('stores every base type it validates (aliases included) and validates every base type it stores', () => {
    expect(Object.keys(BASE_TYPE_TABLES).sort()).toEqual(Object.keys(BASE_TYPE_DEFINITIONS).sort());
    const aliasesOf = (definition: string): string[] => Object.keys(BASE_TYPE_DEFINITIONS).filter((k) => BASE_TYPE_DEFINITIONS[k] === definition).sort();
    expect(aliasesOf('PageViewData')).toEqual(['PageEventData', 'PageViewData', 'PageviewData']);
    expect(aliasesOf('PageViewPerfData')).toEqual(['PageViewPerfData', 'PageViewPerformanceData', 'PageviewPerformanceData']);
    expect(BASE_TYPE_ALIASES_SOURCE.paths).toEqual(['EndpointSpecs/Schemas/Bond/PageViewData.bond', 'EndpointSpecs/Schemas/Bond/PageViewPerfData.bond']);
  });

  it('names the source of the context tag limits, and every limit is a positive length', () => {
    expect(CONTEXT_TAG_LIMITS_SOURCE.path).toBe('EndpointSpecs/Schemas/Bond/ContextTagKeys.bond');
    expect(CONTEXT_TAG_LIMITS_SOURCE.readFrom).toMatch(/@[0-9a-f]{40}$/);
    for (const [key, max] of Object.entries(CONTEXT_TAG_MAX_LENGTHS)) expect([key, Number.isInteger(max) && max > 0]).toEqual([key, true]);
    expect(CONTEXT_TAG_MAX_LENGTHS['ai.location.ip']).toBe(45);
  });
});

describe('isDurationString', () => {
  it.each([
    ['00:00:00', true], ['00:00:00.1234567', true], ['0:00:01', true], ['1.02:03:04.5', true], ['999.23:59:59.9999999', true],
    ['1000.00:00:00', false], ['00:00:00.12345678', false], ['24:00:00', false], ['00:60:00', false], ['00:00:60', false],
    ['0:00:00:04.4786555', false], ['00:00:02.227.99999999988358', false], ['PT1S', false], ['1s', false], ['', false], [' 00:00:01', false],
  ])('%p -> %p', (value, ok) => {
    expect(isDurationString(value)).toBe(ok);
  });

  it.each([
    ['0:00:00:04.4786555', true], ['1:02:03:04', true], ['00:00:01.320', true], ['1000:00:00:00', false], ['0:24:00:00', false], ['0:00:00:04.12345678', false],
  ])('with TimeSpan \'G\' allowed (page view timings): %p -> %p', (value, ok) => {
    expect(isDurationString(value, true)).toBe(ok);
  });
});

describe('formatViolation', () => {
  it.each([
    [{ kind: 'missing', field: 'id', type: 'RequestData', expected: 'string', actual: '' } as const, "109: Field 'id' on type 'RequestData' is required but missing or empty. Expected: string, Actual: "],
    [{ kind: 'too-long', field: 'fileName', type: 'StackFrame', maxLength: 1024, length: 2021 } as const, "100: Field 'fileName' on type 'StackFrame' is too long. Expected: 1024 characters, Actual: 2021"],
    [{ kind: 'too-old', maxAgeMillis: 172800000, ageMillis: 414962282 } as const, "103: Field 'time' on type 'Envelope' is older than the allowed min date. Expected: now - 172800000ms, Actual: now - 414962282ms"],
    [{ kind: 'child-wrong-type', key: 'm1', value: 'NaN', expected: 'number', actual: 'string' } as const, "200: Child value 'NaN' for key 'm1' is of incorrect type. Expected: number, Actual: string"],
    [{ kind: 'invalid-ikey' } as const, 'Invalid instrumentation key'],
  ])('words %j as the service does', (violation, message) => {
    expect(formatViolation(violation)).toBe(message);
  });

  it('cuts echoed values at 100 characters', () => {
    expect(formatViolation({ kind: 'bad-duration', field: 'duration', type: 'RequestData', actual: 'x'.repeat(500) })).toHaveLength(
      "108: Field 'duration' on type 'RequestData' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: ".length + 103);
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
