// The app benchmark's pure parts (bench/src/app): the PASS/FAIL marks against issue 25's targets, the
// A/A baseline, which variants gzip, the variant sets, the loopback-only connection strings, and how
// the CPU profile is attributed to parts. The figures in docs/benchmark.md come
// from these functions, so they are tested on hand-made runs here (never on timings).
import * as path from 'node:path';

const APP = path.join(__dirname, '..', '..', 'bench', 'src', 'app');
const report = require(path.join(APP, 'report.js')) as {
  summarize(key: string, name: string, runs: object[]): Record<string, number | string>;
  baseline(runsByKey: Record<string, object[]>): { pooled: Record<string, number>; noise?: Record<string, number> };
  targets(byKey: Record<string, object>, bare: object): { text: string; pass: boolean; detail: string }[];
  floorShares(byKey: Record<string, object>, bare: object): string[];
  compressionLine(summaries: object[]): string;
};
const { ingestionCounter } = require(path.join(APP, 'ingestion-counter.js')) as {
  ingestionCounter(): { count(req: { method: string; url: string; headers: Record<string, string> }): void; take(): { requests: number; gzip: number } };
};
const { loopbackOnly } = require(path.join(APP, 'telemetry.js')) as { loopbackOnly(connectionString: string, alias?: string): boolean };
const { SETS } = require(path.join(APP, 'variants.js')) as { SETS: Record<string, { key: string; spec: { distro: string } }[]> };
const { preloadsFor } = require(path.join(APP, 'run-variant.js')) as { preloadsFor(distro: string): { execArgv: string[]; env: Record<string, string> } };
const { officialDistroDir } = require(path.join(APP, 'official-distro.js')) as { officialDistroDir(choice?: string): string };
const profile = require(path.join(APP, 'profile-summary.js')) as {
  moduleOf(url: string, functionName: string): string;
  partOf(moduleKey: string): string;
  microsPerRequestByPart(profile: object, cpuMicrosPerRequest: number): Map<string, number>;
  selfTimeByOwnFunction(profile: object): Map<string, number>;
};

/** One run record as run-variant.js returns it. */
function run(rps: number, p99: number, cpuPerRequest: number, bytesPerRequest = 0, ingestion = { requests: 0, gzip: 0 }): object {
  return {
    requestsPerSecond: rps, latencyP50Millis: p99 / 4, latencyP99Millis: p99,
    app: { cpuMicros: cpuPerRequest * 1000, requests: 1000, eventLoopP99Millis: 5, peakRssBytes: 100 * 1024 * 1024 },
    served: 1000, stored: { bytes: bytesPerRequest * 1000, items: 4000 }, ingestion,
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

  it('adds a line for the floor with a MeterProvider when it ran', () => {
    const runsByKey: Record<string, object[]> = { ...bareRuns, 'official-all': [run(475, 51, 1020)], 'otel-floor': [run(760, 26, 720)], 'otel-floor-metrics': [run(700, 28, 820)] };
    const byKey = Object.fromEntries(Object.entries(runsByKey).map(([k, runs]) => [k, report.summarize(k, k, runs)]));
    expect(report.floorShares(byKey, report.baseline(runsByKey).pooled)[4]).toBe(
      "floor with the instrumentations' metrics (a MeterProvider registered, as both distros do): adds 300 µs per request = 0.60x the official's; "
        + 'the 1/2 target is already exceeded by the floor alone, by 50 µs',
    );
  });

  it('has no floor lines without the floor or the official', () => {
    const byKey = { 'otel-floor': report.summarize('otel-floor', 'f', [run(760, 26, 720)]) };
    expect(report.floorShares(byKey, report.baseline(bareRuns).pooled)).toEqual([]);
  });
});

