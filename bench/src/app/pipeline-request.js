'use strict';
/**
 * One request of the bench app as its instrumentations record it, through the OTel API (for
 * pipeline-bench.js): attribute sets as instrumentation-http 0.223 (old conventions), -pg 0.76,
 * -undici 0.33 (stable conventions) and winston-transport 0.34 write them.
 */

/** @param {'default' | 'official-set'} items */
function createRequestShape(api, logsApi, items) {
  const { trace, context, SpanKind, SpanStatusCode } = api;
  const tracer = trace.getTracer('bench-pipeline');
  const logger = logsApi.logs.getLogger('@opentelemetry/winston-transport', '0.34.0');
  const withFetchAndLog = items === 'default';
  const downstream = 'http://127.0.0.1:40001';

  function client(name, attributes, status) {
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes });
    span.setAttributes(status);
    span.end();
  }

  function request(i) {
    const id = i % 1000;
    const server = tracer.startSpan('GET', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.url': `http://127.0.0.1:3000/orders/${id}`, 'http.host': '127.0.0.1:3000', 'net.host.name': '127.0.0.1', 'http.method': 'GET',
        'http.scheme': 'http', 'http.target': `/orders/${id}`, 'http.user_agent': 'autocannon', 'http.flavor': '1.1', 'net.transport': 'ip_tcp',
      },
    });
    context.with(trace.setSpan(context.active(), server), () => {
      client('pg.query:SELECT postgres', {
        'db.system': 'postgresql', 'db.name': 'postgres', 'db.connection_string': 'postgresql://127.0.0.1:5432/postgres', 'net.peer.name': '127.0.0.1',
        'net.peer.port': 5432, 'db.user': 'postgres', 'db.statement': 'SELECT id, item, quantity FROM orders WHERE id = $1',
      }, {});
      if (withFetchAndLog) {
        client('GET', {
          'http.request.method': 'GET', 'url.full': `${downstream}/stock/${id}`, 'url.path': `/stock/${id}`, 'url.query': '', 'url.scheme': 'http',
          'server.address': '127.0.0.1', 'server.port': 40001, 'user_agent.original': 'node',
        }, { 'http.response.status_code': 200, 'network.peer.address': '127.0.0.1', 'network.peer.port': 40001 });
      }
      client('GET', {
        'http.url': `${downstream}/price/${id}`, 'http.method': 'GET', 'http.target': `/price/${id}`, 'net.peer.name': '127.0.0.1', 'net.peer.port': 40001,
        'http.host': '127.0.0.1:40001', 'http.flavor': '1.1', 'net.transport': 'ip_tcp',
      }, { 'http.status_code': 200, 'http.status_text': 'OK', 'net.peer.ip': '127.0.0.1' });
      if (withFetchAndLog) {
        logger.emit({ severityNumber: 9, severityText: 'info', body: 'order read', attributes: { orderId: id, inStock: true } });
      }
    });
    server.setAttributes({ 'http.route': '/orders/:id', 'http.status_code': 200, 'http.status_text': 'OK', 'net.host.port': 3000, 'net.peer.ip': '127.0.0.1', 'net.peer.port': 50000 });
    server.updateName('GET /orders/:id');
    server.setStatus({ code: SpanStatusCode.UNSET });
    server.end();
  }

  return { request };
}

module.exports = { createRequestShape };
