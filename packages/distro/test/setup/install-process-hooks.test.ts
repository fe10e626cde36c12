import { EventEmitter } from 'node:events';
import { EXIT_FLUSH_TIMEOUT_MILLIS, installProcessHooks, type ProcessHookActions } from '../../src/setup/install-process-hooks';

/** A stand-in for `process`: real listeners, a recorded `kill`, and `nextTick` callbacks kept for the test to run. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const ticks: Array<() => void> = [];
  const kill = jest.fn();
  const proc = Object.assign(emitter, { pid: 4242, kill, nextTick: (fn: () => void) => { ticks.push(fn); } });
  return { proc: proc as unknown as NodeJS.Process, emitter, kill, ticks };
}

/** Counting actions whose flush/shutdown resolve when the test says so. */
function fakeActions() {
  let finishShutdown: () => void = () => undefined;
  const actions = {
    recordException: jest.fn<void, [unknown, string]>(),
    flush: jest.fn<Promise<void>, [number]>(async () => undefined),
    shutdown: jest.fn<Promise<void>, [number]>(() => new Promise<void>((resolve) => { finishShutdown = resolve; })),
  } satisfies ProcessHookActions;
  return { actions, finishShutdown: () => finishShutdown() };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('installProcessHooks', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s with no listener of the app: flush (bounded), then re-raise it without our listener', async (signal) => {
    const { proc, emitter, kill } = fakeProcess();
    const { actions, finishShutdown } = fakeActions();
    installProcessHooks(actions, proc);
    emitter.emit(signal, signal);
    expect(actions.shutdown).toHaveBeenCalledWith(EXIT_FLUSH_TIMEOUT_MILLIS);
    expect(kill).not.toHaveBeenCalled(); // not before the flush ends
    finishShutdown();
    await settle();
    expect(kill).toHaveBeenCalledWith(4242, signal);
    expect(emitter.listenerCount(signal)).toBe(0); // so the re-raised signal gets Node's default behaviour
  });

  it('re-raises even when the flush fails', async () => {
    const { proc, emitter, kill } = fakeProcess();
    installProcessHooks({ recordException: () => undefined, flush: async () => undefined, shutdown: async () => { throw new Error('x'); } }, proc);
    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(kill).toHaveBeenCalledWith(4242, 'SIGTERM');
  });

  it('a second signal during the flush ends the process at once', async () => {
    const { proc, emitter, kill } = fakeProcess();
    const { actions, finishShutdown } = fakeActions();
    installProcessHooks(actions, proc);
    emitter.emit('SIGINT', 'SIGINT');
    emitter.emit('SIGINT', 'SIGINT');
    expect(kill).toHaveBeenCalledWith(4242, 'SIGINT');
    expect(actions.shutdown).toHaveBeenCalledTimes(1);
    finishShutdown();
    await settle();
  });

  it('when the app listens to the signal (even added later): only flush; the app decides whether to exit', async () => {
    const { proc, emitter, kill } = fakeProcess();
    const { actions } = fakeActions();
    installProcessHooks(actions, proc);
    const appHandler = jest.fn();
    emitter.on('SIGTERM', appHandler);
    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(appHandler).toHaveBeenCalledTimes(1);
    expect(actions.flush).toHaveBeenCalledWith(EXIT_FLUSH_TIMEOUT_MILLIS);
    expect(actions.shutdown).not.toHaveBeenCalled();
    expect(kill).not.toHaveBeenCalled();
  });

  it('an uncaught exception with no handler of the app: record, flush (bounded), then rethrow outside every listener', async () => {
    const { proc, emitter, ticks } = fakeProcess();
    const { actions, finishShutdown } = fakeActions();
    installProcessHooks(actions, proc);
    const error = new Error('boom');
    emitter.emit('uncaughtException', error, 'uncaughtException');
    expect(actions.recordException).toHaveBeenCalledWith(error, 'uncaughtException');
    expect(actions.shutdown).toHaveBeenCalledWith(EXIT_FLUSH_TIMEOUT_MILLIS);
    expect(ticks).toHaveLength(0);
    finishShutdown();
    await settle();
    expect(emitter.listenerCount('uncaughtException')).toBe(0);
    expect(ticks).toHaveLength(1);
    expect(() => ticks[0]!()).toThrow(error); // Node's default handler then prints it and exits with code 1
  });

  it('a second uncaught exception while flushing is recorded, and the first one is the one rethrown', async () => {
    const { proc, emitter, ticks } = fakeProcess();
    const { actions, finishShutdown } = fakeActions();
    installProcessHooks(actions, proc);
    const first = new Error('first');
    emitter.emit('uncaughtException', first, 'uncaughtException');
    emitter.emit('uncaughtException', new Error('second'), 'unhandledRejection');
    expect(actions.recordException).toHaveBeenCalledTimes(2);
    finishShutdown();
    await settle();
    expect(ticks).toHaveLength(1);
    expect(() => ticks[0]!()).toThrow(first);
  });

  it('an uncaught exception when the app has its own handler: record and flush; the app decides', async () => {
    const { proc, emitter, ticks } = fakeProcess();
    const { actions } = fakeActions();
    installProcessHooks(actions, proc);
    emitter.on('uncaughtException', () => undefined);
    emitter.emit('uncaughtException', 'a string', 'uncaughtException');
    await settle();
    expect(actions.recordException).toHaveBeenCalledWith('a string', 'uncaughtException');
    expect(actions.flush).toHaveBeenCalledTimes(1);
    expect(actions.shutdown).not.toHaveBeenCalled();
    expect(ticks).toHaveLength(0);
  });

  it('a failing recordException does not hide the error', async () => {
    const { proc, emitter, ticks } = fakeProcess();
    const { actions, finishShutdown } = fakeActions();
    actions.recordException.mockImplementation(() => { throw new Error('recording failed'); });
    installProcessHooks(actions, proc);
    const error = new Error('original');
    emitter.emit('uncaughtException', error, 'uncaughtException');
    finishShutdown();
    await settle();
    expect(() => ticks[0]!()).toThrow(error);
  });

  it('the returned function removes every listener', () => {
    const { proc, emitter } = fakeProcess();
    const uninstall = installProcessHooks(fakeActions().actions, proc);
    expect(['SIGTERM', 'SIGINT', 'uncaughtException'].map((e) => emitter.listenerCount(e))).toEqual([1, 1, 1]);
    uninstall();
    expect(['SIGTERM', 'SIGINT', 'uncaughtException'].map((e) => emitter.listenerCount(e))).toEqual([0, 0, 0]);
  });
});
