// Ingestion contract: one valid and one invalid body per rule of the published track schema
// (Azure/azure-rest-api-specs, Monitor.Exporters/preview/v2.1/swagger.json; see docs/emulator.md,
// "Ingestion validation"), and the things the service tolerates, which the emulator must accept too.
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { envelope, postItems, requestEnvelope, send } from '../../packages/emulator/test/helpers/envelopes';

type Item = Record<string, unknown>;
type Mutation = (item: Item) => void;

const HOUR_MILLIS = 3_600_000;

/** Sets (or, with `undefined`, deletes) the value at a dotted path such as `data.baseData.id`. */
function at(path: string, value: unknown): Mutation {
  return (item) => {
    const keys = path.split('.');
    let o = item as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) o = (Array.isArray(o) ? o[Number(k)] : o[k]) as Record<string, unknown>;
    const last = keys[keys.length - 1] as string;
    if (value === undefined) delete o[last];
    else o[last] = value;
  };
}

describe('ingestion contract (v2.1/track against the published schema)', () => {
  let emu: EmulatorHandle;
  let ikey: string;
  let track: string;
  let token: string;

  beforeAll(async () => {
    emu = await startEmulator();
    ikey = emu.resource().instrumentationKey;
    track = `${emu.ingestionUrl}/v2.1/track`;
    token = emu.issueToken({ identity: 'ci-principal' });
  });
  afterAll(() => emu.close());

  const request = (): Item => requestEnvelope(ikey);
  const dependency = (): Item => envelope(ikey, 'RemoteDependencyData', { name: 'SELECT', id: 'd1', duration: '00:00:00.0100000', resultCode: '0', success: true, type: 'SQL', target: 'db', data: 'SELECT 1' });
  const exception = (): Item => envelope(ikey, 'ExceptionData', { exceptions: [{ typeName: 'Error', message: 'boom', hasFullStack: true, stack: 'Error: boom', parsedStack: [{ level: 0, method: 'run', assembly: 'app', fileName: 'app.js', line: 3 }] }], severityLevel: 'Error', problemId: 'Error at run' });
  const message = (): Item => envelope(ikey, 'MessageData', { message: 'hello', severityLevel: 'Information', properties: { k: 'v' } });
  const event = (): Item => envelope(ikey, 'EventData', { name: 'checkout', measurements: { total: 3 } });
  const metric = (): Item => envelope(ikey, 'MetricData', { metrics: [{ name: 'queue', ns: 'app', kind: 'Aggregation', value: 7, count: 2, min: 3, max: 4, stdDev: 0.5 }] });
  const availability = (): Item => envelope(ikey, 'AvailabilityData', { id: 'r1', name: 'Ping', duration: '00:00:01', success: true, runLocation: 'here', message: 'ok' });
  const pageView = (): Item => envelope(ikey, 'PageViewData', { id: 'pv1', name: 'Home', url: 'http://shop/', duration: '00:00:00.5', referredUri: 'http://ref/' });

  const build = (base: () => Item, ...mutations: Mutation[]): Item => {
    const item = base();
    for (const m of mutations) m(item);
    return item;
  };

  // [rule, base item, mutations, the exact message the emulator answers]
  const invalid: [string, () => Item, Mutation[], string][] = [
    // Envelope (TelemetryEnvelope: required name, time; time date-time; seq maxLength 64; tags string values)
    ['Envelope.name is required', request, [at('name', undefined)], "109: Field 'name' on type 'Envelope' is required but missing or empty. Expected: string, Actual: undefined"],
    ['Envelope.name may not be empty', request, [at('name', '')], "109: Field 'name' on type 'Envelope' is required but missing or empty. Expected: string, Actual: "],
    ['Envelope.name is a string', request, [at('name', 7)], "106: Field 'name' on type 'Envelope' is of incorrect type. Expected: string, Actual: number"],
    ['Envelope.time is required', request, [at('time', undefined)], "109: Field 'time' on type 'Envelope' is required but missing or empty. Expected: string, Actual: undefined"],
    ['Envelope.time is a date-time', request, [at('time', '07/12/2026 10:00')], "Field 'time' on type 'Envelope' is not a valid date-time. Expected: ISO 8601 UTC date-time (2009-06-15T13:45:30.0000000Z), Actual: 07/12/2026 10:00"],
    ['Envelope.time is a string, not epoch millis', request, [at('time', 1_765_000_000_000)], "106: Field 'time' on type 'Envelope' is of incorrect type. Expected: string, Actual: number"],
    ['Envelope.time is at most 48 hours old', request, [(i) => { i['time'] = new Date(Date.now() - 49 * HOUR_MILLIS).toISOString(); }], "103: Field 'time' on type 'Envelope' is older than the allowed min date. Expected: now - 172800000ms, Actual: now - "],
    ['Envelope.sampleRate is a number', request, [at('sampleRate', '50')], "106: Field 'sampleRate' on type 'Envelope' is of incorrect type. Expected: number, Actual: string"],
    ['Envelope.sampleRate is in (0, 100]', request, [at('sampleRate', 0)], "106: Field 'sampleRate' on type 'Envelope' is of incorrect type. Expected: float in (0, 100], Actual: 0"],
    ['Envelope.seq is at most 64 characters', request, [at('seq', 's'.repeat(65))], "100: Field 'seq' on type 'Envelope' is too long. Expected: 64 characters, Actual: 65"],
    ['Envelope.tags values are strings', request, [(i) => { (i['tags'] as Item)['ai.session.isFirst'] = true; }], "200: Child value 'true' for key 'ai.session.isFirst' is of incorrect type. Expected: string, Actual: boolean"],
    ['ContextTagKeys: ai.operation.name is at most 1024 characters (Bond)', request, [(i) => { (i['tags'] as Item)['ai.operation.name'] = `GET /${'p'.repeat(1164)}`; }], "100: Field 'ai.operation.name' on type 'ContextTagKeys' is too long. Expected: 1024 characters, Actual: 1169"],
    ['ContextTagKeys: ai.session.id is at most 64 characters (Bond)', request, [(i) => { (i['tags'] as Item)['ai.session.id'] = 's'.repeat(66); }], "100: Field 'ai.session.id' on type 'ContextTagKeys' is too long. Expected: 64 characters, Actual: 66"],
    ['ContextTagKeys: ai.location.ip is at most 45 characters (Bond)', request, [(i) => { (i['tags'] as Item)['ai.location.ip'] = '1'.repeat(46); }], "100: Field 'ai.location.ip' on type 'ContextTagKeys' is too long. Expected: 45 characters, Actual: 46"],
    ['ContextTagKeys: ai.cloud.role is at most 256 characters (Bond)', request, [(i) => { (i['tags'] as Item)['ai.cloud.role'] = 'r'.repeat(257); }], "100: Field 'ai.cloud.role' on type 'ContextTagKeys' is too long. Expected: 256 characters, Actual: 257"],
    ['ContextTagKeys: ai.internal.sdkVersion is at most 64 characters (Bond)', request, [(i) => { (i['tags'] as Item)['ai.internal.sdkVersion'] = 'v'.repeat(65); }], "100: Field 'ai.internal.sdkVersion' on type 'ContextTagKeys' is too long. Expected: 64 characters, Actual: 65"],
    ['Envelope.tags is an object', request, [at('tags', ['ai.cloud.role'])], "106: Field 'tags' on type 'Envelope' is of incorrect type. Expected: object, Actual: array"],
    ['Envelope.iKey names a resource', request, [at('iKey', '99999999-9999-4999-8999-999999999999')], 'Invalid instrumentation key'],
    ['Envelope.iKey is present', request, [at('iKey', undefined)], 'Invalid instrumentation key'],
    ['Envelope.data is present (emulator rule)', request, [at('data', undefined)], "109: Field 'data' on type 'Envelope' is required but missing or empty. Expected: object, Actual: undefined"],
    ['Data.baseType is present (emulator rule)', request, [at('data.baseType', undefined)], "109: Field 'baseType' on type 'Data' is required but missing or empty. Expected: string, Actual: undefined"],
    ['Data.baseType names a spec type (emulator rule)', request, [at('data.baseType', 'RequestTelemetry')], "Field 'baseType' on type 'Data' names an unknown type. Expected: one of the spec's base types, Actual: RequestTelemetry"],
    ['Data.baseData is an object (emulator rule)', request, [at('data.baseData', 'x')], "106: Field 'baseData' on type 'Data' is of incorrect type. Expected: object, Actual: string"],
    ['Domain.ver is an int32', request, [at('data.baseData.ver', '2')], "106: Field 'ver' on type 'RequestData' is of incorrect type. Expected: int32, Actual: string"],
    // RequestData: required id, duration, responseCode (success has a default)
    ['RequestData.id is required', request, [at('data.baseData.id', undefined)], "109: Field 'id' on type 'RequestData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['RequestData.id is at most 512 characters', request, [at('data.baseData.id', 'i'.repeat(513))], "100: Field 'id' on type 'RequestData' is too long. Expected: 512 characters, Actual: 513"],
    ['RequestData.duration is required', request, [at('data.baseData.duration', undefined)], "109: Field 'duration' on type 'RequestData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['RequestData.duration is a TimeSpan string', request, [at('data.baseData.duration', '0:00:00:04.4786555')], "108: Field 'duration' on type 'RequestData' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: 0:00:00:04.4786555"],
    ['RequestData.duration has at most 7 fraction digits', request, [at('data.baseData.duration', '00:00:02.227999999')], "108: Field 'duration' on type 'RequestData' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: 00:00:02.227999999"],
    ['RequestData.duration is under 1000 days', request, [at('data.baseData.duration', '1000.00:00:00')], "108: Field 'duration' on type 'RequestData' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: 1000.00:00:00"],
    ['RequestData.duration is a string, not milliseconds', request, [at('data.baseData.duration', 123)], "106: Field 'duration' on type 'RequestData' is of incorrect type. Expected: string, Actual: number"],
    ['RequestData.responseCode is required', request, [at('data.baseData.responseCode', '')], "109: Field 'responseCode' on type 'RequestData' is required but missing or empty. Expected: string, Actual: "],
    ['RequestData.responseCode is a string', request, [at('data.baseData.responseCode', 200)], "106: Field 'responseCode' on type 'RequestData' is of incorrect type. Expected: string, Actual: number"],
    ['RequestData.success is a boolean', request, [at('data.baseData.success', 'true')], "106: Field 'success' on type 'RequestData' is of incorrect type. Expected: boolean, Actual: string"],
    ['RequestData.name is at most 1024 characters', request, [at('data.baseData.name', 'n'.repeat(1025))], "100: Field 'name' on type 'RequestData' is too long. Expected: 1024 characters, Actual: 1025"],
    ['RequestData.url is at most 2048 characters', request, [at('data.baseData.url', `http://x/${'u'.repeat(2040)}`)], "100: Field 'url' on type 'RequestData' is too long. Expected: 2048 characters, Actual: 2049"],
    ['RequestData.source is at most 1024 characters', request, [at('data.baseData.source', 's'.repeat(1025))], "100: Field 'source' on type 'RequestData' is too long. Expected: 1024 characters, Actual: 1025"],
    ['properties values are strings', request, [at('data.baseData.properties', { retries: 3 })], "200: Child value '3' for key 'retries' is of incorrect type. Expected: string, Actual: number"],
    ['properties values are at most 8192 characters', request, [at('data.baseData.properties', { blob: 'b'.repeat(8193) })], "Child value for key 'blob' on type 'properties' is too long. Expected: 8192 characters, Actual: 8193"],
    ['measurements values are numbers', request, [at('data.baseData.measurements', { m1: 'NaN' })], "200: Child value 'NaN' for key 'm1' is of incorrect type. Expected: number, Actual: string"],
    // RemoteDependencyData: required name, duration
    ['RemoteDependencyData.name is required', dependency, [at('data.baseData.name', undefined)], "109: Field 'name' on type 'RemoteDependencyData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['RemoteDependencyData.name is at most 1024 characters', dependency, [at('data.baseData.name', 'n'.repeat(1025))], "100: Field 'name' on type 'RemoteDependencyData' is too long. Expected: 1024 characters, Actual: 1025"],
    ['RemoteDependencyData.duration is required', dependency, [at('data.baseData.duration', undefined)], "109: Field 'duration' on type 'RemoteDependencyData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['RemoteDependencyData.data is at most 8192 characters', dependency, [at('data.baseData.data', 'd'.repeat(8193))], "100: Field 'data' on type 'RemoteDependencyData' is too long. Expected: 8192 characters, Actual: 8193"],
    ['RemoteDependencyData.resultCode is a string', dependency, [at('data.baseData.resultCode', 0)], "106: Field 'resultCode' on type 'RemoteDependencyData' is of incorrect type. Expected: string, Actual: number"],
    ['RemoteDependencyData.target is at most 1024 characters', dependency, [at('data.baseData.target', 't'.repeat(1025))], "100: Field 'target' on type 'RemoteDependencyData' is too long. Expected: 1024 characters, Actual: 1025"],
    // ExceptionData / ExceptionDetails / StackFrame
    ['ExceptionData.exceptions is required', exception, [at('data.baseData.exceptions', undefined)], "109: Field 'exceptions' on type 'ExceptionData' is required but missing or empty. Expected: array, Actual: undefined"],
    ['ExceptionData.exceptions may not be empty', exception, [at('data.baseData.exceptions', [])], "109: Field 'exceptions' on type 'ExceptionData' is required but missing or empty. Expected: array, Actual: array"],
    ['ExceptionDetails.message is required', exception, [at('data.baseData.exceptions.0.message', '')], "109: Field 'message' on type 'ExceptionDetails' is required but missing or empty. Expected: string, Actual: "],
    ['ExceptionDetails.typeName is at most 1024 characters', exception, [at('data.baseData.exceptions.0.typeName', 'T'.repeat(1025))], "100: Field 'typeName' on type 'ExceptionDetails' is too long. Expected: 1024 characters, Actual: 1025"],
    ['ExceptionDetails.stack is at most 32768 characters', exception, [at('data.baseData.exceptions.0.stack', 's'.repeat(32769))], "100: Field 'stack' on type 'ExceptionDetails' is too long. Expected: 32768 characters, Actual: 32769"],
    ['StackFrame.level is required', exception, [at('data.baseData.exceptions.0.parsedStack.0.level', undefined)], "109: Field 'level' on type 'StackFrame' is required but missing or empty. Expected: int32, Actual: undefined"],
    ['StackFrame.method is required', exception, [at('data.baseData.exceptions.0.parsedStack.0.method', '')], "109: Field 'method' on type 'StackFrame' is required but missing or empty. Expected: string, Actual: "],
    ['StackFrame.fileName is at most 1024 characters', exception, [at('data.baseData.exceptions.0.parsedStack.0.fileName', 'f'.repeat(2021))], "100: Field 'fileName' on type 'StackFrame' is too long. Expected: 1024 characters, Actual: 2021"],
    ['StackFrame.line is an int32', exception, [at('data.baseData.exceptions.0.parsedStack.0.line', 3.5)], "106: Field 'line' on type 'StackFrame' is of incorrect type. Expected: int32, Actual: number"],
    ['ExceptionData.severityLevel is a SeverityLevel', exception, [at('data.baseData.severityLevel', 'Fatal')], "Field 'severityLevel' on type 'ExceptionData' has a value outside its enumeration. Expected: one of Verbose, Information, Warning, Error, Critical, Actual: Fatal"],
    ['ExceptionData.problemId is at most 1024 characters', exception, [at('data.baseData.problemId', 'p'.repeat(1025))], "100: Field 'problemId' on type 'ExceptionData' is too long. Expected: 1024 characters, Actual: 1025"],
    // MessageData: required message
    ['MessageData.message is required', message, [at('data.baseData.message', undefined)], "109: Field 'message' on type 'MessageData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['MessageData.message is at most 32768 characters', message, [at('data.baseData.message', 'm'.repeat(32769))], "100: Field 'message' on type 'MessageData' is too long. Expected: 32768 characters, Actual: 32769"],
    ['MessageData.severityLevel is a SeverityLevel name', message, [at('data.baseData.severityLevel', 'Info')], "Field 'severityLevel' on type 'MessageData' has a value outside its enumeration. Expected: one of Verbose, Information, Warning, Error, Critical, Actual: Info"],
    ['MessageData.severityLevel as a number is 0..4', message, [at('data.baseData.severityLevel', 9)], "Field 'severityLevel' on type 'MessageData' has a value outside its enumeration. Expected: one of Verbose, Information, Warning, Error, Critical, Actual: 9"],
    // EventData: required name
    ['EventData.name is required', event, [at('data.baseData.name', '')], "109: Field 'name' on type 'EventData' is required but missing or empty. Expected: string, Actual: "],
    ['EventData.name is at most 512 characters', event, [at('data.baseData.name', 'e'.repeat(513))], "100: Field 'name' on type 'EventData' is too long. Expected: 512 characters, Actual: 513"],
    // MetricData (MetricsData) / DataPoint
    ['MetricData.metrics is required', metric, [at('data.baseData.metrics', [])], "109: Field 'metrics' on type 'MetricData' is required but missing or empty. Expected: array, Actual: array"],
    ['DataPoint.name is required', metric, [at('data.baseData.metrics.0.name', undefined)], "109: Field 'name' on type 'DataPoint' is required but missing or empty. Expected: string, Actual: undefined"],
    ['DataPoint.value is required', metric, [at('data.baseData.metrics.0.value', undefined)], "109: Field 'value' on type 'DataPoint' is required but missing or empty. Expected: number, Actual: undefined"],
    ['DataPoint.value is a number', metric, [at('data.baseData.metrics.0.value', '7')], "106: Field 'value' on type 'DataPoint' is of incorrect type. Expected: number, Actual: string"],
    ['DataPoint.count is an int32', metric, [at('data.baseData.metrics.0.count', 2.5)], "106: Field 'count' on type 'DataPoint' is of incorrect type. Expected: int32, Actual: number"],
    ['DataPoint.kind is a DataPointType', metric, [at('data.baseData.metrics.0.kind', 'Sum')], "Field 'kind' on type 'DataPoint' has a value outside its enumeration. Expected: one of Measurement, Aggregation, Actual: Sum"],
    ['DataPoint.ns is at most 256 characters', metric, [at('data.baseData.metrics.0.ns', 'n'.repeat(257))], "100: Field 'ns' on type 'DataPoint' is too long. Expected: 256 characters, Actual: 257"],
    ['DataPoint.name is at most 1024 characters', metric, [at('data.baseData.metrics.0.name', 'n'.repeat(1025))], "100: Field 'name' on type 'DataPoint' is too long. Expected: 1024 characters, Actual: 1025"],
    // AvailabilityData: required id, name, duration, success
    ['AvailabilityData.id is required', availability, [at('data.baseData.id', undefined)], "109: Field 'id' on type 'AvailabilityData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['AvailabilityData.name is required', availability, [at('data.baseData.name', undefined)], "109: Field 'name' on type 'AvailabilityData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['AvailabilityData.duration is a TimeSpan string', availability, [at('data.baseData.duration', 'PT1S')], "108: Field 'duration' on type 'AvailabilityData' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: PT1S"],
    ['AvailabilityData.success is required (no default)', availability, [at('data.baseData.success', undefined)], "109: Field 'success' on type 'AvailabilityData' is required but missing or empty. Expected: boolean, Actual: undefined"],
    ['AvailabilityData.message is at most 8192 characters', availability, [at('data.baseData.message', 'm'.repeat(8193))], "100: Field 'message' on type 'AvailabilityData' is too long. Expected: 8192 characters, Actual: 8193"],
    ['AvailabilityData.runLocation is at most 1024 characters', availability, [at('data.baseData.runLocation', 'r'.repeat(1025))], "100: Field 'runLocation' on type 'AvailabilityData' is too long. Expected: 1024 characters, Actual: 1025"],
    // PageViewData: required id, name
    ['PageViewData.id is required', pageView, [at('data.baseData.id', undefined)], "109: Field 'id' on type 'PageViewData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['PageViewData.name is required', pageView, [at('data.baseData.name', undefined)], "109: Field 'name' on type 'PageViewData' is required but missing or empty. Expected: string, Actual: undefined"],
    ['PageViewData.url is at most 2048 characters', pageView, [at('data.baseData.url', 'u'.repeat(2049))], "100: Field 'url' on type 'PageViewData' is too long. Expected: 2048 characters, Actual: 2049"],
  ];

  it.each(invalid)('refuses an item breaking "%s" (206 beside a valid item, with the service message)', async (_rule, base, mutations, expected) => {
    const res = await postItems(track, [base(), build(base, ...mutations)], { token });
    expect(res.status).toBe(206);
    const body = res.json<{ itemsReceived: number; itemsAccepted: number; errors: { index: number; statusCode: number; message: string }[] }>();
    expect(body).toMatchObject({ itemsReceived: 2, itemsAccepted: 1 });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ index: 1, statusCode: 400 });
    if (expected.endsWith('Actual: now - ')) expect(body.errors[0]?.message).toMatch(new RegExp(`^${expected.replace(/[()]/g, '\\$&')}\\d+ms$`));
    else expect(body.errors[0]?.message).toBe(expected);
  });

  it('answers 400 with every item listed when no item is valid', async () => {
    const res = await postItems(track, [build(request, at('data.baseData.id', undefined)), build(event, at('data.baseData.name', undefined))], { token });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      itemsReceived: 2, itemsAccepted: 0, errors: [
        { index: 0, statusCode: 400, message: "109: Field 'id' on type 'RequestData' is required but missing or empty. Expected: string, Actual: undefined" },
        { index: 1, statusCode: 400, message: "109: Field 'name' on type 'EventData' is required but missing or empty. Expected: string, Actual: undefined" },
      ],
    });
  });

  it('refuses an item over 64 KB and a value that is not an envelope', async () => {
    const res = await postItems(track, [request(), build(request, at('data.baseData.properties', Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(8000)])))), 42], { token });
    expect(res.status).toBe(206);
    expect(res.json<{ errors: unknown[] }>().errors).toEqual([
      { index: 1, statusCode: 400, message: expect.stringMatching(/^The item is \d+ bytes; the limit is 65536 bytes$/) },
      { index: 2, statusCode: 400, message: 'The item is not a telemetry envelope. Expected: object, Actual: number' },
    ]);
  });

  // What the service tolerates: the emulator must accept these (200) and store them.
  const tolerated: [string, () => Item, Mutation[]][] = [
    ['unknown properties on the envelope, data and baseData (Domain: additionalProperties true)', request, [at('extra', { any: 1 }), at('data.extra', 1), at('data.baseData.extra', [1, 2])]],
    ['baseData without ver (default 2)', request, [at('data.baseData.ver', undefined)]],
    ['an envelope without ver (default 1)', request, [at('ver', undefined)]],
    ['RequestData without success (default true)', request, [at('data.baseData.success', undefined)]],
    ['a time with an offset and with 7 fraction digits', request, [(i) => { i['time'] = new Date(Date.now() - HOUR_MILLIS).toISOString().replace('Z', '0000Z'); }]],
    ['a time with a +01:00 offset', request, [(i) => { i['time'] = new Date(Date.now() - HOUR_MILLIS).toISOString().replace(/\.\d+Z$/, '+00:00'); }]],
    ['a duration with one hour digit, days and no fraction', request, [at('data.baseData.duration', '1.2:03:04')]],
    ['optional fields set to null (x-nullable)', metric, [at('data.baseData.metrics.0.count', null), at('data.baseData.metrics.0.min', null)]],
    ['a numeric severityLevel (Bond enum value, as Microsoft\'s browser SDK sends)', message, [at('data.baseData.severityLevel', 1)]],
    ['ExceptionDetails without typeName (only message is required)', exception, [at('data.baseData.exceptions.0.typeName', undefined)]],
    ['several data points in one MetricData', metric, [at('data.baseData.metrics.1', { name: 'second', value: 1 })]],
    ['a Measurement data point with no aggregates', metric, [at('data.baseData.metrics.0', { name: 'gauge', kind: 'Measurement', value: 1.5 })]],
    ['strings at exactly their maxLength', request, [at('data.baseData.id', 'i'.repeat(512)), at('data.baseData.name', 'n'.repeat(1024)), at('seq', 's'.repeat(64))]],
    ['an unknown tag key with a long value (no Bond limit)', request, [(i) => { (i['tags'] as Item)['ai.custom.whatever'] = 'x'.repeat(5000); }]],
    ['context tags at exactly their Bond limit', request, [(i) => { Object.assign(i['tags'] as Item, { 'ai.operation.name': 'o'.repeat(1024), 'ai.session.id': 's'.repeat(64), 'ai.location.ip': '1'.repeat(45) }); }]],
    ['a time 47 hours old', request, [(i) => { i['time'] = new Date(Date.now() - 47 * HOUR_MILLIS).toISOString(); }]],
  ];

  it.each(tolerated)('accepts %s', async (_rule, base, mutations) => {
    const res = await postItems(track, [build(base, ...mutations)], { token });
    expect(res.json()).toEqual({ itemsReceived: 1, itemsAccepted: 1, errors: [] });
    expect(res.status).toBe(200);
  });

  it('accepts every base type of the spec the emulator stores, in one batch', async () => {
    const res = await postItems(track, [request(), dependency(), exception(), message(), event(), metric(), availability(), pageView()], { token });
    expect(res.json()).toEqual({ itemsReceived: 8, itemsAccepted: 8, errors: [] });
  });
});

