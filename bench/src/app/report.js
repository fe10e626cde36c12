'use strict';
/**
 * Medians, targets and the markdown tables of `npm run bench:app`: pure functions over the run
 * records, so the PASS/FAIL marks are computed from the very figures the table prints.
 */
const { median, fmt } = require('../report');

const MIB = 1024 * 1024;
const BARE_KEYS = ['bare-a', 'bare-b'];

/** Medians of one variant's runs. */
function summarize(key, name, runs) {
  const pick = (f) => median(runs.map(f));
  return {
    key,
    name,
    runs: runs.length,
    requestsPerSecond: pick((r) => r.requestsPerSecond),
    latencyP50Millis: pick((r) => r.latencyP50Millis),
    latencyP99Millis: pick((r) => r.latencyP99Millis),
    cpuMicrosPerRequest: pick((r) => r.app.cpuMicros / r.app.requests),
    eventLoopP99Millis: pick((r) => r.app.eventLoopP99Millis),
    peakRssMiB: pick((r) => r.app.peakRssBytes / MIB),
    billableBytesPerRequest: pick((r) => r.stored.bytes / r.served),
    itemsPerRequest: pick((r) => r.stored.items / r.served),
    // summed over runs: ingestion requests the TLS front forwarded, and how many were gzip-encoded
    ingestionRequests: runs.reduce((n, r) => n + (r.ingestion?.requests ?? 0), 0),
    gzipRequests: runs.reduce((n, r) => n + (r.ingestion?.gzip ?? 0), 0),
  };
}

/**
 * Which variants sent their telemetry gzip-encoded (counted at the TLS front, all runs): both
 * distros should, as in production. Variants that sent nothing to ingestion are left out.
 */
function compressionLine(summaries) {
  const sending = summaries.filter((s) => s.ingestionRequests > 0);
  if (sending.length === 0) return '';
  const part = (s) => `${s.name} ${s.gzipRequests === s.ingestionRequests ? 'all' : s.gzipRequests === 0 ? 'none' : 'some'} (${fmt(s.gzipRequests, 0)} of ${fmt(s.ingestionRequests, 0)})`;
  return `Ingestion requests gzip-encoded (counted at the TLS front, all rounds): ${sending.map(part).join('; ')}.`;
}

/** The no-telemetry baseline: both A/A halves pooled, and the A/A spread (|A - B| / mean) as noise. */
function baseline(runsByKey) {
  const present = BARE_KEYS.filter((k) => (runsByKey[k] ?? []).length > 0);
  const pooled = summarize('bare', 'no telemetry (A and B pooled)', present.flatMap((k) => runsByKey[k]));
  if (present.length < 2) return { pooled, noise: undefined };
  const [a, b] = present.map((k) => summarize(k, k, runsByKey[k]));
  const spread = (f) => Math.abs(f(a) - f(b)) / ((f(a) + f(b)) / 2);
  return {
    pooled,
    noise: {
      cpu: spread((s) => s.cpuMicrosPerRequest),
      throughput: spread((s) => s.requestsPerSecond),
      p99: spread((s) => s.latencyP99Millis),
      cpuMicros: Math.abs(a.cpuMicrosPerRequest - b.cpuMicrosPerRequest),
    },
  };
}

/** What a variant adds over the baseline: CPU µs/request, throughput lost (fraction), p99 ms. */
function added(summary, bare) {
  return {
    cpuMicros: summary.cpuMicrosPerRequest - bare.cpuMicrosPerRequest,
    throughputLoss: 1 - summary.requestsPerSecond / bare.requestsPerSecond,
    p99Millis: summary.latencyP99Millis - bare.latencyP99Millis,
  };
}

