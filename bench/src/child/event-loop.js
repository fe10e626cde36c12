'use strict';
/**
 * The event-loop bench, one exporter in a fresh process (forked by run.js, network guard
 * preloaded): an "application" ends spans at a steady rate (default 5,000/s, the workload's mix)
 * through the SDK's real BatchSpanProcessor (its defaults: 512 spans per export, 2,048 queued,
 * 5 s delay) into the exporter, while `perf_hooks.monitorEventLoopDelay` (1 ms resolution) records
 * how late the event loop runs. The first BENCH_EL_WARMUP_SECONDS are recorded in a separate
 * histogram (JIT and first-use costs), the rest is the measured window.
 *
 * Spans are ended from a 10 ms interval, each tick catching up to `rate x elapsed`, so a late
 * tick emits more spans rather than lowering the rate; the app's own span work is part of what
 * the histogram sees, equally for every exporter.
 *
 * env: BENCH_VARIANT, BENCH_CONNECTION_STRING, BENCH_EL_SECONDS (30), BENCH_EL_RATE (5000),
 *      BENCH_EL_WARMUP_SECONDS (3), BENCH_OURS_OPTIONS (JSON, extra options for ours)
 */
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { setInterval, clearInterval } = require('node:timers');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { createWorkloadTracer, createEventMarker, emitRequest } = require('../workload');
const { createCountingCredential } = require('../fake-credential');
const { createRssSampler, startStopwatch, withTimeout } = require('../measure');
const { buildExporter, EXIT_NOT_AVAILABLE } = require('../exporters/build');

const TICK_MILLIS = 10;
const BASE_TIMESTAMP_MILLIS = Date.UTC(2026, 10, 27, 12, 0, 0, 0);
const FLUSH_TIMEOUT_MILLIS = 60_000;
const NANOS_PER_MILLI = 1e6;

function histogramMillis(h) {
  return {
    samples: h.count,
    p50Millis: h.percentile(50) / NANOS_PER_MILLI,
    p99Millis: h.percentile(99) / NANOS_PER_MILLI,
    maxMillis: h.max / NANOS_PER_MILLI,
    meanMillis: h.mean / NANOS_PER_MILLI,
  };
}

async function main() {
  const seconds = Number(process.env.BENCH_EL_SECONDS ?? 30);
  const rate = Number(process.env.BENCH_EL_RATE ?? 5000);
  const warmupSeconds = Number(process.env.BENCH_EL_WARMUP_SECONDS ?? 3);
  const { credential, calls } = createCountingCredential();
  const built = buildExporter(process.env.BENCH_VARIANT, { connectionString: process.env.BENCH_CONNECTION_STRING, credential });
  if (built.notAvailable) {
    process.send({ type: 'not-available', reason: built.notAvailable }, () => process.exit(EXIT_NOT_AVAILABLE));
    return;
  }
  const exportResults = { ok: 0, failed: 0, reasons: new Set() };
  let handedItems = 0; // spans + their events given to the exporter (the processor drops spans when its queue is full)
  const exporter = {
    export(spans, done) {
      for (const span of spans) handedItems += 1 + span.events.length;
      built.exporter.export(spans, (result) => {
        if (result.code === 0) exportResults.ok += 1;
        else { exportResults.failed += 1; exportResults.reasons.add(String(result.error?.message ?? result.error ?? `code ${result.code}`)); }
        done(result);
      });
    },
    forceFlush: () => (typeof built.exporter.forceFlush === 'function' ? built.exporter.forceFlush() : Promise.resolve()),
    shutdown: () => built.exporter.shutdown(),
  };
  const processor = new BatchSpanProcessor(exporter);
  const { tracer } = createWorkloadTracer({ seed: 0xe1e1, tracerName: 'bench-event-loop', spanProcessor: processor });
  const marker = createEventMarker();

  const warmupHistogram = monitorEventLoopDelay({ resolution: 1 });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let request = 0;
  const emitUpTo = (target) => {
    while (marker.spans() < target) {
      emitRequest(tracer, marker, request, BASE_TIMESTAMP_MILLIS + request, true);
      request += 1;
    }
  };

  let rss; let stopwatch; let measuredFrom = 0;
  const startedAt = performance.now();
  warmupHistogram.enable();
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - startedAt) / 1000;
      if (!stopwatch && elapsed >= warmupSeconds) {
        warmupHistogram.disable();
        histogram.enable();
        rss = createRssSampler();
        stopwatch = startStopwatch();
        measuredFrom = marker.spans();
      }
      emitUpTo(Math.floor(rate * Math.min(elapsed, warmupSeconds + seconds)));
      rss?.sample();
      if (elapsed >= warmupSeconds + seconds) { clearInterval(timer); resolve(); }
    }, TICK_MILLIS);
  });
  histogram.disable();
  const measuredSpans = marker.spans() - measuredFrom;
  const timing = stopwatch.stop();
  const memory = rss.stop();

  let shutdownError;
  try {
    await withTimeout(processor.forceFlush(), FLUSH_TIMEOUT_MILLIS, 'forceFlush');
    await withTimeout(processor.shutdown(), FLUSH_TIMEOUT_MILLIS, 'shutdown');
    await built.cleanup();
  } catch (error) {
    shutdownError = String(error?.message ?? error);
  }
  process.send({
    type: 'result',
    variant: process.env.BENCH_VARIANT,
    exporter: built.describe,
    rate, seconds, warmupSeconds,
    spans: marker.spans(),
    measuredSpans,
    events: marker.events(),
    generatedItems: marker.spans() + marker.events(),
    // What the exporter was given must arrive; what the processor dropped is reported, not lost by the exporter.
    expectedItems: handedItems,
    droppedByProcessor: marker.spans() + marker.events() - handedItems,
    exportsOk: exportResults.ok,
    failedBatches: exportResults.failed,
    failedReasons: [...exportResults.reasons].slice(0, 5),
    getTokenCalls: calls.length,
    eventLoop: histogramMillis(histogram),
    warmupEventLoop: histogramMillis(warmupHistogram),
    ...timing,
    ...memory,
    shutdownError,
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
  }, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`event-loop child failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