describe('ingestion authentication on an Entra-only resource (v2.1/track)', () => {
  let emu: EmulatorHandle;
  let track: string;
  const KEY = '11111111-2222-4333-8444-555555555555';
  beforeAll(async () => {
    emu = await startEmulator();
    track = `${emu.ingestionUrl}/v2.1/track`;
  });
  afterAll(() => emu.close());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) => send(track, { body, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['[]', '[]', {}],
    ['an empty body', '', {}],
    ['malformed JSON', '[{"name":', {}],
    ['a JSON object that is not an envelope', '{}', {}],
    ['invalid items', JSON.stringify([{ name: 'x' }]), {}],
    ['valid items', JSON.stringify([requestEnvelope(KEY)]), {}],
    ['a body that is not gzip, labelled gzip', '[]', { 'content-encoding': 'gzip' }],
    ['an unknown content encoding', '[]', { 'content-encoding': 'br' }],
  ])('answers 401 without a token whatever the body: %s', async (_name, body, headers) => {
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri="https:\/\/localhost:\d+\/[0-9a-f-]+"/);
    expect(res.json()).toEqual({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 401, message: 'Unauthorized - please provide the valid authorization token: no Authorization header was sent' }] });
  });

  it.each([['[]'], ['[{"name":']])('answers 401 with an invalid token whatever the body: %s', async (body) => {
    const res = await post(body, { authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('still answers 200 to an authenticated []', async () => {
    const res = await post('[]', { authorization: `Bearer ${emu.issueToken({ identity: 'ci-principal' })}` });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ itemsReceived: 0, itemsAccepted: 0, errors: [] });
  });

  it('answers 401 to an anonymous [] when the emulator also has a local-auth resource, and 200 to items for that resource only', async () => {
    const open = emu.addResource({ name: 'local-auth-contract', disableLocalAuth: false });
    expect((await post('[]')).status).toBe(401);
    expect((await post('[{"name":')).status).toBe(401);
    expect((await post(JSON.stringify([requestEnvelope(KEY)]))).status).toBe(401);
    expect((await post(JSON.stringify([requestEnvelope(open.instrumentationKey)]))).status).toBe(200);
  });
});
