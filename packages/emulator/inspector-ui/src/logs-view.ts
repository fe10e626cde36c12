import { TabulatorFull as Tabulator } from 'tabulator-tables';
import { api, state, timeText } from './api';
import { Chart } from './charts';

interface QueryResponse {
  tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
  render?: Record<string, string | boolean | null> & { visualization?: string };
}

let chart: Chart | undefined;
let results: Tabulator | undefined;

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

async function run(): Promise<void> {
  const status = document.getElementById('query-status') as HTMLElement;
  const query = (document.getElementById('kql') as HTMLTextAreaElement).value;
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

/** Wires the KQL editor (a plain text area) and its Run button. */
export function startLogsView(): void {
  (document.getElementById('run-query') as HTMLButtonElement).addEventListener('click', () => void run());
  (document.getElementById('kql') as HTMLTextAreaElement).addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); }
  });
}
