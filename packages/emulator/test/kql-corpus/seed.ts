// The telemetry the documented-query corpus runs over: a small shop whose every value is chosen so
// that each query's expected result can be worked out by hand (see documented-queries.ts).
import type { ResultTable } from '../../src/query/evaluate-kql';
import { KqlError } from '../../src/errors';
import { isTableName, ITEM_TYPES, TABLE_SCHEMAS, type TableName } from '../../src/storage/table-schemas';
import type { Row } from '../../src/storage/row';

/** `now()` of every corpus query. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (hhmmss: string): number => Date.parse(`2026-01-01T${hhmmss}Z`);

function rows(table: TableName, list: Row[]): Row[] {
  return list.map((r) => ({ itemType: ITEM_TYPES[table], itemCount: 1, appId: 'app', ...r }));
}

const SEED: Record<TableName, Row[]> = {
  requests: rows('requests', [
    { timestamp: at('11:58:00'), name: 'GET /cart', success: true, resultCode: '200', duration: 100, operation_Id: 'op1', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1', cloud_RoleName: 'web', client_City: 'London', client_CountryOrRegion: 'United Kingdom', url: 'http://shop/cart', customDimensions: { game: 'chess' }, customMeasurements: { score: 10 } },
    { timestamp: at('11:57:00'), name: 'GET /cart', success: false, resultCode: '500', duration: 300, operation_Id: 'op2', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1', cloud_RoleName: 'web', client_City: 'Paris', client_CountryOrRegion: 'France', url: 'http://shop/cart', customDimensions: { game: 'chess' }, customMeasurements: { score: 20 } },
    { timestamp: at('11:40:00'), name: 'POST /pay', success: true, resultCode: '201', duration: 50, itemCount: 2, operation_Id: 'op3', operation_Name: 'POST /pay', session_Id: 's2', user_Id: 'u2', user_AuthenticatedId: 'alice', cloud_RoleName: 'api', client_City: 'Stockholm', client_CountryOrRegion: 'Sweden', url: 'http://shop/pay', customDimensions: { game: 'go' }, customMeasurements: { score: 5 } },
    { timestamp: at('10:00:00'), name: 'GET /health', success: true, resultCode: '200', duration: 10, operation_Id: 'op4', operation_Name: 'GET /health', cloud_RoleName: 'api', url: 'http://shop/health' },
  ]),
  dependencies: rows('dependencies', [
    { timestamp: at('11:58:00'), name: 'SELECT', type: 'SQL', target: 'db', success: true, resultCode: '0', duration: 20, operation_Id: 'op1', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1' },
    { timestamp: at('11:57:00'), name: 'GET /api', type: 'HTTP', target: 'backend', success: false, resultCode: '503', duration: 200, operation_Id: 'op2', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1' },
    { timestamp: at('11:41:00'), name: 'SELECT', type: 'SQL', target: 'db', success: true, resultCode: '0', duration: 40, itemCount: 3, operation_Id: 'op3', operation_Name: 'POST /pay', session_Id: 's2', user_Id: 'u2', user_AuthenticatedId: 'alice' },
  ]),
  exceptions: rows('exceptions', [
    { timestamp: at('11:57:00'), type: 'System.InvalidOperationException', outerType: 'System.InvalidOperationException', outerMessage: 'boom', problemId: 'P1', severityLevel: 3, operation_Id: 'op2', session_Id: 's1', user_Id: 'u1', details: [{ message: 'boom', type: 'System.InvalidOperationException' }] },
    { timestamp: at('11:30:00'), type: 'TypeError', outerType: 'TypeError', outerMessage: 'x is undefined', problemId: 'P2', severityLevel: 3, client_Browser: 'Chrome 120', client_Type: 'Browser', operation_Id: 'op5', session_Id: 's3', user_Id: 'u3', details: [{ message: 'x is undefined', type: 'TypeError' }] },
  ]),
  traces: rows('traces', [
    { timestamp: at('11:58:00'), message: 'cart loaded items=3', severityLevel: 1, operation_Id: 'op1', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1', customDimensions: { category: 'cart' } },
    { timestamp: at('11:57:00'), message: 'payment failed code=E42', severityLevel: 3, operation_Id: 'op2', operation_Name: 'GET /cart', session_Id: 's1', user_Id: 'u1' },
    { timestamp: at('10:30:00'), message: 'startup', severityLevel: 0 },
  ]),
  customEvents: rows('customEvents', [
    { timestamp: at('11:50:00'), name: 'AddToCart', session_Id: 's1', user_Id: 'u1', customDimensions: { sku: 'A1' }, customMeasurements: { qty: 2 } },
    { timestamp: at('11:45:00'), name: 'AddToCart', session_Id: 's2', user_Id: 'u2', user_AuthenticatedId: 'alice', customDimensions: { sku: 'B2' }, customMeasurements: { qty: 1 } },
    { timestamp: at('11:20:00'), name: 'Checkout', session_Id: 's1', user_Id: 'u1' },
  ]),
  pageViews: rows('pageViews', [
    { timestamp: at('11:55:00'), name: 'Cart', url: 'http://shop/cart', duration: 1200, session_Id: 's1', user_Id: 'u1', client_Browser: 'Chrome 120', client_City: 'London', client_CountryOrRegion: 'United Kingdom' },
    { timestamp: at('11:10:00'), name: 'Home', url: 'http://shop/', duration: 800, session_Id: 's3', user_Id: 'u3', client_City: 'Stockholm', client_CountryOrRegion: 'Sweden' },
    { timestamp: at('11:12:00'), name: 'Home', url: 'http://shop/', duration: 600, session_Id: 's4', user_Id: 'u4', client_City: 'Stavanger', client_CountryOrRegion: 'Norway' },
  ]),
  browserTimings: rows('browserTimings', [
    { timestamp: at('11:55:00'), name: 'Cart', url: 'http://shop/cart', totalDuration: 1500, networkDuration: 100, sendDuration: 10, receiveDuration: 200, processingDuration: 1190, session_Id: 's1', user_Id: 'u1' },
    { timestamp: at('11:11:00'), name: 'Home', url: 'http://shop/', totalDuration: 900, networkDuration: 50, sendDuration: 5, receiveDuration: 100, processingDuration: 745, itemCount: 2, session_Id: 's3', user_Id: 'u3' },
  ]),
  availabilityResults: rows('availabilityResults', [
    { timestamp: at('11:50:00'), name: 'Homepage', location: 'West US', success: true, duration: 250 },
    { timestamp: at('11:51:00'), name: 'Homepage', location: 'East US', success: false, duration: 1000 },
    { timestamp: at('11:56:00'), name: 'Homepage', location: 'West US', success: true, duration: 350 },
  ]),
  performanceCounters: rows('performanceCounters', [
    { timestamp: at('11:58:00'), category: 'Processor', counter: '% Processor Time', name: '% Processor Time', instance: '_Total', value: 40 },
    { timestamp: at('11:58:30'), category: 'Processor', counter: '% Processor Time', name: '% Processor Time', instance: '_Total', value: 60 },
    { timestamp: at('11:58:00'), category: 'Memory', counter: 'Available Bytes', name: 'Available Bytes', instance: '', value: 1000 },
    { timestamp: at('11:59:00'), category: 'Process', counter: '% Processor Time Normalized', name: '% Processor Time Normalized', instance: '', value: 15 },
    { timestamp: at('11:59:00'), category: 'Process', counter: 'Private Bytes', name: 'Private Bytes', instance: '', value: 2048 },
    { timestamp: at('11:59:00'), category: 'ASP.NET Applications', counter: 'Requests/Sec', name: 'Requests/Sec', instance: '', value: 12 },
  ]),
  customMetrics: rows('customMetrics', [
    { timestamp: at('11:58:00'), name: 'queueLength', value: 5, valueCount: 1, valueSum: 5, valueMin: 5, valueMax: 5, valueStdDev: 0 },
    { timestamp: at('11:59:00'), name: 'queueLength', value: 7, valueCount: 1, valueSum: 7, valueMin: 7, valueMax: 7, valueStdDev: 0 },
  ]),
};

/** The corpus's table source: the seeded rows with each table's documented schema. */
export function seededSource(table: string): ResultTable {
  if (!isTableName(table)) throw new KqlError(`Failed to resolve table '${table}'`, { code: 'SEM0100', kind: 'SemanticError' });
  return { columns: TABLE_SCHEMAS[table], rows: SEED[table] };
}
