import { api, el, state, timeText } from './api';

interface Node { table: string; id?: string; label: string; timestamp: number; durationMillis?: number; success?: boolean; detail?: string; row: Record<string, unknown>; children: Node[] }
interface Transaction { operationId: string; startTimestamp?: number; endTimestamp?: number; roots: Node[]; itemCount: number }

const KIND: Record<string, string> = { requests: 'request', dependencies: 'dependency', traces: 'trace', exceptions: 'exception', customEvents: 'event', pageViews: 'page view', availabilityResults: 'availability' };

function nodeItem(n: Node, start: number, span: number): HTMLLIElement {
  const li = el('li');
  li.dataset['kind'] = KIND[n.table] ?? n.table;
  const line = el('div', undefined, 'node');
  const left = el('div');
  left.append(el('div', KIND[n.table] ?? n.table, 'kind'), el('div', timeText(n.timestamp)));
  const mid = el('div', `${n.label}${n.detail ? ` · ${n.detail}` : ''}${n.durationMillis !== undefined ? ` · ${n.durationMillis.toFixed(1)} ms` : ''}`, n.success === false || n.table === 'exceptions' ? 'denied' : '');
  const track = el('div', undefined, 'bar-track');
  const bar = el('div', undefined, `bar${n.success === false ? ' failed' : ''}`);
  bar.style.left = `${((n.timestamp - start) / span) * 100}%`;
  bar.style.width = `${Math.max(0.5, ((n.durationMillis ?? 0) / span) * 100)}%`;
  track.append(bar);
  line.append(left, mid, track);
  li.append(line);
  if (n.children.length > 0) {
    const ul = el('ul');
    for (const c of n.children) ul.append(nodeItem(c, start, span));
    li.append(ul);
  }
  return li;
}

/** Shows the timed tree of one operation id (optionally switching to the Transaction tab). */
export async function showTransaction(operationId: string, switchTab = false): Promise<void> {
  (document.getElementById('operation-id') as HTMLInputElement).value = operationId;
  if (switchTab) (document.querySelector('nav button[data-tab="transaction"]') as HTMLButtonElement).click();
  const box = document.getElementById('transaction') as HTMLElement;
  const t = await api<Transaction>(`transaction?operationId=${encodeURIComponent(operationId)}&resource=${encodeURIComponent(state.resource)}`);
  if (t.itemCount === 0) { box.replaceChildren(el('p', `No stored item has operation id ${operationId}.`)); return; }
  const start = t.startTimestamp ?? 0;
  const span = Math.max(1, (t.endTimestamp ?? start) - start);
  const ul = el('ul');
  for (const r of t.roots) ul.append(nodeItem(r, start, span));
  const tree = el('div', undefined, 'tree');
  tree.append(ul);
  box.replaceChildren(el('p', `Operation ${t.operationId}: ${t.itemCount} item(s) over ${span.toFixed(1)} ms`), tree);
}

/** Wires the operation id box. */
export function startTransactionView(): void {
  const input = document.getElementById('operation-id') as HTMLInputElement;
  const go = (): void => { if (input.value.trim()) void showTransaction(input.value.trim()); };
  (document.getElementById('show-transaction') as HTMLButtonElement).addEventListener('click', go);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
}
