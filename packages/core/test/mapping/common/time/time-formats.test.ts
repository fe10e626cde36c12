import type { HrTime } from '@opentelemetry/api';
import { hrTimeToDuration } from '../../../../src/mapping/common/time/hr-time-to-duration';
import { hrTimeToIsoString } from '../../../../src/mapping/common/time/hr-time-to-iso-string';

describe('hrTimeToIsoString', () => {
  it.each<[HrTime, string]>([
    [[1700000000, 999999999], '2023-11-14T22:13:20.999Z'],
    [[1700000000, 0], '2023-11-14T22:13:20.000Z'],
    [[1700000000, 1000000], '2023-11-14T22:13:20.001Z'],
    [[1700000000, 999999], '2023-11-14T22:13:20.000Z'],
    [[1700000000, 123456789], '2023-11-14T22:13:20.123Z'],
    [[0, 0], '1970-01-01T00:00:00.000Z'],
  ])('formats %p as %s with exact milliseconds', (time, expected) => {
    expect(hrTimeToIsoString(time)).toBe(expected);
  });
});

describe('hrTimeToDuration', () => {
  it.each<[HrTime, string]>([
    [[0, 0], '00:00:00.0000000'],
    [[0, 100], '00:00:00.0000001'],
    [[0, 99], '00:00:00.0000000'],
    [[1, 111111101], '00:00:01.1111111'],
    [[59, 999999999], '00:00:59.9999999'],
    [[3661, 500000000], '01:01:01.5000000'],
    [[86399, 0], '23:59:59.0000000'],
    [[86400, 0], '1.00:00:00.0000000'],
    [[90061, 1000], '1.01:01:01.0000010'],
    [[864000000, 0], '10000.00:00:00.0000000'],
    [[0, 2500000000], '00:00:02.5000000'],
    [[-1, 0], '00:00:00.0000000'],
  ])('formats %p as %s', (duration, expected) => {
    expect(hrTimeToDuration(duration)).toBe(expected);
  });
});