/** The issue's targets, as ratios within one run. Each: { text, pass, detail }. */
function targets(byKey, bare) {
  const official = byKey['official-all'];
  const ours = byKey['ours-official-set'];
  const oursDefault = byKey['ours-default'];
  if (!official || !ours || !oursDefault) return [];
  const o = added(official, bare);
  const u = added(ours, bare);
  const d = added(oursDefault, bare);
  const ratio = (x, y) => (y > 0 ? x / y : Number.NaN);
  return [
    { text: "same instrumentations, every request recorded: ours adds <= 1/2 the CPU per request the official adds", pass: u.cpuMicros <= 0.5 * o.cpuMicros, detail: `${fmt(u.cpuMicros, 0)} vs ${fmt(o.cpuMicros, 0)} µs (${fmt(ratio(u.cpuMicros, o.cpuMicros), 2)}x)` },
    { text: 'same instrumentations: ours loses <= 1/2 the throughput the official loses', pass: u.throughputLoss <= 0.5 * o.throughputLoss, detail: `${fmt(100 * u.throughputLoss, 1)}% vs ${fmt(100 * o.throughputLoss, 1)}% (${fmt(ratio(u.throughputLoss, o.throughputLoss), 2)}x)` },
    { text: 'same instrumentations: ours adds <= 1/2 the p99 latency the official adds', pass: u.p99Millis <= 0.5 * o.p99Millis, detail: `${fmt(u.p99Millis, 1)} vs ${fmt(o.p99Millis, 1)} ms (${fmt(ratio(u.p99Millis, o.p99Millis), 2)}x)` },
    { text: 'same instrumentations: no more billable bytes per request than the official', pass: ours.billableBytesPerRequest <= official.billableBytesPerRequest, detail: `${fmt(ours.billableBytesPerRequest, 0)} vs ${fmt(official.billableBytesPerRequest, 0)} B` },
    { text: "ours with all its defaults adds no more CPU per request than the official adds with its own set (every request recorded)", pass: d.cpuMicros <= o.cpuMicros, detail: `${fmt(d.cpuMicros, 0)} vs ${fmt(o.cpuMicros, 0)} µs (${fmt(ratio(d.cpuMicros, o.cpuMicros), 2)}x)` },
  ];
}

/**
 * How much of each target's budget the OpenTelemetry floor (variant `otel-floor`: the SDK with the
 * official's instrumentation set, recording every span, exporting nothing) already takes: the part
 * no OpenTelemetry-based distro can cut. One line per target with a budget in CPU, throughput or
 * p99 (billable bytes: the floor sends none), and one for the floor with a MeterProvider
 * (`otel-floor-metrics`) when it ran. Empty without the floor or the official.
 */
function floorShares(byKey, bare) {
  const floor = byKey['otel-floor'];
  const official = byKey['official-all'];
  if (!floor || !official || floor.runs === 0 || official.runs === 0) return [];
  const f = added(floor, bare);
  const o = added(official, bare);
  const ratio = (x, y) => (y > 0 ? fmt(x / y, 2) : 'n/a');
  // what a budget leaves above the floor, or by how much the floor alone is over it
  const left = (budget, floorCost, digits, unit) => (budget >= floorCost
    ? `leaves ${fmt(budget - floorCost, digits)} ${unit} above the floor`
    : `is already exceeded by the floor alone, by ${fmt(floorCost - budget, digits)} ${unit}`);
  const context = byKey['otel-context-only'];
  const c = context && context.runs > 0 ? added(context, bare) : undefined;
  const withMetrics = byKey['otel-floor-metrics'];
  const m = withMetrics && withMetrics.runs > 0 ? added(withMetrics, bare) : undefined;
  const metricsLine = m ? [`floor with the instrumentations' metrics (a MeterProvider registered, as both distros do): adds ${fmt(m.cpuMicros, 0)} µs per request `
    + `= ${ratio(m.cpuMicros, o.cpuMicros)}x the official's; the 1/2 target ${left(0.5 * o.cpuMicros, m.cpuMicros, 0, 'µs')}`] : [];
  return [
    `floor CPU: the OTel SDK floor adds ${fmt(f.cpuMicros, 0)} µs per request = ${ratio(f.cpuMicros, o.cpuMicros)}x the official's added ${fmt(o.cpuMicros, 0)}; `
      + `the 1/2 target (${fmt(0.5 * o.cpuMicros, 0)} µs) ${left(0.5 * o.cpuMicros, f.cpuMicros, 0, 'µs')}`
      + (c ? ` (the context manager and HTTP patching alone, nothing recorded: ${fmt(c.cpuMicros, 0)} µs)` : ''),
    `floor throughput: the floor loses ${fmt(100 * f.throughputLoss, 1)}% = ${ratio(f.throughputLoss, o.throughputLoss)}x the official's ${fmt(100 * o.throughputLoss, 1)}%; `
      + `the 1/2 target (${fmt(50 * o.throughputLoss, 1)}%) ${left(50 * o.throughputLoss, 100 * f.throughputLoss, 1, 'points')}`,
    `floor p99: the floor adds ${fmt(f.p99Millis, 1)} ms = ${ratio(f.p99Millis, o.p99Millis)}x the official's ${fmt(o.p99Millis, 1)} ms; `
      + `the 1/2 target (${fmt(0.5 * o.p99Millis, 1)} ms) ${left(0.5 * o.p99Millis, f.p99Millis, 1, 'ms')}`,
    `floor under the defaults target: the 1x budget (${fmt(o.cpuMicros, 0)} µs) ${left(o.cpuMicros, f.cpuMicros, 0, 'µs')} for everything ours adds besides it `
      + '(express, undici and winston instrumentation, mapping, export, Live Metrics, standard metrics)',
    ...metricsLine,
  ];
}

