'use strict';
/**
 * CPU per record of standard metrics: the metrics SDK path (`createStandardMetrics`: histograms and
 * counters of a private MeterProvider, attributes hashed per record), as the distro ran it before
 * issue 25 and kept since only as a test fixture (plain JavaScript, required as it is:
 * packages/distro/test/fixtures/create-standard-metrics.cjs), against our own aggregation
 * (`createStandardMetricsAggregator`: a map keyed by the dimension values), as it runs now. The
 * same items (one request, three dependencies, one trace: the bench app's request under the
 * distro's defaults) go to both, A/B alternated in one process, each round followed by a
 * collection (as a metric export would, once a minute).
 *
 *   node bench/src/standard-metrics-record.js [--records 200000] [--rounds 9] [--dir <dist/live-metrics dir>]
 *
 * Needs packages/distro built (`npx tsc -b packages/distro`, which builds the core the fixture
 * requires). CPU time is process.cpuUsage (user + system) per record, median of the rounds;
 * alternation keeps the comparison fair on a loaded machine.
 */
const path = require('node:path');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RECORDS = Number(arg('records', '200000'));
const ROUNDS = Number(arg('rounds', '9'));
const DIR = path.resolve(arg('dir', path.join(__dirname, '../../packages/distro/dist/live-metrics')));
const load = (name) => require(path.join(DIR, name));
const { createPrivateMetrics } = load('create-private-metrics');
const { createStandardMetrics } = require('../../packages/distro/test/fixtures/create-standard-metrics.cjs');
const { createStandardMetricsAggregator } = load('standard-metrics-aggregator');

const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' });

/** The tapped items of one request of the bench app (distro defaults); a failing one in 20. */
function requestItems(n) {
  const base = { durationMillis: 0, success: true, resultCode: '', dependencyType: '', dependencyTarget: '', roleName: 'shop', roleInstance: 'i-1', synthetic: false, severityLevel: 'Information', envelope: () => undefined, document: () => undefined };
  const failing = n % 20 === 0;
  return [
    { ...base, kind: 'request', durationMillis: 8.5 + (n % 7), success: !failing, resultCode: failing ? '500' : '200' },
    { ...base, kind: 'dependency', durationMillis: 1.25, dependencyType: 'postgresql', dependencyTarget: '127.0.0.1:5432 | postgres', resultCode: '0' },
    { ...base, kind: 'dependency', durationMillis: 0.75, dependencyType: 'Http', dependencyTarget: '127.0.0.1:40123', resultCode: '200' },
    { ...base, kind: 'dependency', durationMillis: 0.5, dependencyType: 'Http', dependencyTarget: '127.0.0.1:40123', resultCode: '200' },
    { ...base, kind: 'trace', severityLevel: 'Information' },
  ];
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function nanosPerRecord(items, record) {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < RECORDS; i++) record(items[i % items.length]);
  const cpu = process.cpuUsage(cpu0);
  return (1_000 * (cpu.user + cpu.system)) / RECORDS;
}

async function main() {
  const items = Array.from({ length: 100 }, (_, n) => requestItems(n)).flat();
  const sdk = createPrivateMetrics(RESOURCE, '@appinsights-otel/distro');
  const sdkRecord = createStandardMetrics(sdk.meter);
  const aggregator = createStandardMetricsAggregator([Math.floor(Date.now() / 1_000), 0]);
  const ours = createPrivateMetrics(RESOURCE, '@appinsights-otel/distro', aggregator);
  const runs = { sdk: [], ours: [] };
  for (let round = -1; round < ROUNDS; round++) { // round -1: warm-up, not counted
    const order = round % 2 === 0 ? ['sdk', 'ours'] : ['ours', 'sdk'];
    for (const which of order) {
      const nanos = nanosPerRecord(items, which === 'sdk' ? sdkRecord : aggregator.record);
      if (round >= 0) runs[which].push(nanos);
    }
    await Promise.all([sdk.producer.collect(), ours.producer.collect()]);
  }
  const sdkNanos = median(runs.sdk);
  const oursNanos = median(runs.ours);
  const result = {
    records: RECORDS, rounds: ROUNDS, node: process.version, loadAverage: require('node:os').loadavg()[0].toFixed(2),
    sdkNanosPerRecord: Number(sdkNanos.toFixed(0)), oursNanosPerRecord: Number(oursNanos.toFixed(0)), ratio: Number((oursNanos / sdkNanos).toFixed(3)),
    perRequestOf5Items: { sdkMicros: Number((5 * sdkNanos / 1_000).toFixed(2)), oursMicros: Number((5 * oursNanos / 1_000).toFixed(2)) },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await Promise.all([sdk.shutdown(), ours.shutdown()]);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
