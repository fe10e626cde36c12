import { linksToProperty } from '../../../src/mapping/trace/links-to-property';

const link = (i: number) => ({ context: { traceId: i.toString(16).padStart(32, '0'), spanId: i.toString(16).padStart(16, '0'), traceFlags: 1 } });

describe('linksToProperty', () => {
  it.each([
    ['no links', 0, undefined],
    ['one link', 1, '[{"operation_Id":"00000000000000000000000000000000","id":"0000000000000000"}]'],
  ])('maps %s', (_title, count, expected) => {
    expect(linksToProperty(Array.from({ length: count }, (_, i) => link(i)))).toBe(expected);
  });

  it('keeps as many links as fit 8192 characters and stays valid JSON', () => {
    const value = linksToProperty(Array.from({ length: 1000 }, (_, i) => link(i))) ?? '';
    const parsed = JSON.parse(value) as unknown[];
    expect(value.length).toBeLessThanOrEqual(8192);
    expect(parsed).toHaveLength(107); // 2 brackets + 107 links of 75 characters + 106 commas = 8133 <= 8192 < 8209
    expect(parsed[0]).toEqual({ operation_Id: '00000000000000000000000000000000', id: '0000000000000000' });
  });
});
