import { classifyItem } from '../../../src/export/delivery-stats/classify-item';

const item = (baseType: string, baseData: object = {}): object => ({ name: 'x', data: { baseType, baseData } });
const metric = (name: string): object => item('MetricData', { ver: 2, metrics: [{ name, value: 1 }] });

describe('classifyItem', () => {
  it.each([
    ['a request, successful', item('RequestData', { success: true }), { type: 'REQUEST', success: true }],
    ['a request, failed', item('RequestData', { success: false }), { type: 'REQUEST', success: false }],
    ['a dependency', item('RemoteDependencyData', { success: false }), { type: 'DEPENDENCY', success: false }],
    ['a dependency without success', item('RemoteDependencyData'), { type: 'DEPENDENCY' }],
    ['an exception', item('ExceptionData'), { type: 'EXCEPTION' }],
    ['a trace', item('MessageData'), { type: 'TRACE' }],
    ['an event', item('EventData'), { type: 'CUSTOM_EVENT' }],
    ['an availability result', item('AvailabilityData'), { type: 'AVAILABILITY' }],
    ['a page view', item('PageViewData'), { type: 'PAGE_VIEW' }],
    ['a custom metric', metric('orders'), { type: 'CUSTOM_METRIC' }],
    ['a performance counter', metric('\\Processor(_Total)\\% Processor Time'), { type: 'PERFORMANCE_COUNTER' }],
    ['an unknown base type', item('SomethingData'), { type: 'UNKNOWN' }],
    ['no data', { name: 'x' }, { type: 'UNKNOWN' }],
    ['not an object', 'nonsense', { type: 'UNKNOWN' }],
    ['a metric without data points', item('MetricData', { ver: 2, metrics: [] }), { type: 'CUSTOM_METRIC' }],
  ])('%s', (_name, input, expected) => {
    expect(classifyItem(input)).toEqual(expected);
  });

  it.each(['Item_Success_Count', 'Item_Dropped_Count', 'Item_Retry_Count'])('never counts our own SDK Stats item %s', (name) => {
    expect(classifyItem(metric(name))).toBeUndefined();
  });
});
