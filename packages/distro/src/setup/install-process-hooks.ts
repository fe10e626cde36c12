import { diag } from '@opentelemetry/api';
import { flushAzureMonitor, recordUncaughtException, shutdownAzureMonitor } from './use-azure-monitor';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** Upper bound for the flush before the process ends (signal or crash). */
export const EXIT_FLUSH_TIMEOUT_MILLIS = 5_000;
const FLUSHED_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What the hooks do; {@link DEFAULT_PROCESS_HOOK_ACTIONS} uses the distro's own setup. */
export interface ProcessHookActions {
  /** Queues an exception telemetry item for an uncaught exception. */
  recordException(error: unknown, origin: string): void;
  /** Flushes without shutting down (the app goes on); resolves within `timeoutMillis`, never rejects. */
  flush(timeoutMillis: number): Promise<void>;
  /** Flushes and shuts down (the process is about to end); resolves within `timeoutMillis`, never rejects. */
  shutdown(timeoutMillis: number): Promise<void>;
}

const DEFAULT_PROCESS_HOOK_ACTIONS: ProcessHookActions = {
  recordException: recordUncaughtException,
  flush: flushAzureMonitor,
  shutdown: shutdownAzureMonitor,
};

/**
 * Flushes telemetry when the process is told to stop or crashes, without changing how it ends:
 *
 * - SIGTERM / SIGINT: if the app has its own listener for the signal, only flush (the app decides
 *   whether and when to exit). Otherwise flush (at most {@link EXIT_FLUSH_TIMEOUT_MILLIS}), then
 *   raise the signal again with our listener removed, so the process ends exactly as Node's default
 *   would (killed by the signal; exit status 128 + signal number). A second signal during the flush
 *   ends the process at once.
 * - An uncaught exception (or an unhandled rejection, which Node turns into one) is recorded as an
 *   exception item. If the app has its own `uncaughtException` listener, it is only flushed and the
 *   app decides. Otherwise flush (bounded as above), then throw the error again outside any
 *   listener, so Node prints it and exits with code 1 as usual.
 *
 * The app's listeners are counted when the event happens, so handlers added after start-up count.
 *
 * @param actions - What to record and flush with (default: the distro's own setup).
 * @param proc - The process (tests pass a stand-in).
 * @returns A function that removes the hooks.
 */
export function installProcessHooks(actions: ProcessHookActions = DEFAULT_PROCESS_HOOK_ACTIONS, proc: NodeJS.Process = process): () => void {
  let ending = false;

  /** Runs `work` while keeping the event loop alive, so the process cannot end quietly (exit 0) in between. */
  const beforeEnding = (work: Promise<void>, then: () => void): void => {
    const keepAlive = setTimeout(() => undefined, EXIT_FLUSH_TIMEOUT_MILLIS * 2);
    void work.catch(() => undefined).finally(() => {
      clearTimeout(keepAlive);
      then();
    });
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (othersListening(proc, signal, onSignal)) {
      void actions.flush(EXIT_FLUSH_TIMEOUT_MILLIS).catch(() => undefined);
      return;
    }
    const reraise = (): void => {
      proc.removeListener(signal, onSignal);
      proc.kill(proc.pid, signal);
    };
    if (ending) {
      reraise();
      return;
    }
    ending = true;
    log.debug(`${signal}: flushing telemetry (at most ${EXIT_FLUSH_TIMEOUT_MILLIS} ms) before the process ends`);
    beforeEnding(actions.shutdown(EXIT_FLUSH_TIMEOUT_MILLIS), reraise);
  };

  const onUncaught = (error: unknown, origin: string): void => {
    try {
      actions.recordException(error, origin);
    } catch {
      // recording must never hide the original error
    }
    if (othersListening(proc, 'uncaughtException', onUncaught)) {
      void actions.flush(EXIT_FLUSH_TIMEOUT_MILLIS).catch(() => undefined);
      return;
    }
    if (ending) return; // already on the way out; the first error is the one rethrown
    ending = true;
    beforeEnding(actions.shutdown(EXIT_FLUSH_TIMEOUT_MILLIS), () => {
      proc.removeListener('uncaughtException', onUncaught);
      // rethrown outside every listener: Node's default handling prints it and exits with code 1
      proc.nextTick(() => { throw error; });
    });
  };

  for (const signal of FLUSHED_SIGNALS) proc.on(signal, onSignal);
  proc.on('uncaughtException', onUncaught);
  return () => {
    for (const signal of FLUSHED_SIGNALS) proc.removeListener(signal, onSignal);
    proc.removeListener('uncaughtException', onUncaught);
  };
}

function othersListening(proc: NodeJS.Process, event: string, ours: (...args: never[]) => void): boolean {
  return proc.listeners(event as NodeJS.Signals).some((listener) => listener !== ours);
}
