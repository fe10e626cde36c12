'use strict';
/**
 * The floor: what JSON.stringify + gzip of already-built envelopes alone cost, in batches of the
 * same size as the exporters', in a fresh process like theirs. Each batch is mapped just before
 * it is serialized (as an exporter does, so the heap never holds the whole run's envelopes), and
 * only the serialization is timed: CPU (process.cpuUsage, user+system) is summed per step over
 * the batches. Per batch: newline-delimited JSON.stringify (`json`), then gzipSync level 6 of that
 * body (`gzip6`, zlib's default: the official exporter's level) and level 1 (`gzip1`, informative).
 * The floor of the targets is json + gzip6.
 */
const zlib = require('node:zlib');
const { buildWorkload, toBatches } = require('../workload');
const { loadMapper } = require('../exporters/our-mapper');
const { createRssSampler, startStopwatch } = require('../measure');

const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };

function main() {
  const spanCount = Number(process.env.BENCH_SPAN_COUNT ?? 10_000);
  const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 512);
  const warmupSpanCount = Number(process.env.BENCH_WARMUP_SPANS ?? 0);
  const mapper = loadMapper();
  const serialize = (envelopes) => {
    let body = '';
    for (let i = 0; i < envelopes.length; i++) body += (i === 0 ? '' : '\n') + JSON.stringify(envelopes[i]);
    return Buffer.from(body, 'utf8');
  };
  if (warmupSpanCount > 0) {
    for (const batch of toBatches(buildWorkload(warmupSpanCount).spans, batchSize)) {
      const plain = serialize(batch.flatMap((span) => mapper.spanToEnvelopes(span)));
      zlib.gzipSync(plain, { level: 6 }); zlib.gzipSync(plain, { level: 1 });
    }
  }
  const { spans, eventCount } = buildWorkload(spanCount);
  const batches = toBatches(spans, batchSize);

  const rss = createRssSampler();
  const stopwatch = startStopwatch();
  let wireBytes = 0; let gzip1Bytes = 0; let rawBytes = 0; let items = 0;
  let mapCpuMicros = 0; let jsonCpuMicros = 0; let gzip6CpuMicros = 0; let gzip1CpuMicros = 0;
  for (const batch of batches) {
    const t0 = cpuNow();
    const envelopes = batch.flatMap((span) => mapper.spanToEnvelopes(span));
    const t1 = cpuNow();
    const plain = serialize(envelopes);
    const t2 = cpuNow();
    const gz6 = zlib.gzipSync(plain, { level: 6 });
    const t3 = cpuNow();
    const gz1 = zlib.gzipSync(plain, { level: 1 });
    const t4 = cpuNow();
    mapCpuMicros += t1 - t0; jsonCpuMicros += t2 - t1; gzip6CpuMicros += t3 - t2; gzip1CpuMicros += t4 - t3;
    rawBytes += plain.length; wireBytes += gz6.length; gzip1Bytes += gz1.length; items += envelopes.length;
    rss.sample();
  }
  const timing = stopwatch.stop();
  const memory = rss.stop();
  process.send({
    type: 'result', variant: 'floor', exporter: `floor: JSON.stringify + gzipSync level 6 (${mapper.source})`,
    spans: spans.length, events: eventCount, expectedItems: spans.length + eventCount, items,
    wireBytes, gzip1Bytes, rawBytes, getTokenCalls: 0, ...timing, ...memory,
    // The floor's CPU is the serialization only; the whole loop's (with mapping) stays in wholeLoopCpuMicros.
    cpuMicros: jsonCpuMicros + gzip6CpuMicros, wholeLoopCpuMicros: timing.cpuMicros,
    mapCpuMicros, jsonCpuMicros, gzip6CpuMicros, gzip1CpuMicros,
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
  }, () => process.exit(0));
}

try { main(); } catch (error) { process.stderr.write(`floor failed: ${error?.stack ?? error}\n`); process.exit(1); }
