import { applyStoreAction, NO_COPY, type StoreActionContext, type StoreCopy } from '../../src/delivery/apply-store-action';
import type { StoreAction } from '../../src/delivery/settle-outcome';
import type { BodyStore, PutResult, StoredRequest } from '../../src/delivery/store-types';
import type { RequestBody } from '../../src/transport/transport-types';

const body: RequestBody = { data: Uint8Array.from([1, 2, 3]), gzip: false, itemCount: 5 };
const retries: RequestBody = { data: Uint8Array.from([2]), gzip: false, itemCount: 2 };
const entry: StoredRequest = { id: 'e1', body, createdTimestamp: 1 };
const aheadPut: PutResult = { stored: true, id: 'e1', evictedItems: 3 };

/** A counting fake context: every store call is recorded in order. */
function recording(options: { removed?: boolean; putStored?: boolean } = {}): StoreActionContext & { calls: string[] } {
  const calls: string[] = [];
  const put = async (b: RequestBody): Promise<PutResult> => (options.putStored === false
    ? { stored: false, evictedItems: 0 }
    : { stored: true, id: `new-${b.itemCount}`, evictedItems: 0 });
  const store = {
    put: async (b: RequestBody) => { calls.push(`put:${b.itemCount}`); return put(b); },
    release: async (e: StoredRequest) => { calls.push(`release:${e.id}`); },
    complete: async (e: StoredRequest) => { calls.push(`complete:${e.id}`); },
    remove: async (id: string) => { calls.push(`remove:${id}`); return options.removed ?? true; },
  } as unknown as BodyStore;
  return {
    calls, store,
    queue: async (b) => { calls.push(`queue:${b.itemCount}`); return put(b); },
    kick: () => { calls.push('kick'); },
  };
}

const LEASED: StoreCopy = { kind: 'leased', entry };
const AHEAD: StoreCopy = { kind: 'leased', entry, put: aheadPut };
const QUEUED: StoreCopy = { kind: 'queued', id: 'q1' };
const RETRY: StoreAction = { kind: 'retry', indexes: [1, 3] };

describe('applyStoreAction: the store calls of each action on each copy', () => {
  it.each<[string, StoreAction, StoreCopy, string[], number, StoreCopy['kind'], boolean]>([
    ['forget, no copy', { kind: 'forget' }, NO_COPY, [], 0, 'none', false],
    ['forget, leased: delete it', { kind: 'forget' }, LEASED, ['complete:e1'], 0, 'none', false],
    ['forget, queued at a deadline: remove it', { kind: 'forget' }, QUEUED, ['remove:q1'], 0, 'none', false],
    ['keep, no copy: queue the body and wake the drain', { kind: 'keep' }, NO_COPY, ['queue:5'], 5, 'queued', true],
    ['keep, leased: release it to the drain', { kind: 'keep' }, LEASED, ['release:e1', 'kick'], 5, 'none', false],
    ['keep, written ahead: release it, the write-ahead put amends the receipt', { kind: 'keep' }, AHEAD, ['release:e1', 'kick'], 5, 'none', true],
    ['keep, queued at a deadline: already queued', { kind: 'keep' }, QUEUED, [], 0, 'queued', false],
    ['hold, no copy: queue without waking the drain (the send is in flight)', { kind: 'hold' }, NO_COPY, ['put:5'], 5, 'queued', true],
    ['hold, written ahead: the lease stays held until the late answer', { kind: 'hold' }, AHEAD, [], 5, 'leased', true],
    ['retry, no copy: queue the retriable items', RETRY, NO_COPY, ['queue:2'], 2, 'none', true],
    ['retry, leased: queue the retries, then delete the lease', RETRY, LEASED, ['queue:2', 'complete:e1'], 2, 'none', true],
    ['retry, queued at a deadline: remove it, then queue the retries', RETRY, QUEUED, ['remove:q1', 'queue:2'], 2, 'none', true],
  ])('%s', async (_label, action, copy, calls, itemsQueued, copyKind, hasPut) => {
    const ctx = recording();
    const result = await applyStoreAction(ctx, action, copy, body, async () => retries);
    expect(ctx.calls).toEqual(calls);
    expect(result.itemsQueued).toBe(itemsQueued);
    expect(result.copy.kind).toBe(copyKind);
    expect(result.put !== undefined).toBe(hasPut);
  });

  it('a written-ahead copy carries its put (evictions) into the result', async () => {
    expect((await applyStoreAction(recording(), { kind: 'keep' }, AHEAD, body, async () => retries)).put).toBe(aheadPut);
  });

  it('retry of a queued copy the drain already claimed queues nothing (it is being sent whole)', async () => {
    const ctx = recording({ removed: false });
    const result = await applyStoreAction(ctx, RETRY, QUEUED, body, async () => retries);
    expect(ctx.calls).toEqual(['remove:q1']);
    expect(result).toEqual({ itemsQueued: 0, copy: NO_COPY });
  });

  it('retry, leased, when the retry body cannot be rebuilt: the whole body is released, never lost', async () => {
    const ctx = recording();
    const result = await applyStoreAction(ctx, RETRY, LEASED, body, async () => { throw new Error('bad gzip'); });
    expect(ctx.calls).toEqual(['release:e1', 'kick']);
    expect(result.put).toBeUndefined();
  });

  it('retry, no copy, when the retry body cannot be rebuilt: the retries are reported as not queued', async () => {
    const ctx = recording();
    const thrown = new Error('bad gzip');
    const result = await applyStoreAction(ctx, RETRY, NO_COPY, body, async () => { throw thrown; });
    expect(ctx.calls).toEqual([]);
    expect((result.put?.error as Error).cause).toBe(thrown);
    expect(result.itemsQueued).toBe(2);
    expect(result.put).toMatchObject({ stored: false, error: { code: 'AI_STORAGE', message: 'could not rebuild the 206 retry body' } });
  });

  it('a body that could not be queued leaves no copy to settle later', async () => {
    const result = await applyStoreAction(recording({ putStored: false }), { kind: 'hold' }, NO_COPY, body, async () => retries);
    expect(result.copy).toBe(NO_COPY);
    expect(result.put).toMatchObject({ stored: false });
  });

  it('the queued copy names the new entry', async () => {
    expect((await applyStoreAction(recording(), { kind: 'keep' }, NO_COPY, body, async () => retries)).copy).toEqual({ kind: 'queued', id: 'new-5' });
  });
});
