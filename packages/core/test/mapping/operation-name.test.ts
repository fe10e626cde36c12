// Golden tests of the operation name an item inherits from its request (issue 23): every item kind
// a span or log record becomes gets `ai.operation.name` from `ctx.operationNameOf`, an explicit
// attribute still wins, requests keep their own name, and items outside any request get none.
import { SpanKind } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Envelope, EnvelopeName } from '../../src/contracts/envelope';
import { createMappingContext } from '../../src/mapping/common/envelope/mapping-context';
import type { OperationNameLookup, RequestNameSource } from '../../src/mapping/common/envelope/mapping-context';
import { logRecordToEnvelope } from '../../src/mapping/logs/log-record-to-envelope';
import { requestOperationName } from '../../src/mapping/trace/request-operation-name';
import { spanToEnvelopes } from '../../src/mapping/trace/span-to-envelopes';
import { buildLogRecord } from './fixtures/build-log-record';
import { buildSpan } from './fixtures/build-span';
import type { SpanSpec } from './fixtures/build-span';
import { CTX, DURATION, IKEY, PARENT_SPAN_ID, RESOURCE_TAGS, SPAN_ID, START_ISO, TRACE_ID } from './fixtures/mapping-fixtures';

const ROUTE_NAME = 'GET /orders/:id';
const EVENT_TIME: [number, number] = [1700000000, 500000000];
const EVENT_ISO = '2023-11-14T22:13:20.500Z';
const CHILD = { 'ai.operation.id': TRACE_ID, 'ai.operation.parentId': PARENT_SPAN_ID };
const IN_TRACE = { 'ai.operation.id': TRACE_ID, 'ai.operation.parentId': SPAN_ID };

/** A context whose lookup answers `name` for every item and counts its calls. */
function contextNaming(name: string | undefined): { ctx: ReturnType<typeof createMappingContext>; calls: unknown[] } {
  const calls: unknown[] = [];
  const operationNameOf: OperationNameLookup = (item) => {
    calls.push(item);
    return name;
  };
  return { ctx: createMappingContext({ instrumentationKey: IKEY, sdkVersion: CTX.sdkVersion, operationNameOf }), calls };
}

function item(name: EnvelopeName, baseType: string, tags: Record<string, string>, baseData: Record<string, unknown>, time = START_ISO): Envelope {
  return { ver: 1, name, time, iKey: IKEY, tags: { ...RESOURCE_TAGS, ...tags }, data: { baseType, baseData: { ver: 2, ...baseData } } as never };
}
const dependency = (tags: Record<string, string>, baseData: Record<string, unknown>): Envelope =>
  item('Microsoft.ApplicationInsights.RemoteDependency', 'RemoteDependencyData', tags, { id: SPAN_ID, duration: DURATION, ...baseData });
const request = (tags: Record<string, string>, baseData: Record<string, unknown>): Envelope =>
  item('Microsoft.ApplicationInsights.Request', 'RequestData', tags, { id: SPAN_ID, duration: DURATION, ...baseData });

const PG_QUERY: SpanSpec = {
  name: 'pg.query:SELECT shop', kind: SpanKind.CLIENT, parentSpanId: PARENT_SPAN_ID,
  attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE id = $1', 'db.name': 'shop', 'net.peer.name': 'db' },
};
const PG_DEPENDENCY = { name: 'pg.query:SELECT shop', type: 'postgresql', data: 'SELECT * FROM orders WHERE id = $1', target: 'db|shop', resultCode: '0', success: true };

