import { parseDuration, performanceBucket } from '../src/storage/parse-duration';

describe('parseDuration', () => {
  it.each([
    ['00:00:00.1234567', 123.4567],
    ['00:00:01', 1000],
    ['01:02:03.5', 3723500],
    ['1.00:00:00.0000001', 86400000.0001],
    ['00:00:00.003', 3],
    ['0:00:00:01.3200000', 1320],
    ['1:00:00:00', 86400000],
    [42, 42],
  ])('parses %p to %p ms', (input, expected) => {
    expect(parseDuration(input)).toBeCloseTo(expected, 6);
  });

  it.each([['abc'], ['1:2'], [''], [null], [-1], ['00:00:00.12345678']])('rejects %p', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('performanceBucket', () => {
  it.each([[3.38, '<250ms'], [716, '500ms-1sec'], [2999, '1sec-3sec'], [300000, '>=5min']])('puts %p ms in %p', (ms, bucket) => {
    expect(performanceBucket(ms)).toBe(bucket);
  });
});
