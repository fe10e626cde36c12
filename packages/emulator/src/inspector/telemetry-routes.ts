import type { Registry } from '../config/create-registry';
import type { Store } from '../storage/store';
import { isTableName, TABLE_NAMES, TABLE_SCHEMAS, type TableName } from '../storage/table-schemas';
import { buildTransaction } from './build-transaction';
import { InspectorBadRequest, sendInspectorJson, type InspectorRoutes } from './inspector-io';
import { resourceOrDefault } from './inspector-resource';
import { readTelemetryPage } from './read-telemetry-page';

function tableOf(name: string | null): TableName {
  if (name === null || !isTableName(name)) throw new InspectorBadRequest(`"table" must be one of ${TABLE_NAMES.join(', ')}`);
  return name;
}

/**
 * `GET tables` (names, counts, columns), `GET items` (one page of a table, newest first, paged and
 * filtered by the store) and `GET transaction` (the items of one operation id as a tree), each for
 * the `resource` named (default: the first).
 */
export function telemetryRoutes(store: Store, registry: Registry): InspectorRoutes {
  const appIdOf = (q: URLSearchParams): string => registry.resource(resourceOrDefault(registry, q.get('resource'))).applicationId;
  return {
    'GET tables': (_req, res, q) => {
      const appId = appIdOf(q);
      sendInspectorJson(res, 200, TABLE_NAMES.map((t) => ({ name: t, count: store.count(t, { appId }), columns: TABLE_SCHEMAS[t] })));
    },
    'GET items': (_req, res, q) => {
      const table = tableOf(q.get('table'));
      const page = readTelemetryPage(store, table, appIdOf(q), { filter: q.get('filter') ?? '', offset: Number(q.get('offset') ?? 0) || 0, limit: Number(q.get('limit') ?? 100) || 100 });
      sendInspectorJson(res, 200, { table, columns: TABLE_SCHEMAS[table], ...page });
    },
    'GET transaction': (_req, res, q) => {
      const operationId = q.get('operationId') ?? '';
      if (operationId === '') throw new InspectorBadRequest('"operationId" is required');
      const appId = appIdOf(q);
      const rowsByTable = new Map(TABLE_NAMES.map((t) => [t, store.read(t, { appId, operationId })] as const));
      sendInspectorJson(res, 200, buildTransaction(operationId, rowsByTable));
    },
  };
}
