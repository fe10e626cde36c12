// Queries copied from Microsoft's public documentation (each with the page it comes from), and the
// result each gives on the seed data of seed.ts, worked out by hand from the seed.
//
// `columns`/`rows` are compared exactly (values as the query API returns them: ISO datetimes,
// timespans as [d.]hh:mm:ss, reals as numbers); `column`/`values` compare one column when the full
// table is wide; `error` is a fragment of the 400 error the query must get (where the service
// rejects the documented text too).

/** Expected outcome of one documented query. */
export type Expectation =
  | { readonly columns?: readonly string[]; readonly rows: readonly (readonly unknown[])[] }
  | { readonly column: string; readonly values: readonly unknown[] }
  | { readonly error: string };

/** One documented query. */
export interface DocumentedQuery {
  readonly id: string;
  readonly source: { readonly title: string; readonly url: string };
  readonly query: string;
  readonly expect: Expectation;
}

/** `2026-01-01T<hh:mm>:00.000Z`, the way the query API prints a seed datetime. */
export const T = (hhmm: string): string => `2026-01-01T${hhmm}:00.000Z`;

const LOG_METRICS = { title: 'Application Insights log-based metrics', url: 'https://learn.microsoft.com/azure/azure-monitor/app/app-insights-metrics' };
const SAMPLING = { title: 'Sampling in Application Insights: knowing whether sampling is in operation', url: 'https://learn.microsoft.com/azure/azure-monitor/app/sampling-classic-api' };
const CUSTOM_EVENTS = { title: 'Application Insights API for custom events and metrics: custom measurements and properties in Analytics', url: 'https://learn.microsoft.com/azure/azure-monitor/app/api-custom-events-metrics' };
const ANALYTICS_REF = { title: 'Reference for Analytics (Application Insights Analytics language reference)', url: 'https://docs.microsoft.com/azure/application-insights/app-insights-analytics-reference' };
const SQL_CHEATSHEET = { title: 'SQL to Azure Monitor log query cheat sheet', url: 'https://learn.microsoft.com/azure/azure-monitor/logs/sql-cheatsheet' };
const DEPENDENCIES = { title: 'Dependency tracking in Application Insights: Analytics', url: 'https://learn.microsoft.com/azure/azure-monitor/app/asp-net-dependencies' };

const perfCounter = (category: string, counter: string, name: string): string => `performanceCounters
| where ((category == "${category}" and counter == "${counter}") or name == "${name}")
| extend performanceCounter_value = iif(itemType == "performanceCounter", value, todouble(''))
| summarize sum(performanceCounter_value) / count() by bin(timestamp, 1m)
| render timechart`;

const browserTiming = (column: string): string => `browserTimings
| where notempty(${column})
| extend _sum = ${column}
| extend _count = itemCount
| extend _sum = _sum * _count
| summarize sum(_sum) / sum(_count) by bin(timestamp, 5m)
| render timechart`;

const USAGE_UNION = 'union traces, requests, pageViews, dependencies, customEvents, availabilityResults, exceptions, customMetrics, browserTimings';

