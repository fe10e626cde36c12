/**
 * Metric names the distro emits that Application Insights knows by another name: performance
 * counters (stored in the `performanceCounters` table, charted by the portal's counter names) and
 * standard metrics (pre-aggregated request/dependency/exception/trace metrics the portal's
 * charts use). OTel names match the official Azure Monitor distro's, so either distro's metrics map
 * the same way.
 */

/** OTel metric name -> the portal's performance-counter name. */
export const PERFORMANCE_COUNTER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  Processor_Time: '\\Processor(_Total)\\% Processor Time',
  Process_Time: '\\Process(??APP_WIN32_PROC??)\\% Processor Time',
  Process_Time_Normalized: '\\Process(??APP_WIN32_PROC??)\\% Processor Time Normalized',
  Private_Bytes: '\\Process(??APP_WIN32_PROC??)\\Private Bytes',
  Available_Bytes: '\\Memory\\Available Bytes',
  Request_Rate: '\\ASP.NET Applications(??APP_W3SVC_PROC??)\\Requests/Sec',
  Request_Execution_Time: '\\ASP.NET Applications(??APP_W3SVC_PROC??)\\Request Execution Time',
  Exception_Rate: '\\.NET CLR Exceptions(??APP_CLR_PROC??)\\# of Exceps Thrown / sec',
});

/** OTel metric name -> the standard metric's id (`_MS.MetricId`, also used as the envelope metric name). */
export const STANDARD_METRIC_IDS: Readonly<Record<string, string>> = Object.freeze({
  'azureMonitor.http.requestDuration': 'requests/duration',
  'azureMonitor.http.dependencyDuration': 'dependencies/duration',
  'azureMonitor.exceptionCount': 'exceptions/count',
  'azureMonitor.traceCount': 'traces/count',
});

/** Property naming the standard metric a MetricData item carries. */
const METRIC_ID_PROPERTY = '_MS.MetricId';
/** Property marking a standard metric as collected by the SDK. */
const IS_AUTOCOLLECTED_PROPERTY = '_MS.IsAutocollected';

/** The wire name of a metric and the properties its name implies. */
export interface WireMetricName {
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
}

const NO_PROPERTIES: Readonly<Record<string, string>> = Object.freeze({});

/** Maps an OTel metric name to its wire name (performance counter, standard metric, or unchanged). */
export function metricNameToWire(otelName: string): WireMetricName {
  const counter = PERFORMANCE_COUNTER_NAMES[otelName];
  if (counter !== undefined) return { name: counter, properties: NO_PROPERTIES };
  const metricId = STANDARD_METRIC_IDS[otelName];
  if (metricId !== undefined) return { name: metricId, properties: { [METRIC_ID_PROPERTY]: metricId, [IS_AUTOCOLLECTED_PROPERTY]: 'True' } };
  return { name: otelName, properties: NO_PROPERTIES };
}
