import { TabulatorFull as Tabulator } from 'tabulator-tables';
import { el, timeText } from './api';

interface ClaimsView { aud: string; iss: string; tid: string; oid: string; appid: string; expires: string; identity?: string; rolesHeld: string[] }
interface RequestView {
  id: number; timestamp: number; method: string; path: string; service: string; status: number;
  itemsReceived?: number; itemsAccepted?: number; chaos?: boolean; claims?: ClaimsView; decision?: { allowed: boolean; reason: string };
}

function showDetail(box: HTMLElement, r: RequestView): void {
  box.replaceChildren();
  box.append(el('div', `${r.method} ${r.path}`), el('div', `status ${r.status} · ${r.service} · ${timeText(r.timestamp)}`));
  if (r.decision) box.append(el('p', `${r.decision.allowed ? 'Allowed' : 'Refused'}: ${r.decision.reason}`, r.decision.allowed ? 'allowed' : 'denied'));
  if (r.claims) {
    const c = r.claims;
    box.append(el('div', 'Token claims (decoded; the token itself is never kept):'));
    const lines = [`aud    ${c.aud}`, `iss    ${c.iss}`, `tid    ${c.tid}`, `oid    ${c.oid}${c.identity ? `  (${c.identity})` : ''}`, `appid  ${c.appid}`,
      `roles  ${c.rolesHeld.length ? c.rolesHeld.join(', ') : '(none on this resource)'}`, `exp    ${c.expires}`];
    box.append(el('pre', lines.join('\n')));
  }
}

/** The Requests view: a live table fed by the server-sent event stream. */
export function startRequestsView(): void {
  const detail = document.getElementById('request-detail') as HTMLElement;
  const table = new Tabulator('#requests-table', {
    height: '70vh',
    layout: 'fitColumns',
    index: 'id',
    data: [],
    columns: [
      { title: 'Time', field: 'timestamp', width: 110, formatter: (c) => timeText(c.getValue()) },
      { title: 'Service', field: 'service', width: 130 },
      { title: 'Request', field: 'path', widthGrow: 2, formatter: (c) => `${(c.getData() as RequestView).method} ${String(c.getValue())}` },
      { title: 'Status', field: 'status', width: 70 },
      { title: 'Items', field: 'itemsAccepted', width: 80, formatter: (c) => { const r = c.getData() as RequestView; return r.itemsReceived === undefined ? '' : `${r.itemsAccepted ?? 0}/${r.itemsReceived}`; } },
      { title: 'Identity', field: 'claims.identity', width: 140, formatter: (c) => { const r = c.getData() as RequestView; return r.claims ? r.claims.identity ?? r.claims.oid : ''; } },
      { title: 'Decision', field: 'decision.reason', widthGrow: 4, formatter: (c) => {
        const r = c.getData() as RequestView;
        if (!r.decision) return '';
        const span = el('span', r.decision.reason, r.decision.allowed ? 'allowed' : 'denied');
        span.title = r.decision.reason;
        return span;
      } },
    ],
  });
  table.on('rowClick', (_e, row) => showDetail(detail, row.getData() as RequestView));
  const pending: RequestView[] = [];
  let scheduled = false;
  let ready = false;
  table.on('tableBuilt', () => { ready = true; flush(); });
  const flush = (): void => {
    scheduled = false;
    if (!ready || pending.length === 0) return;
    void table.addData(pending.splice(0).reverse(), true);
  };
  const source = new EventSource('api/events');
  source.addEventListener('request', (ev) => {
    pending.push(JSON.parse((ev as MessageEvent<string>).data) as RequestView);
    if (!scheduled) { scheduled = true; setTimeout(flush, 100); }
  });
}
