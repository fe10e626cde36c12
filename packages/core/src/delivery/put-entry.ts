import * as fs from 'node:fs';
import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';
import { describeEviction, evictionReason } from './eviction-bounds';
import { formatEntryName, formatTempName } from './file-names';
import { storeUnusable, type FileStoreContext } from './file-store-context';
import { formatLeaseName } from './lease';
import { errorCode } from './store-directory';
import type { LeasedPut } from './store-types';

/**
 * Store `body` as a new entry (or, `leased`, as a lease this process holds), then enforce the
 * store's bounds without evicting it. A body over the entry bound is refused; a directory that
 * fails rejects with a `StoreUnusableError`.
 */
export async function putEntry(context: FileStoreContext, body: RequestBody, leased: boolean): Promise<LeasedPut> {
  const { maxEntryBytes } = context;
  if (body.data.byteLength > maxEntryBytes) {
    return { stored: false, evictedItems: 0, error: new StorageError(`offline store: a request of ${body.data.byteLength} bytes exceeds the bound of ${maxEntryBytes} bytes; ${body.itemCount} items dropped`) };
  }
  const createdTimestamp = context.now();
  const id = await writeOrThrow(context, body, createdTimestamp, leased);
  const evictedItems = await enforceBounds(context, id).catch((e: unknown) => {
    deliveryLog.debug(`offline store: could not enforce bounds: ${errorCode(e) ?? String(e)}`);
    return 0;
  });
  return { stored: true, id, evictedItems, ...(leased ? { entry: { id, body, createdTimestamp } } : {}) };
}

/** Write, recreating the directory once if it was removed under us. */
async function writeOrThrow(context: FileStoreContext, body: RequestBody, createdTimestamp: number, leased: boolean): Promise<string> {
  try {
    return await write(context, body, createdTimestamp, leased);
  } catch (first: unknown) {
    if (errorCode(first) !== 'ENOENT') throw storeUnusable(context, first, 'write');
    context.directory.forget();
    return write(context, body, createdTimestamp, leased).catch((second: unknown) => { throw storeUnusable(context, second, 'write'); });
  }
}

/** Write atomically: temp file, then one rename to the entry name (or to a lease this process holds). */
async function write(context: FileStoreContext, body: RequestBody, createdTimestamp: number, leased: boolean): Promise<string> {
  const { directory } = context;
  await directory.ensure();
  const name = formatEntryName(createdTimestamp, body.itemCount, body.data.byteLength, body.gzip);
  const temp = directory.at(formatTempName(name));
  const final = directory.at(leased ? formatLeaseName(name, context.now() + context.leaseMillis) : name);
  try {
    await fs.promises.writeFile(temp, body.data, { mode: 0o600, flag: 'wx' });
    await fs.promises.rename(temp, final);
  } catch (e: unknown) {
    await fs.promises.unlink(temp).catch(() => undefined);
    throw e;
  }
  if (leased) context.held.set(name, final);
  return name;
}

/** Drop expired entries and, while over `maxBytes`, the oldest ones (never `keep`); the items evicted. */
async function enforceBounds(context: FileStoreContext, keep: string): Promise<number> {
  const { directory, storage } = context;
  const { entries, leaseBytes } = await directory.list(false);
  let total = leaseBytes + entries.reduce((n, e) => n + e.bytes, 0);
  let evictedItems = 0;
  for (const e of entries) {
    const reason = evictionReason(e, total, storage, context.now(), keep);
    if (reason === undefined || !(await directory.unlinkQuietly(e.name))) continue;
    total -= e.bytes;
    evictedItems += e.itemCount;
    context.evictions.report(e.itemCount, 1, describeEviction(reason, storage));
  }
  return evictedItems;
}
