/** Kusto column types the query API reports. */
export type KustoType = 'datetime' | 'string' | 'real' | 'long' | 'int' | 'bool' | 'dynamic';

/** A column of an Application Insights table. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: KustoType;
}

/** Application Insights tables the emulator stores. */
export type TableName = 'requests' | 'dependencies' | 'exceptions' | 'traces' | 'customEvents' | 'customMetrics' | 'availabilityResults' | 'pageViews' | 'performanceCounters';

/** All table names. */
export const TABLE_NAMES: readonly TableName[] = ['requests', 'dependencies', 'exceptions', 'traces', 'customEvents', 'customMetrics', 'availabilityResults', 'pageViews', 'performanceCounters'];

const s = (name: string): ColumnSchema => ({ name, type: 'string' });

const CONTEXT_COLUMNS: readonly ColumnSchema[] = [
  s('operation_Name'), s('operation_Id'), s('operation_ParentId'), s('operation_SyntheticSource'),
  s('session_Id'), s('user_Id'), s('user_AuthenticatedId'), s('user_AccountId'), s('application_Version'),
  s('client_Type'), s('client_Model'), s('client_OS'), s('client_IP'), s('client_City'),
  s('client_StateOrProvince'), s('client_CountryOrRegion'), s('client_Browser'),
  s('cloud_RoleName'), s('cloud_RoleInstance'), s('appId'), s('appName'), s('iKey'), s('sdkVersion'),
  s('itemId'), s('itemType'), { name: 'itemCount', type: 'int' },
];
const DIMENSIONS: readonly ColumnSchema[] = [{ name: 'customDimensions', type: 'dynamic' }, { name: 'customMeasurements', type: 'dynamic' }];
const TIMESTAMP: ColumnSchema = { name: 'timestamp', type: 'datetime' };

/**
 * Column lists, in the order the query API returns them. `requests` matches the example response of
 * the "Query Application Insights using Microsoft Entra authentication" article.
 */
export const TABLE_SCHEMAS: Readonly<Record<TableName, readonly ColumnSchema[]>> = {
  requests: [
    TIMESTAMP, s('id'), s('source'), s('name'), s('url'), { name: 'success', type: 'bool' }, s('resultCode'),
    { name: 'duration', type: 'real' }, s('performanceBucket'), ...DIMENSIONS, ...CONTEXT_COLUMNS,
  ],
  dependencies: [
    TIMESTAMP, s('id'), s('target'), s('type'), s('name'), s('data'), { name: 'success', type: 'bool' }, s('resultCode'),
    { name: 'duration', type: 'real' }, s('performanceBucket'), ...DIMENSIONS, ...CONTEXT_COLUMNS,
  ],
  exceptions: [
    TIMESTAMP, s('problemId'), s('handledAt'), s('type'), s('message'), s('assembly'), s('method'),
    s('outerType'), s('outerMessage'), s('outerAssembly'), s('outerMethod'),
    s('innermostType'), s('innermostMessage'), s('innermostAssembly'), s('innermostMethod'),
    { name: 'severityLevel', type: 'int' }, { name: 'details', type: 'dynamic' }, ...DIMENSIONS, ...CONTEXT_COLUMNS,
  ],
  traces: [TIMESTAMP, s('message'), { name: 'severityLevel', type: 'int' }, ...DIMENSIONS, ...CONTEXT_COLUMNS],
  customEvents: [TIMESTAMP, s('name'), ...DIMENSIONS, ...CONTEXT_COLUMNS],
  customMetrics: [
    TIMESTAMP, s('name'), { name: 'value', type: 'real' }, { name: 'valueCount', type: 'int' }, { name: 'valueSum', type: 'real' },
    { name: 'valueMin', type: 'real' }, { name: 'valueMax', type: 'real' }, { name: 'valueStdDev', type: 'real' },
    { name: 'customDimensions', type: 'dynamic' }, ...CONTEXT_COLUMNS,
  ],
  availabilityResults: [
    TIMESTAMP, s('id'), s('name'), s('location'), { name: 'success', type: 'bool' }, s('message'), { name: 'size', type: 'real' },
    { name: 'duration', type: 'real' }, s('performanceBucket'), ...DIMENSIONS, ...CONTEXT_COLUMNS,
  ],
  pageViews: [
    TIMESTAMP, s('id'), s('name'), s('url'), { name: 'duration', type: 'real' }, s('performanceBucket'), ...DIMENSIONS, ...CONTEXT_COLUMNS,
  ],
  // MetricData whose metric name is `\Category(Instance)\Counter` (see parse-performance-counter-name.ts).
  performanceCounters: [
    TIMESTAMP, s('name'), s('category'), s('counter'), s('instance'), { name: 'value', type: 'real' },
    { name: 'customDimensions', type: 'dynamic' }, ...CONTEXT_COLUMNS,
  ],
};

/** The `itemType` value of each table. */
export const ITEM_TYPES: Readonly<Record<TableName, string>> = {
  requests: 'request', dependencies: 'dependency', exceptions: 'exception', traces: 'trace', customEvents: 'customEvent', customMetrics: 'customMetric',
  availabilityResults: 'availabilityResult', pageViews: 'pageView',
  performanceCounters: 'performanceCounter',
};

/** Envelope `data.baseType` -> table. */
export const BASE_TYPE_TABLES: Readonly<Record<string, TableName>> = {
  RequestData: 'requests',
  RemoteDependencyData: 'dependencies',
  ExceptionData: 'exceptions',
  MessageData: 'traces',
  EventData: 'customEvents',
  MetricData: 'customMetrics',
  AvailabilityData: 'availabilityResults',
  PageViewData: 'pageViews',
};

/** Whether a string names a stored table. */
export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}
