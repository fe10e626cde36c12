import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes, type Context } from '@opentelemetry/api';
import { RPCType, setRPCMetadata, type RPCMetadata } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, type ReadableSpan, type Span } from '@opentelemetry/sdk-trace-base';
import { createOperationNameTracker, type OperationNameTracker } from '../../src/operation-name/create-operation-name-tracker';

const HTTP_GET = { 'http.request.method': 'GET', 'url.path': '/orders/17' };

/** A tracer and logger wired to one tracker, and helpers that start items in explicit contexts. */
function setUp(tracker: OperationNameTracker) {
  const tracer = new BasicTracerProvider({ spanProcessors: [tracker.spanProcessor] }).getTracer('test');
  const emitted: ReadableLogRecord[] = [];
  const capture: LogRecordProcessor = { onEmit: (r) => void emitted.push(r), forceFlush: async () => {}, shutdown: async () => {} };
  const logger = new LoggerProvider({ processors: [tracker.logRecordProcessor, capture] }).getLogger('test');
  return {
    start: (name: string, kind: SpanKind, context: Context = ROOT_CONTEXT, attributes = {}): Span =>
      tracer.startSpan(name, { kind, attributes }, context) as Span,
    /** A request span as the HTTP instrumentation starts it: its context carries its RPC metadata. */
    request(attributes: Attributes = HTTP_GET): { span: Span; context: Context; rpc: RPCMetadata } {
      const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT) as Span;
      const rpc: RPCMetadata = { type: RPCType.HTTP, span };
      return { span, context: setRPCMetadata(trace.setSpan(ROOT_CONTEXT, span), rpc), rpc };
    },
    log(context: Context): ReadableLogRecord {
      logger.emit({ body: 'x', context });
      return emitted[emitted.length - 1]!;
    },
  };
}

describe('createOperationNameTracker', () => {
  it('names a dependency by the path, then by the route the router found, then by the ended request', () => {
    const tracker = createOperationNameTracker();
    const { start, request } = setUp(tracker);
    const { span: server, context, rpc } = request();
    const query = start('pg.query', SpanKind.CLIENT, context);
    query.end();
    expect(tracker.operationNameOf(query as unknown as ReadableSpan)).toBe('GET /orders/17');
    rpc.route = '/orders/:id'; // express, during routing
    expect(tracker.operationNameOf(query as unknown as ReadableSpan)).toBe('GET /orders/:id');
    server.setAttribute('http.route', '/orders/:id'); // the HTTP instrumentation, when the response ends
    server.end();
    rpc.route = '/changed/after/the/end';
    expect(tracker.operationNameOf(query as unknown as ReadableSpan)).toBe('GET /orders/:id');
  });

  it('links a dependency inside a nested span, and a log record emitted there, to the request', () => {
    const tracker = createOperationNameTracker();
    const { start, request, log } = setUp(tracker);
    const { span: server, context } = request({ ...HTTP_GET, 'http.route': '/orders/:id' });
    const nested = start('load order', SpanKind.INTERNAL, context);
    const nestedContext = trace.setSpan(context, nested);
    const query = start('pg.query', SpanKind.CLIENT, nestedContext);
    const record = log(trace.setSpan(nestedContext, query));
    for (const s of [query, nested, server]) s.end();
    expect([nested, query].map((s) => tracker.operationNameOf(s as unknown as ReadableSpan))).toEqual(['GET /orders/:id', 'GET /orders/:id']);
    expect(tracker.operationNameOf(record)).toBe('GET /orders/:id');
  });

  it('uses the nearest request: a consumer request inside an HTTP request names its own items', () => {
    const tracker = createOperationNameTracker();
    const { start, request } = setUp(tracker);
    const { context } = request({ ...HTTP_GET, 'http.route': '/orders/:id' });
    const consumer = start('process', SpanKind.CONSUMER, context, { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': 'orders' });
    const inner = start('save', SpanKind.CLIENT, trace.setSpan(context, consumer));
    expect(tracker.operationNameOf(inner as unknown as ReadableSpan)).toBe('process orders');
  });

  it('follows requestNameSource, like the request item', () => {
    const tracker = createOperationNameTracker({ requestNameSource: 'spanName' });
    const { start, request } = setUp(tracker);
    const { context } = request();
    expect(tracker.operationNameOf(start('q', SpanKind.CLIENT, context) as unknown as ReadableSpan)).toBe('GET');
  });

  it('names nothing outside any request: root spans, remote parents, logs without a span, the request itself, unknown items', () => {
    const tracker = createOperationNameTracker();
    const { start, request, log } = setUp(tracker);
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    const { span: server } = request();
    const lone = start('startup query', SpanKind.CLIENT);
    expect([
      tracker.operationNameOf(lone as unknown as ReadableSpan),
      tracker.operationNameOf(start('child of remote', SpanKind.CLIENT, remote) as unknown as ReadableSpan),
      tracker.operationNameOf(start('child of a root dependency', SpanKind.CLIENT, trace.setSpan(ROOT_CONTEXT, lone)) as unknown as ReadableSpan),
      tracker.operationNameOf(log(ROOT_CONTEXT)),
      tracker.operationNameOf(server as unknown as ReadableSpan),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
