import { createChaos, checkChaosAction } from '../src/chaos/create-chaos';

describe('chaos queue', () => {
  it('applies each rule to the next N requests in order, then nothing', () => {
    const chaos = createChaos();
    chaos.next(2, { status: 503 });
    chaos.next(1, { hang: true });
    expect(chaos.pending()).toBe(3);
    expect([chaos.take(), chaos.take(), chaos.take(), chaos.take()]).toEqual([{ status: 503 }, { status: 503 }, { hang: true }, undefined]);
  });

  it('clears, and refuses a non-positive count', () => {
    const chaos = createChaos();
    chaos.next(5, { delayMillis: 10 });
    chaos.clear();
    expect(chaos.take()).toBeUndefined();
    expect(() => chaos.next(0, { status: 500 })).toThrow(RangeError);
  });

  it.each([
    [{ status: 99 }, '"status"'], [{ delayMillis: -1 }, '"delayMillis"'], [{ hang: 'yes' }, '"hang"'],
    [{ redirectTo: 'not a url' }, '"redirectTo"'], [{ headers: { a: 1 } }, '"headers"'], [[], 'object'],
  ])('rejects %j', (action, message) => {
    expect(checkChaosAction(action)).toContain(message);
  });
});
