/** Calls the inspector API of the emulator that served this page (same origin, so writes pass its Origin check). */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`api/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status}`);
  return json;
}

/** Formats an epoch-ms or ISO time as local HH:MM:SS.mmm. */
export function timeText(v: unknown): string {
  const d = new Date(typeof v === 'number' || typeof v === 'string' ? v : NaN);
  return Number.isNaN(d.getTime()) ? String(v ?? '') : `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Creates an element with text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** The page's shared state: the selected resource. */
export const state = { resource: '' };
