import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createLiveMetricsAccumulator, MAX_DOCUMENTS_PER_POST } from '../../../src/live-metrics/create-live-metrics-accumulator';
import type { ProcessStats } from '../../../src/live-metrics/create-process-stats';
import { createTelemetryTap, type TappedItem } from '../../../src/live-metrics/create-telemetry-tap';
import type { CollectionConfigurationInfo } from '../../../src/live-metrics/protocol/quick-pulse-contracts';

const IKEY = '11111111-2222-4333-8444-555555555555';
const STATS: ProcessStats = { sample: () => ({ processCpuPercent: 0, processCpuPercentOfOneCore: 0, machineCpuPercent: 0, privateBytes: 0, availableBytes: 0 }) };

/** Real items from real spans and log records, each counting how often it is mapped whole. */
function tappedItems(): { items: TappedItem[]; mappings: () => number } {
  const tap = createTelemetryTap({ instrumentationKey: IKEY, markProcessed: false });
  let mappings = 0;
  const items: TappedItem[] = [];
  tap.listen((item) => {
    items.push({
      kind: item.kind, durationMillis: item.durationMillis, success: item.success, resultCode: item.resultCode, dependencyType: item.dependencyType,
      dependencyTarget: item.dependencyTarget, roleName: item.roleName, roleInstance: item.roleInstance, synthetic: item.synthetic, severityLevel: item.severityLevel,
      envelope: () => { mappings++; return item.envelope(); },
      document: () => { mappings++; return item.document(); },
    });
  });
  const resource = resourceFromAttributes({ 'service.name': 'shop' });
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [tap.spanProcessor] }).getTracer('t');
  const logger = new LoggerProvider({ resource, processors: [tap.logRecordProcessor] }).getLogger('t');
  const start = Date.now();
  const request = (path: string, status: number, millis: number, tenant: string): void => {
    tracer.startSpan(`GET ${path}`, {
      kind: SpanKind.SERVER, startTime: start,
      attributes: { 'http.request.method': 'GET', 'url.full': `http://shop${path}`, 'http.route': path, 'http.response.status_code': status, tenant, cost: String(millis / 10) },
    }).end(start + millis);
  };
  request('/orders', 200, 100, 'contoso');
  request('/orders', 500, 300, 'contoso');
  request('/cart', 404, 50, 'fabrikam');
  const db = tracer.startSpan('SELECT', { kind: SpanKind.CLIENT, startTime: start, attributes: { 'db.system': 'postgresql', 'server.address': 'db', 'db.statement': 'SELECT * FROM orders' } });
  db.setStatus({ code: SpanStatusCode.ERROR });
  db.end(start + 40);
  logger.emit({ body: 'payment accepted', severityNumber: SeverityNumber.INFO });
  logger.emit({ body: 'failed', attributes: { 'exception.type': 'StockError', 'exception.message': 'out of stock' } });
  return { items, mappings: () => mappings };
}

const configuration = (over: Partial<CollectionConfigurationInfo> = {}): CollectionConfigurationInfo => ({ ETag: 'e1', Metrics: [], DocumentStreams: [], ...over });

function watchedAccumulator(info?: CollectionConfigurationInfo) {
  const acc = createLiveMetricsAccumulator({ processStats: STATS });
  acc.onSubscribedChange?.(true);
  if (info) acc.onConfiguration?.(info, info.ETag);
  return acc;
}

