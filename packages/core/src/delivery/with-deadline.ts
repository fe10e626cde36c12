/** What {@link withDeadline} saw first: the promise's value, or the deadline. */
export type DeadlineResult<T> = { readonly done: true; readonly value: T } | { readonly done: false };

/** Options of {@link withDeadline}. */
export interface DeadlineOptions {
  /**
   * Keep the process alive while waiting (default `false`: the timer is `unref()`'d). Only for a
   * wait someone is blocked on, such as an export the SDK awaits: its timer must not let a
   * short-lived process exit in the middle of the request.
   */
  readonly ref?: boolean;
  /** End the wait early (as a deadline) when this aborts. */
  readonly signal?: AbortSignal;
}

/**
 * Wait for `promise` at most `millis` (or until `options.signal` aborts). The one timer race of
 * delivery: the timer and the abort listener are always removed when the wait ends, and the promise
 * is never cancelled (a caller that gave up can still settle it later). A rejection of `promise`
 * before the deadline rejects.
 */
export async function withDeadline<T>(promise: Promise<T>, millis: number, options: DeadlineOptions = {}): Promise<DeadlineResult<T>> {
  const { signal } = options;
  if (signal?.aborted) return { done: false };
  let giveUp: () => void = () => undefined;
  const deadline = new Promise<DeadlineResult<T>>((resolve) => { giveUp = () => resolve({ done: false }); });
  const timer = setTimeout(giveUp, Math.max(0, millis));
  if (options.ref !== true) timer.unref();
  signal?.addEventListener('abort', giveUp);
  try {
    return await Promise.race([promise.then((value): DeadlineResult<T> => ({ done: true, value })), deadline]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', giveUp);
  }
}
