/**
 * "An hour of backlog": the spans a service produces in one hour at a steady rate, generated in
 * export-sized batches (never all in memory) with the exporter benchmark's workload
 * (bench/src/workload.js): half HTTP SERVER spans with 10 stable-semconv attributes, half
 * PostgreSQL CLIENT children with 6, one event on every 10th span. Ids are seeded and timestamps
 * spread over the hour (one server+db pair every 2000/spansPerSecond ms), so every span, event and
 * envelope is distinct and reproducible.
 */
const { createEventMarker, createWorkloadTracer, emitRequest, EVENT_EVERY } = require('../workload');

const HOUR_START_MILLIS = Date.UTC(2026, 10, 27, 11, 0, 0, 0);
const HOUR_MILLIS = 60 * 60 * 1000;

/** Spans and events of an hour at `spansPerSecond` (the count of items the store must end up holding). */
function hourTotals(spansPerSecond) {
  const spans = Math.round(spansPerSecond * HOUR_MILLIS / 1000);
  return { spans, events: Math.floor(spans / EVENT_EVERY) };
}

/**
 * A generator of the hour's spans in batches of `batchSize` (the last one shorter), in the order
 * the SDK finished them. Yields `ReadableSpan[]`.
 */
function* hourOfSpans({ spansPerSecond, batchSize, seed }) {
  const { spans: total } = hourTotals(spansPerSecond);
  const pairIntervalMillis = 2000 / spansPerSecond;
  const { tracer, memory } = createWorkloadTracer({ seed, tracerName: 'bench-drain-workload' });
  const marker = createEventMarker();
  for (let i = 0; marker.spans() < total; i++) {
    emitRequest(tracer, marker, i, HOUR_START_MILLIS + Math.floor(i * pairIntervalMillis), marker.spans() + 1 < total);
    if (memory.getFinishedSpans().length >= batchSize || marker.spans() >= total) {
      const finished = memory.getFinishedSpans();
      memory.reset();
      for (let k = 0; k < finished.length; k += batchSize) yield finished.slice(k, k + batchSize);
    }
  }
}

module.exports = { hourOfSpans, hourTotals, HOUR_START_MILLIS };
