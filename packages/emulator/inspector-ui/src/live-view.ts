import { api, el, state, timeText } from './api';
import { Chart } from './charts';
import { loadLiveConfig } from './live-config-editor';

interface Post { timestamp: number; status: number; dataPoints: { Timestamp?: string; Metrics?: { Name: string; Value: number }[]; Documents?: Record<string, unknown>[] }[] }

const WINDOW_POINTS = 60;
const MAX_DOCUMENTS = 50;
let since = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let rates: Chart | undefined;
let durations: Chart | undefined;

function lineChart(id: string, title: string): Chart {
  return new Chart(document.getElementById(id) as HTMLCanvasElement, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } }, scales: { y: { beginAtZero: true, title: { display: true, text: title } } } },
  });
}

function addPoint(chart: Chart, label: string, values: Map<string, number>): void {
  const labels = chart.data.labels as string[];
  labels.push(label);
  for (const [name, value] of values) {
    let ds = chart.data.datasets.find((d) => d.label === name);
    if (!ds) {
      ds = { label: name, data: labels.slice(0, -1).map(() => null) as (number | null)[] };
      chart.data.datasets.push(ds);
    }
    (ds.data as (number | null)[]).push(value);
  }
  for (const ds of chart.data.datasets) {
    const data = ds.data as (number | null)[];
    while (data.length < labels.length) data.push(null);
    while (data.length > WINDOW_POINTS) data.shift();
  }
  while (labels.length > WINDOW_POINTS) labels.shift();
  chart.update();
  chart.canvas.dataset['points'] = String(labels.length);
}

async function poll(): Promise<void> {
  const res = await api<{ subscribed: boolean; posts: Post[] }>(`live?since=${since}&resource=${encodeURIComponent(state.resource)}`);
  const status = document.getElementById('live-status') as HTMLElement;
  const docs = document.getElementById('live-documents') as HTMLElement;
  for (const post of res.posts) {
    since = Math.max(since, post.timestamp);
    for (const point of post.dataPoints) {
      const rate = new Map<string, number>();
      const duration = new Map<string, number>();
      for (const m of point.Metrics ?? []) {
        const name = m.Name.replace(/^\\ApplicationInsights\\/, '').replace(/^\\/, '');
        if (/duration/i.test(name)) duration.set(name, m.Value);
        else if (/\/sec/i.test(name)) rate.set(name, m.Value);
      }
      const label = timeText(point.Timestamp ?? post.timestamp);
      if (rates && rate.size) addPoint(rates, label, rate);
      if (durations && duration.size) addPoint(durations, label, duration);
      for (const d of point.Documents ?? []) {
        const li = el('li', `${timeText(post.timestamp)} ${String(d['DocumentType'] ?? d['__type'] ?? 'document')} ${String(d['Name'] ?? d['Message'] ?? d['CommandName'] ?? '')} ${String(d['ResponseCode'] ?? d['ResultCode'] ?? '')}`);
        docs.prepend(li);
      }
    }
  }
  while (docs.children.length > MAX_DOCUMENTS) docs.lastElementChild?.remove();
  status.textContent = `${res.subscribed ? 'watching: SDKs post every second' : 'not watched'} · last post ${since ? timeText(since) : 'none yet'}`;
  status.dataset['posts'] = String((Number(status.dataset['posts'] ?? 0) || 0) + res.posts.length);
}

/** Opens the Live Metrics view: watches the resource (so SDKs post) and charts what arrives each second. */
export async function openLiveView(): Promise<void> {
  rates ??= lineChart('live-rates', 'per second');
  durations ??= lineChart('live-durations', 'ms');
  await api('live', { resource: state.resource, subscribed: true });
  const { configurable } = await api<{ configurable: boolean }>(`live?since=${Date.now()}&resource=${encodeURIComponent(state.resource)}`);
  if (configurable) await loadLiveConfig();
  else (document.getElementById('live-config-status') as HTMLElement).textContent = 'this emulator serves no filter configuration';
  if (timer === undefined) timer = setInterval(() => void poll().catch(() => undefined), 1000);
  await poll();
}

/** Leaves the Live Metrics view: stops watching. */
export async function closeLiveView(): Promise<void> {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  const res = await api<{ subscribed: boolean }>('live', { resource: state.resource, subscribed: false });
  (document.getElementById('live-status') as HTMLElement).textContent = res.subscribed ? 'still watched' : 'not watched (SDKs stop posting)';
}
