'use strict';
/**
 * Starts the telemetry a variant asks for, in the app process, BEFORE the app loads express, pg,
 * winston or http (so the instrumentations can patch them). Both distros get the same connection
 * string (ingestion and Live Metrics at the parent's TLS front to the emulator, loopback only) and the
 * same credential: a fixed token the parent minted with the emulator, so no identity call is made.
 *
 * Phone-home paths of the official distro, all off: statsbeat and SDK stats by the environment
 * variables below (the parent sets them; we refuse to start without them), and its Azure VM resource
 * detector, which always asks the instance metadata service (169.254.169.254): replaced by an empty
 * detector before the distro loads. The network guard (preloaded) reports anything else.
 *
 * `otel-floor` is no distro: the plain OpenTelemetry SDK as ours builds it (the same package versions,
 * resolved from our distro), with nothing exported: what any OpenTelemetry-based distro pays before
 * it maps or sends anything. `options.record`: true (AlwaysOn sampler, every span recorded and
 * handed to a BatchSpanProcessor whose exporter drops it) or false (AlwaysOff: the context manager
 * and the instrumentations' patching only, non-recording spans). `options.instrumentations`: which
 * of http and pg to enable (default both; without http, no HTTP spans at all unless `httpSpans`).
 * `options.metrics`: also a global MeterProvider exporting nowhere, so the instrumentations record
 * their own metrics (as under either distro). `options.httpSpans: 'dc'` (issue 25, bench-only
 * prototype, dc-http-spans.js): HTTP server and client spans from Node's diagnostics_channel events
 * instead of the HTTP instrumentation (leave 'http' out of `instrumentations`); `'dc-server'` or
 * `'dc-client'`: that side from diagnostics_channel, the other by the instrumentation (keep 'http');
 * `options.bindEmitters: true` also binds request/response emitters to the context as the
 * instrumentation does. `options.onSpanEnd` (a function; in-process callers only): called with
 * every ended span.
 *
 * @typedef {{ distro: 'none' | 'official' | 'ours' | 'otel-floor', options?: Record<string, unknown> }} TelemetrySpec
 */
const { officialRequire, stopOneSettings } = require('./official-distro');

const OFFICIAL_ENV = ['APPLICATION_INSIGHTS_NO_STATSBEAT', 'APPLICATIONINSIGHTS_STATSBEAT_DISABLED', 'APPLICATIONINSIGHTS_SDKSTATS_DISABLED'];

function fixedTokenCredential(token) {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' }) };
}

function startOfficial(connectionString, credential, options) {
  for (const name of OFFICIAL_ENV) if (process.env[name] !== 'true') throw new Error(`${name}=true must be set`);
  const fromDistro = officialRequire();
  // the detector module the distro itself loads (its own copy), patched before the distro loads
  const detectors = fromDistro('@opentelemetry/resource-detector-azure');
  detectors.azureVmDetector.detect = () => ({ attributes: {} });
  const official = fromDistro('@azure/monitor-opentelemetry');
  official.useAzureMonitor({ ...options, azureMonitorExporterOptions: { connectionString, credential, disableOfflineStorage: true } });
  stopOneSettings(fromDistro);
  return () => official.shutdownAzureMonitor();
}

function startOurs(connectionString, credential, options) {
  const ours = require('@appinsights-otel/distro');
  ours.useAzureMonitor({ ...options, connectionString, credential, disableOfflineStorage: true });
  return () => ours.shutdownAzureMonitor();
}

/** An exporter that drops every batch (and says it succeeded). */
const DROPPING_EXPORTER = {
  export(spans, done) { done({ code: 0 }); },
  shutdown: async () => {},
  forceFlush: async () => {},
};

/** A span processor calling `onEnd(span)` for every ended span (dc-http-ab.js --check compares the spans). */
function endedSpanHook(onEnd) {
  return { onStart() {}, onEnd, forceFlush: async () => {}, shutdown: async () => {} };
}

/**
 * A global MeterProvider whose reader exports nowhere (once a minute, dropped): the instrumentations
 * then record their own metrics (`http.server.request.duration`, pg's operation duration and
 * connection counts), as under any distro that registers a MeterProvider.
 */
function startDroppingMeterProvider(fromDistro) {
  const { metrics } = fromDistro('@opentelemetry/api');
  const { MeterProvider, PeriodicExportingMetricReader } = fromDistro('@opentelemetry/sdk-metrics');
  const exporter = { export(batch, done) { done({ code: 0 }); }, forceFlush: async () => {}, shutdown: async () => {} };
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] });
  metrics.setGlobalMeterProvider(meterProvider);
  return meterProvider;
}

