import { itemSampleRate } from '../../../../src/mapping/common/envelope/sample-rate';

describe('itemSampleRate', () => {
  it.each<[string, number | undefined, number | undefined, number | undefined]>([
    ['an attribute in range', 25, undefined, 25],
    ['100, the upper bound', 100, undefined, 100],
    ['a fraction of a percent', 0.01, undefined, 0.01],
    ['an attribute over the context rate', 25, 50, 25],
    ['no attribute: the context rate', undefined, 50, 50],
    ['0 (the official exporter reads it as absent): the context rate', 0, 50, 50],
    ['a negative attribute: the context rate', -5, 50, 50],
    ['an attribute above 100: the context rate', 150, 50, 50],
    ['an attribute above 100 and no context rate: none (counted once)', 150, undefined, undefined],
    ['a negative attribute and no context rate: none', -1, undefined, undefined],
    ['a context rate out of range: none', undefined, 0, undefined],
    ['a context rate above 100: none', undefined, 101, undefined],
    ['nothing at all', undefined, undefined, undefined],
  ])('%s', (_name, attribute, context, expected) => {
    expect(itemSampleRate(attribute, context === undefined ? undefined : () => context)).toBe(expected);
  });
});
