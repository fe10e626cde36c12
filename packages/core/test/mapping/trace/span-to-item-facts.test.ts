import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Envelope } from '../../../src/contracts/envelope';
import { createMappingContext } from '../../../src/mapping/common/envelope/mapping-context';
import { spanToEnvelopes } from '../../../src/mapping/trace/span-to-envelopes';
import { spanToItemFacts, type SpanItemFacts } from '../../../src/mapping/trace/span-to-item-facts';
import { buildSpan, type SpanSpec } from '../fixtures/build-span';
import { CTX, IKEY, START_TIME } from '../fixtures/mapping-fixtures';

/** What the whole mapping says about the facts (the reference the cheap path must agree with). */
function factsOfEnvelope(envelope: Envelope): SpanItemFacts {
  const synthetic = envelope.tags['ai.operation.syntheticSource'] !== undefined;
  const none = { success: true, resultCode: '', dependencyType: '', dependencyTarget: '', synthetic };
  const { data } = envelope;
  switch (data.baseType) {
    case 'RequestData':
      return { ...none, kind: 'request', success: data.baseData.success, resultCode: data.baseData.responseCode };
    case 'RemoteDependencyData':
      return {
        ...none, kind: 'dependency', success: data.baseData.success, resultCode: data.baseData.resultCode,
        dependencyType: data.baseData.type, dependencyTarget: data.baseData.target ?? '',
      };
    case 'ExceptionData':
      return { ...none, kind: 'exception' };
    default:
      return { ...none, kind: 'trace' };
  }
}

const LONG = 'x'.repeat(2_000);

const CASES: [string, SpanSpec][] = [
  ['HTTP server 200', { name: 'GET /a', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': 'http://h/a' } }],
  ['HTTP server 503, old conventions', { name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.status_code': '503' } }],
  ['HTTP server, explicit OK status over 500', { name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 500 }, status: { code: SpanStatusCode.OK } }],
  ['gRPC server with status code', { name: 'rpc', kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 5 } }],
  ['HTTP status and gRPC status: HTTP wins', { name: 'x', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 404, 'rpc.grpc.status_code': 2 } }],
  ['consumer, error status', { name: 'process', kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka' }, status: { code: SpanStatusCode.ERROR } }],
  ['synthetic request', { name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'user_agent.synthetic.type': 'bot' } }],
  ['HTTP client with URL and port', { name: 'GET', kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.example:8443/x?q=1', 'http.response.status_code': 404 } }],
  ['HTTP client with peer.service', { name: 'GET', kind: SpanKind.CLIENT, attributes: { 'http.method': 'POST', 'peer.service': 'billing', 'http.status_code': 201 } }],
  ['database', { name: 'SELECT', kind: SpanKind.CLIENT, attributes: { 'db.system': 'mssql', 'server.address': 'db', 'db.namespace': 'shop', 'db.response.status_code': '08001' } }],
  ['RPC client', { name: 'call', kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'server.address': 'svc', 'server.port': 50051, 'rpc.grpc.status_code': 0 } }],
  ['messaging producer', { name: 'send', kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'rabbitmq', 'server.address': 'mq/', 'messaging.destination.name': 'orders' } }],
  ['Azure Service Bus producer', { name: 'send', kind: SpanKind.PRODUCER, attributes: { 'az.namespace': 'Microsoft.ServiceBus', 'messaging.destination.name': 'q', 'server.address': 'ns.servicebus.windows.net' } }],
  ['Azure SDK internal', { name: 'op', kind: SpanKind.INTERNAL, attributes: { 'az.namespace': 'Microsoft.Storage' } }],
  ['plain internal', { name: 'work', kind: SpanKind.INTERNAL }],
  ['client with a long target', { name: 'call', kind: SpanKind.CLIENT, attributes: { 'peer.service': LONG } }],
  ['exception and trace events, one of them synthetic', {
    name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 500 },
    events: [
      { name: 'exception', attributes: { 'exception.type': 'E', 'exception.message': 'm' }, time: START_TIME },
      { name: 'checkpoint', attributes: { 'user_agent.synthetic.type': 'test' }, time: START_TIME },
      { name: 'note', time: START_TIME },
    ],
  }],
];

describe('spanToItemFacts', () => {
  it.each(CASES)('%s: agrees with what spanToEnvelopes maps', (_, spec) => {
    const span = buildSpan(spec);
    expect(spanToItemFacts(span, CTX)).toEqual(spanToEnvelopes(span, CTX).map(factsOfEnvelope));
  });

  it('applies the context\'s success override as the mapper does', () => {
    const ctx = createMappingContext({ instrumentationKey: IKEY, successOverride: () => false });
    const span = buildSpan(CASES[0]![1]);
    expect(spanToItemFacts(span, ctx)[0]?.success).toBe(false);
    expect(spanToItemFacts(span, ctx)).toEqual(spanToEnvelopes(span, ctx).map(factsOfEnvelope));
  });
});
