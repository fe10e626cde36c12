'use strict';
/**
 * The floor: what JSON.stringify + gzip of already-built envelopes alone costs, in batches of
 * the same size as the exporters', in a fresh process like theirs. Mapping happens before timing.
 */
const zlib = require('node:zlib');
const { buildWorkload, toBatches } = require('../workload');
const { loadMapper } = require('../exporters/our-mapper');
const { createRssSampler, startStopwatch } = require('../measure');

function main() {
  const spanCount = Number(process.env.BENCH_SPAN_COUNT ?? 10_000);
  const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 512);
  const { spans, eventCount } = buildWorkload(spanCount);
  const mapper = loadMapper();
  const warmupSpanCount = Number(process.env.BENCH_WARMUP_SPANS ?? 0);
  if (warmupSpanCount > 0) {
    for (const batch of toBatches(buildWorkload(warmupSpanCount).spans, batchSize)) {
      zlib.gzipSync(batch.flatMap((span) => mapper.spanToEnvelopes(span)).map((e) => JSON.stringify(e)).join('\n'));
    }
  }
  const mapping = startStopwatch();
  const envelopeBatches = toBatches(spans, batchSize).map((batch) => batch.flatMap((span) => mapper.spanToEnvelopes(span)));
  const mapTiming = mapping.stop(); // informative only: the floor excludes mapping

  const rss = createRssSampler();
  const stopwatch = startStopwatch();
  let wireBytes = 0; let rawBytes = 0; let items = 0;
  for (const envelopes of envelopeBatches) {
    let body = '';
    for (let i = 0; i < envelopes.length; i++) body += (i === 0 ? '' : '\n') + JSON.stringify(envelopes[i]);
    const gz = zlib.gzipSync(body);
    rawBytes += Buffer.byteLength(body); wireBytes += gz.length; items += envelopes.length;
    rss.sample();
  }
  const timing = stopwatch.stop();
  const memory = rss.stop();
  process.send({
    type: 'result', variant: 'floor', exporter: `floor: JSON.stringify + gzip (${mapper.source})`,
    spans: spans.length, events: eventCount, expectedItems: spans.length + eventCount, items,
    wireBytes, rawBytes, getTokenCalls: 0, ...timing, ...memory,
    mapCpuMicros: mapTiming.cpuMicros, mapWallMillis: mapTiming.wallMillis,
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
  }, () => process.exit(0));
}

try { main(); } catch (error) { process.stderr.write(`floor failed: ${error?.stack ?? error}\n`); process.exit(1); }