const SPAN_CASES: [string, string | undefined, SpanSpec, Envelope[]][] = [
  [
    'a database dependency inside a request gets the request operation name',
    ROUTE_NAME, PG_QUERY,
    [dependency({ ...CHILD, 'ai.operation.name': ROUTE_NAME }, PG_DEPENDENCY)],
  ],
  [
    'an HTTP dependency inside a request gets it too, over its own METHOD route',
    ROUTE_NAME,
    {
      name: 'GET', kind: SpanKind.CLIENT, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'http.request.method': 'GET', 'url.full': 'http://stock:8080/items/7', 'http.route': '/items/:id', 'http.response.status_code': 200 },
    },
    [dependency({ ...CHILD, 'ai.operation.name': ROUTE_NAME }, {
      name: 'GET /items/7', type: 'Http', data: 'http://stock:8080/items/7', target: 'stock:8080', resultCode: '200', success: true,
    })],
  ],
  [
    'an internal span and its exception and message events get it',
    ROUTE_NAME,
    {
      name: 'render', kind: SpanKind.INTERNAL, parentSpanId: PARENT_SPAN_ID,
      events: [
        { name: 'exception', time: EVENT_TIME, attributes: { 'exception.type': 'TypeError', 'exception.message': 'boom' } },
        { name: 'cache miss', time: EVENT_TIME },
      ],
    },
    [
      dependency({ ...CHILD, 'ai.operation.name': ROUTE_NAME }, { name: 'render', type: 'InProc', resultCode: '0', success: true }),
      item('Microsoft.ApplicationInsights.Exception', 'ExceptionData', { 'ai.operation.id': TRACE_ID, 'ai.operation.name': ROUTE_NAME, 'ai.operation.parentId': SPAN_ID }, {
        exceptions: [{ typeName: 'TypeError', message: 'boom' }],
      }, EVENT_ISO),
      item('Microsoft.ApplicationInsights.Message', 'MessageData', { 'ai.operation.id': TRACE_ID, 'ai.operation.name': ROUTE_NAME, 'ai.operation.parentId': SPAN_ID }, {
        message: 'cache miss',
      }, EVENT_ISO),
    ],
  ],
  [
    'an explicit ai.operation.name attribute on a dependency wins over the inherited name',
    ROUTE_NAME,
    { ...PG_QUERY, attributes: { ...PG_QUERY.attributes, 'ai.operation.name': 'nightly-report' } },
    [dependency({ ...CHILD, 'ai.operation.name': 'nightly-report' }, PG_DEPENDENCY)],
  ],
  [
    'an explicit attribute on a span event wins for that event only',
    ROUTE_NAME,
    { name: 'step', kind: SpanKind.INTERNAL, parentSpanId: PARENT_SPAN_ID, events: [{ name: 'note', time: EVENT_TIME, attributes: { 'ai.operation.name': 'other' } }] },
    [
      dependency({ ...CHILD, 'ai.operation.name': ROUTE_NAME }, { name: 'step', type: 'InProc', resultCode: '0', success: true }),
      item('Microsoft.ApplicationInsights.Message', 'MessageData', { 'ai.operation.id': TRACE_ID, 'ai.operation.name': 'other', 'ai.operation.parentId': SPAN_ID }, { message: 'note' }, EVENT_ISO),
    ],
  ],
  [
    'a dependency outside any request gets no operation name',
    undefined, PG_QUERY,
    [dependency(CHILD, PG_DEPENDENCY)],
  ],
  [
    'a request keeps its own name whatever the lookup says',
    'GET /somewhere/else',
    { name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/orders/42', 'http.route': '/orders/:id', 'http.response.status_code': 200 } },
    [request({ 'ai.operation.id': TRACE_ID, 'ai.operation.name': ROUTE_NAME }, { name: ROUTE_NAME, responseCode: '200', success: true })],
  ],
];

describe('operation name inherited from the request: spans', () => {
  it.each(SPAN_CASES)('%s', (_title, inherited, spec, expected) => {
    const { ctx } = contextNaming(inherited);
    expect(spanToEnvelopes(buildSpan(spec), ctx)).toEqual(expected);
  });

  it('asks the lookup with the span itself, and never for a request', () => {
    const { ctx, calls } = contextNaming(ROUTE_NAME);
    const span = buildSpan(PG_QUERY);
    spanToEnvelopes(span, ctx);
    spanToEnvelopes(buildSpan({ name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } }), ctx);
    expect(calls).toEqual([span]);
  });
});

type LogSpec = Omit<LogRecord, 'timestamp' | 'context'>;

