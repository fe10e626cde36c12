'use strict';
/** Formatting for the drain benchmark. Pure functions over the run records. */

const MiB = 1024 * 1024;

function fmt(value, digits = 0) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function markdownTable(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (align[i] === 'l' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'l' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The backlog table: what each store holds before the drain. */
function storeTable(stores) {
  const headers = ['backlog', 'spans', 'items', 'files', 'items/file', 'store MiB (gzip)', 'JSON MiB', 'of 50 MiB bound', 'written in s'];
  const rows = stores.map((s) => [
    s.name, fmt(s.spans), fmt(s.store.itemsByName), fmt(s.store.files), fmt(s.store.itemsByName / s.store.files, 0),
    fmt(s.store.bytes / MiB, 2), fmt(s.store.plainBytes / MiB, 1), `${fmt((100 * s.store.bytes) / s.maxBytes, 1)}%`, fmt(s.produceMillis / 1000, 1),
  ]);
  return markdownTable(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']);
}

/** The drain table: one row per measured drain. */
function drainTable(runs) {
  const headers = ['backlog', 'sink latency', 'requests', 'drain s (process start)', 'drain s (exporter)', 'requests/s', 'items/s', 'drainer CPU s', 'CPU % of 1 core', 'CPU ms/request', 'CPU us/item', 'peak RSS MiB (+start)', 'getToken', 'items recv/written', 'dup', '<= 90 s'];
  const rows = runs.map((r) => [
    r.backlog, `${r.latencyMillis} ms`, fmt(r.sink?.okRequests), fmt(r.fromProcessStartMillis / 1000, 2), fmt(r.fromExporterMillis / 1000, 2),
    fmt(r.requestsPerSecond, 0), fmt(r.itemsPerSecond, 0), fmt(r.drainer?.cpuMicros / 1e6, 2), fmt(r.cpuPercentOfCore, 0),
    fmt(r.drainer?.cpuMicros / 1000 / r.sink?.okRequests, 2), fmt(r.drainer?.cpuMicros / r.expectedItems, 2),
    `${fmt(r.drainer?.peakRssBytes / MiB, 0)} (+${fmt((r.drainer?.peakRssBytes - r.drainer?.rssAtStartBytes) / MiB, 0)})`, fmt(r.drainer?.getTokenCalls),
    `${r.sink?.itemSet?.distinct ?? '-'}/${r.expectedItems}`, fmt(r.sink?.itemSet?.duplicates), r.problems.length ? 'INVALID' : r.pass ? 'PASS' : 'FAIL',
  ]);
  return markdownTable(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']);
}

module.exports = { fmt, storeTable, drainTable, MiB };
