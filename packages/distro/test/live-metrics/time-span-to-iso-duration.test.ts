import { timeSpanToIsoDuration } from '../../src/live-metrics/time-span-to-iso-duration';

describe('timeSpanToIsoDuration', () => {
  it.each([
    ['00:00:00.0350000', 'PT0.035S'],
    ['00:00:00.0000001', 'PT0.0000001S'],
    ['00:00:00.0000000', 'PT0S'],
    ['00:00:01', 'PT1S'],
    ['01:02:03.5000000', 'PT3723.5S'],
    ['1.00:00:00.0000000', 'PT86400S'],
    ['10000.00:00:00.0000000', 'PT864000000S'],
    ['not a duration', 'PT0S'],
    ['', 'PT0S'],
  ])('%s -> %s', (timeSpan, expected) => {
    expect(timeSpanToIsoDuration(timeSpan)).toBe(expected);
  });
});
