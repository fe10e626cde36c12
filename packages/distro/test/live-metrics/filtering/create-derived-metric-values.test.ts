import { createDerivedMetricValues } from '../../../src/live-metrics/filtering/create-derived-metric-values';
import type { Aggregation, CompiledDerivedMetric, Projection } from '../../../src/live-metrics/filtering/parse-collection-configuration';
import { subjectOf } from './subject-fixture';

const metric = (id: string, projection: Projection, aggregation: Aggregation): CompiledDerivedMetric => ({ id, matches: () => true, projection, aggregation });
const items = [
  subjectOf('Request', { Duration: 100 }, { cost: '2' }),
  subjectOf('Request', { Duration: 300 }, { cost: '8' }),
  subjectOf('Request', { Duration: 200 }, { cost: '5' }),
];

describe('createDerivedMetricValues', () => {
  it.each([
    ['Count()', { kind: 'count' }, 'Sum', 3], ['Count()', { kind: 'count' }, 'Avg', 1],
    ['Duration', { kind: 'duration' }, 'Sum', 600], ['Duration', { kind: 'duration' }, 'Avg', 200],
    ['Duration', { kind: 'duration' }, 'Min', 100], ['Duration', { kind: 'duration' }, 'Max', 300],
    ['CustomDimensions.cost', { kind: 'customDimension', key: 'cost' }, 'Sum', 15], ['CustomDimensions.cost', { kind: 'customDimension', key: 'cost' }, 'Max', 8],
  ] as const)('%s aggregated by %s', (_projection, projection, aggregation, expected) => {
    const m = metric('x', projection, aggregation);
    const values = createDerivedMetricValues([m]);
    for (const item of items) values.record(m, item);
    expect(values.collect()).toEqual([{ Name: 'x', Value: expected, Weight: 1 }]);
  });

  it('reports 0 for every aggregation when nothing matched, and starts a new interval after each collect', () => {
    const ms = (['Sum', 'Avg', 'Min', 'Max'] as const).map((a) => metric(a, { kind: 'duration' }, a));
    const values = createDerivedMetricValues(ms);
    for (const m of ms) values.record(m, items[0] ?? subjectOf('Request', {}));
    expect(values.collect().map((p) => p.Value)).toEqual([100, 100, 100, 100]);
    expect(values.collect()).toEqual(ms.map((m) => ({ Name: m.id, Value: 0, Weight: 1 })));
  });

  it.each([
    ['missing', {}, /custom dimension 'cost' was not found/],
    ['not a number', { cost: 'cheap' }, /value 'cheap' of 'cost' is not a number/],
  ])('throws AI_LIVE_METRIC when the projected custom dimension is %s', (_what, dimensions, message) => {
    const m = metric('x', { kind: 'customDimension', key: 'cost' }, 'Sum');
    const values = createDerivedMetricValues([m]);
    expect(() => values.record(m, subjectOf('Request', {}, dimensions))).toThrow(message);
    expect(() => values.record(m, subjectOf('Request', {}, dimensions))).toThrow(expect.objectContaining({ code: 'AI_LIVE_METRIC' }) as Error);
    expect(values.collect()).toEqual([{ Name: 'x', Value: 0, Weight: 1 }]);
  });
});
