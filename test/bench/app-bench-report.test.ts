// The app benchmark's pure parts (bench/src/app): the PASS/FAIL marks against issue 25's targets, the
// A/A baseline, and how the CPU profile is attributed to parts. The figures in docs/benchmark.md come
// from these functions, so they are tested on hand-made runs here (never on timings).
import * as path from 'node:path';

const APP = path.join(__dirname, '..', '..', 'bench', 'src', 'app');
const report = require(path.join(APP, 'report.js')) as {
  summarize(key: string, name: string, runs: object[]): Record<string, number | string>;
  baseline(runsByKey: Record<string, object[]>): { pooled: Record<string, number>; noise?: Record<string, number> };
  targets(byKey: Record<string, object>, bare: object): { text: string; pass: boolean; detail: string }[];
  floorShares(byKey: Record<string, object>, bare: object): string[];
};
const profile = require(path.join(APP, 'profile-summary.js')) as {
  moduleOf(url: string, functionName: string): string;
  partOf(moduleKey: string): string;
  microsPerRequestByPart(profile: object, cpuMicrosPerRequest: number): Map<string, number>;
  selfTimeByOwnFunction(profile: object): Map<string, number>;
};

/** One run record as run-variant.js returns it. */
function run(rps: number, p99: number, cpuPerRequest: number, bytesPerRequest = 0): object {
  return {
    requestsPerSecond: rps, latencyP50Millis: p99 / 4, latencyP99Millis: p99,
    app: { cpuMicros: cpuPerRequest * 1000, requests: 1000, eventLoopP99Millis: 5, peakRssBytes: 100 * 1024 * 1024 },
    served: 1000, stored: { bytes: bytesPerRequest * 1000, items: 4000 },
  };
}

describe('app bench report', () => {
  const bareRuns = { 'bare-a': [run(1000, 20, 500)], 'bare-b': [run(900, 22, 540)] };

  it('pools both no-telemetry variants as the baseline and reports their spread as the noise', () => {
    const { pooled, noise } = report.baseline(bareRuns);
    expect(pooled['cpuMicrosPerRequest']).toBe(520);
    expect(noise).toEqual({ cpu: 40 / 520, throughput: 100 / 950, p99: 2 / 21, cpuMicros: 40 });
  });

  it.each([
    // ours adds 200 µs against the official's 500, loses 20% against 50%, adds 9 ms against 30 ms: every target met
    ['every target met', run(760, 30, 720, 3000), run(475, 51, 1020, 3200), run(700, 40, 1000), [true, true, true, true, true]],
    // ours adds 300 µs (0.6x), more bytes than the official, and its defaults add more than the official
    ['CPU, bytes and defaults missed', run(760, 30, 820, 3300), run(475, 51, 1020, 3200), run(600, 40, 1100), [false, true, true, false, false]],
  ])('marks the targets: %s', (_title, ours, official, oursDefault, expected) => {
    const runsByKey: Record<string, object[]> = { ...bareRuns, 'ours-official-set': [ours], 'official-all': [official], 'ours-default': [oursDefault] };
    const byKey = Object.fromEntries(Object.entries(runsByKey).map(([k, runs]) => [k, report.summarize(k, k, runs)]));
    const marks = report.targets(byKey, report.baseline(runsByKey).pooled);
    expect(marks.map((t) => t.pass)).toEqual(expected);
  });

  it('has no marks when a compared variant did not run', () => {
    expect(report.targets({}, report.baseline(bareRuns).pooled)).toEqual([]);
  });

  it.each([
    // baseline 520 µs, 950 req/s, 21 ms p99; the official adds 500 µs, loses 50%, adds 30 ms
    ['the floor under every budget', run(760, 26, 720), [
      'floor CPU: the OTel SDK floor adds 200 µs per request = 0.40x the official\'s added 500; the 1/2 target (250 µs) leaves 50 µs above the floor',
      'floor throughput: the floor loses 20.0% = 0.40x the official\'s 50.0%; the 1/2 target (25.0%) leaves 5.0 points above the floor',
      'floor p99: the floor adds 5.0 ms = 0.17x the official\'s 30.0 ms; the 1/2 target (15.0 ms) leaves 10.0 ms above the floor',
    ]],
    ['the floor over the 1/2 budgets', run(570, 41, 820), [
      'floor CPU: the OTel SDK floor adds 300 µs per request = 0.60x the official\'s added 500; the 1/2 target (250 µs) is already exceeded by the floor alone, by 50 µs',
      'floor throughput: the floor loses 40.0% = 0.80x the official\'s 50.0%; the 1/2 target (25.0%) is already exceeded by the floor alone, by 15.0 points',
      'floor p99: the floor adds 20.0 ms = 0.67x the official\'s 30.0 ms; the 1/2 target (15.0 ms) is already exceeded by the floor alone, by 5.0 ms',
    ]],
  ])('says how much of each budget the OTel floor takes: %s', (_title, floor, expected) => {
    const runsByKey: Record<string, object[]> = { ...bareRuns, 'official-all': [run(475, 51, 1020)], 'otel-floor': [floor] };
    const byKey = Object.fromEntries(Object.entries(runsByKey).map(([k, runs]) => [k, report.summarize(k, k, runs)]));
    const lines = report.floorShares(byKey, report.baseline(runsByKey).pooled);
    expect(lines.slice(0, 3)).toEqual(expected);
    expect(lines[3]).toMatch(/^floor under the defaults target: the 1x budget \(500 µs\) leaves \d+ µs above the floor/);
  });

  it('has no floor lines without the floor or the official', () => {
    const byKey = { 'otel-floor': report.summarize('otel-floor', 'f', [run(760, 26, 720)]) };
    expect(report.floorShares(byKey, report.baseline(bareRuns).pooled)).toEqual([]);
  });
});