describe('app bench compression and setup', () => {
  it.each([
    ['both distros gzip every request', [['official', 12, 12], ['ours', 10, 10], ['floor', 0, 0]],
      'Ingestion requests gzip-encoded (counted at the TLS front, all rounds): official all (12 of 12); ours all (10 of 10).'],
    ['one sends plain, one mixed', [['official', 7, 0], ['ours', 10, 4]],
      'Ingestion requests gzip-encoded (counted at the TLS front, all rounds): official none (0 of 7); ours some (4 of 10).'],
    ['nothing sent', [['floor', 0, 0]], ''],
  ] as [string, [string, number, number][], string][])('says which variants gzip: %s', (_title, variants, expected) => {
    const summaries = variants.map(([key, requests, gzip]) => report.summarize(key, key, [run(500, 20, 900, 0, { requests, gzip })]));
    expect(report.compressionLine(summaries)).toBe(expected);
  });

  it('counts ingestion requests and their gzip encoding, not Live Metrics, and starts again on take', () => {
    const counter = ingestionCounter();
    const requests: { method: string; url: string; headers: Record<string, string> }[] = [
      { method: 'POST', url: '/v2.1/track', headers: { 'content-encoding': 'gzip' } },
      { method: 'POST', url: '/v2/track', headers: { 'content-encoding': 'GZIP' } },
      { method: 'POST', url: '/v2.1/track', headers: {} },
      { method: 'POST', url: '/QuickPulseService.svc/ping?ikey=x', headers: {} },
      { method: 'GET', url: '/v2.1/track', headers: {} },
    ];
    for (const req of requests) counter.count(req);
    expect(counter.take()).toEqual({ requests: 3, gzip: 2 });
    expect(counter.take()).toEqual({ requests: 0, gzip: 0 });
  });

  const alias = 'bench-loopback.in.applicationinsights.azure.com';
  it.each([
    ['loopback for both', 'InstrumentationKey=k;IngestionEndpoint=https://127.0.0.1:4431/;LiveEndpoint=https://127.0.0.1:4431/', undefined, true],
    ['the alias where none is allowed', `InstrumentationKey=k;IngestionEndpoint=https://${alias}:4431/;LiveEndpoint=https://127.0.0.1:4431/`, undefined, false],
    ['the alias for the official', `InstrumentationKey=k;IngestionEndpoint=https://${alias}:4431/;LiveEndpoint=https://127.0.0.1:4431/`, alias, true],
    ['the alias for Live Metrics', `InstrumentationKey=k;IngestionEndpoint=https://127.0.0.1:4431/;LiveEndpoint=https://${alias}:4431/`, alias, false],
    ['another Azure host', 'InstrumentationKey=k;IngestionEndpoint=https://westus-0.in.applicationinsights.azure.com:443/;LiveEndpoint=https://127.0.0.1:4431/', alias, false],
    ['the alias as a prefix', `InstrumentationKey=k;IngestionEndpoint=https://${alias}.evil.example:4431/;LiveEndpoint=https://127.0.0.1:4431/`, alias, false],
    ['a dot in the alias as any character', 'InstrumentationKey=k;IngestionEndpoint=https://bench-loopbackXin.applicationinsights.azure.com:4431/;LiveEndpoint=https://127.0.0.1:4431/', alias, false],
  ] as [string, string, string | undefined, boolean][])('lets telemetry start only on loopback endpoints: %s', (_title, connectionString, hostAlias, expected) => {
    expect(loopbackOnly(connectionString, hostAlias)).toBe(expected);
  });

  it('keeps the main set at 9 variants at most, the floor with and without metrics in it', () => {
    const keys = SETS['main']!.map((v) => v.key);
    expect(keys.length).toBeLessThanOrEqual(9);
    expect(keys).toEqual(expect.arrayContaining(['bare-a', 'bare-b', 'official-all', 'ours-official-set', 'ours-default', 'otel-floor', 'otel-floor-metrics']));
    // rows whose question docs/benchmark.md answers are out of the attribution set
    expect(SETS['attribution']!.map((v) => v.key).filter((k) => ['bsp-1024', 'bsp-delay-1s', 'express-layers-on'].includes(k))).toEqual([]);
  });

  it.each(['official', 'ours', 'otel-floor', 'none'])('preloads the network guard first, the host alias after it for the official only: %s', (distro) => {
    const { execArgv, env } = preloadsFor(distro);
    const files = execArgv.filter((_, i) => i % 2 === 1).map((f) => path.basename(f));
    expect(execArgv.filter((_, i) => i % 2 === 0).every((flag) => flag === '--require')).toBe(true);
    expect(files).toEqual(distro === 'official' ? ['network-guard.cjs', 'host-alias.cjs'] : ['network-guard.cjs']);
    expect(env).toEqual(distro === 'official' ? { BENCH_HOST_ALIAS: alias } : {});
  });

  it('runs the official distro from bench/official unless told to run the workspace copy', () => {
    expect(officialDistroDir('workspace')).toMatch(/node_modules[\\/]@azure[\\/]monitor-opentelemetry$/);
    expect(() => officialDistroDir('latest')).toThrow(/BENCH_APP_OFFICIAL must be setup or workspace/);
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
