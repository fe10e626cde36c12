/**
 * Resolves after `millis`, or at once when `signal` aborts (already aborted: at once). Whichever
 * comes first also undoes the other: the timer is cleared on abort, and the abort listener is
 * removed when the timer fires, so a long-lived signal collects no listeners.
 */
export function delay(millis: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, millis);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
