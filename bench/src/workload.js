'use strict';
/**
 * The benchmark workload: real ReadableSpans built with @opentelemetry/sdk-trace-base 2.x
 * (BasicTracerProvider + SimpleSpanProcessor + InMemorySpanExporter), deterministic (seeded ids,
 * fixed timestamps), so every child process builds byte-identical spans.
 *
 * Half are HTTP SERVER spans (10 stable-semconv attributes), half PostgreSQL CLIENT children of
 * them (6 attributes); every 10th span carries one (non-exception) event.
 */
const api = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const DEFAULT_SPAN_COUNT = 10_000;
const EVENT_EVERY = 10;
const BASE_TIMESTAMP_MILLIS = Date.UTC(2026, 10, 27, 12, 0, 0, 0);

/** A seeded id generator (xorshift32), so trace/span ids are the same in every process. */
function createSeededIdGenerator(seed) {
  let state = seed >>> 0 || 1;
  const nextHex8 = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state.toString(16).padStart(8, '0');
  };
  return {
    generateTraceId: () => nextHex8() + nextHex8() + nextHex8() + nextHex8(),
    generateSpanId: () => nextHex8() + nextHex8(),
  };
}

const ROUTES = ['/api/orders/:id', '/api/customers/:id', '/api/products', '/api/cart', '/health'];
const STATUSES = [200, 200, 200, 201, 204, 200, 404, 200, 500, 200];
const QUERIES = [
  ['SELECT', 'SELECT id, customer_id, total, status FROM orders WHERE id = $1'],
  ['SELECT', 'SELECT c.id, c.name, c.email FROM customers c WHERE c.id = $1'],
  ['INSERT', 'INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)'],
  ['UPDATE', 'UPDATE orders SET status = $2, updated_at = now() WHERE id = $1'],
];

/**
 * A tracer with the workload's resource and seeded ids, over an in-memory exporter, or over
 * `spanProcessor` when given (the event-loop bench passes a real BatchSpanProcessor).
 */
function createWorkloadTracer({ seed, tracerName, spanProcessor }) {
  const memory = spanProcessor ? undefined : new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout-api',
      'service.namespace': 'shop',
      'service.version': '1.4.2',
      'service.instance.id': 'checkout-api-7d9f8b-x2k4q',
      'host.name': 'aks-node-12',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.12.0',
    }),
    idGenerator: createSeededIdGenerator(seed),
    spanProcessors: [spanProcessor ?? new SimpleSpanProcessor(memory)],
  });
  return { tracer: provider.getTracer(tracerName, '1.0.0'), memory, provider };
}

/**
 * Creates an event counter: every 10th span it is called for gets one (non-exception) event.
 * @returns {{ mark(span, atMillis): void, spans(): number, events(): number }}
 */
function createEventMarker() {
  let spans = 0;
  let events = 0;
  return {
    mark(span, atMillis) {
      spans += 1;
      if (spans % EVENT_EVERY === 0) {
        span.addEvent('cache.miss', { 'cache.key': `order:${spans}`, 'cache.backend': 'redis' }, atMillis);
        events += 1;
      }
    },
    spans: () => spans,
    events: () => events,
  };
}

/**
 * Emits request number `i`: an HTTP SERVER span starting at `startMillis` with 10 attributes and,
 * when `withChild`, a PostgreSQL CLIENT child with 6. Both end before this returns.
 */
function emitRequest(tracer, marker, i, startMillis, withChild) {
  const route = ROUTES[i % ROUTES.length];
  const status = STATUSES[i % STATUSES.length];
  const server = tracer.startSpan(`GET ${route}`, {
    kind: api.SpanKind.SERVER,
    startTime: startMillis,
    attributes: {
      'http.request.method': 'GET',
      'url.path': route.replace(':id', String(1000 + (i % 50_000))),
      'url.scheme': 'https',
      'http.route': route,
      'http.response.status_code': status,
      'server.address': 'checkout.shop.example.com',
      'server.port': 443,
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      'client.address': `10.1.${(i >> 8) & 255}.${i & 255}`,
      'network.protocol.version': '1.1',
    },
  }, api.ROOT_CONTEXT);
  if (status >= 500) server.setStatus({ code: api.SpanStatusCode.ERROR });
  marker.mark(server, startMillis + 1);
  if (withChild) {
    const [operation, text] = QUERIES[i % QUERIES.length];
    const db = tracer.startSpan(`${operation} shop`, {
      kind: api.SpanKind.CLIENT,
      startTime: startMillis + 1,
      attributes: {
        'db.system.name': 'postgresql',
        'db.system': 'postgresql',
        'db.namespace': 'shop',
        'db.query.text': text,
        'db.operation.name': operation,
        'server.address': 'pg-primary.shop.internal',
        'server.port': 5432,
      },
    }, api.trace.setSpan(api.ROOT_CONTEXT, server));
    marker.mark(db, startMillis + 2);
    db.end(startMillis + 4);
  }
  server.end(startMillis + 5 + (i % 13));
}

/**
 * Builds `count` finished spans (count/2 server + count/2 db client children), in the order the
 * SDK finished them (each db child just before its server parent).
 * @returns {{ spans: import('@opentelemetry/sdk-trace-base').ReadableSpan[], eventCount: number }}
 */
function buildWorkload(count = DEFAULT_SPAN_COUNT) {
  const { tracer, memory } = createWorkloadTracer({ seed: 0x5eed, tracerName: 'bench-workload' });
  const marker = createEventMarker();
  for (let i = 0; marker.spans() < count; i++) {
    emitRequest(tracer, marker, i, BASE_TIMESTAMP_MILLIS + i * 7, marker.spans() + 1 < count);
  }
  return { spans: memory.getFinishedSpans().slice(), eventCount: marker.events() };
}

/** Splits `items` into arrays of at most `size`. */
function toBatches(items, size) {
  const batches = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

module.exports = { buildWorkload, toBatches, createWorkloadTracer, createEventMarker, emitRequest, DEFAULT_SPAN_COUNT, EVENT_EVERY };
