import { randomUUID } from 'node:crypto';
import type { Envelope } from '../ingestion/validate-envelope';
import type { CellValue, Row } from './row';
import { BASE_TYPE_TABLES, ITEM_TYPES, type TableName } from './table-schemas';
import { parseDuration, performanceBucket } from './parse-duration';
import { parsePerformanceCounterName } from './parse-performance-counter-name';

/** A row destined for a table. */
export interface TableRow {
  readonly table: TableName;
  readonly row: Row;
}

/** What the mapping needs to know about the resource that received the item. */
export interface RowResource {
  readonly applicationId: string;
  readonly name: string;
}

const TAG_COLUMNS: readonly [string, string][] = [
  ['ai.operation.name', 'operation_Name'], ['ai.operation.id', 'operation_Id'], ['ai.operation.parentId', 'operation_ParentId'],
  ['ai.operation.syntheticSource', 'operation_SyntheticSource'], ['ai.session.id', 'session_Id'], ['ai.user.id', 'user_Id'],
  ['ai.user.authUserId', 'user_AuthenticatedId'], ['ai.user.accountId', 'user_AccountId'], ['ai.application.ver', 'application_Version'],
  ['ai.device.type', 'client_Type'], ['ai.device.model', 'client_Model'], ['ai.device.osVersion', 'client_OS'], ['ai.location.ip', 'client_IP'],
  ['ai.location.city', 'client_City'], ['ai.location.province', 'client_StateOrProvince'], ['ai.location.country', 'client_CountryOrRegion'],
  ['ai.device.browserVersion', 'client_Browser'], ['ai.cloud.role', 'cloud_RoleName'], ['ai.cloud.roleInstance', 'cloud_RoleInstance'],
  ['ai.internal.sdkVersion', 'sdkVersion'],
];

/**
 * Columns with a second tag to read when the first is absent: Microsoft's browser SDK names the
 * browser and the operating system (`ai.device.browser`, `ai.device.os`) when it has no version tag.
 */
const FALLBACK_TAG_COLUMNS: readonly [string, string][] = [['ai.device.os', 'client_OS'], ['ai.device.browser', 'client_Browser']];

const SEVERITY: Readonly<Record<string, number>> = { Verbose: 0, Information: 1, Warning: 2, Error: 3, Critical: 4 };

const str = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 ? (v as Record<string, unknown>) : null);

function severity(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return typeof v === 'string' && Object.hasOwn(SEVERITY, v) ? (SEVERITY[v] as number) : null;
}

function successOf(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return typeof v === 'string' ? v.toLowerCase() === 'true' : true;
}

function commonColumns(e: Envelope, table: TableName, resource: RowResource): Row {
  const row: Row = {};
  const tags = e.tags ?? {};
  for (const [tag, column] of TAG_COLUMNS) row[column] = str(tags[tag]);
  for (const [tag, column] of FALLBACK_TAG_COLUMNS) row[column] ??= str(tags[tag]);
  row['timestamp'] = Date.parse(e.time);
  row['appId'] = resource.applicationId;
  row['appName'] = resource.name;
  row['iKey'] = e.iKey.toLowerCase();
  row['itemId'] = randomUUID();
  row['itemType'] = ITEM_TYPES[table];
  row['itemCount'] = e.sampleRate !== undefined ? Math.max(1, Math.round(100 / e.sampleRate)) : 1;
  row['customDimensions'] = obj(e.data.baseData['properties']);
  row['customMeasurements'] = obj(e.data.baseData['measurements']);
  return row;
}

