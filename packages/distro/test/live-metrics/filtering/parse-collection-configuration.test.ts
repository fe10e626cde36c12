import { CONFIGURATION_LIMITS, parseCollectionConfiguration } from '../../../src/live-metrics/filtering/parse-collection-configuration';
import type { DerivedMetricInfo } from '../../../src/live-metrics/protocol/quick-pulse-contracts';
import { subjectOf } from './subject-fixture';

const failed = { FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' };
const slow = { FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.0:0:0.5' };
const metric = (over: Partial<DerivedMetricInfo> = {}): DerivedMetricInfo => ({
  Id: 'm1', TelemetryType: 'Request', FilterGroups: [{ Filters: [failed] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum', ...over,
});

const request = (success: boolean, millis: number) => subjectOf('Request', { Success: success, Duration: millis, Name: 'GET /', Url: '', ResponseCode: 200 });

describe('parseCollectionConfiguration', () => {
  it('ANDs the filters of a group and ORs the groups', () => {
    const { metrics, errors } = parseCollectionConfiguration({
      ETag: 'e', DocumentStreams: [],
      Metrics: [metric({ Id: 'and', FilterGroups: [{ Filters: [failed, slow] }] }), metric({ Id: 'or', FilterGroups: [{ Filters: [failed] }, { Filters: [slow] }] }), metric({ Id: 'all', FilterGroups: [] })],
    }, 'e');
    expect(errors).toEqual([]);
    const [and, or, all] = metrics.get('Request') ?? [];
    const cases = [request(false, 900), request(false, 10), request(true, 900), request(true, 10)];
    expect(cases.map((s) => and?.matches(s))).toEqual([true, false, false, false]);
    expect(cases.map((s) => or?.matches(s))).toEqual([true, true, true, false]);
    expect(cases.map((s) => all?.matches(s))).toEqual([true, true, true, true]);
  });

  it('groups document streams per telemetry type, one entry per filter group', () => {
    const { streams } = parseCollectionConfiguration({
      ETag: 'e', Metrics: [],
      DocumentStreams: [
        { Id: 'failures', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [failed] } }, { TelemetryType: 'Dependency', Filters: { Filters: [failed] } }] },
        { Id: 'all-requests', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [] } }] },
      ],
    }, 'e');
    expect(streams.get('Request')?.map((s) => s.id)).toEqual(['failures', 'all-requests']);
    expect(streams.get('Dependency')?.map((s) => s.id)).toEqual(['failures']);
    expect(streams.get('Trace')).toBeUndefined();
  });

  it.each([
    ['an unsupported telemetry type', metric({ TelemetryType: 'Event' }), 'MetricTelemetryTypeUnsupported', /Event/],
    ['an unknown telemetry type', metric({ TelemetryType: 'PageView' }), 'MetricTelemetryTypeUnsupported', /'PageView' is not a valid telemetry type/],
    ['a filter it cannot evaluate', metric({ FilterGroups: [{ Filters: [{ FieldName: 'Url', Predicate: 'GreaterThan', Comparand: 'a' }] }] }), 'MetricFailureToCreateFilterUnexpected', /compared as text/],
    ['a custom-metric projection', metric({ Projection: 'CustomMetrics.x' }), 'MetricFailureToCreateFilterUnexpected', /custom metric/],
    ['an unknown projection', metric({ Projection: 'Size' }), 'MetricFailureToCreate', /projection 'Size' is not supported/],
    ['Duration of a trace', metric({ TelemetryType: 'Trace', Projection: 'Duration', FilterGroups: [] }), 'MetricFailureToCreate', /Duration is not supported for the telemetry type Trace/],
    ['an unknown aggregation', metric({ Aggregation: 'Median' }), 'MetricFailureToCreate', /aggregation 'Median'/],
    ['an entry that is not an object', 'm1', 'MetricFailureToCreate', /string Id/],
  ] as const)('turns %s into a %s error with MetricId and ETag; the rest still applies', (_what, bad, type, message) => {
    const { metrics, errors } = parseCollectionConfiguration({ ETag: 'e7', DocumentStreams: [], Metrics: [bad, metric({ Id: 'ok' })] }, 'e7');
    expect(errors).toEqual([{
      CollectionConfigurationErrorType: type, Message: expect.stringMatching(message), FullException: expect.stringMatching(/^LiveFilterError: /),
      Data: [{ key: 'MetricId', value: typeof bad === 'string' ? '#0' : bad.Id }, { key: 'ETag', value: 'e7' }],
    }]);
    expect(metrics.get('Request')?.map((m) => m.id)).toEqual(['ok']);
  });

  it('reports a duplicate metric id as MetricDuplicateIds and keeps the first', () => {
    const { metrics, errors } = parseCollectionConfiguration({ ETag: 'e', DocumentStreams: [], Metrics: [metric(), metric({ Projection: 'Duration' })] }, 'e');
    expect(metrics.get('Request')).toEqual([expect.objectContaining({ id: 'm1', projection: { kind: 'count' } })]);
    expect(errors).toEqual([expect.objectContaining({ CollectionConfigurationErrorType: 'MetricDuplicateIds', Message: 'duplicate metric id: m1' })]);
  });

  it.each([
    ['an unsupported telemetry type', { TelemetryType: 'Event', Filters: { Filters: [] } }, 'DocumentStreamFailureToCreate', /Event/],
    ['a filter it cannot evaluate', { TelemetryType: 'Trace', Filters: { Filters: [{ FieldName: 'Url', Predicate: 'Equal', Comparand: 'x' }] } }, 'DocumentStreamFailureToCreateFilterUnexpected', /'Url' is not a valid field name/],
  ] as const)('turns a stream group with %s into %s with DocumentStreamInfoId; its other groups still apply', (_what, group, type, message) => {
    const { streams, errors } = parseCollectionConfiguration({
      ETag: 'e', Metrics: [],
      DocumentStreams: [{ Id: 's1', DocumentFilterGroups: [group, { TelemetryType: 'Exception', Filters: { Filters: [] } }] }],
    }, 'e');
    expect(errors).toEqual([expect.objectContaining({ CollectionConfigurationErrorType: type, Message: expect.stringMatching(message), Data: [{ key: 'DocumentStreamInfoId', value: 's1' }, { key: 'ETag', value: 'e' }] })]);
    expect(streams.get('Exception')?.map((s) => s.id)).toEqual(['s1']);
  });

  it.each([['not an object', 'oops'], ['Metrics not an array', { Metrics: {}, DocumentStreams: [] }], ['unreadable JSON (undefined)', undefined]])(
    'answers a configuration that is %s with one CollectionConfigurationFailureToCreateUnexpected', (_what, info) => {
      const parsed = parseCollectionConfiguration(info, 'e9');
      expect(parsed.errors).toEqual([expect.objectContaining({ CollectionConfigurationErrorType: 'CollectionConfigurationFailureToCreateUnexpected', Data: [{ key: 'ETag', value: 'e9' }] })]);
      expect(parsed.metrics.size + parsed.streams.size).toBe(0);
    },
  );

  it(`applies at most ${CONFIGURATION_LIMITS.derivedMetrics} derived metrics and reports the rest`, () => {
    const many = Array.from({ length: CONFIGURATION_LIMITS.derivedMetrics + 2 }, (_, i) => metric({ Id: `m${i}` }));
    const { metrics, errors } = parseCollectionConfiguration({ ETag: 'e', DocumentStreams: [], Metrics: many }, 'e');
    expect(metrics.get('Request')).toHaveLength(CONFIGURATION_LIMITS.derivedMetrics);
    expect(errors).toHaveLength(2);
    expect(errors[0]?.Message).toMatch(/more than 100 derived metrics/);
  });
});
