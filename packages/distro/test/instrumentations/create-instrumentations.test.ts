import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RequestOptions } from 'node:http';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createInstrumentations, hookedModuleNames, planInstrumentations } from '../../src/instrumentations/create-instrumentations';
import { createAppResolver, type AppResolver } from '../../src/instrumentations/resolve-from-app';
import { createConsoleInstrumentation } from '../../src/instrumentations/console-instrumentation';
import type { AzureInstrumenter } from '../../src/instrumentations/create-otel-instrumenter';
import type { InstrumentationLists } from '../../src/instrumentations/select-instrumentations';
import { resolveSettings } from '../../src/config/resolve-settings';

const NO_LISTS: InstrumentationLists = { enabled: undefined, disabled: undefined };

/** The instrumentation lists the settings resolve from `env`, and the warnings about them. */
function listsFrom(env: NodeJS.ProcessEnv): InstrumentationLists & { warnings: readonly string[] } {
  const { settings, warnings } = resolveSettings({}, env);
  return { enabled: settings.enabledInstrumentations, disabled: settings.disabledInstrumentations, warnings };
}

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ALL_DEFAULT = ['http', 'undici', 'express', 'fastify', 'koa', 'pg', 'mysql2', 'mysql', 'mongodb', 'redis', 'ioredis', 'azure-sdk', 'winston', 'bunyan', 'pino'];
const installed = (...names: string[]) => (m: string) => (names.includes(m) ? `/app/node_modules/${m}/index.js` : undefined);
const everything = (m: string) => `/app/node_modules/${m}/index.js`;
const names = (plan: ReturnType<typeof planInstrumentations>) => plan.entries.map((e) => e.instrumentation.envName);

