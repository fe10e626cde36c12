'use strict';
/**
 * Item identity for the drain benchmark: every item (one line of a newline-delimited request
 * body) is identified by the first 8 bytes of the SHA-1 of its exact bytes. The store is read
 * before the drain (the expected set) and the sink hashes what it receives; equal distinct counts
 * plus an equal order-independent digest (sum of the ids mod 2^64) mean the same set of items,
 * and a repeated id is a duplicate.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const MASK_64 = (1n << 64n) - 1n;
// The file store's formats (packages/core/src/delivery/file-names.ts and lease.ts).
const ENTRY_PATTERN = /^(\d{15})-([0-9a-f]{12})-(\d+)i-(\d+)b-(gz|id)\.ai$/;
const LEASE_PATTERN = /^(.+\.ai)\.lease-([0-9a-f]{8})-(\d+)-([0-9a-f]{8})-(\d+)$/;
const TEMP_PATTERN = /^\.tmp-(\d+)-/;

/** Calls `fn(lineBuffer)` for every newline-separated line of `buf` (empty lines skipped). */
function forEachLine(buf, fn) {
  let start = 0;
  for (let guard = 0; start < buf.length && guard <= buf.length; guard++) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    if (end > start) fn(buf.subarray(start, end));
    start = end + 1;
  }
}

function itemId(line) {
  return crypto.createHash('sha1').update(line).digest().readBigUInt64BE(0);
}

/** A set of item ids with duplicate count and digest. */
function createItemSet() {
  const ids = new Set();
  let digest = 0n;
  let items = 0;
  let duplicates = 0;
  return {
    add(line) {
      const id = itemId(line);
      items += 1;
      if (ids.has(id)) { duplicates += 1; return; }
      ids.add(id);
      digest = (digest + id) & MASK_64;
    },
    summary: () => ({ items, distinct: ids.size, duplicates, digest: digest.toString(16) }),
  };
}

/**
 * Reads an offline-store directory as the drain will find it: classifies names, checks each
 * queued file against its name (size, gzip magic, item count), parses every item, and returns
 * the expected item set. Throws on anything the store would not have written.
 */
function inspectStore(dir) {
  const names = fs.readdirSync(dir);
  const set = createItemSet();
  const problems = [];
  let files = 0; let bytes = 0; let itemsByName = 0; let leases = 0; let temps = 0; let strangers = 0;
  let plainBytes = 0;
  let oldest = Infinity; let newest = 0;
  const itemKinds = {};
  for (const name of names) {
    if (LEASE_PATTERN.test(name)) { leases += 1; continue; }
    if (TEMP_PATTERN.test(name)) { temps += 1; continue; }
    const m = ENTRY_PATTERN.exec(name);
    if (!m) { strangers += 1; continue; }
    files += 1;
    const created = Number(m[1]);
    const count = Number(m[3]);
    const size = Number(m[4]);
    const gzip = m[5] === 'gz';
    oldest = Math.min(oldest, created); newest = Math.max(newest, created);
    itemsByName += count;
    const data = fs.readFileSync(path.join(dir, name));
    bytes += data.length;
    if (data.length !== size) problems.push(`${name}: ${data.length} bytes, name says ${size}`);
    if (gzip !== (data[0] === 0x1f && data[1] === 0x8b)) problems.push(`${name}: gzip flag does not match the content`);
    const plain = gzip ? zlib.gunzipSync(data) : data;
    plainBytes += plain.length;
    let lines = 0;
    forEachLine(plain, (line) => {
      lines += 1;
      set.add(line);
      const item = JSON.parse(line.toString('utf8'));
      const kind = String(item?.data?.baseType ?? '?');
      itemKinds[kind] = (itemKinds[kind] ?? 0) + 1;
    });
    if (lines !== count) problems.push(`${name}: ${lines} items, name says ${count}`);
  }
  return {
    files, bytes, plainBytes, itemsByName, leases, temps, strangers, problems, itemKinds,
    writtenOverMillis: files ? newest - oldest : 0,
    items: set.summary(),
  };
}

module.exports = { forEachLine, createItemSet, inspectStore };