const LOG_CASES: [string, string | undefined, LogSpec, Envelope][] = [
  [
    'a log message inside a request gets the request operation name',
    ROUTE_NAME, { body: 'order 42 loaded', severityNumber: 9 },
    item('Microsoft.ApplicationInsights.Message', 'MessageData', { ...IN_TRACE, 'ai.operation.name': ROUTE_NAME }, { message: 'order 42 loaded', severityLevel: 'Information' }),
  ],
  [
    'a logged exception inside a request gets it',
    ROUTE_NAME, { body: 'failed', severityNumber: 17, attributes: { 'exception.type': 'Error', 'exception.message': 'db down' } },
    item('Microsoft.ApplicationInsights.Exception', 'ExceptionData', { ...IN_TRACE, 'ai.operation.name': ROUTE_NAME }, {
      exceptions: [{ typeName: 'Error', message: 'db down' }], severityLevel: 'Error', properties: { 'log.body': 'failed' },
    }),
  ],
  [
    'a custom event inside a request gets it',
    ROUTE_NAME, { eventName: 'order.viewed', attributes: { orderId: '42' } },
    item('Microsoft.ApplicationInsights.Event', 'EventData', { ...IN_TRACE, 'ai.operation.name': ROUTE_NAME }, { name: 'order.viewed', properties: { orderId: '42' } }),
  ],
  [
    'an explicit ai.operation.name log attribute wins',
    ROUTE_NAME, { body: 'batch', attributes: { 'ai.operation.name': 'import-job' } },
    item('Microsoft.ApplicationInsights.Message', 'MessageData', { ...IN_TRACE, 'ai.operation.name': 'import-job' }, { message: 'batch' }),
  ],
  [
    'a log outside any request gets none',
    undefined, { body: 'started' },
    item('Microsoft.ApplicationInsights.Message', 'MessageData', IN_TRACE, { message: 'started' }),
  ],
];

describe('operation name inherited from the request: logs', () => {
  it.each(LOG_CASES)('%s', (_title, inherited, spec, expected) => {
    const { ctx } = contextNaming(inherited);
    expect(logRecordToEnvelope(buildLogRecord(spec, true), ctx)).toEqual(expected);
  });

  it('asks the lookup with the record itself', () => {
    const { ctx, calls } = contextNaming(ROUTE_NAME);
    const record: ReadableLogRecord = buildLogRecord({ body: 'x' }, true);
    logRecordToEnvelope(record, ctx);
    expect(calls).toEqual([record]);
  });
});

describe('requestOperationName', () => {
  const server = (attributes: SpanSpec['attributes'], name = 'GET'): ReadableSpan => buildSpan({ name, kind: SpanKind.SERVER, attributes });
  const http = { 'http.request.method': 'GET', 'url.path': '/orders/42' };

  it.each<[string, ReadableSpan, RequestNameSource | undefined, string | undefined, string]>([
    ['the route when the span has one', server({ ...http, 'http.route': '/orders/:id' }), undefined, undefined, ROUTE_NAME],
    ['the path without a route', server(http), undefined, undefined, 'GET /orders/42'],
    ['the span name without a route under requestNameSource spanName', server(http), 'spanName', undefined, 'GET'],
    ['a route known before the span has it (router ahead of the response)', server(http), 'spanName', '/orders/:id', ROUTE_NAME],
    ['the span route over the hint', server({ ...http, 'http.route': '/orders/:id' }), undefined, '/other', ROUTE_NAME],
    ['an explicit ai.operation.name attribute over the route', server({ ...http, 'http.route': '/orders/:id', 'ai.operation.name': 'Orders' }), undefined, undefined, 'Orders'],
    ['a messaging request: operation and destination', buildSpan({ name: 'x', kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': 'orders' } }), undefined, undefined, 'process orders'],
  ])('%s', (_title, span, source, route, expected) => {
    expect(requestOperationName(span, source, route)).toBe(expected);
  });

  it('is the ai.operation.name tag of the request item', () => {
    const span = server({ ...http, 'http.route': '/orders/:id', 'microsoft.operation_name': 'Orders' });
    const [envelope] = spanToEnvelopes(span, CTX);
    expect(envelope?.tags['ai.operation.name']).toBe(requestOperationName(span));
  });
});
