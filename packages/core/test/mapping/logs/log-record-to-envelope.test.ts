import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogRecord } from '@opentelemetry/api-logs';
import type { Envelope, EnvelopeData } from '../../../src/contracts/envelope';
import { logRecordToEnvelope } from '../../../src/mapping/logs/log-record-to-envelope';
import { severityToLevel } from '../../../src/mapping/logs/severity-level';
import { buildLogRecord } from '../fixtures/build-log-record';
import { CTX, IKEY, RESOURCE_TAGS, SPAN_ID, START_ISO, TRACE_ID } from '../fixtures/mapping-fixtures';

const TRACE_TAGS = { 'ai.operation.id': TRACE_ID, 'ai.operation.parentId': SPAN_ID };
const STACK = 'Error: disk full\n    at write (/app/io.js:7:11)';

function envelope(name: Envelope['name'], data: EnvelopeData, tags: Record<string, string> = {}): Envelope {
  return { ver: 1, name, time: START_ISO, iKey: IKEY, tags: { ...RESOURCE_TAGS, ...tags }, data };
}
const message = (baseData: Record<string, unknown>, tags?: Record<string, string>): Envelope =>
  envelope('Microsoft.ApplicationInsights.Message', { baseType: 'MessageData', baseData: { ver: 2, ...baseData } as never }, tags);
const exception = (baseData: Record<string, unknown>, tags?: Record<string, string>): Envelope =>
  envelope('Microsoft.ApplicationInsights.Exception', { baseType: 'ExceptionData', baseData: { ver: 2, ...baseData } as never }, tags);
const event = (baseData: Record<string, unknown>, tags?: Record<string, string>): Envelope =>
  envelope('Microsoft.ApplicationInsights.Event', { baseType: 'EventData', baseData: { ver: 2, ...baseData } as never }, tags);

const CASES: [string, Omit<LogRecord, 'timestamp' | 'context'>, boolean, Envelope][] = [
  ['TRACE', { severityNumber: SeverityNumber.TRACE, body: 't' }, false, message({ message: 't', severityLevel: 'Verbose' })],
  ['DEBUG4', { severityNumber: SeverityNumber.DEBUG4, body: 'd' }, false, message({ message: 'd', severityLevel: 'Verbose' })],
  ['INFO in a trace', { severityNumber: SeverityNumber.INFO, body: 'hello', attributes: { userId: 7 } }, true,
    message({ message: 'hello', severityLevel: 'Information', properties: { userId: '7' } }, TRACE_TAGS)],
  ['WARN2', { severityNumber: SeverityNumber.WARN2, body: 'w' }, false, message({ message: 'w', severityLevel: 'Warning' })],
  ['ERROR', { severityNumber: SeverityNumber.ERROR, body: 'e' }, false, message({ message: 'e', severityLevel: 'Error' })],
  ['FATAL4', { severityNumber: SeverityNumber.FATAL4, body: 'f' }, false, message({ message: 'f', severityLevel: 'Critical' })],
  ['severity text only', { severityText: 'warning', body: 'w' }, false, message({ message: 'w', severityLevel: 'Warning' })],
  ['no severity, object body as JSON, user tags', { body: { a: 1, b: ['x'] }, attributes: { 'enduser.id': 'u1', 'session.id': 's1' } }, false,
    message({ message: '{"a":1,"b":["x"]}' }, { 'ai.user.authUserId': 'u1', 'ai.session.id': 's1' })],
  ['no body at all', { severityNumber: SeverityNumber.INFO }, false, message({ message: 'n/a', severityLevel: 'Information' })],
  ['exception with stack and message; body kept as log.body', {
    severityNumber: SeverityNumber.ERROR, body: 'write failed',
    attributes: { 'exception.type': 'Error', 'exception.message': 'disk full', 'exception.stacktrace': STACK, file: '/tmp/x' },
  }, true, exception({
    severityLevel: 'Error',
    exceptions: [{ typeName: 'Error', message: 'disk full', hasFullStack: true, stack: STACK, parsedStack: [{ level: 0, method: 'write', fileName: '/app/io.js', line: 7 }] }],
    properties: { file: '/tmp/x', 'log.body': 'write failed' },
  }, TRACE_TAGS)],
  ['exception without stack or message: the body is the message', {
    severityNumber: SeverityNumber.WARN, body: 'retrying upload', attributes: { 'exception.type': 'TimeoutError' },
  }, false, exception({ severityLevel: 'Warning', exceptions: [{ typeName: 'TimeoutError', message: 'retrying upload' }] })],
  ['exception with only a stack: type defaults to Error', {
    attributes: { 'exception.stacktrace': 'not a v8 stack' },
  }, false, exception({ exceptions: [{ typeName: 'Error', message: 'Error', hasFullStack: true, stack: 'not a v8 stack' }] })],
  ['custom event by microsoft.custom_event.name', {
    body: 'clicked', attributes: { 'microsoft.custom_event.name': 'CheckoutClicked', cart: 3 },
  }, true, event({ name: 'CheckoutClicked', properties: { cart: '3', 'log.body': 'clicked' } }, TRACE_TAGS)],
  ['custom event by OTel event name', { eventName: 'app.login', attributes: { method: 'sso' } }, false,
    event({ name: 'app.login', properties: { method: 'sso' } })],
  ['sampled log (trace-based log sampling): microsoft.sample_rate becomes sampleRate, not a property', {
    severityNumber: SeverityNumber.INFO, body: 'kept', attributes: { 'microsoft.sample_rate': 25, userId: 7 },
  }, true, { ...message({ message: 'kept', severityLevel: 'Information', properties: { userId: '7' } }, TRACE_TAGS), sampleRate: 25 }],
  ['a microsoft.sample_rate above 100: no sampleRate (the item counts once), not a property', {
    severityNumber: SeverityNumber.INFO, body: 'kept', attributes: { 'microsoft.sample_rate': 400 },
  }, true, message({ message: 'kept', severityLevel: 'Information' }, TRACE_TAGS)],
];

describe('logRecordToEnvelope', () => {
  it.each(CASES)('maps %s', (_title, record, inTrace, expected) => {
    expect(logRecordToEnvelope(buildLogRecord(record, inTrace), CTX)).toEqual(expected);
  });
});

describe('severityToLevel', () => {
  it.each([
    [1, undefined, 'Verbose'], [4, undefined, 'Verbose'], [5, undefined, 'Verbose'], [8, undefined, 'Verbose'],
    [9, undefined, 'Information'], [12, undefined, 'Information'], [13, undefined, 'Warning'], [16, undefined, 'Warning'],
    [17, undefined, 'Error'], [20, undefined, 'Error'], [21, undefined, 'Critical'], [24, undefined, 'Critical'],
    [0, 'ERROR', 'Error'], [undefined, 'Info', 'Information'], [undefined, 'fatal', 'Critical'], [undefined, 'debug', 'Verbose'],
    [undefined, 'loud', undefined], [undefined, undefined, undefined], [99, undefined, undefined],
  ])('maps number %p / text %p to %p', (severityNumber, severityText, expected) => {
    expect(severityToLevel(severityNumber, severityText)).toBe(expected);
  });
});
