import { TabulatorFull as Tabulator, type ColumnDefinition } from 'tabulator-tables';
import { api, el, state, timeText } from './api';
import { showTransaction } from './transaction-view';

interface TableInfo { name: string; count: number; columns: { name: string; type: string }[] }
interface Page { total: number; offset: number; rows: Record<string, unknown>[] }

const PAGE_SIZE = 100;
const SUMMARY: Record<string, string[]> = {
  requests: ['timestamp', 'name', 'resultCode', 'success', 'duration', 'operation_Id'],
  dependencies: ['timestamp', 'type', 'name', 'target', 'resultCode', 'success', 'duration', 'operation_Id'],
  traces: ['timestamp', 'severityLevel', 'message', 'operation_Id'],
  exceptions: ['timestamp', 'type', 'outerMessage', 'operation_Id'],
};

let table: Tabulator | undefined;

function columnsFor(info: TableInfo): ColumnDefinition[] {
  const names = SUMMARY[info.name] ?? info.columns.slice(0, 6).map((c) => c.name);
  return names.map((n) => ({
    title: n,
    field: n,
    headerSort: false,
    ...(n === 'timestamp' ? { width: 110, formatter: (c: { getValue(): unknown }) => timeText(c.getValue()) } : {}),
    ...(n === 'message' || n === 'name' ? { widthGrow: 3 } : {}),
  }));
}

function showItem(row: Record<string, unknown>): void {
  const box = document.getElementById('item-detail') as HTMLElement;
  const shown = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'timestamp' && typeof v === 'number' ? new Date(v).toISOString() : v]));
  box.replaceChildren();
  const op = row['operation_Id'];
  if (typeof op === 'string' && op !== '') {
    const b = el('button', 'Open the transaction');
    b.addEventListener('click', () => showTransaction(op, true));
    box.append(b);
  }
  box.append(el('pre', JSON.stringify(shown, null, 2)));
}

/** (Re)builds the table browser for the selected table: server-side paging and filtering, virtual rows. */
export async function loadTelemetry(): Promise<void> {
  const select = document.getElementById('table') as HTMLSelectElement;
  const infos = await api<TableInfo[]>(`tables?resource=${encodeURIComponent(state.resource)}`);
  const chosen = select.value || 'requests';
  select.replaceChildren(...infos.map((t) => { const o = el('option', `${t.name} (${t.count})`); o.value = t.name; return o; }));
  select.value = chosen;
  const info = infos.find((t) => t.name === chosen) ?? infos[0];
  if (!info) return;
  const filter = document.getElementById('filter') as HTMLInputElement;
  const count = document.getElementById('table-count') as HTMLElement;
  table?.destroy();
  table = new Tabulator('#items-table', {
    height: '65vh',
    layout: 'fitColumns',
    columns: columnsFor(info),
    pagination: true,
    paginationMode: 'remote',
    paginationSize: PAGE_SIZE,
    ajaxURL: 'api/items',
    ajaxURLGenerator: (_url, _config, params: { page?: number; size?: number }) => {
      const page = params.page ?? 1;
      const q = new URLSearchParams({ table: info.name, resource: state.resource, filter: filter.value, offset: String((page - 1) * PAGE_SIZE), limit: String(PAGE_SIZE) });
      return `api/items?${q.toString()}`;
    },
    ajaxResponse: (_url, _params, response: Page) => {
      count.textContent = `${response.total} item(s)`;
      return { last_page: Math.max(1, Math.ceil(response.total / PAGE_SIZE)), data: response.rows };
    },
  });
  table.on('rowClick', (_e, row) => showItem(row.getData() as Record<string, unknown>));
}

/** Wires the table picker and filter box. */
export function startTelemetryView(): void {
  const select = document.getElementById('table') as HTMLSelectElement;
  const filter = document.getElementById('filter') as HTMLInputElement;
  select.addEventListener('change', () => void loadTelemetry());
  let timer: ReturnType<typeof setTimeout> | undefined;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void table?.setData(), 250);
  });
}
