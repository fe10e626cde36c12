import 'tabulator-tables/dist/css/tabulator_simple.min.css';
import './app.css';
import { state, el } from './api';
import { loadIdentities } from './identities-view';
import { startLiveConfigEditor } from './live-config-editor';
import { closeLiveView, openLiveView } from './live-view';
import { openLogsView } from './logs-view';
import { startRequestsView } from './requests-view';
import { loadTelemetry, startTelemetryView } from './telemetry-view';
import { startTransactionView } from './transaction-view';

const report = (e: unknown): void => { document.title = `inspector error: ${String(e)}`; };

function onTab(name: string, previous: string): void {
  if (previous === 'live' && name !== 'live') closeLiveView().catch(report);
  if (name === 'identities') loadIdentities().catch(report);
  if (name === 'telemetry') loadTelemetry().catch(report);
  if (name === 'live') openLiveView().catch(report);
  if (name === 'logs') openLogsView().catch(report);
}

async function main(): Promise<void> {
  const select = document.getElementById('resource') as HTMLSelectElement;
  const resources = await loadIdentities();
  select.replaceChildren(...resources.map((r) => { const o = el('option', r); o.value = r; return o; }));
  state.resource = resources[0] ?? '';
  select.addEventListener('change', () => { state.resource = select.value; });
  let current = 'requests';
  for (const b of document.querySelectorAll<HTMLButtonElement>('nav button')) {
    b.addEventListener('click', () => {
      const name = b.dataset['tab'] ?? 'requests';
      for (const x of document.querySelectorAll('nav button')) x.classList.toggle('active', x === b);
      for (const s of document.querySelectorAll('.tab')) s.classList.toggle('active', s.id === `tab-${name}`);
      const previous = current;
      current = name;
      onTab(name, previous);
    });
  }
  startRequestsView();
  startTelemetryView();
  startTransactionView();
  startLiveConfigEditor();
  document.body.dataset['ready'] = 'true';
}

main().catch(report);
