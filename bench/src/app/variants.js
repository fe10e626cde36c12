'use strict';
/**
 * The variants of `npm run bench:app`. Each is a telemetry spec for app-child.js (telemetry.js):
 * `distro` and the options given to its `useAzureMonitor()`, plus extra environment.
 *
 * The official distro's own instrumentation set is http, azureSdk, mongoDb, mySql, postgreSql,
 * redis, redis4 (its config.js defaults; winston and bunyan are opt-in); in this app that is HTTP
 * server and client plus pg. Its default sampler is rate-limited to 5 traces/s; `tracesPerSecond: 0`
 * switches to its ratio sampler at 1 (every request recorded).
 */

/** Ours with only the instrumentations the official distro enables by default (those this app reaches: http, pg). */
const OURS_OFFICIAL_SET_ENV = { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg,mongodb,mysql,redis,azure-sdk' };

/**
 * The comparison: A/A control, official (every request; defaults), ours (official's set; defaults),
 * and the OpenTelemetry floor (telemetry.js `otel-floor`): the SDK alone with the official's
 * instrumentation set, recording every span and exporting nothing, the part of every target's
 * budget no OpenTelemetry-based distro can cut; the same with a MeterProvider (the
 * instrumentations then record their own metrics, as under either distro, which both register
 * one); and the context manager alone (http instrumentation, nothing recorded).
 */
const MAIN_VARIANTS = [
  { name: 'no telemetry (A)', key: 'bare-a', spec: { distro: 'none' } },
  { name: 'no telemetry (B, A/A control)', key: 'bare-b', spec: { distro: 'none' } },
  { name: 'official, every request recorded', key: 'official-all', spec: { distro: 'official', options: { tracesPerSecond: 0 } } },
  { name: 'official, defaults (5 traces/s)', key: 'official-default', spec: { distro: 'official', options: {} } },
  { name: "ours, official's instrumentation set", key: 'ours-official-set', spec: { distro: 'ours', options: {} }, env: OURS_OFFICIAL_SET_ENV },
  { name: 'ours, defaults', key: 'ours-default', spec: { distro: 'ours', options: {} } },
  { name: "OTel SDK floor, official's instrumentation set (every span recorded, exporter drops)", key: 'otel-floor', spec: { distro: 'otel-floor', options: { record: true, instrumentations: ['http', 'pg'] } } },
  { name: "OTel SDK floor, official's set, with a MeterProvider (the instrumentations' own metrics recorded, exported nowhere)", key: 'otel-floor-metrics', spec: { distro: 'otel-floor', options: { record: true, instrumentations: ['http', 'pg'], metrics: true } } },
  { name: 'OTel context manager only (ALS + http instrumentation, sampler records nothing)', key: 'otel-context-only', spec: { distro: 'otel-floor', options: { record: false, instrumentations: ['http'] } } },
];

const off = (key) => ({ [key]: { enabled: false } });

/**
 * Attribution: ours with its defaults, minus one part at a time; the CPU per request a part costs is
 * the default's minus the variant's (same run, alternated rounds).
 */
const ATTRIBUTION_VARIANTS = [
  { name: 'no telemetry', key: 'bare-a', spec: { distro: 'none' } },
  { name: 'ours, defaults', key: 'ours-default', spec: { distro: 'ours', options: {} } },
  { name: 'without express instrumentation', key: 'no-express', spec: { distro: 'ours', options: { instrumentationOptions: off('express') } } },
  { name: 'without undici (fetch) instrumentation', key: 'no-undici', spec: { distro: 'ours', options: { instrumentationOptions: off('undici') } } },
  { name: 'without pg instrumentation', key: 'no-pg', spec: { distro: 'ours', options: { instrumentationOptions: off('pg') } } },
  { name: 'without winston instrumentation', key: 'no-winston', spec: { distro: 'ours', options: { instrumentationOptions: off('winston') } } },
  { name: 'without Live Metrics', key: 'no-live-metrics', spec: { distro: 'ours', options: { enableLiveMetrics: false } } },
  { name: 'without standard metrics and performance counters', key: 'no-standard-metrics', spec: { distro: 'ours', options: { enableStandardMetrics: false, enablePerformanceCounters: false } } },
  { name: 'export off (no exporter on any signal)', key: 'no-export', spec: { distro: 'ours', options: { disableTraceExport: true, disableLogExport: true, disableMetricExport: true } } },
  { name: 'sampler drops every trace (ratio 0)', key: 'sample-none', spec: { distro: 'ours', options: { samplingRatio: 0 } } },
  { name: 'HTTP instrumentation only (server + client)', key: 'http-only', spec: { distro: 'ours', options: {} }, env: { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' } },
  // the OpenTelemetry floor (no distro): "defaults minus this" is all ours adds above what any OTel distro pays
  { name: "OTel SDK floor, official's set, with a MeterProvider (the instrumentations' own metrics recorded, exported nowhere)", key: 'otel-floor-metrics', spec: { distro: 'otel-floor', options: { record: true, instrumentations: ['http', 'pg'], metrics: true } } },
  { name: 'OTel SDK floor with a MeterProvider, HTTP spans from diagnostics_channel instead of the HTTP instrumentation (issue 25 prototype, dc-http-spans.js)', key: 'otel-floor-dc-http', spec: { distro: 'otel-floor', options: { record: true, instrumentations: ['pg'], httpSpans: 'dc', metrics: true } } },
  { name: 'OTel SDK floor with a MeterProvider, no HTTP spans at all (context manager, propagators and pg only)', key: 'otel-floor-no-http', spec: { distro: 'otel-floor', options: { record: true, instrumentations: ['pg'], metrics: true } } },
];

const SETS = { main: MAIN_VARIANTS, attribution: ATTRIBUTION_VARIANTS };

module.exports = { SETS, MAIN_VARIANTS, ATTRIBUTION_VARIANTS };