/**
 * The OpenTelemetry floor: the tracer provider, context manager, propagators and instrumentations
 * our distro registers (register-globals.ts, build-traces.ts, default-instrumentations.ts), with
 * the SDK's AlwaysOn or AlwaysOff sampler and no mapping, metrics, logs or Live Metrics.
 */
function startOtelFloor(options) {
  const { createRequire } = require('node:module');
  const fromDistro = createRequire(require.resolve('@appinsights-otel/distro'));
  const { context, propagation, trace } = fromDistro('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = fromDistro('@opentelemetry/context-async-hooks');
  const { CompositePropagator, W3CTraceContextPropagator, W3CBaggagePropagator } = fromDistro('@opentelemetry/core');
  const { NodeTracerProvider } = fromDistro('@opentelemetry/sdk-trace-node');
  const { AlwaysOnSampler, AlwaysOffSampler, BatchSpanProcessor } = fromDistro('@opentelemetry/sdk-trace-base');
  const { registerInstrumentations } = fromDistro('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = fromDistro('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = fromDistro('@opentelemetry/instrumentation-pg');
  const provider = new NodeTracerProvider({
    sampler: options.record === false ? new AlwaysOffSampler() : new AlwaysOnSampler(),
    spanProcessors: [new BatchSpanProcessor(DROPPING_EXPORTER), ...(options.onSpanEnd ? [endedSpanHook(options.onSpanEnd)] : [])],
  });
  trace.setGlobalTracerProvider(provider);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  const wanted = options.instrumentations ?? ['http', 'pg'];
  const instrumentations = [];
  // like ours: the HTTP instrumentation with an outgoing-request hook (ours skips its own endpoints)
  // issue 25 prototype: 'dc' = HTTP spans from diagnostics_channel; 'dc-server'/'dc-client' = that side only, the other by the instrumentation
  const dcSides = { dc: ['server', 'client'], 'dc-server': ['server'], 'dc-client': ['client'] }[options.httpSpans] ?? [];
  if (wanted.includes('http')) {
    const dcTakes = { disableIncomingRequestInstrumentation: dcSides.includes('server'), disableOutgoingRequestInstrumentation: dcSides.includes('client') };
    instrumentations.push(new HttpInstrumentation({ ignoreOutgoingRequestHook: () => false, ...dcTakes }));
  }
  if (wanted.includes('pg')) instrumentations.push(new PgInstrumentation({}));
  const meterProvider = options.metrics ? startDroppingMeterProvider(fromDistro) : undefined;
  const unload = registerInstrumentations({ tracerProvider: provider, ...(meterProvider ? { meterProvider } : {}), instrumentations });
  const stopDc = dcSides.length
    ? require('./dc-http-spans').startDcHttpSpans({
      fromDistro, tracerProvider: provider, contextManager, meter: meterProvider?.getMeter('bench-dc-http-spans'),
      sides: dcSides, bindEmitters: options.bindEmitters === true, ignoreOutgoingRequest: () => false,
    })
    : () => {};
  return async () => { stopDc(); unload(); await Promise.all([provider.shutdown(), meterProvider?.shutdown()]); };
}

/**
 * Whether a connection string sends ingestion and Live Metrics to 127.0.0.1 only; `alias` (the
 * official's BENCH_HOST_ALIAS, which its host-alias preload answers as 127.0.0.1) may name ingestion.
 */
function loopbackOnly(connectionString, alias) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ingestionHost = alias ? `(?:127\\.0\\.0\\.1|${escape(alias)})` : '127\\.0\\.0\\.1';
  return new RegExp(`;IngestionEndpoint=https://${ingestionHost}:\\d+/;LiveEndpoint=https://127\\.0\\.0\\.1:\\d+/$`).test(connectionString);
}

/**
 * @param {TelemetrySpec} spec
 * @returns {() => Promise<void>} flushes and stops the telemetry (a no-op for `none`)
 */
function startTelemetry(spec) {
  if (spec.distro === 'none') return async () => {};
  if (spec.distro === 'otel-floor') return startOtelFloor(spec.options ?? {});
  const connectionString = process.env.BENCH_APP_CONNECTION_STRING ?? '';
  if (!loopbackOnly(connectionString, spec.distro === 'official' ? process.env.BENCH_HOST_ALIAS : undefined)) {
    throw new Error('BENCH_APP_CONNECTION_STRING must point ingestion and Live Metrics at 127.0.0.1 (or, for the official, ingestion at its host alias)');
  }
  const credential = fixedTokenCredential(process.env.BENCH_APP_TOKEN ?? '');
  const start = spec.distro === 'official' ? startOfficial : startOurs;
  return start(connectionString, credential, spec.options ?? {});
}

module.exports = { startTelemetry, loopbackOnly };
