import { SeverityNumber, type LogRecord } from '@opentelemetry/api-logs';
import type { Envelope } from '../../../src/contracts/envelope';
import { logRecordToEnvelope } from '../../../src/mapping/logs/log-record-to-envelope';
import { logRecordToItemFacts, type LogItemFacts } from '../../../src/mapping/logs/log-record-to-item-facts';
import { buildLogRecord } from '../fixtures/build-log-record';
import { CTX } from '../fixtures/mapping-fixtures';

/** What the whole mapping says (the reference the cheap path must agree with). */
function factsOfEnvelope(envelope: Envelope): LogItemFacts {
  const synthetic = envelope.tags['ai.operation.syntheticSource'] !== undefined;
  const { data } = envelope;
  switch (data.baseType) {
    case 'ExceptionData': return { kind: 'exception', severityLevel: data.baseData.severityLevel, synthetic };
    case 'MessageData': return { kind: 'message', severityLevel: data.baseData.severityLevel, synthetic };
    case 'EventData': return { kind: 'event', severityLevel: undefined, synthetic };
    case 'AvailabilityData': return { kind: 'availability', severityLevel: undefined, synthetic };
    default: throw new Error(`unexpected ${data.baseType}`);
  }
}

const AVAILABILITY = {
  'microsoft.availability.id': 'run-1', 'microsoft.availability.name': 'Home', 'microsoft.availability.duration': '00:00:00.250',
  'microsoft.availability.success': true,
};

const CASES: [string, Omit<LogRecord, 'timestamp' | 'context'>][] = [
  ['plain message, warning', { body: 'hello', severityNumber: SeverityNumber.WARN }],
  ['message without severity', { body: 'hello' }],
  ['message with severity text only', { body: 'x', severityText: 'ERROR' }],
  ['exception attributes', { body: 'failed', severityNumber: SeverityNumber.ERROR, attributes: { 'exception.type': 'E', 'exception.message': 'm' } }],
  ['custom event attribute', { body: 'b', attributes: { 'microsoft.custom_event.name': 'Checkout' } }],
  ['event name', { eventName: 'app.start', body: 'b' }],
  ['availability result', { body: 'ok', attributes: AVAILABILITY }],
  ['incomplete availability attributes: a message', { body: 'ok', attributes: { 'microsoft.availability.name': 'Home' } }],
  ['synthetic message', { body: 'probe', attributes: { 'user_agent.synthetic.type': 'bot' } }],
];

describe('logRecordToItemFacts', () => {
  it.each(CASES)('%s: agrees with what logRecordToEnvelope maps', (_, spec) => {
    const record = buildLogRecord(spec);
    const facts = logRecordToItemFacts(record);
    const expected = factsOfEnvelope(logRecordToEnvelope(record, CTX));
    expect(facts).toEqual(expected.kind === 'event' || expected.kind === 'availability' ? { ...expected, severityLevel: facts?.severityLevel } : expected);
  });

  it('leaves records of the legacy shim to the whole mapping (their kind is in their body)', () => {
    const record = buildLogRecord({ body: { name: 'Checkout' }, attributes: { '_MS.baseType': 'EventData' } });
    expect(logRecordToItemFacts(record)).toBeUndefined();
  });
});
