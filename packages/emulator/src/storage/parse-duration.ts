const DURATION = /^(?:(\d+)[.:])?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** Parses an Application Insights duration `[d.]hh:mm:ss[.fffffff]` (or TimeSpan's 'G' form `d:hh:mm:ss.fffffff`) to milliseconds; undefined when malformed. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  const [, d, h, min, sec, frac] = m;
  const fraction = frac ? Number(`0.${frac}`) : 0;
  const seconds = Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(sec) + fraction;
  return Math.round(seconds * 1e7) / 1e4; // 100 ns ticks -> ms, without float noise
}

const BUCKETS: readonly [number, string][] = [
  [250, '<250ms'], [500, '250ms-500ms'], [1000, '500ms-1sec'], [3000, '1sec-3sec'], [7000, '3sec-7sec'],
  [15000, '7sec-15sec'], [30000, '15sec-30sec'], [60000, '30sec-1min'], [120000, '1min-2min'], [300000, '2min-5min'],
];

/** The `performanceBucket` label of a duration in milliseconds. */
export function performanceBucket(millis: number): string {
  return BUCKETS.find(([limit]) => millis < limit)?.[1] ?? '>=5min';
}
