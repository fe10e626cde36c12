import { buildTransaction, type TransactionNode } from '../../src/inspector/build-transaction';
import type { Row } from '../../src/storage/row';
import type { TableName } from '../../src/storage/table-schemas';

function shape(n: TransactionNode): unknown {
  return { kind: n.table, label: n.label, children: n.children.map(shape) };
}

describe('buildTransaction', () => {
  it('hangs dependencies, traces and exceptions under the item they name as parent, in time order', () => {
    const rows = new Map<TableName, Row[]>([
      ['requests', [{ id: 'r1', name: 'GET /checkout', operation_Id: 'op', operation_ParentId: null, timestamp: 1000, duration: 50, success: true, resultCode: '200' }]],
      ['dependencies', [
        { id: 'd2', type: 'HTTP', name: 'GET /stock', operation_ParentId: 'r1', timestamp: 1030, duration: 5, success: false, resultCode: '500' },
        { id: 'd1', type: 'postgresql', name: 'SELECT carts', operation_ParentId: 'r1', timestamp: 1010, duration: 10, success: true },
      ]],
      ['traces', [{ message: 'cart loaded', severityLevel: 1, operation_ParentId: 'd1', timestamp: 1015 }]],
      ['exceptions', [{ type: 'Error', outerMessage: 'stock down', operation_ParentId: 'r1', timestamp: 1036 }, { type: 'Error', outerMessage: 'orphan', operation_ParentId: 'gone', timestamp: 900 }]],
    ]);
    const t = buildTransaction('op', rows);
    expect(t.itemCount).toBe(6);
    expect({ start: t.startTimestamp, end: t.endTimestamp }).toEqual({ start: 900, end: 1050 });
    expect(t.roots.map(shape)).toEqual([
      { kind: 'exceptions', label: 'Error: orphan', children: [] },
      { kind: 'requests', label: 'GET /checkout', children: [
        { kind: 'dependencies', label: 'postgresql SELECT carts', children: [{ kind: 'traces', label: 'cart loaded', children: [] }] },
        { kind: 'dependencies', label: 'HTTP GET /stock', children: [] },
        { kind: 'exceptions', label: 'Error: stock down', children: [] },
      ] },
    ]);
    expect(t.roots[1]?.children[1]).toMatchObject({ success: false, detail: '500', durationMillis: 5 });
  });

  it('answers an unknown operation with no items', () => {
    expect(buildTransaction('none', new Map())).toEqual({ operationId: 'none', roots: [], itemCount: 0 });
  });
});
