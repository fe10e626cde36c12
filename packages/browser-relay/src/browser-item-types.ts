/** What an admitted browser item becomes on the way to ingestion. */
export interface BrowserItemType {
  /** `data.baseType` as the published v2 track contract names it. */
  readonly baseType: string;
  /** Last segment of the envelope name (`Microsoft.ApplicationInsights.<name>`). */
  readonly envelopeName: string;
}

const PAGE_VIEW: BrowserItemType = { baseType: 'PageViewData', envelopeName: 'PageView' };
const PAGE_VIEW_PERFORMANCE: BrowserItemType = { baseType: 'PageViewPerfData', envelopeName: 'PageViewPerformance' };

/**
 * The item types a browser may send, by the `data.baseType` it sends. The web SDK spells page views
 * `PageviewData` and browser timings `PageviewPerformanceData` (its `DataTypes`); they are forwarded
 * under the names of the published contract (`PageViewData`, `PageViewPerfData`). Server requests
 * (`RequestData`) and availability results are not browser telemetry and are not listed.
 */
export const BROWSER_ITEM_TYPES: Readonly<Record<string, BrowserItemType>> = Object.freeze({
  PageviewData: PAGE_VIEW,
  PageViewData: PAGE_VIEW,
  PageviewPerformanceData: PAGE_VIEW_PERFORMANCE,
  PageViewPerformanceData: PAGE_VIEW_PERFORMANCE,
  PageViewPerfData: PAGE_VIEW_PERFORMANCE,
  RemoteDependencyData: { baseType: 'RemoteDependencyData', envelopeName: 'RemoteDependency' },
  ExceptionData: { baseType: 'ExceptionData', envelopeName: 'Exception' },
  MessageData: { baseType: 'MessageData', envelopeName: 'Message' },
  EventData: { baseType: 'EventData', envelopeName: 'Event' },
  MetricData: { baseType: 'MetricData', envelopeName: 'Metric' },
});
