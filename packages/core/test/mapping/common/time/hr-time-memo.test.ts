import type { HrTime } from '@opentelemetry/api';
import { hrTimeToDuration } from '../../../../src/mapping/common/time/hr-time-to-duration';
import { hrTimeToIsoString } from '../../../../src/mapping/common/time/hr-time-to-iso-string';

const viaDate = ([seconds, nanos]: HrTime): string => new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();

describe('hrTimeToIsoString (memoized second prefix)', () => {
  it('matches Date#toISOString across consecutive, repeated and jumping times', () => {
    const times: HrTime[] = [
      [1700000000, 0], [1700000000, 999_999_999], [1700000000, 5_000_000], [1700000001, 42_000_000], [1700000000, 7_000_000],
      [0, 0], [0, 1_000_000], [86_399, 999_000_000], [951_782_400, 123_456_789], [253_402_300_799, 999_999_999],
      [1700000000, 1_500_000_000], [1700000000, -1],
    ];
    for (const time of times) expect(hrTimeToIsoString(time)).toBe(viaDate(time));
  });

  it('leaves times outside 1970..9999 (and fractional seconds) to Date', () => {
    for (const time of [[-1, 0], [-86_400, 500_000_000], [253_402_300_800, 0], [1700000000.5, 0]] as HrTime[]) {
      expect(hrTimeToIsoString(time)).toBe(viaDate(time));
    }
    expect(() => hrTimeToIsoString([Number.NaN, 0])).toThrow(RangeError);
  });
});

describe('hrTimeToDuration (table-driven padding)', () => {
  it('pads every field, fractional and odd inputs included', () => {
    expect(hrTimeToDuration([0, 100])).toBe('00:00:00.0000001');
    expect(hrTimeToDuration([3_599, 999_999_999])).toBe('00:59:59.9999999');
    expect(hrTimeToDuration([90_061, 0])).toBe('1.01:01:01.0000000');
    expect(hrTimeToDuration([1.5, 0])).toBe(`00:00:${String(1.5).padStart(2, '0')}.0000000`);
  });
});
