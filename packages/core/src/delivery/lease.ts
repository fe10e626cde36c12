import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseEntryName, type EntryName } from './file-names';

const LEASE_PATTERN = /^(.+\.ai)\.lease-([0-9a-f]{8})-(\d+)-([0-9a-f]{8})-(\d+)$/;

/** Short tag of this host so pid liveness is only judged for leases taken on this machine. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
/** Tag of this process incarnation (a restarted container often reuses the same pid). */
const PROCESS_TAG = randomBytes(4).toString('hex');

/** A parsed lease file name. */
export interface LeaseName {
  readonly name: string;
  readonly entry: EntryName;
  readonly hostTag: string;
  readonly pid: number;
  readonly processTag: string;
  readonly expiryTimestamp: number;
}

/**
 * Name of a claimed file: `<entry>.lease-<host tag>-<pid>-<process tag>-<expiry ms>`. Claiming is
 * one atomic rename from the entry name, so two processes can never both hold a file.
 */
export function formatLeaseName(
  entryName: string, expiryTimestamp: number, pid: number = process.pid, hostTag: string = HOST_TAG, processTag: string = PROCESS_TAG,
): string {
  return `${entryName}.lease-${hostTag}-${pid}-${processTag}-${Math.floor(expiryTimestamp)}`;
}

/** Parse a lease file name; `undefined` for anything else. */
export function parseLeaseName(name: string): LeaseName | undefined {
  const m = LEASE_PATTERN.exec(name);
  if (!m) return undefined;
  const entry = parseEntryName(m[1] as string);
  if (!entry) return undefined;
  return { name, entry, hostTag: m[2] as string, pid: Number(m[3]), processTag: m[4] as string, expiryTimestamp: Number(m[5]) };
}

/** Whether a process with this pid exists on this host. */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lease is stale (may be reclaimed) when it expired, or when it was taken on this host by a
 * process that no longer exists (e.g. after `kill -9`), including an earlier incarnation that had
 * our pid.
 */
export function isLeaseStale(lease: LeaseName, now: number, pidAlive: (pid: number) => boolean = isPidAlive): boolean {
  if (lease.expiryTimestamp <= now) return true;
  if (lease.hostTag !== HOST_TAG) return false;
  if (lease.pid === process.pid) return lease.processTag !== PROCESS_TAG;
  return !pidAlive(lease.pid);
}
