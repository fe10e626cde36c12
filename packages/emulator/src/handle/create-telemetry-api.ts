import type { Registry } from '../config/create-registry';
import { formatResult, type QueryResponse } from '../query/format-result';
import { runQuery } from '../query/handle-query';
import { parseTimespan } from '../query/parse-timespan';
import type { EmulatorHandle, StoredItem } from '../start-emulator';
import type { Store } from '../storage/store';
import { TABLE_SCHEMAS, type TableName } from '../storage/table-schemas';
import { resourceOrFirst } from './first-resource';

/** Runs KQL without auth over a resource (default: the first), with the `render` hint when asked. */
export type QueryRunner = (kql: string, options: { resourceName?: string; timespan?: string }, includeRender: boolean) => QueryResponse;

/** Creates the query runner the handle and the inspector share. */
export function createQueryRunner(store: Store, registry: Registry, now: () => number): QueryRunner {
  return (kql, options, includeRender) => {
    const nowMillis = now();
    const range = options.timespan ? parseTimespan(options.timespan, nowMillis) : undefined;
    const appId = resourceOrFirst(registry, options.resourceName).applicationId;
    return formatResult(runQuery(store, appId, kql, range, nowMillis), { includeRender });
  };
}

/** A stored row as the handle shows it: every column of the table, datetimes as ISO strings. */
function toItem(table: TableName, row: Record<string, unknown>): StoredItem {
  const out: StoredItem = {};
  for (const c of TABLE_SCHEMAS[table]) {
    const v = row[c.name] ?? null;
    out[c.name] = c.type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v;
  }
  return out;
}

/** The handle's telemetry methods: stored items, counts, queries, clearing. */
export function createTelemetryApi(store: Store, registry: Registry, queryAs: QueryRunner): Pick<EmulatorHandle, 'items' | 'countItems' | 'query' | 'clearItems'> {
  const filterOf = (resourceName?: string): { appId?: string } => (resourceName === undefined ? {} : { appId: registry.resource(resourceName).applicationId });
  return {
    items: (table, resourceName) => store.read(table, filterOf(resourceName)).map((r) => toItem(table, r)),
    countItems: (table, resourceName) => store.count(table, filterOf(resourceName)),
    query: (kql, queryOptions = {}) => queryAs(kql, queryOptions, false),
    clearItems: () => store.clear(),
  };
}
