import { randomBytes } from 'node:crypto';

/** Suffix of a queued request file. */
const ENTRY_SUFFIX = '.ai';

const ENTRY_PATTERN = /^(\d{15})-([0-9a-f]{12})-(\d+)i-(\d+)b-(gz|id)\.ai$/;
const TEMP_PATTERN = /^\.tmp-(\d+)-.*$/;

/** What a queued file's name says about it (no stat or read needed). */
export interface EntryName {
  readonly name: string;
  readonly createdTimestamp: number;
  readonly itemCount: number;
  readonly bytes: number;
  readonly gzip: boolean;
}

/**
 * Name of a new queued file: `<created ms, 15 digits>-<random>-<items>i-<bytes>b-<gz|id>.ai`.
 * Names sort by age; the gzip flag, item count and size live in the name, so no sidecar is needed.
 */
export function formatEntryName(createdTimestamp: number, itemCount: number, bytes: number, gzip: boolean): string {
  const ts = String(Math.max(0, Math.floor(createdTimestamp))).padStart(15, '0');
  return `${ts}-${randomBytes(6).toString('hex')}-${itemCount}i-${bytes}b-${gzip ? 'gz' : 'id'}${ENTRY_SUFFIX}`;
}

/** Parse a queued file name; `undefined` for anything else (leases, temp files, strangers). */
export function parseEntryName(name: string): EntryName | undefined {
  const m = ENTRY_PATTERN.exec(name);
  if (!m) return undefined;
  return { name, createdTimestamp: Number(m[1]), itemCount: Number(m[3]), bytes: Number(m[4]), gzip: m[5] === 'gz' };
}

/** Name of the temp file a body is written to before its atomic rename. */
export function formatTempName(entryName: string, pid: number = process.pid): string {
  return `.tmp-${pid}-${entryName}`;
}

/** The writer pid of a temp file name, or `undefined`. */
export function parseTempName(name: string): number | undefined {
  const m = TEMP_PATTERN.exec(name);
  return m ? Number(m[1]) : undefined;
}
