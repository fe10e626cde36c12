import { ROOT_CONTEXT, SpanKind, type Attributes } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decideAtEnd, decideAtStart, filteredRequest } from '../../src/request-filter/match-request';
import { isHealthProbe } from '../../src/request-filter/health-probes';
import type { RequestFilterOptions } from '../../src/request-filter/request-filter-options';

function request(attributes: Attributes, kind = SpanKind.SERVER): ReadableSpan {
  const exporter = new InMemorySpanExporter();
  const span = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t').startSpan('GET', { kind, attributes, startTime: [100, 0] }, ROOT_CONTEXT);
  span.end([100, 250_000_000]);
  return exporter.getFinishedSpans()[0]!;
}

const GET_HEALTH = { 'http.request.method': 'GET', 'url.path': '/health', 'user_agent.original': 'curl/8' };

describe('decideAtStart', () => {
  it.each<[string, RequestFilterOptions, Attributes, string]>([
    ['no rules: keep', {}, GET_HEALTH, 'keep'],
    ['path prefix matches', { pathPrefixes: ['/heal'] }, GET_HEALTH, 'drop'],
    ['path prefix from http.target without the query', { pathPrefixes: ['/health'] }, { 'http.method': 'GET', 'http.target': '/health?full=1' }, 'drop'],
    ['path prefix from the full URL', { pathPrefixes: ['/health'] }, { 'http.method': 'GET', 'url.full': 'http://h:80/health/live' }, 'drop'],
    ['path prefix does not match', { pathPrefixes: ['/internal/'] }, GET_HEALTH, 'keep'],
    ['method, any case', { methods: ['options'] }, { 'http.request.method': 'OPTIONS', 'url.path': '/a' }, 'drop'],
    ['user agent contains, any case', { userAgents: ['CURL'] }, GET_HEALTH, 'drop'],
    ['Kubernetes probe with healthProbes', { healthProbes: true }, { ...GET_HEALTH, 'user_agent.original': 'kube-probe/1.30' }, 'drop'],
    ['Kubernetes probe without healthProbes (off by default)', {}, { ...GET_HEALTH, 'user_agent.original': 'kube-probe/1.30' }, 'keep'],
    ['App Service Always On, old attribute name', { healthProbes: true }, { 'http.method': 'GET', 'http.target': '/', 'http.user_agent': 'AlwaysOn' }, 'drop'],
    ['App Service container warm-up path', { healthProbes: true }, { 'http.request.method': 'GET', 'url.path': '/robots933456.txt' }, 'drop'],
    ['an ordinary request with healthProbes', { healthProbes: true }, GET_HEALTH, 'keep'],
    ['a route rule waits for the end', { routes: ['/health'] }, GET_HEALTH, 'pending'],
    ['a predicate waits for the end', { predicate: () => true }, GET_HEALTH, 'pending'],
    ['a start rule wins over waiting', { routes: ['/x'], pathPrefixes: ['/health'] }, GET_HEALTH, 'drop'],
  ])('%s', (_title, filter, attributes, expected) => {
    expect(decideAtStart(filter, request(attributes))).toBe(expected);
  });
});

describe('decideAtEnd', () => {
  const never = (): void => { throw new Error('not expected'); };

  it.each<[string, RequestFilterOptions, Attributes, string]>([
    ['route matches exactly', { routes: ['/orders/:id'] }, { 'http.request.method': 'GET', 'http.route': '/orders/:id' }, 'drop'],
    ['route is not a prefix rule', { routes: ['/orders'] }, { 'http.request.method': 'GET', 'http.route': '/orders/:id' }, 'keep'],
    ['no route on the span', { routes: ['/orders/:id'] }, { 'http.request.method': 'GET', 'url.path': '/orders/1' }, 'keep'],
    ['predicate on the status code', { predicate: (r) => r.statusCode === 404 }, { 'http.request.method': 'GET', 'http.response.status_code': 404 }, 'drop'],
    ['predicate keeps', { predicate: (r) => r.statusCode === 404 }, { 'http.request.method': 'GET', 'http.response.status_code': 200 }, 'keep'],
  ])('%s', (_title, filter, attributes, expected) => {
    expect(decideAtEnd(filter, request(attributes), undefined, never)).toBe(expected);
  });

  it('a predicate that throws keeps the request and reports the error', () => {
    const errors: unknown[] = [];
    const boom = new Error('boom');
    expect(decideAtEnd({ predicate: () => { throw boom; } }, request(GET_HEALTH), undefined, (e) => errors.push(e))).toBe('keep');
    expect(errors).toEqual([boom]);
  });
});

describe('filteredRequest', () => {
  it('gives the predicate the facts of the finished request', () => {
    const span = request({ 'http.request.method': 'GET', 'url.path': '/orders/7', 'http.route': '/orders/:id', 'http.response.status_code': 200, 'user_agent.original': 'curl/8' });
    expect(filteredRequest(span, undefined)).toEqual({
      kind: 'server', method: 'GET', path: '/orders/7', route: '/orders/:id', userAgent: 'curl/8', statusCode: 200, durationMillis: 250,
      operationName: 'GET /orders/:id', attributes: span.attributes,
    });
  });

  it('a consumer request has no HTTP facts', () => {
    const span = request({ 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': 'orders' }, SpanKind.CONSUMER);
    expect(filteredRequest(span, undefined)).toEqual({ kind: 'consumer', durationMillis: 250, operationName: 'process orders', attributes: span.attributes });
  });
});

describe('isHealthProbe', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    ['kube-probe/1.30', '/healthz', true], ['HealthCheck/1.0', '/api/health', true], ['ReadyForRequest/1.0', '/', true], ['AlwaysOn', '/', true],
    [undefined, '/robots933456.txt', true], ['AlwaysOnTop', '/', false], ['Mozilla/5.0', '/health', false], [undefined, undefined, false],
  ])('%p %p -> %p', (userAgent, path, expected) => {
    expect(isHealthProbe(userAgent, path)).toBe(expected);
  });
});