describe('planInstrumentations', () => {
  it.each<[string, Parameters<typeof planInstrumentations>[0], NodeJS.ProcessEnv, (m: string) => string | undefined, string[]]>([
    ['nothing installed: only what Node has (http, fetch)', undefined, {}, () => undefined, ['http', 'undici']],
    ['everything installed: all but console', undefined, {}, everything, ALL_DEFAULT],
    ['only the packages the app has', undefined, {}, installed('pg', 'winston'), ['http', 'undici', 'pg', 'winston']],
    ['redis 4/5 found through @redis/client alone', undefined, {}, installed('@redis/client'), ['http', 'undici', 'redis']],
    ['OTEL_NODE_DISABLED_INSTRUMENTATIONS removes', undefined, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg, express' }, installed('pg', 'express', 'koa'), ['http', 'undici', 'koa']],
    ['OTEL_NODE_ENABLED_INSTRUMENTATIONS keeps only those', undefined, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg' }, everything, ['http', 'pg']],
    ['disabled wins over enabled; the package prefix is accepted', undefined, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: '@opentelemetry/instrumentation-pg,express', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'express' }, everything, ['pg']],
    ['console is opt-in through the enabled list', undefined, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'console' }, everything, ['console']],
    ['an option wins over the environment', { pg: { enabled: true }, express: { enabled: false }, console: { enabled: true } }, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' }, installed('pg', 'express'), ['http', 'undici', 'pg', 'console']],
    ['an option turns off what the app has', { http: { enabled: false }, undici: { enabled: false }, azureSdk: { enabled: false } }, {}, installed('@azure/core-tracing'), []],
    ['an installed package stays off when switched on but absent', { mongodb: { enabled: true } }, {}, () => undefined, ['http', 'undici']],
  ])('%s', (_case, options, env, resolve, expected) => {
    expect(names(planInstrumentations(options, listsFrom(env), resolve))).toEqual(expected);
  });

  it('warns about unknown names in the environment lists, and ignores them', () => {
    const lists = listsFrom({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,postgres' });
    const plan = planInstrumentations(undefined, lists, everything);
    expect(names(plan)).not.toContain('pg');
    expect(lists.warnings).toEqual([expect.stringContaining('OTEL_NODE_DISABLED_INSTRUMENTATIONS names an unknown instrumentation "postgres"')]);
  });

  it('warns about option keys that name no instrumentation (e.g. from the configuration file)', () => {
    const plan = planInstrumentations({ postgres: { enabled: false } } as never, NO_LISTS, everything);
    expect(names(plan)).toContain('pg');
    expect(plan.warnings).toEqual([expect.stringContaining('instrumentationOptions.postgres names no instrumentation')]);
  });

  it('lists the installed packages the ES module hook must wrap, switched off or not', () => {
    expect(hookedModuleNames(installed('express', 'redis', 'pg'))).toEqual(['express', 'pg', 'redis']);
  });
});

describe('createAppResolver', () => {
  it('finds packages from the application\'s directories only, without loading them', () => {
    const loaded = () => Object.keys(createRequire(__filename).cache).some((f) => f.includes(`${path.sep}mysql2${path.sep}`));
    const before = loaded();
    expect(createAppResolver([REPO_ROOT])('mysql2')).toContain(`${path.sep}mysql2${path.sep}`);
    expect(loaded()).toBe(before);
    expect(createAppResolver([os.tmpdir()])('mysql2')).toBeUndefined();
    expect(createAppResolver([REPO_ROOT])('not-a-package-anyone-has')).toBeUndefined();
  });
});

describe('createInstrumentations', () => {
  const created: Instrumentation[] = [];
  // Built disabled (undici's disable() throws if it was never enabled); the distro's own bridges have no isEnabled().
  const isOn = (i: Instrumentation): boolean => (i as Partial<{ isEnabled(): boolean }>).isEnabled?.() ?? true;
  afterEach(() => { created.splice(0).forEach((i) => { if (isOn(i)) i.disable(); }); });
  const make = (options: Parameters<typeof createInstrumentations>[0], own: string[], resolve: AppResolver = () => undefined) => {
    const list = createInstrumentations(options, own, NO_LISTS, resolve);
    created.push(...list);
    return list;
  };
  const httpHook = (list: Instrumentation[]) => (list[0]!.getConfig() as HttpInstrumentationConfig).ignoreOutgoingRequestHook!;

  it('never traces node:http requests to our own endpoints or the metadata service', () => {
    const ignore = httpHook(make(undefined, ['http://127.0.0.1:4000', 'https://login.microsoftonline.com']));
    const cases: Array<[RequestOptions, boolean]> = [
      [{ hostname: '127.0.0.1', port: 4000, protocol: 'http:' }, true],
      [{ hostname: 'login.microsoftonline.com', protocol: 'https:' }, true],
      [{ host: '169.254.169.254', port: 80, protocol: 'http:' }, true],
      [{ hostname: '127.0.0.1', port: 4001, protocol: 'http:' }, false],
      [{ hostname: 'api.example.com', protocol: 'https:' }, false],
    ];
    for (const [request, expected] of cases) expect([request, ignore(request)]).toEqual([request, expected]);
  });

  it('keeps the user\'s own ignore hook and HTTP options, and adds `additional` ones', () => {
    const extra = { instrumentationName: 'extra', instrumentationVersion: '1', disable: jest.fn(), enable: jest.fn(), setTracerProvider: jest.fn(), setMeterProvider: jest.fn(), setConfig: jest.fn(), getConfig: () => ({}) } as unknown as Instrumentation;
    const list = make({ http: { ignoreOutgoingRequestHook: (r) => r.hostname === 'skip.example.com', headersToSpanAttributes: { server: { requestHeaders: ['x-tenant'] } } }, additional: [extra] }, []);
    expect(list.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici', 'extra']);
    expect(httpHook(list)({ hostname: 'skip.example.com' })).toBe(true);
    expect((list[0]!.getConfig() as HttpInstrumentationConfig).headersToSpanAttributes).toEqual({ server: { requestHeaders: ['x-tenant'] } });
  });

  it('loads the instrumentation of each installed target (real packages), and nothing for absent ones', () => {
    const list = make(undefined, [], createAppResolver([REPO_ROOT]));
    expect(list.map((i) => i.instrumentationName)).toEqual([
      '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-express',
      '@fastify/otel', '@opentelemetry/instrumentation-koa', '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-mysql2',
      // no `mysql` package in this repository: no instrumentation for it
      '@opentelemetry/instrumentation-mongodb', '@opentelemetry/instrumentation-redis', '@opentelemetry/instrumentation-ioredis',
      '@appinsights-otel/instrumentation-azure-sdk', '@opentelemetry/instrumentation-winston', '@opentelemetry/instrumentation-bunyan',
      '@opentelemetry/instrumentation-pino',
    ]);
  });

  it('builds every instrumentation of the table, mysql included (its package is there even if the driver is not)', () => {
    expect(make({ console: { enabled: true } }, [], everything)).toHaveLength(ALL_DEFAULT.length + 1);
  });

  it('express: no middleware or request-handler spans by default (a cost default, issue 25); ignoreLayersType: [] brings them back', () => {
    const httpOff = { http: { enabled: false }, undici: { enabled: false } };
    const layers = (list: Instrumentation[]): unknown => (list[0]!.getConfig() as { ignoreLayersType?: unknown }).ignoreLayersType;
    expect(layers(make(httpOff, [], installed('express')))).toEqual(['middleware', 'request_handler']);
    expect(layers(make({ ...httpOff, express: { ignoreLayersType: [] } }, [], installed('express')))).toEqual([]);
  });

  it('turns HTTP and fetch off with { enabled: false }', () => {
    expect(make({ http: { enabled: false }, undici: { enabled: false } }, [])).toEqual([]);
  });
});

describe('fetch (undici) instrumentation from createInstrumentations', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const servers: http.Server[] = [];
  let instrumentations: Instrumentation[] = [];
  const seen: Array<string | undefined> = [];

  async function listen(): Promise<string> {
    const server = http.createServer((req, res) => { seen.push(req.headers['traceparent'] as string | undefined); res.end('ok'); });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    context.disable();
    propagation.disable();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
  afterEach(() => { instrumentations.forEach((i) => i.disable()); exporter.reset(); seen.length = 0; });

  it('traces fetch() as a client span and propagates traceparent, but never our own endpoints', async () => {
    const own = await listen();
    const other = await listen();
    instrumentations = createInstrumentations({ http: { enabled: false } }, [own], NO_LISTS, () => undefined);
    // built disabled; enabled as reuseInstrumentations() does for useAzureMonitor()
    for (const i of instrumentations) { i.setTracerProvider(provider); i.setConfig({ ...i.getConfig(), enabled: true }); i.enable(); }
    const parent = provider.getTracer('test').startSpan('operation');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await (await fetch(`${other}/x`)).text();
      await (await fetch(`${own}/v2.1/track`, { method: 'POST', body: '[]' })).text();
    });
    parent.end();
    const clientSpans = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(clientSpans.map((s) => s.attributes['url.full'])).toEqual([`${other}/x`]);
    expect(clientSpans[0]!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    // the downstream request joins the operation: its traceparent names the fetch span
    expect(seen[0]).toBe(`00-${parent.spanContext().traceId}-${clientSpans[0]!.spanContext().spanId}-01`);
  });
});

describe('Azure SDK tracing bridge (real @azure/core-tracing)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // the bridge installs itself in the application's copy, loaded by Node itself (not jest's registry)
  const coreTracingPath = createRequire(path.join(REPO_ROOT, 'package.json')).resolve('@azure/core-tracing');
  const coreTracing = createRequire(coreTracingPath)(coreTracingPath) as {
    createTracingClient(o: { namespace: string; packageName: string; packageVersion?: string }): {
      withSpan<T>(name: string, options: object, callback: (options: { tracingOptions?: { tracingContext?: unknown } }) => Promise<T>, spanOptions?: object): Promise<T>;
      startSpan(name: string, options?: object, spanOptions?: object): { span: { end(): void; isRecording(): boolean }; updatedOptions: { tracingOptions?: { tracingContext?: unknown } } };
      createRequestHeaders(tracingContext?: unknown): Record<string, string>;
    };
    useInstrumenter(i: AzureInstrumenter): void;
  };
  let bridge: Instrumentation;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const [only] = createInstrumentations({ http: { enabled: false }, undici: { enabled: false } }, ['https://ingest.example.com'], NO_LISTS, (m) => (m === '@azure/core-tracing' ? coreTracingPath : undefined));
    if (only === undefined) throw new Error('the Azure SDK bridge was not created');
    bridge = only;
    bridge.setTracerProvider(provider);
    bridge.enable();
  });
  afterAll(() => { bridge.disable(); context.disable(); propagation.disable(); });
  afterEach(() => exporter.reset());

  it('turns Azure SDK operations into spans of the current trace, with az.namespace, and propagates them', async () => {
    const client = coreTracing.createTracingClient({ namespace: 'Microsoft.Storage', packageName: '@azure/storage-blob', packageVersion: '12.0.0' });
    const parent = provider.getTracer('app').startSpan('request');
    let headers: Record<string, string> = {};
    await context.with(trace.setSpan(context.active(), parent), () => client.withSpan('BlobClient.download', {}, async (options) => {
      headers = client.createRequestHeaders(options.tracingOptions?.tracingContext);
    }, { spanKind: 'client' }));
    parent.end();
    const span = exporter.getFinishedSpans().find((s) => s.name === 'BlobClient.download')!;
    expect(span).toMatchObject({ kind: SpanKind.CLIENT, attributes: { 'az.namespace': 'Microsoft.Storage' }, instrumentationScope: { name: '@azure/storage-blob', version: '12.0.0' } });
    expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(headers['traceparent']).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('does not trace pipeline requests to our own endpoints, and suppresses the node:http span below an SDK HTTP span', () => {
    const client = coreTracing.createTracingClient({ namespace: 'Microsoft.Test', packageName: '@azure/core-rest-pipeline' });
    const own = client.startSpan('HTTP POST', {}, { spanKind: 'client', spanAttributes: { 'http.request.method': 'POST', 'url.full': 'https://ingest.example.com/v2.1/track' } });
    expect(own.span.isRecording()).toBe(false);
    own.span.end();
    const other = client.startSpan('HTTP GET', {}, { spanKind: 'client', spanAttributes: { 'http.request.method': 'GET', 'url.full': 'https://vault.example.com/secrets/x' } });
    expect(other.span.isRecording()).toBe(true);
    const below = provider.getTracer('http').startSpan('GET', {}, other.updatedOptions.tracingOptions!.tracingContext as never);
    expect(below.isRecording()).toBe(false);
    // ...while the request itself still carries the SDK span's traceparent
    const spanId = trace.getSpanContext(other.updatedOptions.tracingOptions!.tracingContext as never)!.spanId;
    expect(client.createRequestHeaders(other.updatedOptions.tracingOptions!.tracingContext)['traceparent']).toMatch(new RegExp(`^00-[0-9a-f]{32}-${spanId}-01$`));
    other.span.end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['HTTP GET']);
  });

  it('stops recording once disabled, without suppressing other tracing below SDK calls', () => {
    bridge.disable();
    const { span, updatedOptions } = coreTracing.createTracingClient({ namespace: 'Microsoft.Test', packageName: '@azure/test' }).startSpan('op');
    expect(span.isRecording()).toBe(false);
    expect(provider.getTracer('other').startSpan('below', {}, updatedOptions.tracingOptions!.tracingContext as never).isRecording()).toBe(true);
    bridge.enable();
  });
});

describe('console log bridge (opt-in)', () => {
  beforeAll(() => { context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()); });
  afterAll(() => { context.disable(); });

  it('records console calls as log records with the trace context, still prints them, and skips export-time calls', () => {
    const exporter = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const printed: unknown[][] = [];
    const target = { log: (...a: unknown[]) => printed.push(a), info: () => undefined, warn: () => undefined, error: (...a: unknown[]) => printed.push(a), debug: () => undefined } as unknown as Console;
    const bridge = createConsoleInstrumentation(target);
    bridge.setLoggerProvider!(loggerProvider);
    bridge.enable();
    const span = new BasicTracerProvider().getTracer('t').startSpan('op');
    context.with(trace.setSpan(context.active(), span), () => target.log('order %d shipped', 17));
    context.with(suppressTracing(context.active()), () => target.error('export failed'));
    bridge.disable();
    target.log('after disable');
    expect(printed).toEqual([['order %d shipped', 17], ['export failed'], ['after disable']]);
    expect(exporter.getFinishedLogRecords().map((r) => [r.body, r.severityText, r.attributes['log.source'], r.spanContext?.spanId])).toEqual([['order 17 shipped', 'INFO', 'console.log', span.spanContext().spanId]]);
  });
});
