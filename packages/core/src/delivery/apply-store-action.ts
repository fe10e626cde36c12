import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import type { StoreAction } from './settle-outcome';
import type { BodyStore, PutResult, StoredRequest } from './store-types';

/**
 * The copy of a body the store holds while it is settled: none, one leased to this send (drained,
 * or written ahead with its `put`), or one queued unleased at a deadline.
 */
export type StoreCopy =
  | { readonly kind: 'none' }
  | { readonly kind: 'leased'; readonly entry: StoredRequest; readonly put?: PutResult }
  | { readonly kind: 'queued'; readonly id: string };

export const NO_COPY: StoreCopy = Object.freeze({ kind: 'none' });

/** What carrying out a store action did. */
export interface StoreActionResult {
  /** The result of queuing `itemsQueued` items, when the action queued any (it amends the settlement). */
  readonly put?: PutResult;
  readonly itemsQueued: number;
  /** Where the body is now: a body queued by `hold` is settled again when its late answer comes. */
  readonly copy: StoreCopy;
}

/** The store calls an action needs: `queue` puts a body and wakes the drain; `kick` wakes it. */
export interface StoreActionContext {
  readonly store: BodyStore;
  queue(body: RequestBody): Promise<PutResult>;
  kick(): void;
}

const queuedCopy = (put: PutResult): StoreCopy => (put.stored && put.id !== undefined ? { kind: 'queued', id: put.id } : NO_COPY);

/**
 * Queue the whole body, unless a copy already holds it. `handOver`: give it to the drain now
 * (release a lease, wake the drain); without it (`hold`: the send is still in flight) a lease stays
 * held and a new copy is queued without waking the drain, so the body is not sent twice at once.
 */
async function keepAll(ctx: StoreActionContext, copy: StoreCopy, body: RequestBody, handOver: boolean): Promise<StoreActionResult> {
  if (copy.kind === 'queued') return { itemsQueued: 0, copy };
  if (copy.kind === 'none') {
    const put = handOver ? await ctx.queue(body) : await ctx.store.put(body);
    return { put, itemsQueued: body.itemCount, copy: queuedCopy(put) };
  }
  if (!handOver) return { ...(copy.put ? { put: copy.put } : {}), itemsQueued: body.itemCount, copy };
  await ctx.store.release(copy.entry);
  ctx.kick();
  return { ...(copy.put ? { put: copy.put } : {}), itemsQueued: body.itemCount, copy: NO_COPY };
}

/** Queue only the retriable items of a 206 and delete the copy; never lose the retriable items to a rebuild failure. */
async function keepRetries(ctx: StoreActionContext, copy: StoreCopy, indexes: readonly number[], rebuild: (indexes: readonly number[]) => Promise<RequestBody>): Promise<StoreActionResult> {
  // A queued copy the drain already claimed is being sent whole: queuing the retries too would duplicate them.
  if (copy.kind === 'queued' && !(await ctx.store.remove(copy.id))) return { itemsQueued: 0, copy: NO_COPY };
  let retries: RequestBody;
  try {
    retries = await rebuild(indexes);
  } catch (e: unknown) {
    if (copy.kind === 'leased') return keepAll(ctx, { kind: 'leased', entry: copy.entry }, copy.entry.body, true);
    return { put: { stored: false, evictedItems: 0, error: new StorageError('could not rebuild the 206 retry body', { cause: e }) }, itemsQueued: indexes.length, copy: NO_COPY };
  }
  const put = await ctx.queue(retries);
  if (copy.kind === 'leased') await ctx.store.complete(copy.entry);
  return { put, itemsQueued: indexes.length, copy: NO_COPY };
}

/** Carry out a settlement's store action on the body's copy. */
export async function applyStoreAction(
  ctx: StoreActionContext, action: StoreAction, copy: StoreCopy, body: RequestBody, rebuild: (indexes: readonly number[]) => Promise<RequestBody>,
): Promise<StoreActionResult> {
  switch (action.kind) {
    case 'forget':
      if (copy.kind === 'leased') await ctx.store.complete(copy.entry);
      else if (copy.kind === 'queued') await ctx.store.remove(copy.id);
      return { itemsQueued: 0, copy: NO_COPY };
    case 'keep':
      return keepAll(ctx, copy, body, true);
    case 'hold':
      return keepAll(ctx, copy, body, false);
    case 'retry':
      return keepRetries(ctx, copy, action.indexes, rebuild);
  }
}
