import { liveMetricsApiVersions, validateAgainstLiveMetricsSpec } from '../src/live-metrics/validate-against-live-metrics-spec';

/** A data point as our client and the official one send it (valid). */
const POINT = {
  Version: 'node:otel-appinsights-0.1.0', InvariantVersion: 5, Instance: 'i-1', RoleName: 'shop', MachineName: 'm-1', StreamId: 'abc',
  Timestamp: '2026-12-07T01:00:00.000Z', IsWebApp: false, PerformanceCollectionSupported: true,
  Metrics: [{ Name: '\\ApplicationInsights\\Requests/Sec', Value: 1.5, Weight: 1 }],
  Documents: [
    { DocumentType: 'Request', Name: 'GET /', Url: 'http://x/', ResponseCode: '200', Duration: 'PT0.035S', Properties: [{ key: 'a', value: 'b' }], DocumentStreamIds: ['s1'] },
    { DocumentType: 'RemoteDependency', Name: 'SELECT', CommandName: 'SELECT 1', ResultCode: '0', Duration: 'PT1H2M3.5S' },
    { DocumentType: 'Exception', ExceptionType: 'TypeError', ExceptionMessage: 'bad' },
    { DocumentType: 'Trace', Message: 'hello' },
    { DocumentType: 'Event', Name: 'checkout' },
    { DocumentType: 'Unknown' },
  ],
  CollectionConfigurationErrors: [{ CollectionConfigurationErrorType: 'MetricFailureToCreate', Message: 'm', FullException: '', Data: [{ key: 'MetricId', value: 'x' }] }],
};

const withDocument = (document: Record<string, unknown>): unknown => ({ ...POINT, Documents: [document] });

describe('validateAgainstLiveMetricsSpec (data file: the 2024-04-01-preview spec)', () => {
  it('knows the api-version of the spec', () => {
    expect(liveMetricsApiVersions()).toEqual(['2024-04-01-preview']);
  });

  it('accepts a full data point with every document type', () => {
    expect(validateAgainstLiveMetricsSpec(POINT, 'MonitoringDataPoint')).toEqual([]);
  });

  it.each([
    ['a required field missing', { ...POINT, StreamId: undefined }, /\$\.StreamId is required/],
    ['InvariantVersion not an int32', { ...POINT, InvariantVersion: 5.5 }, /\$\.InvariantVersion must be a 32-bit integer/],
    ['IsWebApp not a boolean', { ...POINT, IsWebApp: 'false' }, /\$\.IsWebApp must be true or false/],
    ['Timestamp not a date-time', { ...POINT, Timestamp: 'yesterday' }, /\$\.Timestamp must be an RFC 3339 date-time/],
    ['Metrics not an array', { ...POINT, Metrics: {} }, /\$\.Metrics must be an array/],
    ['a metric Value not a number', { ...POINT, Metrics: [{ Name: 'x', Value: '1', Weight: 1 }] }, /\$\.Metrics\[0\]\.Value must be a number/],
    ['a metric Weight not an integer', { ...POINT, Metrics: [{ Name: 'x', Value: 1, Weight: 0.5 }] }, /\$\.Metrics\[0\]\.Weight must be a 32-bit integer/],
    ['a document Duration in TimeSpan form', withDocument({ DocumentType: 'Request', Duration: '00:00:00.0350000' }), /\$\.Documents\[0\]\.Duration must be an ISO 8601 duration/],
    ['a dependency Duration in milliseconds', withDocument({ DocumentType: 'RemoteDependency', Duration: '35' }), /Duration must be an ISO 8601 duration/],
    ['an unknown DocumentType', withDocument({ DocumentType: 'PageView' }), /\$\.Documents\[0\]\.DocumentType must be one of Request, RemoteDependency, Exception, Event, Trace, Unknown/],
    ['a document without DocumentType', withDocument({ Name: 'x' }), /DocumentType is required/],
    ['a request Name over 1024 characters', withDocument({ DocumentType: 'Request', Name: 'n'.repeat(1025) }), /Name is longer than 1024 characters/],
    ['a trace Message over 32768 characters', withDocument({ DocumentType: 'Trace', Message: 'm'.repeat(32769) }), /Message is longer than 32768/],
    ['a property without key', withDocument({ DocumentType: 'Trace', Properties: [{ value: 'v' }] }), /Properties\[0\]\.key is required/],
    ['DocumentStreamIds not strings', withDocument({ DocumentType: 'Trace', DocumentStreamIds: [1] }), /DocumentStreamIds\[0\] must be a string/],
    ['an unknown CollectionConfigurationErrorType', { ...POINT, CollectionConfigurationErrors: [{ CollectionConfigurationErrorType: 'Oops', Message: '', FullException: '', Data: [] }] }, /CollectionConfigurationErrorType must be one of Unknown/],
    ['a point that is not an object', 'hello', /^\$ must be an object$/],
  ])('refuses %s, naming the path and the fix', (_what, value, problem) => {
    expect(validateAgainstLiveMetricsSpec(value, 'MonitoringDataPoint')).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('checks a CollectionConfigurationInfo: predicates, aggregations and telemetry types from the spec\'s enums', () => {
    const filter = { FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' };
    const info = {
      ETag: 'e1',
      Metrics: [{ Id: 'm1', TelemetryType: 'Request', FilterGroups: [{ Filters: [filter] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' }],
      DocumentStreams: [{ Id: 's1', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [filter] } }] }],
    };
    expect(validateAgainstLiveMetricsSpec(info, 'CollectionConfigurationInfo')).toEqual([]);
    const bad = {
      ...info,
      Metrics: [{ ...info.Metrics[0], Aggregation: 'Median', FilterGroups: [{ Filters: [{ ...filter, Predicate: 'Like' }] }] }],
      DocumentStreams: [{ Id: 's1', DocumentFilterGroups: [{ TelemetryType: 'PageView', Filters: { Filters: [] } }] }],
    };
    expect(validateAgainstLiveMetricsSpec(bad, 'CollectionConfigurationInfo')).toEqual([
      expect.stringMatching(/Metrics\[0\]\.FilterGroups\[0\]\.Filters\[0\]\.Predicate must be one of Equal/),
      expect.stringMatching(/Metrics\[0\]\.Aggregation must be one of Avg, Sum, Min, Max/),
      expect.stringMatching(/DocumentStreams\[0\]\.DocumentFilterGroups\[0\]\.TelemetryType must be one of Request, Dependency/),
    ]);
  });
});
