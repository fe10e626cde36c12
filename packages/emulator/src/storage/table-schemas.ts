import { CLASSIC_TABLE_COLUMNS, SCHEMA_DEVIATIONS } from './classic-table-schemas';

/** Kusto column types the query API reports. */
export type KustoType = 'datetime' | 'string' | 'real' | 'long' | 'int' | 'bool' | 'dynamic' | 'timespan' | 'guid' | 'decimal';

/** A column of an Application Insights table. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: KustoType;
}

/** Application Insights tables the emulator stores. */
export type TableName = keyof typeof CLASSIC_TABLE_COLUMNS;

/** All table names. */
export const TABLE_NAMES: readonly TableName[] = Object.keys(CLASSIC_TABLE_COLUMNS) as TableName[];

/** .NET type names of the schema source -> Kusto types. */
const DOTNET_TYPES: Readonly<Record<string, KustoType>> = {
  'System.String': 'string', 'System.DateTime': 'datetime', 'System.Double': 'real', 'System.Int32': 'int', 'System.Int64': 'long',
  'System.Object': 'dynamic', 'System.Boolean': 'bool', 'System.TimeSpan': 'timespan', 'System.Guid': 'guid', 'System.Decimal': 'decimal',
};

function schemaOf(table: TableName): ColumnSchema[] {
  return CLASSIC_TABLE_COLUMNS[table].map(([name, dotnet]) => {
    const type = SCHEMA_DEVIATIONS[`${table}.${name}`]?.type ?? dotnet;
    return { name, type: DOTNET_TYPES[type] ?? 'string' };
  });
}

/** Column lists, in the order the query API returns them (see classic-table-schemas.ts for the source). */
export const TABLE_SCHEMAS: Readonly<Record<TableName, readonly ColumnSchema[]>> = Object.fromEntries(TABLE_NAMES.map((t) => [t, schemaOf(t)])) as unknown as Record<TableName, readonly ColumnSchema[]>;

/** The `itemType` value of each table. */
export const ITEM_TYPES: Readonly<Record<TableName, string>> = {
  requests: 'request', dependencies: 'dependency', exceptions: 'exception', traces: 'trace', customEvents: 'customEvent', customMetrics: 'customMetric',
  availabilityResults: 'availabilityResult', pageViews: 'pageView', performanceCounters: 'performanceCounter', browserTimings: 'browserTiming',
};

/** Envelope `data.baseType` -> table (the page view types under their Bond aliases too, see contracts/track-schema.ts). */
export const BASE_TYPE_TABLES: Readonly<Record<string, TableName>> = {
  RequestData: 'requests',
  RemoteDependencyData: 'dependencies',
  ExceptionData: 'exceptions',
  MessageData: 'traces',
  EventData: 'customEvents',
  MetricData: 'customMetrics',
  AvailabilityData: 'availabilityResults',
  PageViewData: 'pageViews',
  PageviewData: 'pageViews',
  PageEventData: 'pageViews',
  PageViewPerfData: 'browserTimings',
  PageViewPerformanceData: 'browserTimings',
  PageviewPerformanceData: 'browserTimings',
};

/** Whether a string names a stored table. */
export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}