describe('Live Metrics filtering in the accumulator', () => {
  it('posts each derived metric as {Name: Id, Value, Weight: 1}', () => {
    const acc = watchedAccumulator(configuration({
      Metrics: [
        { Id: 'failed-requests', TelemetryType: 'Request', FilterGroups: [{ Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
        { Id: 'contoso-avg-ms', TelemetryType: 'Request', FilterGroups: [{ Filters: [{ FieldName: 'CustomDimensions.tenant', Predicate: 'Equal', Comparand: 'contoso' }] }], Projection: 'Duration', Aggregation: 'Avg', BackEndAggregation: 'Avg' },
        { Id: 'max-cost', TelemetryType: 'Request', FilterGroups: [], Projection: 'CustomDimensions.cost', Aggregation: 'Max', BackEndAggregation: 'Max' },
        { Id: 'db-calls', TelemetryType: 'Dependency', FilterGroups: [{ Filters: [{ FieldName: 'Type', Predicate: 'Equal', Comparand: 'postgresql' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
        { Id: 'stock-errors', TelemetryType: 'Exception', FilterGroups: [{ Filters: [{ FieldName: 'Exception.Message', Predicate: 'Contains', Comparand: 'STOCK' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
        { Id: 'payments', TelemetryType: 'Trace', FilterGroups: [{ Filters: [{ FieldName: 'Message', Predicate: 'Contains', Comparand: 'payment' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
      ],
    }));
    tappedItems().items.forEach((item) => acc.record(item));
    const sample = acc.collect();
    const derived = Object.fromEntries(sample.metrics.filter((m) => !m.Name.startsWith('\\')).map((m) => [m.Name, [m.Value, m.Weight]]));
    expect(derived).toEqual({
      'failed-requests': [2, 1], 'contoso-avg-ms': [200, 1], 'max-cost': [30, 1], 'db-calls': [1, 1], 'stock-errors': [1, 1], payments: [1, 1],
    });
    expect(sample.errors).toEqual([]);
  });

  it('sends a document only when it matches a stream of its type, with every matching stream id; types without streams go as before (no ids)', () => {
    const acc = watchedAccumulator(configuration({
      DocumentStreams: [
        { Id: 'failures', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] } }] },
        { Id: 'orders', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Url', Predicate: 'Contains', Comparand: '/orders' }] } }] },
      ],
    }));
    tappedItems().items.forEach((item) => acc.record(item));
    const documents = acc.collect().documents;
    expect(documents.filter((d) => d.DocumentType === 'Request').map((d) => [d.Url, d.DocumentStreamIds])).toEqual([
      ['http://shop/orders', ['orders']],
      ['http://shop/orders', ['failures', 'orders']],
      ['http://shop/cart', ['failures']],
    ]);
    expect(documents.filter((d) => d.DocumentType !== 'Request').map((d) => [d.DocumentType, d.DocumentStreamIds])).toEqual([
      ['RemoteDependency', []], ['Trace', []], ['Exception', []],
    ]);
  });

  it('filters before the 20-document cap: matching documents are not crowded out by others', () => {
    const acc = watchedAccumulator(configuration({
      DocumentStreams: [{ Id: 'cart', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Url', Predicate: 'Contains', Comparand: 'cart' }] } }] }],
    }));
    const { items } = tappedItems();
    const orders = items.filter((i) => i.kind === 'request').slice(0, 2);
    for (let i = 0; i < MAX_DOCUMENTS_PER_POST * 2; i++) orders.forEach((item) => acc.record(item));
    items.forEach((item) => acc.record(item));
    expect(acc.collect().documents.filter((d) => d.DocumentType === 'Request')).toEqual([expect.objectContaining({ Url: 'http://shop/cart', DocumentStreamIds: ['cart'] })]);
  });

  it('posts the configuration errors, run-time ones once per post', () => {
    const acc = watchedAccumulator(configuration({
      Metrics: [
        { Id: 'events', TelemetryType: 'Event', FilterGroups: [], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
        { Id: 'by-missing', TelemetryType: 'Request', FilterGroups: [], Projection: 'CustomDimensions.missing', Aggregation: 'Sum', BackEndAggregation: 'Sum' },
      ],
    }));
    tappedItems().items.forEach((item) => acc.record(item));
    const first = acc.collect().errors ?? [];
    expect(first.map((e) => [e.CollectionConfigurationErrorType, e.Data[0]?.value])).toEqual([['MetricTelemetryTypeUnsupported', 'events'], ['MetricFailureToCreate', 'by-missing']]);
    expect((acc.collect().errors ?? []).map((e) => e.CollectionConfigurationErrorType)).toEqual(['MetricTelemetryTypeUnsupported']);
  });

  it('drops the configuration when nobody watches any more', () => {
    const acc = watchedAccumulator(configuration({ Metrics: [{ Id: 'all', TelemetryType: 'Request', FilterGroups: [], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' }] }));
    acc.onSubscribedChange?.(false);
    acc.onSubscribedChange?.(true);
    tappedItems().items.forEach((item) => acc.record(item));
    const sample = acc.collect();
    expect(sample.metrics.find((m) => m.Name === 'all')).toBeUndefined();
    expect(sample.documents.every((d) => d.DocumentStreamIds?.length === 0)).toBe(true);
  });

  it('costs no mapping beyond the 20 documents without a configuration, nor for filters on facts only (Success, Duration, codes, Type, Target)', () => {
    const noConfig = tappedItems();
    const documentsOnly = watchedAccumulator();
    noConfig.items.forEach((item) => documentsOnly.record(item));
    expect(noConfig.mappings()).toBe(noConfig.items.length); // one per document, nothing else

    const factsOnly = tappedItems();
    const acc = watchedAccumulator(configuration({
      Metrics: [{ Id: 'slow', TelemetryType: 'Request', FilterGroups: [{ Filters: [{ FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.0:0:0.2' }, { FieldName: 'ResponseCode', Predicate: 'GreaterThanOrEqual', Comparand: '500' }] }], Projection: 'Duration', Aggregation: 'Max', BackEndAggregation: 'Max' }],
      DocumentStreams: [{ Id: 'failed-deps', DocumentFilterGroups: [{ TelemetryType: 'Dependency', Filters: { Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] } }] }],
    }));
    factsOnly.items.forEach((item) => acc.record(item));
    expect(factsOnly.mappings()).toBe(factsOnly.items.length); // still one per document sent
    expect(acc.collect().metrics.find((m) => m.Name === 'slow')?.Value).toBe(300);
  });
});
