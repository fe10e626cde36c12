import { state } from './api';

const CONFIG_PATH = '/admin/live-metrics/configuration';

async function call(method: 'GET' | 'PUT' | 'DELETE', body?: string): Promise<{ ok: boolean; json: Record<string, unknown> }> {
  const res = await fetch(`${CONFIG_PATH}?resource=${encodeURIComponent(state.resource)}`, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  return { ok: res.ok, json: (await res.json()) as Record<string, unknown> };
}

/** Shows the configuration the emulator serves to Live Metrics clients, and saves edits through its admin endpoint. */
export async function loadLiveConfig(): Promise<void> {
  const text = document.getElementById('live-config') as HTMLTextAreaElement;
  const status = document.getElementById('live-config-status') as HTMLElement;
  const { ok, json } = await call('GET');
  if (!ok) { status.textContent = `this emulator serves no configuration: ${String(json['error'] ?? '')}`; return; }
  text.value = JSON.stringify(json, null, 2);
  status.textContent = `ETag ${String(json['ETag'] ?? '(none)')}`;
}

/** Wires Save and Reset. */
export function startLiveConfigEditor(): void {
  const text = document.getElementById('live-config') as HTMLTextAreaElement;
  const status = document.getElementById('live-config-status') as HTMLElement;
  const report = (e: unknown): void => { status.textContent = e instanceof Error ? e.message : String(e); };
  (document.getElementById('live-config-save') as HTMLButtonElement).addEventListener('click', () => {
    try {
      JSON.parse(text.value);
    } catch (e) {
      report(new Error(`not JSON: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    call('PUT', text.value)
      .then(async ({ ok, json }) => {
        if (!ok) { status.textContent = `refused: ${String(json['error'] ?? '')}`; return; }
        await loadLiveConfig();
        status.textContent = `saved: ETag ${String(json['ETag'] ?? '')}`;
      })
      .catch(report);
  });
  (document.getElementById('live-config-reset') as HTMLButtonElement).addEventListener('click', () => {
    call('DELETE').then(() => loadLiveConfig()).catch(report);
  });
}
