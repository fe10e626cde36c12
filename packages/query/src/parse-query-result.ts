import { ExporterError } from '@appinsights-otel/core';
import type { QueryColumn, QueryResult, QueryTable, QueryValue } from './query-types';

/**
 * Validates a query API success body (`{ tables: [{ name, columns: [{ name, type }], rows }] }`)
 * and returns it typed. Column names may also arrive as `ColumnName`/`DataType` (older API
 * versions); they are normalised to `name`/`type`.
 *
 * @throws ExporterError when the body is not that shape (the body is not echoed).
 */
export function parseQueryResult(body: unknown): QueryResult {
  if (!isRecord(body) || !Array.isArray(body['tables'])) {
    throw new ExporterError('query API answered 200 without a "tables" array; is the endpoint the Application Insights query API?');
  }
  return { tables: body['tables'].map((table, index) => parseTable(table, index)) };
}

function parseTable(table: unknown, index: number): QueryTable {
  if (!isRecord(table) || !Array.isArray(table['columns']) || !Array.isArray(table['rows'])) {
    throw new ExporterError(`query API table ${index} lacks "columns" or "rows"`);
  }
  const columns: QueryColumn[] = table['columns'].map((column, c) => {
    const name = isRecord(column) ? column['name'] ?? column['ColumnName'] : undefined;
    const type = isRecord(column) ? column['type'] ?? column['DataType'] ?? column['ColumnType'] : undefined;
    if (typeof name !== 'string') throw new ExporterError(`query API table ${index} column ${c} has no name`);
    return { name, type: typeof type === 'string' ? type.toLowerCase() : 'dynamic' };
  });
  const rows = table['rows'].map((row, r) => {
    if (!Array.isArray(row)) throw new ExporterError(`query API table ${index} row ${r} is not an array`);
    return row as QueryValue[];
  });
  return { name: typeof table['name'] === 'string' ? table['name'] : `Table_${index}`, columns, rows };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
