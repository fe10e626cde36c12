'use strict';
/**
 * "An hour of backlog": the spans a service produces in one hour at a steady rate, generated in
 * export-sized batches (never all in memory) with @opentelemetry/sdk-trace-base 2.x, in the same
 * shape as the exporter benchmark's workload (bench/src/workload.js): half HTTP SERVER spans with
 * 10 stable-semconv attributes, half PostgreSQL CLIENT children with 6, one event on every 10th
 * span. Ids are seeded and timestamps spread over the hour (one server+db pair every
 * 2000/spansPerSecond ms), so every span, event and envelope is distinct and reproducible.
 */
const api = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const HOUR_START_MILLIS = Date.UTC(2026, 10, 27, 11, 0, 0, 0);
const HOUR_MILLIS = 60 * 60 * 1000;
const EVENT_EVERY = 10;

const ROUTES = ['/api/orders/:id', '/api/customers/:id', '/api/products', '/api/cart', '/health'];
const STATUSES = [200, 200, 200, 201, 204, 200, 404, 200, 500, 200];
const QUERIES = [
  ['SELECT', 'SELECT id, customer_id, total, status FROM orders WHERE id = $1'],
  ['SELECT', 'SELECT c.id, c.name, c.email FROM customers c WHERE c.id = $1'],
  ['INSERT', 'INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)'],
  ['UPDATE', 'UPDATE orders SET status = $2, updated_at = now() WHERE id = $1'],
];

/** xorshift32 ids, as in workload.js (a different seed per scenario keeps stores disjoint). */
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

/** Spans and events of an hour at `spansPerSecond` (the count of items the store must end up holding). */
function hourTotals(spansPerSecond) {
  const spans = Math.round(spansPerSecond * HOUR_MILLIS / 1000);
  return { spans, events: Math.floor(spans / EVENT_EVERY) };
}

/**
 * A generator of the hour's spans in batches of `batchSize` (the last one shorter), in the order
 * the SDK finished them. Yields `ReadableSpan[]`.
 */
function* hourOfSpans({ spansPerSecond, batchSize, seed }) {
  const { spans: total } = hourTotals(spansPerSecond);
  const pairIntervalMillis = 2000 / spansPerSecond;
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
    idGenerator: createSeededIdGenerator(seed),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('bench-drain-workload', '1.0.0');
  let built = 0;
  const maybeEvent = (span, atMillis) => {
    built += 1;
    if (built % EVENT_EVERY === 0) span.addEvent('cache.miss', { 'cache.key': `order:${built}`, 'cache.backend': 'redis' }, atMillis);
  };
  for (let i = 0; built < total; i++) {
    const route = ROUTES[i % ROUTES.length];
    const status = STATUSES[i % STATUSES.length];
    const start = HOUR_START_MILLIS + Math.floor(i * pairIntervalMillis);
    const server = tracer.startSpan(`GET ${route}`, {
      kind: api.SpanKind.SERVER,
      startTime: start,
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
    maybeEvent(server, start + 1);
    if (built < total) {
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
    if (memory.getFinishedSpans().length >= batchSize || built >= total) {
      const finished = memory.getFinishedSpans();
      memory.reset();
      for (let k = 0; k < finished.length; k += batchSize) yield finished.slice(k, k + batchSize);
    }
  }
}

module.exports = { hourOfSpans, hourTotals, HOUR_START_MILLIS };