describe('app bench profile attribution', () => {
  it.each([
    ['file:///app/node_modules/@opentelemetry/instrumentation-http/build/src/http.js', 'f', '@opentelemetry/instrumentation-http'],
    ['/app/node_modules/@azure/monitor-opentelemetry/node_modules/@opentelemetry/instrumentation-pg/build/x.js', 'f', '@opentelemetry/instrumentation-pg (in @azure/monitor-opentelemetry)'],
    ['/repo/packages/core/dist/mapping/trace/span-to-envelopes.js', 'f', 'ours: core'],
    ['node:internal/async_hooks', 'emitInit', 'node:async_hooks'],
    ['node:internal/streams/writable', 'write', 'node:internal'],
    ['', '(garbage collector)', '(garbage collector)'],
    ['', 'JSONStringify', '(native / V8 builtins)'],
  ])('names the module of %s', (url, fn, expected) => {
    expect(profile.moduleOf(url, fn)).toBe(expected);
  });

  it('puts modules in the parts issue 25 names, the rest in the app', () => {
    expect(['@opentelemetry/context-async-hooks', 'node:async_hooks', 'ours: distro', 'ours: exporter-trace', '@azure/monitor-opentelemetry-exporter', 'express'].map(profile.partOf)).toEqual([
      'context manager (AsyncLocalStorage, async hooks)', 'context manager (AsyncLocalStorage, async hooks)',
      'ours: distro (operation names, tap, Live Metrics, standard metrics)', 'ours: exporters and core (mapping, serialization, delivery)',
      'official: distro, exporter and Azure core', 'app, its libraries and Node',
    ]);
  });

  it('scales the shares of busy samples to the measured CPU per request; builtins count for their calling package', () => {
    const frame = (id: number, url: string, functionName: string, children: number[] = []) => ({ id, callFrame: { url, functionName }, children });
    const cpuProfile = {
      nodes: [
        frame(1, '', '(root)', [2, 4, 5]),
        frame(2, '/app/node_modules/express/lib/router.js', 'handle', [3]),
        frame(3, '', 'JSONStringify'), // counts for express
        frame(4, '/repo/packages/core/dist/export/serialize.js', 'encode'),
        frame(5, '', '(idle)'),
      ],
      samples: [2, 3, 4, 4, 5, 5],
      timeDeltas: [100, 100, 100, 100, 100, 100],
    };
    expect(Object.fromEntries(profile.microsPerRequestByPart(cpuProfile, 1000))).toEqual({
      'app, its libraries and Node': 500, 'ours: exporters and core (mapping, serialization, delivery)': 500,
    });
  });

  it('lists our own functions by self time, builtins counted for our calling function, packages left out', () => {
    const frame = (id: number, url: string, functionName: string, children: number[] = []) => ({ id, callFrame: { url, functionName, lineNumber: 9 }, children });
    const cpuProfile = {
      nodes: [
        frame(1, '', '(root)', [2, 4]),
        frame(2, 'file:///repo/packages/distro/dist/live-metrics/tap.js', 'onEnd', [3, 5]),
        frame(3, '', 'MapGet'), // counts for onEnd
        frame(4, '/app/node_modules/express/lib/router.js', 'handle', [6]),
        frame(5, '/repo/node_modules/@opentelemetry/sdk-metrics/build/x.js', 'record', [7]),
        frame(6, '', 'JSONStringify'), // express's, not ours
        frame(7, '', 'MathMin'), // under a package called by ours: the package's
      ],
      samples: [2, 3, 3, 4, 6, 5, 7],
      timeDeltas: [100, 100, 100, 100, 100, 100, 100],
    };
    expect(Object.fromEntries(profile.selfTimeByOwnFunction(cpuProfile))).toEqual({ 'onEnd (packages/distro/dist/live-metrics/tap.js:10)': 300 });
  });
});
