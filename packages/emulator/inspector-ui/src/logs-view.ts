import { TabulatorFull as Tabulator } from 'tabulator-tables';
import { api, state, timeText } from './api';
import { Chart } from './charts';
import { createKqlEditor, type KqlEditor, type SchemaTable } from './kql-editor';

interface QueryResponse {
  tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
  render?: Record<string, string | boolean | null> & { visualization?: string };
}

let chart: Chart | undefined;
let results: Tabulator | undefined;
let editor: KqlEditor | undefined;

const FIRST_QUERY = 'requests\n| summarize count() by bin(timestamp, 1m)\n| render timechart';

const KINDS: Record<string, 'line' | 'bar' | 'pie'> = { timechart: 'line', linechart: 'line', areachart: 'line', barchart: 'bar', columnchart: 'bar', piechart: 'pie' };

function draw(res: QueryResponse): void {
  const box = document.getElementById('chart-box') as HTMLElement;
  chart?.destroy();
  chart = undefined;
  const kind = res.render?.visualization ? KINDS[res.render.visualization] : undefined;
  const t = res.tables[0];
  if (!kind || !t || t.columns.length < 2) { box.hidden = true; return; }
  const xi = Math.max(0, t.columns.findIndex((c) => c.name === res.render?.['xColumn']));
  const ys = t.columns.map((c, i) => ({ c, i })).filter(({ c, i }) => i !== xi && ['long', 'int', 'real', 'decimal'].includes(c.type));
  const rows = kind === 'line' && t.columns[xi]?.type === 'datetime' ? [...t.rows].sort((a, b) => String(a[xi]).localeCompare(String(b[xi]))) : t.rows;
  const labels = rows.map((r) => (t.columns[xi]?.type === 'datetime' ? timeText(r[xi]) : String(r[xi])));
  box.hidden = false;
  chart = new Chart(document.getElementById('query-chart') as HTMLCanvasElement, {
    type: kind,
    data: { labels, datasets: ys.map(({ c, i }) => ({ label: c.name, data: rows.map((r) => Number(r[i])) })) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: res.render?.visualization === 'barchart' ? 'y' : 'x' },
  });
  box.dataset['visualization'] = res.render?.visualization ?? '';
}

async function runQuery(): Promise<void> {
  const status = document.getElementById('query-status') as HTMLElement;
  if (!editor) return;
  const query = editor.getValue();
  status.textContent = 'running…';
  const started = performance.now();
  try {
    const res = await api<QueryResponse>('query', { query, resource: state.resource });
    const t = res.tables[0] ?? { columns: [], rows: [] };
    status.textContent = `${t.rows.length} row(s) in ${Math.round(performance.now() - started)} ms${res.render?.visualization ? ` · render ${res.render.visualization}` : ''}`;
    results?.destroy();
    results = new Tabulator('#results-table', {
      height: '40vh',
      layout: 'fitDataStretch',
      columns: t.columns.map((c, i) => ({ title: `${c.name} (${c.type})`, field: `c${i}` })),
      data: t.rows.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]))),
    });
    draw(res);
  } catch (e) {
    status.textContent = e instanceof Error ? e.message : String(e);
  }
}

/** Opens the Logs view: creates the Kusto editor (once) with the emulator's schema for completion. */
export async function openLogsView(): Promise<void> {
  if (editor) return;
  const run = document.getElementById('run-query') as HTMLButtonElement;
  run.addEventListener('click', () => void runQuery());
  const tables = await api<SchemaTable[]>(`tables?resource=${encodeURIComponent(state.resource)}`);
  editor = createKqlEditor(document.getElementById('kql') as HTMLElement, FIRST_QUERY, tables, () => void runQuery());
  await editor.ready;
  (document.getElementById('kql') as HTMLElement).dataset['schema'] = 'ready';
}
