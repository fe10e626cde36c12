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
 * Builds `count` finished spans (count/2 server + count/2 db client children), in the order the
 * SDK finished them (each db child just before its server parent).
 * @returns {{ spans: import('@opentelemetry/sdk-trace-base').ReadableSpan[], eventCount: number }}
 */
function buildWorkload(count = DEFAULT_SPAN_COUNT) {
  const memory = new InMemorySpanExporter();
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
    idGenerator: createSeededIdGenerator(0x5eed),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('bench-workload', '1.0.0');
  const pairs = Math.ceil(count / 2);
  let built = 0;
  let eventCount = 0;
  const maybeEvent = (span, atMillis) => {
    built += 1;
    if (built % 10 === 0) {
      span.addEvent('cache.miss', { 'cache.key': `order:${built}`, 'cache.backend': 'redis' }, atMillis);
      eventCount += 1;
    }
  };
  for (let i = 0; i < pairs && built < count; i++) {
    const route = ROUTES[i % ROUTES.length];
    const status = STATUSES[i % STATUSES.length];
    const start = BASE_TIMESTAMP_MILLIS + i * 7;
    const path = route.replace(':id', String(1000 + i));
    const server = tracer.startSpan(`GET ${route}`, {
      kind: api.SpanKind.SERVER,
      startTime: start,
      attributes: {
        'http.request.method': 'GET',
        'url.path': path,
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
    maybeEvent(server, start + 1);
    if (built < count) {
      const [operation, text] = QUERIES[i % QUERIES.length];
      const db = tracer.startSpan(`${operation} shop`, {
        kind: api.SpanKind.CLIENT,
        startTime: start + 1,
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
      maybeEvent(db, start + 2);
      db.end(start + 4);
    }
    server.end(start + 5 + (i % 13));
  }
  const spans = memory.getFinishedSpans().slice();
  return { spans, eventCount };
}

/** Splits `items` into arrays of at most `size`. */
function toBatches(items, size) {
  const batches = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

module.exports = { buildWorkload, toBatches, DEFAULT_SPAN_COUNT };