function appTable(summaries, bare) {
  const lines = [
    '| variant | req/s | p50 ms | p99 ms | CPU µs/req | added CPU µs/req | throughput lost | event-loop p99 ms | peak RSS MiB | billable B/req | items/req | runs |',
    '|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of summaries) {
    const a = added(s, bare);
    const isBare = BARE_KEYS.includes(s.key);
    lines.push(`| ${s.name} | ${fmt(s.requestsPerSecond, 0)} | ${fmt(s.latencyP50Millis, 1)} | ${fmt(s.latencyP99Millis, 1)} | ${fmt(s.cpuMicrosPerRequest, 0)} | ${isBare ? '-' : fmt(a.cpuMicros, 0)} | ${isBare ? '-' : `${fmt(100 * a.throughputLoss, 1)}%`} | ${fmt(s.eventLoopP99Millis, 1)} | ${fmt(s.peakRssMiB, 0)} | ${fmt(s.billableBytesPerRequest, 0)} | ${fmt(s.itemsPerRequest, 2)} | ${s.runs} |`);
  }
  return lines.join('\n');
}

function attributionTable(summaries, bare) {
  const full = summaries.find((s) => s.key === 'ours-default');
  const lines = [
    '| variant | CPU µs/req | added over no telemetry | cost of the part left out (defaults minus this) | req/s | billable B/req | runs |',
    '|:--|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of summaries) {
    const isBare = BARE_KEYS.includes(s.key);
    const part = full && !isBare && s.key !== 'ours-default' ? fmt(full.cpuMicrosPerRequest - s.cpuMicrosPerRequest, 0) : '-';
    lines.push(`| ${s.name} | ${fmt(s.cpuMicrosPerRequest, 0)} | ${isBare ? '-' : fmt(s.cpuMicrosPerRequest - bare.cpuMicrosPerRequest, 0)} | ${part} | ${fmt(s.requestsPerSecond, 0)} | ${fmt(s.billableBytesPerRequest, 0)} | ${s.runs} |`);
  }
  return lines.join('\n');
}

/**
 * The profile attribution: CPU µs per request by part (profile-summary.js PARTS), median over rounds,
 * one column per variant. `partsByKey`: variant key -> list (one per run) of Map(part -> µs/request).
 */
function profileTable(summaries, partsByKey) {
  const columns = summaries.filter((s) => (partsByKey[s.key] ?? []).length > 0);
  const parts = [...new Set(columns.flatMap((s) => partsByKey[s.key].flatMap((m) => [...m.keys()])))];
  const cell = (key, part) => median(partsByKey[key].map((m) => m.get(part) ?? 0));
  const total = (key) => median(partsByKey[key].map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  parts.sort((a, b) => Math.max(...columns.map((s) => cell(s.key, b))) - Math.max(...columns.map((s) => cell(s.key, a))));
  const lines = [`| part (CPU µs per request) | ${columns.map((s) => s.name).join(' | ')} |`, `|:--|${columns.map(() => '--:').join('|')}|`];
  for (const part of parts) lines.push(`| ${part} | ${columns.map((s) => fmt(cell(s.key, part), 0)).join(' | ')} |`);
  lines.push(`| **total (profiled, busy)** | ${columns.map((s) => `**${fmt(total(s.key), 0)}**`).join(' | ')} |`);
  return lines.join('\n');
}

module.exports = { profileTable, compressionLine, summarize, baseline, added, targets, floorShares, appTable, attributionTable, BARE_KEYS };
