'use strict';
/** Replaces the generated block of a markdown file (between the two marker comments). */
const fs = require('node:fs');

const START = '<!-- bench:generated:start (npm run bench with BENCH_WRITE_DOCS=1 rewrites this block) -->';
const END = '<!-- bench:generated:end -->';

/**
 * Throws when the markers are missing or out of order, rather than appending somewhere.
 * `markers` defaults to the exporter bench's pair; other benches pass their own.
 */
function replaceBlock(text, generated, markers = { start: START, end: END }) {
  const start = text.indexOf(markers.start);
  const end = text.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`the markers ${markers.start} ... ${markers.end} are missing or out of order`);
  return `${text.slice(0, start + markers.start.length)}\n${generated.trim()}\n${text.slice(end)}`;
}

function writeDocsBlock(file, generated, markers) {
  fs.writeFileSync(file, replaceBlock(fs.readFileSync(file, 'utf8'), generated, markers));
}

module.exports = { replaceBlock, writeDocsBlock, START, END };
