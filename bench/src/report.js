'use strict';
/** Medians, ratios, targets and the printed table. Pure functions over the run records. */

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Per-run figures derived from a child's result plus the sink's counters. */
function deriveRun(run) {
  return {
    spansPerSecond: run.spans / (run.wallMillis / 1000),
    cpuMicrosPerSpan: run.cpuMicros / run.spans,
    wireBytesPerSpan: run.wireBytes / run.spans,
    peakRssIncreaseMiB: run.peakIncreaseBytes / (1024 * 1024),
  };
}

function summarize(variant, runs) {
  const derived = runs.map(deriveRun);
  const pick = (key) => median(derived.map((d) => d[key]));
  return {
    variant,
    exporter: runs[0]?.exporter,
    rounds: runs.length,
    spansPerSecond: pick('spansPerSecond'),
    cpuMicrosPerSpan: pick('cpuMicrosPerSpan'),
    wireBytesPerSpan: pick('wireBytesPerSpan'),
    peakRssIncreaseMiB: pick('peakRssIncreaseMiB'),
    wallMillis: median(runs.map((r) => r.wallMillis)),
    getTokenCallsPerRun: runs.map((r) => r.getTokenCalls),
    itemsReceivedPerRun: runs.map((r) => r.items),
    expectedItems: runs[0]?.expectedItems,
    gzipRequestsPerRun: runs.map((r) => r.gzipRequests ?? 0),
    requestsPerRun: runs.map((r) => r.requests ?? 0),
    ...(variant === 'floor' ? { mapCpuMicrosPerSpan: median(runs.map((r) => r.mapCpuMicros / r.spans)), rawBytesPerSpan: median(runs.map((r) => r.rawBytes / r.spans)) } : {}),
  };
}

const fmt = (x, digits = 1) => (x === undefined ? 'n/a' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);
const uniq = (xs) => [...new Set(xs)].join('/');

function table(summaries) {
  const header = ['variant', 'spans/s', 'CPU us/span', 'wire B/span', 'peak RSS +MiB', 'getToken/run', 'items recv/expected', 'gzip reqs/run'];
  const rows = summaries.map((s) => [
    s.variant,
    fmt(s.spansPerSecond, 0),
    fmt(s.cpuMicrosPerSpan, 2),
    fmt(s.wireBytesPerSpan, 1),
    fmt(s.peakRssIncreaseMiB, 1),
    s.variant === 'floor' ? '-' : uniq(s.getTokenCallsPerRun),
    `${uniq(s.itemsReceivedPerRun)}/${s.expectedItems}`,
    s.variant === 'floor' ? '-' : uniq(s.gzipRequestsPerRun) + ' of ' + uniq(s.requestsPerRun),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

/** Ratios of ours against each official variant and against the floor. */
function ratios(byVariant) {
  const ours = byVariant.ours;
  const out = [];
  if (!ours) return out;
  for (const other of ['official-plain', 'official-gzip', 'floor']) {
    const o = byVariant[other];
    if (!o) continue;
    out.push({
      against: other,
      cpuPerSpan: ratio(ours.cpuMicrosPerSpan, o.cpuMicrosPerSpan),
      wireBytesPerSpan: ratio(ours.wireBytesPerSpan, o.wireBytesPerSpan),
      spansPerSecond: ratio(ours.spansPerSecond, o.spansPerSecond),
      peakRssIncrease: ratio(ours.peakRssIncreaseMiB, o.peakRssIncreaseMiB),
    });
  }
  return out;
}

function ratioTable(rs) {
  const lines = ['| ours / ... | CPU us/span | wire B/span | spans/s | peak RSS + |', '|:--|--:|--:|--:|--:|'];
  const x = (v, d) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${fmt(v, d)}x`);
  for (const r of rs) lines.push(`| ${r.against} | ${x(r.cpuPerSpan, 3)} | ${x(r.wireBytesPerSpan, 3)} | ${x(r.spansPerSecond, 2)} | ${x(r.peakRssIncrease, 2)} |`);
  return lines.join('\n');
}

/**
 * The targets. CPU: ours (gzip on, as shipped) <= 1/3 of the official exporter's; judged against
 * the official exporter's cheaper variant (no gzip, as it behaves on a non-Azure host), and shown
 * against its gzip variant too. Bytes: ours <= 1/5 of the official uncompressed bytes.
 */
function targets(byVariant, oursRuns) {
  const ours = byVariant.ours;
  const plain = byVariant['official-plain'];
  const gz = byVariant['official-gzip'];
  const notRun = (name, detail) => ({ name, status: 'NOT RUN', detail });
  if (oursRuns.length === 0) {
    return [
      notRun('CPU/span <= 1/3 of official (no gzip)', 'our exporter was not measured'),
      notRun('wire bytes/span <= 1/5 of official uncompressed', 'our exporter was not measured'),
      notRun('exactly 1 getToken call per run', 'our exporter was not measured'),
      notRun('no item lost', 'our exporter was not measured'),
    ];
  }
  const out = [];
  const invalid = (name) => ({ name, status: 'FAIL', detail: 'no valid run of our exporter (see INVALID RUNS)' });
  const cpuTarget = (label, official) => {
    if (!ours) { out.push(invalid(label)); return; }
    if (!official) { out.push(notRun(label, 'official variant not measured')); return; }
    const r = ours.cpuMicrosPerSpan / official.cpuMicrosPerSpan;
    out.push({ name: label, status: r <= 1 / 3 ? 'PASS' : 'FAIL', detail: `${fmt(ours.cpuMicrosPerSpan, 2)} vs ${fmt(official.cpuMicrosPerSpan, 2)} us/span = ${fmt(r, 3)}x (limit 0.333x)` });
  };
  cpuTarget('CPU/span <= 1/3 of official (no gzip)', plain);
  cpuTarget('CPU/span <= 1/3 of official (gzip, as against Azure) [informative]', gz);
  if (!ours) {
    out.push(invalid('wire bytes/span <= 1/5 of official uncompressed'));
  } else if (plain) {
    const r = ours.wireBytesPerSpan / plain.wireBytesPerSpan;
    out.push({ name: 'wire bytes/span <= 1/5 of official uncompressed', status: r <= 0.2 ? 'PASS' : 'FAIL', detail: `${fmt(ours.wireBytesPerSpan, 1)} vs ${fmt(plain.wireBytesPerSpan, 1)} B/span = ${fmt(r, 3)}x (limit 0.200x)` });
  } else {
    out.push(notRun('wire bytes/span <= 1/5 of official uncompressed', 'official-plain not measured'));
  }
  const tokens = oursRuns.map((r) => r.getTokenCalls);
  out.push({ name: 'exactly 1 getToken call per run', status: tokens.every((n) => n === 1) ? 'PASS' : 'FAIL', detail: `per run: ${tokens.join(', ')}` });
  const lost = oursRuns.filter((r) => r.items !== r.expectedItems);
  out.push({ name: 'no item lost', status: lost.length === 0 ? 'PASS' : 'FAIL', detail: `items received per run: ${oursRuns.map((r) => r.items).join(', ')} (expected ${oursRuns[0]?.expectedItems})` });
  return out;
}

/** Where and when a run happened, for the results JSON. */
function runContext(startedAt) {
  const os = require('node:os');
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} x${os.cpus().length}`,
  };
}

module.exports = { median, summarize, table, ratios, ratioTable, targets, fmt, runContext };
