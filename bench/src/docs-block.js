'use strict';
/** Replaces the generated block of a markdown file (between the two marker comments). */
const fs = require('node:fs');

const START = '<!-- bench:generated:start (npm run bench with BENCH_WRITE_DOCS=1 rewrites this block) -->';
const END = '<!-- bench:generated:end -->';

/** Throws when the markers are missing or out of order, rather than appending somewhere. */
function replaceBlock(text, generated) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the markers ${START} ... ${END} are missing or out of order`);
  return `${text.slice(0, start + START.length)}\n${generated.trim()}\n${text.slice(end)}`;
}

function writeDocsBlock(file, generated) {
  fs.writeFileSync(file, replaceBlock(fs.readFileSync(file, 'utf8'), generated));
}

module.exports = { replaceBlock, writeDocsBlock, START, END };
