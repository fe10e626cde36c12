import { createWakeTimer } from '../../src/delivery/wake-timer';

/** A wake timer over fake time that records, relative to the start, when it woke. */
function recordingTimer() {
  const start = Date.now();
  const wakes: number[] = [];
  const timer = createWakeTimer(Date.now, () => { wakes.push(Date.now() - start); });
  return { timer, wakes, at: (offset: number) => start + offset };
}

describe('createWakeTimer', () => {
  beforeEach(() => { jest.useFakeTimers(); });
  afterEach(() => { jest.useRealTimers(); });

  it.each([
    { name: 'a later request keeps the earlier wake', requests: [100, 200], wakes: [100] },
    { name: 'an earlier request replaces the later wake (cleared: it never fires)', requests: [200, 100], wakes: [100] },
    { name: 'the same time twice wakes once', requests: [100, 100], wakes: [100] },
    { name: 'a time in the past wakes at once', requests: [-50], wakes: [0] },
    { name: 'one request wakes exactly at its time', requests: [250], wakes: [250] },
  ])('$name', async ({ requests, wakes: expected }) => {
    const { timer, wakes, at } = recordingTimer();
    for (const offset of requests) timer.schedule(at(offset));
    expect(jest.getTimerCount()).toBe(1); // never two pending
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wakes).toEqual(expected);
    expect(timer.isPending()).toBe(false);
  });

  it('does not wake a millisecond early', async () => {
    const { timer, wakes, at } = recordingTimer();
    timer.schedule(at(300));
    await jest.advanceTimersByTimeAsync(299);
    expect(wakes).toEqual([]);
    expect(timer.isPending()).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(wakes).toEqual([300]);
  });

  it('after a wake, a later request schedules a new wake (the fired timer is not pending any more)', async () => {
    const { timer, wakes, at } = recordingTimer();
    expect(timer.isPending()).toBe(false);
    timer.schedule(at(100));
    await jest.advanceTimersByTimeAsync(100);
    expect(timer.isPending()).toBe(false);
    timer.schedule(at(300));
    expect(timer.isPending()).toBe(true);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wakes).toEqual([100, 300]);
  });

  it('cancel clears the pending wake; a request after it schedules again', async () => {
    const { timer, wakes, at } = recordingTimer();
    timer.schedule(at(100));
    timer.cancel();
    expect(timer.isPending()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wakes).toEqual([]);
    timer.schedule(at(1_500));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wakes).toEqual([1_500]);
  });

  it('never keeps the process alive (the timer is unref\'d)', () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const { timer, at } = recordingTimer();
    timer.schedule(at(100));
    const handle = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    timer.cancel();
    setTimeoutSpy.mockRestore();
  });
});
