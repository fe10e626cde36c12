'use strict';
/** Formats a query API table ({ columns: [{ name }], rows }) as aligned text, optionally only some columns. */
function formatTable(table, onlyColumns) {
  const indexes = table.columns
    .map((c, i) => [c.name, i])
    .filter(([name]) => onlyColumns === undefined || onlyColumns.includes(name));
  const header = indexes.map(([name]) => name);
  const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const body = table.rows.map((row) => indexes.map(([, i]) => cell(row[i])));
  const widths = header.map((h, c) => Math.min(60, Math.max(h.length, ...body.map((r) => r[c].length))));
  const line = (cells) => `  ${cells.map((v, c) => v.slice(0, widths[c]).padEnd(widths[c])).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
module.exports = { formatTable };
