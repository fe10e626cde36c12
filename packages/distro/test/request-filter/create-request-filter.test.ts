import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context } from '@opentelemetry/api';
import { LoggerProvider, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type Span } from '@opentelemetry/sdk-trace-base';
import { createOperationNameTracker } from '../../src/operation-name/create-operation-name-tracker';
import { createRequestFilter, MAX_HELD_ITEMS_PER_REQUEST } from '../../src/request-filter/create-request-filter';
import type { RequestFilterOptions } from '../../src/request-filter/request-filter-options';

/** A tracer and logger whose exporting processors sit behind the filter, as useAzureMonitor wires them. */
function setUp(filter: RequestFilterOptions) {
  const tracker = createOperationNameTracker();
  const requestFilter = createRequestFilter({ filter, tracker });
  const spans = new InMemorySpanExporter();
  const records: ReadableLogRecord[] = [];
  // A capturing processor: SimpleLogRecordProcessor exports asynchronously.
  const capture: LogRecordProcessor = { onEmit: (r) => void records.push(r), forceFlush: async () => {}, shutdown: async () => {} };
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [tracker.spanProcessor, requestFilter.spanProcessor, requestFilter.wrapSpanProcessor(new SimpleSpanProcessor(spans))],
  });
  const loggerProvider = new LoggerProvider({ processors: [tracker.logRecordProcessor, requestFilter.wrapLogRecordProcessor(capture)] });
  const tracer = tracerProvider.getTracer('t');
  const logger = loggerProvider.getLogger('t');
  return {
    tracerProvider,
    request: (path: string, attributes: Attributes = {}): { span: Span; context: Context } => {
      const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': path, ...attributes } }, ROOT_CONTEXT) as Span;
      return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
    },
    child: (name: string, context: Context): Span => tracer.startSpan(name, { kind: SpanKind.CLIENT }, context) as Span,
    log: (body: string, context: Context): void => logger.emit({ body, context }),
    exported: () => ({ spans: spans.getFinishedSpans().map((s) => s.name), logs: records.map((r) => String(r.body)) }),
  };
}

describe('createRequestFilter', () => {
  it('a request dropped at its start takes its children, nested children and logs with it; others pass', () => {
    const app = setUp({ pathPrefixes: ['/health'] });
    const health = app.request('/health');
    const check = app.child('db ping', health.context);
    app.child('nested', trace.setSpan(health.context, check)).end();
    app.log('health ok', trace.setSpan(health.context, check));
    check.end();
    health.span.end();
    const order = app.request('/orders/1');
    app.child('db query', order.context).end();
    app.log('order served', order.context);
    order.span.end();
    app.child('startup', ROOT_CONTEXT).end();
    app.log('started', ROOT_CONTEXT);
    expect(app.exported()).toEqual({ spans: ['db query', 'GET', 'startup'], logs: ['order served', 'started'] });
  });

  it('a request decided at its end holds its items until then, then drops them all or sends them all', () => {
    const app = setUp({ predicate: (r) => r.statusCode === 404 });
    const missing = app.request('/orders/404');
    app.child('db query 404', missing.context).end();
    app.log('not found', missing.context);
    const found = app.request('/orders/1');
    app.child('db query 1', found.context).end();
    app.log('found', found.context);
    expect(app.exported()).toEqual({ spans: [], logs: [] }); // held while the requests run
    missing.span.setAttribute('http.response.status_code', 404);
    missing.span.end();
    found.span.setAttribute('http.response.status_code', 200);
    found.span.end();
    app.log('late log of the kept request', found.context);
    app.log('late log of the dropped request', missing.context);
    expect(app.exported()).toEqual({ spans: ['db query 1', 'GET'], logs: ['found', 'late log of the kept request'] });
  });

  it('a route rule drops by the route the request ended with', () => {
    const app = setUp({ routes: ['/health'] });
    const health = app.request('/health');
    app.child('check', health.context).end();
    health.span.setAttribute('http.route', '/health');
    health.span.end();
    expect(app.exported()).toEqual({ spans: [], logs: [] });
  });

  it(`sends a pending request's items once it holds ${MAX_HELD_ITEMS_PER_REQUEST}, and what it holds at shutdown`, async () => {
    const app = setUp({ routes: ['/stream'] });
    const stream = app.request('/stream');
    for (let i = 0; i < MAX_HELD_ITEMS_PER_REQUEST - 1; i++) app.log(`chunk ${i}`, stream.context);
    expect(app.exported().logs).toHaveLength(0);
    app.log('one more', stream.context);
    expect(app.exported().logs).toHaveLength(MAX_HELD_ITEMS_PER_REQUEST);
    const other = app.request('/other');
    app.child('held at shutdown', other.context).end();
    const shutdown = app.tracerProvider.shutdown(); // hands over what is held at once (the in-memory exporter forgets at its own shutdown)
    expect(app.exported().spans).toEqual(['held at shutdown']);
    await shutdown;
  });

  it('a predicate that throws keeps the request', () => {
    const app = setUp({ predicate: () => { throw new Error('bug'); } });
    const request = app.request('/a');
    app.child('work', request.context).end();
    request.span.end();
    expect(app.exported().spans).toEqual(['work', 'GET']);
  });
});