function exceptionColumns(b: Record<string, unknown>): Row {
  const list = (b['exceptions'] as Record<string, unknown>[]);
  const outer = list[0] ?? {};
  const inner = list[list.length - 1] ?? {};
  const frame = (x: Record<string, unknown>): Record<string, unknown> => (Array.isArray(x['parsedStack']) && obj(x['parsedStack'][0])) || {};
  const method = (x: Record<string, unknown>): string | null => str(frame(x)['method']);
  const assembly = (x: Record<string, unknown>): string | null => str(frame(x)['assembly']);
  return {
    problemId: str(b['problemId']) ?? `${String(outer['typeName'])} at ${method(outer) ?? '<unknown>'}`,
    handledAt: str(b['handledAt']) ?? 'UserCode',
    type: str(outer['typeName']), message: str(outer['message']), assembly: assembly(outer), method: method(outer),
    outerType: str(outer['typeName']), outerMessage: str(outer['message']), outerAssembly: assembly(outer), outerMethod: method(outer),
    innermostType: str(inner['typeName']), innermostMessage: str(inner['message']), innermostAssembly: assembly(inner), innermostMethod: method(inner),
    severityLevel: severity(b['severityLevel']),
    details: list as unknown as CellValue,
  };
}

/** Maps a validated envelope to the row(s) it becomes (MetricData may carry several metrics). */
export function envelopeToRows(e: Envelope, resource: RowResource): TableRow[] {
  const table = BASE_TYPE_TABLES[e.data.baseType] as TableName;
  const b = e.data.baseData;
  const common = commonColumns(e, table, resource);
  switch (table) {
    case 'requests': {
      const duration = parseDuration(b['duration']) ?? 0;
      return [{ table, row: { ...common, id: str(b['id']), source: str(b['source']), name: str(b['name']), url: str(b['url']), success: successOf(b['success']), resultCode: str(b['responseCode']), duration, performanceBucket: performanceBucket(duration) } }];
    }
    case 'dependencies': {
      const duration = parseDuration(b['duration']) ?? 0;
      return [{ table, row: { ...common, id: str(b['id']), target: str(b['target']), type: str(b['type']), name: str(b['name']), data: str(b['data']), success: successOf(b['success']), resultCode: str(b['resultCode']), duration, performanceBucket: performanceBucket(duration) } }];
    }
    case 'exceptions':
      return [{ table, row: { ...common, ...exceptionColumns(b) } }];
    case 'traces':
      return [{ table, row: { ...common, message: str(b['message']), severityLevel: severity(b['severityLevel']) } }];
    case 'customEvents':
      return [{ table, row: { ...common, name: str(b['name']) } }];
    case 'availabilityResults': {
      const duration = parseDuration(b['duration']) ?? 0;
      return [{ table, row: { ...common, id: str(b['id']), name: str(b['name']), location: str(b['runLocation']), success: successOf(b['success']), message: str(b['message']), size: null, duration, performanceBucket: performanceBucket(duration) } }];
    }
    case 'pageViews': {
      const duration = parseDuration(b['duration']) ?? 0;
      return [{ table, row: { ...common, id: str(b['id']), name: str(b['name']), url: str(b['url']), duration, performanceBucket: performanceBucket(duration) } }];
    }
    case 'browserTimings': { // PageViewPerfData: the durations of the page load phases
      const ms = (k: string): number | null => parseDuration(b[k]) ?? null;
      const total = ms('perfTotal') ?? ms('duration') ?? 0;
      return [{ table, row: { ...common, name: str(b['name']), url: str(b['url']), networkDuration: ms('networkConnect'), sendDuration: ms('sentRequest'), receiveDuration: ms('receivedResponse'), processingDuration: ms('domProcessing'), totalDuration: total, performanceBucket: performanceBucket(total) } }];
    }
    case 'customMetrics':
    case 'performanceCounters': // MetricData: each metric goes to one or the other by its name
      return (b['metrics'] as Record<string, unknown>[]).map((m) => {
        const value = num(m['value']) ?? 0;
        const { customMeasurements: _ignored, ...rest } = common;
        void _ignored;
        const counter = parsePerformanceCounterName(str(m['name']) ?? '');
        if (counter) {
          return { table: 'performanceCounters' as const, row: { ...rest, itemId: randomUUID(), itemType: ITEM_TYPES.performanceCounters, name: counter.counter, ...counter, value } };
        }
        return { table, row: { ...rest, itemId: randomUUID(), name: str(m['name']), value, valueCount: num(m['count']) ?? 1, valueSum: value, valueMin: num(m['min']) ?? value, valueMax: num(m['max']) ?? value, valueStdDev: num(m['stdDev']) ?? 0 } };
      });
  }
}
