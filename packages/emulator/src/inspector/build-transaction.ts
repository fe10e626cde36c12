import type { Row } from '../storage/row';
import type { TableName } from '../storage/table-schemas';

/** One item of an operation, with the items it caused. */
export interface TransactionNode {
  readonly table: TableName;
  /** The item's `id` (requests, dependencies, page views, availability results), else undefined. */
  readonly id?: string;
  readonly parentId?: string;
  /** Request/dependency name, trace message, exception type or event name. */
  readonly label: string;
  readonly timestamp: number;
  readonly durationMillis?: number;
  readonly success?: boolean;
  /** For traces: severity level; for requests/dependencies: result code. */
  readonly detail?: string;
  readonly row: Row;
  readonly children: TransactionNode[];
}

/** The items of one operation id as a timed tree (roots first by time), as the portal's transaction view shows them. */
export interface Transaction {
  readonly operationId: string;
  readonly startTimestamp?: number;
  readonly endTimestamp?: number;
  readonly roots: readonly TransactionNode[];
  readonly itemCount: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function labelOf(table: TableName, row: Row): string {
  switch (table) {
    case 'traces': return str(row['message']) ?? '(empty message)';
    case 'exceptions': return `${str(row['type']) ?? 'exception'}: ${str(row['outerMessage']) ?? str(row['innermostMessage']) ?? ''}`;
    case 'dependencies': return `${str(row['type']) ?? 'dependency'} ${str(row['name']) ?? str(row['target']) ?? ''}`.trim();
    default: return str(row['name']) ?? table;
  }
}

function detailOf(table: TableName, row: Row): string | undefined {
  if (table === 'traces') return row['severityLevel'] === null || row['severityLevel'] === undefined ? undefined : `severity ${String(row['severityLevel'])}`;
  return str(row['resultCode']);
}

const byTime = (a: TransactionNode, b: TransactionNode): number => a.timestamp - b.timestamp;

/** Builds the tree: an item hangs under the item whose `id` is its `operation_ParentId`; the rest are roots. */
export function buildTransaction(operationId: string, rowsByTable: ReadonlyMap<TableName, readonly Row[]>): Transaction {
  const nodes: TransactionNode[] = [];
  for (const [table, rows] of rowsByTable) {
    for (const row of rows) {
      const id = str(row['id']);
      const parentId = str(row['operation_ParentId']);
      const duration = typeof row['duration'] === 'number' ? row['duration'] : undefined;
      const success = typeof row['success'] === 'boolean' ? row['success'] : row['success'] === 'True' ? true : row['success'] === 'False' ? false : undefined;
      const detail = detailOf(table, row);
      nodes.push({
        table,
        ...(id ? { id } : {}),
        ...(parentId ? { parentId } : {}),
        label: labelOf(table, row),
        timestamp: typeof row['timestamp'] === 'number' ? row['timestamp'] : 0,
        ...(duration !== undefined ? { durationMillis: duration } : {}),
        ...(success !== undefined ? { success } : {}),
        ...(detail ? { detail } : {}),
        row,
        children: [],
      });
    }
  }
  const byId = new Map<string, TransactionNode>();
  for (const n of nodes) if (n.id && !byId.has(n.id)) byId.set(n.id, n);
  const roots: TransactionNode[] = [];
  for (const n of nodes) {
    const parent = n.parentId !== undefined ? byId.get(n.parentId) : undefined;
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  }
  for (const n of nodes) n.children.sort(byTime);
  roots.sort(byTime);
  const starts = nodes.map((n) => n.timestamp);
  const ends = nodes.map((n) => n.timestamp + (n.durationMillis ?? 0));
  return {
    operationId,
    ...(nodes.length > 0 ? { startTimestamp: Math.min(...starts), endTimestamp: Math.max(...ends) } : {}),
    roots,
    itemCount: nodes.length,
  };
}
