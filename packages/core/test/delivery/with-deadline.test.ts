import { withDeadline } from '../../src/delivery/with-deadline';

describe('withDeadline', () => {
  beforeEach(() => { jest.useFakeTimers(); });
  afterEach(() => { jest.useRealTimers(); });

  it('gives the value when the promise settles first, and leaves no timer behind', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000)).resolves.toEqual({ done: true, value: 7 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives up at the deadline without cancelling the promise', async () => {
    let resolve: (v: number) => void = () => undefined;
    const slow = new Promise<number>((r) => { resolve = r; });
    const waiting = withDeadline(slow, 1_000);
    await jest.advanceTimersByTimeAsync(999);
    let result: unknown;
    void waiting.then((r) => { result = r; });
    await Promise.resolve();
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(await waiting).toEqual({ done: false });
    expect(jest.getTimerCount()).toBe(0);
    resolve(3);
    await expect(slow).resolves.toBe(3);
  });

  it('ends early when the signal aborts, removes its listener, and does not wait when already aborted', async () => {
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const waiting = withDeadline(new Promise<number>(() => undefined), 60_000, { signal: controller.signal });
    controller.abort();
    expect(await waiting).toEqual({ done: false });
    expect(add).toHaveBeenCalledTimes(1);
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]![1]);
    // A wait that ends by its value removes its listener too: none piles up on a long-lived signal.
    const other = new AbortController();
    const removeOther = jest.spyOn(other.signal, 'removeEventListener');
    await withDeadline(Promise.resolve(2), 60_000, { signal: other.signal });
    expect(removeOther).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    expect(await withDeadline(Promise.resolve(1), 60_000, { signal: controller.signal })).toEqual({ done: false });
  });

  it('unrefs its timer unless told to keep the process alive', async () => {
    const unref = jest.fn();
    const realSetTimeout = setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const t = realSetTimeout(fn, ms);
      const original = t.unref.bind(t);
      t.unref = () => { unref(); return original(); };
      return t;
    }) as typeof setTimeout);
    await withDeadline(Promise.resolve(1), 10);
    expect(unref).toHaveBeenCalledTimes(1);
    await withDeadline(Promise.resolve(1), 10, { ref: true });
    expect(unref).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('rejects when the promise rejects first', async () => {
    await expect(withDeadline(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
    expect(jest.getTimerCount()).toBe(0);
  });
});