/** The corpus the emulator's KQL is built and tested against. */
export const DOCUMENTED_QUERIES: readonly DocumentedQuery[] = [
  // ---- log-based metric definitions
  { id: 'availability-percentage', source: LOG_METRICS, query: 'availabilityResults \n| summarize sum(todouble(success == 1) * 100) / count() by bin(timestamp, 5m), location\n| render timechart', expect: { rows: [[T('11:50'), 'West US', 100], [T('11:50'), 'East US', 0], [T('11:55'), 'West US', 100]] } },
  { id: 'availability-duration', source: LOG_METRICS, query: "availabilityResults\n| where notempty(duration)\n| extend availabilityResult_duration = iif(itemType == 'availabilityResult', duration, todouble(''))\n| summarize sum(availabilityResult_duration)/sum(itemCount) by bin(timestamp, 5m), location\n| render timechart", expect: { rows: [[T('11:50'), 'West US', 250], [T('11:50'), 'East US', 1000], [T('11:55'), 'West US', 350]] } },
  { id: 'availability-count', source: LOG_METRICS, query: 'availabilityResults\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render timechart', expect: { columns: ['timestamp', 'sum_itemCount'], rows: [[T('11:50'), 2], [T('11:55'), 1]] } },
  { id: 'browser-total-duration', source: LOG_METRICS, query: browserTiming('totalDuration'), expect: { rows: [[T('11:55'), 1500], [T('11:10'), 900]] } },
  { id: 'browser-processing-duration', source: LOG_METRICS, query: browserTiming('processingDuration'), expect: { rows: [[T('11:55'), 1190], [T('11:10'), 745]] } },
  { id: 'browser-network-duration', source: LOG_METRICS, query: browserTiming('networkDuration'), expect: { rows: [[T('11:55'), 100], [T('11:10'), 50]] } },
  { id: 'browser-receive-duration', source: LOG_METRICS, query: browserTiming('receiveDuration'), expect: { rows: [[T('11:55'), 200], [T('11:10'), 100]] } },
  { id: 'browser-send-duration', source: LOG_METRICS, query: browserTiming('sendDuration'), expect: { rows: [[T('11:55'), 10], [T('11:10'), 5]] } },
  { id: 'exceptions-browser', source: LOG_METRICS, query: 'exceptions\n| where notempty(client_Browser)\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart', expect: { columns: ['timestamp', 'sum_itemCount'], rows: [[T('11:30'), 1]] } },
  { id: 'dependencies-failed', source: LOG_METRICS, query: "dependencies\n| where success == 'False'\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart", expect: { rows: [[T('11:55'), 1]] } },
  { id: 'exceptions-count', source: LOG_METRICS, query: 'exceptions\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart', expect: { rows: [[T('11:55'), 1], [T('11:30'), 1]] } },
  { id: 'requests-failed', source: LOG_METRICS, query: "requests\n| where success == 'False'\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart", expect: { rows: [[T('11:55'), 1]] } },
  { id: 'exceptions-server', source: LOG_METRICS, query: 'exceptions\n| where isempty(client_Browser)\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart', expect: { rows: [[T('11:55'), 1]] } },
  { id: 'perf-available-memory', source: LOG_METRICS, query: perfCounter('Memory', 'Available Bytes', 'availableMemory'), expect: { rows: [[T('11:58'), 1000]] } },
  { id: 'perf-exception-rate', source: LOG_METRICS, query: "performanceCounters\n| where ((category == \".NET CLR Exceptions\" and counter == \"# of Exceps Thrown / sec\") or name == \"exceptionRate\")\n| extend performanceCounter_value = iif(itemType == 'performanceCounter',value,todouble(''))\n| summarize sum(performanceCounter_value) / count() by bin(timestamp, 1m)\n| render timechart", expect: { rows: [] } },
  { id: 'perf-request-execution-time', source: LOG_METRICS, query: perfCounter('ASP.NET Applications', 'Request Execution Time', 'requestExecutionTime'), expect: { rows: [] } },
  { id: 'perf-requests-per-second', source: LOG_METRICS, query: perfCounter('ASP.NET Applications', 'Requests/Sec', 'requestsPerSecond'), expect: { rows: [[T('11:59'), 12]] } },
  { id: 'perf-requests-in-queue', source: LOG_METRICS, query: perfCounter('ASP.NET Applications', 'Requests In Application Queue', 'requestsInQueue'), expect: { rows: [] } },
  { id: 'perf-process-cpu', source: LOG_METRICS, query: perfCounter('Process', '% Processor Time Normalized', 'processCpuPercentage'), expect: { rows: [[T('11:59'), 15]] } },
  { id: 'perf-process-io', source: LOG_METRICS, query: perfCounter('Process', 'IO Data Bytes/sec', 'processIOBytesPerSecond'), expect: { rows: [] } },
  { id: 'perf-process-private-bytes', source: LOG_METRICS, query: perfCounter('Process', 'Private Bytes', 'processPrivateBytes'), expect: { rows: [[T('11:59'), 2048]] } },
  { id: 'perf-processor-cpu', source: LOG_METRICS, query: perfCounter('Processor', '% Processor Time', 'processorCpuPercentage'), expect: { rows: [[T('11:58'), 50]] } },
  { id: 'dependencies-count', source: LOG_METRICS, query: 'dependencies\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart', expect: { rows: [[T('11:55'), 2], [T('11:40'), 3]] } },
  { id: 'dependencies-duration', source: LOG_METRICS, query: "dependencies\n| where notempty(duration)\n| extend dependency_duration = iif(itemType == 'dependency',duration,todouble(''))\n| extend _sum = dependency_duration\n| extend _count = itemCount\n| extend _sum = _sum*_count\n| summarize sum(_sum)/sum(_count) by bin(timestamp, 1m)\n| render timechart", expect: { rows: [[T('11:58'), 20], [T('11:57'), 200], [T('11:41'), 40]] } },
  { id: 'requests-count', source: LOG_METRICS, query: 'requests\n| summarize sum(itemCount) by bin(timestamp, 5m)\n| render barchart', expect: { rows: [[T('11:55'), 2], [T('11:40'), 2], [T('10:00'), 1]] } },
  { id: 'requests-duration', source: LOG_METRICS, query: "requests\n| where notempty(duration)\n| extend request_duration = iif(itemType == 'request', duration, todouble(''))\n| extend _sum = request_duration\n| extend _count = itemCount\n| extend _sum = _sum*_count\n| summarize sum(_sum) / sum(_count) by bin(timestamp, 1m)\n| render timechart", expect: { rows: [[T('11:58'), 100], [T('11:57'), 300], [T('11:40'), 50], [T('10:00'), 10]] } },
  { id: 'pageviews-duration', source: LOG_METRICS, query: "pageViews\n| where notempty(duration)\n| extend pageView_duration = iif(itemType == 'pageView', duration, todouble(''))\n| extend _sum = pageView_duration\n| extend _count = itemCount\n| extend _sum = _sum * _count\n| summarize sum(_sum) / sum(_count) by bin(timestamp, 5m)\n| render barchart", expect: { rows: [[T('11:55'), 1200], [T('11:10'), 700]] } },
  { id: 'pageviews-count', source: LOG_METRICS, query: 'pageViews\n| summarize sum(itemCount) by bin(timestamp, 1h)\n| render barchart', expect: { rows: [[T('11:00'), 3]] } },
  { id: 'sessions-count', source: LOG_METRICS, query: `${USAGE_UNION}\n| where notempty(session_Id)\n| summarize dcount(session_Id) by bin(timestamp, 1h)\n| render barchart`, expect: { columns: ['timestamp', 'dcount_session_Id'], rows: [[T('11:00'), 4]] } },
  { id: 'traces-count', source: LOG_METRICS, query: 'traces\n| summarize sum(itemCount) by bin(timestamp, 1h)\n| render barchart', expect: { rows: [[T('11:00'), 2], [T('10:00'), 1]] } },
  { id: 'users-count', source: LOG_METRICS, query: `${USAGE_UNION}\n| where notempty(user_Id)\n| summarize dcount(user_Id) by bin(timestamp, 1h)\n| render barchart`, expect: { columns: ['timestamp', 'dcount_user_Id'], rows: [[T('11:00'), 4]] } },
  { id: 'users-authenticated', source: LOG_METRICS, query: `${USAGE_UNION}\n| where notempty(user_AuthenticatedId)\n| summarize dcount(user_AuthenticatedId) by bin(timestamp, 1h)\n| render barchart`, expect: { rows: [[T('11:00'), 1]] } },
  // ---- sampling
  { id: 'sampling-retained-percentage', source: SAMPLING, query: 'union requests,dependencies,pageViews,browserTimings,exceptions,traces\n| where timestamp > ago(1d)\n| summarize RetainedPercentage = 100/avg(itemCount) by bin(timestamp, 1h), itemType', expect: { columns: ['timestamp', 'itemType', 'RetainedPercentage'], rows: [
    [T('11:00'), 'request', 75], [T('10:00'), 'request', 100], [T('11:00'), 'dependency', 60], [T('11:00'), 'pageView', 100],
    [T('11:00'), 'browserTiming', 100 / 1.5], [T('11:00'), 'exception', 100], [T('11:00'), 'trace', 100], [T('10:00'), 'trace', 100],
  ] } },
  // ---- custom events and metrics API
  { id: 'custom-dimensions-game', source: CUSTOM_EVENTS, query: 'requests\n| summarize sum(itemCount), avg(todouble(customMeasurements.score)) by tostring(customDimensions.game) ', expect: { columns: ['customDimensions_game', 'sum_itemCount', 'avg_customMeasurements_score'], rows: [['chess', 2, 15], ['go', 2, 5], ['', 1, null]] } },
  // ---- Analytics language reference
  { id: 'let-tabular', source: ANALYTICS_REF, query: 'let recentReqs = requests | where timestamp > ago(3d); \nrecentReqs | count', expect: { columns: ['Count'], rows: [[4]] } },
  { id: 'let-scalar', source: ANALYTICS_REF, query: 'let interval = 3d; \nrequests | where timestamp > ago(interval)', expect: { column: 'name', values: ['GET /cart', 'GET /cart', 'POST /pay', 'GET /health'] } },
  { id: 'let-lambda-tabular', source: ANALYTICS_REF, query: 'let Recent = \n   (interval:timespan) { requests | where timestamp > ago(interval) };\nRecent(3h) | count', expect: { rows: [[4]] } },
  { id: 'let-lambda-scalar', source: ANALYTICS_REF, query: "let us_date = (t:datetime) { strcat(getmonth(t),'/',dayofmonth(t),'/',getyear(t)) }; \nrequests | summarize count() by bin(timestamp, 1d) | project count_, day=us_date(timestamp)", expect: { columns: ['count_', 'day'], rows: [[4, '1/1/2026']] } },
  { id: 'pipeline-comments', source: ANALYTICS_REF, query: 'requests // The request table starts this pipeline.\n| where client_City == "London" // filter the records\n   and timestamp > ago(3d)\n| count ', expect: { rows: [[1]] } },
  { id: 'let-function-with-lets', source: ANALYTICS_REF, query: '    let interval = 3d ;\n    let city = "London" ;\n    let req = (city:string) {\n      requests\n      | where client_City == city and timestamp > ago(interval) };\n    req(city) | count', expect: { rows: [[1]] } },
  { id: 'count-operator', source: ANALYTICS_REF, query: 'requests | count', expect: { rows: [[4]] } },
  { id: 'extend-age', source: ANALYTICS_REF, query: 'traces\n| extend\n    Age = now() - timestamp', expect: { column: 'Age', values: ['00:02:00', '00:03:00', '01:30:00'] } },
  { id: 'summarize-makeset', source: ANALYTICS_REF, query: 'requests\n  \t| summarize count(), avg(duration), makeset(client_City) \n      by client_CountryOrRegion', expect: { columns: ['client_CountryOrRegion', 'count_', 'avg_duration', 'set_client_City'], rows: [['United Kingdom', 1, 100, '["London"]'], ['France', 1, 300, '["Paris"]'], ['Sweden', 1, 50, '["Stockholm"]'], ['', 1, 10, '[""]']] } },
  { id: 'dcount-by-success', source: ANALYTICS_REF, query: 'requests | summarize dcount(name) by success', expect: { columns: ['success', 'dcount_name'], rows: [['True', 3], ['False', 1]] } },
  { id: 'dcount-cities', source: ANALYTICS_REF, query: 'pageViews \n  \t| summarize cities=dcount(client_City) \n      by client_CountryOrRegion', expect: { columns: ['client_CountryOrRegion', 'cities'], rows: [['United Kingdom', 1], ['Sweden', 1], ['Norway', 1]] } },
  { id: 'dcountif-cities', source: ANALYTICS_REF, query: 'pageViews \n  \t| summarize cities=dcountif(client_City, client_City startswith "St") \n      by client_CountryOrRegion', expect: { rows: [['United Kingdom', 0], ['Sweden', 1], ['Norway', 1]] } },
  { id: 'makeset-cities', source: ANALYTICS_REF, query: 'pageViews \n  \t| summarize cities=makeset(client_City) \n      by client_CountryOrRegion', expect: { rows: [['United Kingdom', '["London"]'], ['Sweden', '["Stockholm"]'], ['Norway', '["Stavanger"]']] } },
  { id: 'percentiles-by-name', source: ANALYTICS_REF, query: 'requests \n  \t| summarize \n        percentiles(duration, 5, 20, 50, 80, 95) \n      by name', expect: {
    columns: ['name', 'percentile_duration_5', 'percentile_duration_20', 'percentile_duration_50', 'percentile_duration_80', 'percentile_duration_95'],
    rows: [['GET /cart', 100, 100, 100, 300, 300], ['POST /pay', 50, 50, 50, 50, 50], ['GET /health', 10, 10, 10, 10, 10]],
  } },
  { id: 'toscalar-baseline', source: ANALYTICS_REF, query: '    // Get the count of requests 5 days ago:\n    let baseline = toscalar(requests  \n        | where floor(timestamp, 1d) == floor(ago(5d),1d) | count);\n    // List the counts relative to that baseline:\n    requests | summarize daycount = count() by floor(timestamp, 1d)  \n  \t| extend relative = daycount - baseline', expect: { columns: ['timestamp', 'daycount', 'relative'], rows: [[T('00:00'), 4, 4]] } },
  // ---- SQL cheat sheet
  { id: 'sql-select-all', source: SQL_CHEATSHEET, query: 'dependencies', expect: { column: 'name', values: ['SELECT', 'GET /api', 'SELECT'] } },
  { id: 'sql-project', source: SQL_CHEATSHEET, query: 'dependencies \n| project name, resultCode', expect: { columns: ['name', 'resultCode'], rows: [['SELECT', '0'], ['GET /api', '503'], ['SELECT', '0']] } },
  { id: 'sql-take', source: SQL_CHEATSHEET, query: 'dependencies \n| take 100', expect: { column: 'target', values: ['db', 'backend', 'db'] } },
  { id: 'sql-isnotnull', source: SQL_CHEATSHEET, query: 'dependencies \n| where isnotnull(resultCode)', expect: { column: 'resultCode', values: ['0', '503', '0'] } },
  { id: 'sql-equality', source: SQL_CHEATSHEET, query: 'dependencies \n| where name == "abcde"', expect: { column: 'name', values: [] } },
  { id: 'sql-contains', source: SQL_CHEATSHEET, query: 'dependencies \n| where name contains "bcd"', expect: { column: 'name', values: [] } },
  { id: 'sql-startswith', source: SQL_CHEATSHEET, query: 'dependencies \n| where name startswith "abc"', expect: { column: 'name', values: [] } },
  { id: 'sql-last-day', source: SQL_CHEATSHEET, query: 'dependencies \n| where timestamp > ago(1d)', expect: { column: 'name', values: ['SELECT', 'GET /api', 'SELECT'] } },
  { id: 'sql-between', source: SQL_CHEATSHEET, query: 'dependencies \n| where timestamp between (datetime(2016-10-01) .. datetime(2016-10-01))', expect: { column: 'name', values: [] } },
  { id: 'sql-boolean', source: SQL_CHEATSHEET, query: 'dependencies \n| where success == "False"', expect: { column: 'name', values: ['GET /api'] } },
  { id: 'sql-order', source: SQL_CHEATSHEET, query: 'dependencies \n| order by timestamp asc', expect: { column: 'duration', values: [40, 200, 20] } },
  { id: 'sql-distinct', source: SQL_CHEATSHEET, query: 'dependencies \n| summarize by name, type', expect: { columns: ['name', 'type'], rows: [['SELECT', 'SQL'], ['GET /api', 'HTTP']] } },
  { id: 'sql-group-avg', source: SQL_CHEATSHEET, query: 'dependencies \n| summarize avg(duration) by name', expect: { columns: ['name', 'avg_duration'], rows: [['SELECT', 30], ['GET /api', 200]] } },
  { id: 'sql-alias', source: SQL_CHEATSHEET, query: 'dependencies \n| summarize AvgD=avg(duration) by operation_Name \n| project Name=operation_Name, AvgD', expect: { columns: ['Name', 'AvgD'], rows: [['GET /cart', 110], ['POST /pay', 40]] } },
  { id: 'sql-top', source: SQL_CHEATSHEET, query: 'dependencies \n| summarize Count=count() by name \n| top 100 by Count asc', expect: { columns: ['name', 'Count'], rows: [['GET /api', 1], ['SELECT', 2]] } },
  { id: 'sql-union', source: SQL_CHEATSHEET, query: 'union dependencies, exceptions', expect: { column: 'itemType', values: ['dependency', 'dependency', 'dependency', 'exception', 'exception'] } },
  { id: 'sql-union-where-unknown-column', source: SQL_CHEATSHEET, query: 'dependencies \n| where value > 4 \n| union (exceptions \n| where value < 5)', expect: { error: "'value'" } },
  { id: 'sql-join', source: SQL_CHEATSHEET, query: 'dependencies \n| join (exceptions) on operation_Id == operation_Id', expect: { error: '$left' } },
  // ---- dependency tracking
  { id: 'deps-failed', source: DEPENDENCIES, query: '    dependencies | where success != "True" | take 10', expect: { column: 'name', values: ['GET /api'] } },
  { id: 'deps-ajax', source: DEPENDENCIES, query: '    dependencies | where client_Type == "Browser" | take 10', expect: { column: 'name', values: [] } },
  { id: 'deps-join-requests', source: DEPENDENCIES, query: '    dependencies\n    | where timestamp > ago(1d) and  client_Type != "Browser"\n    | join (requests | where timestamp > ago(1d))\n      on operation_Id  ', expect: { column: 'name1', values: ['GET /cart', 'GET /cart', 'POST /pay'] } },
  { id: 'deps-join-browser-timings', source: DEPENDENCIES, query: '    dependencies\n    | where timestamp > ago(1d) and  client_Type == "Browser"\n    | join (browserTimings | where timestamp > ago(1d))\n      on operation_Id', expect: { column: 'name', values: [] } },
];
