import { DiagLogLevel } from '@opentelemetry/api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMonitorOptions } from '../../src/config/azure-monitor-options';
import { resolveExportTarget } from '../../src/config/resolve-export-target';
import { resolveSettings } from '../../src/config/resolve-settings';

/** Where telemetry goes for these options and this environment (what `useAzureMonitor()` resolves). */
const resolveDistroConfig = (options: AzureMonitorOptions, env: NodeJS.ProcessEnv) => resolveExportTarget(resolveSettings(options, env));
/** The settings for this environment, the configuration file given as JSON content. */
const withFile = (file: Record<string, unknown>, options: AzureMonitorOptions = {}, env: NodeJS.ProcessEnv = {}) =>
  resolveSettings(options, { ...env, APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify(file) });

const IKEY_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const IKEY_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const IKEY_C = 'cccccccc-0000-4000-8000-00000000000c';
const cs = (ikey: string): string => `InstrumentationKey=${ikey};IngestionEndpoint=http://127.0.0.1:9/`;
const fakeCredential = (): TokenCredential => ({ getToken: jest.fn(async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 })) });

function enabled(config: ReturnType<typeof resolveDistroConfig>) {
  if (!config.exportEnabled) throw new Error(`expected export enabled, got: ${config.reason}`);
  return config;
}

describe('resolveDistroConfig: connection string precedence (options > environment > configuration file)', () => {
  const file = JSON.stringify({ connectionString: cs(IKEY_C) });

  it.each([
    ['the option wins over env and file', { connectionString: cs(IKEY_A) }, { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_B), APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: file }, IKEY_A, 'options'],
    ['env wins over the file', {}, { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_B), APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: file }, IKEY_B, 'environment'],
    ['the file is the last resort', {}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: file }, IKEY_C, 'configuration file'],
    ['a blank option counts as not given', { connectionString: '  ' }, { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_B) }, IKEY_B, 'environment'],
  ])('%s', (_name, options, env, ikey, source) => {
    const config = enabled(resolveDistroConfig(options, env));
    expect(config.parsed.instrumentationKey).toBe(ikey);
    expect(config.connectionStringSource).toBe(source);
  });

  it('reads APPLICATIONINSIGHTS_CONFIGURATION_FILE from disk; CONTENT wins over FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'distro-config-'));
    const path = join(dir, 'applicationinsights.json');
    writeFileSync(path, JSON.stringify({ connectionString: cs(IKEY_A) }));
    expect(enabled(resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_FILE: path })).parsed.instrumentationKey).toBe(IKEY_A);
    expect(enabled(resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_FILE: path, APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: file })).parsed.instrumentationKey).toBe(IKEY_C);
  });
});

describe('resolveDistroConfig: credential precedence (option > auth string > configuration file > none)', () => {
  const fileWithSami = JSON.stringify({ connectionString: cs(IKEY_C), authentication: { enabled: true, type: 'SAMI' } });

  it('the credential option wins over the auth string and the file', () => {
    const credential = fakeCredential();
    const config = enabled(resolveDistroConfig({ credential }, {
      APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_A), APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD', APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: fileWithSami,
    }));
    expect(config.credential).toBe(credential);
    expect(config.credentialSource).toBe('options');
  });

  it('the auth string wins over the file and gives a managed identity credential, shared per identity', () => {
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_A), APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=0c0c0c0c-0000-4000-8000-000000000001', APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: fileWithSami };
    const first = enabled(resolveDistroConfig({}, env));
    const second = enabled(resolveDistroConfig({}, env));
    expect(first.credentialSource).toBe('environment');
    expect(first.credential).toMatchObject({ credentialKind: 'managed-identity' });
    expect(second.credential).toBe(first.credential);
  });

  it.each([
    ['SAMI', { type: 'SAMI' }, 'managed-identity'],
    ['UAMI', { type: 'UAMI', clientId: '0c0c0c0c-0000-4000-8000-000000000001' }, 'managed-identity'],
    ['CLIENTSECRET', { type: 'CLIENTSECRET', clientId: '5e5e5e5e-0000-4000-8000-000000000002', tenantId: '72f988bf-0000-4000-8000-00000000e0e0', clientSecret: 's3cret' }, 'service-principal'],
  ])('the file authentication block %s gives a lazy credential of the right kind', (_type, block, kind) => {
    const config = enabled(resolveDistroConfig({}, {
      APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ connectionString: cs(IKEY_C), authentication: { enabled: true, ...block } }),
    }));
    expect(config.credentialSource).toBe('configuration file');
    expect(config.credential).toMatchObject({ credentialKind: kind });
  });

  it.each([
    ['with a type', { enabled: false, type: 'SAMI' }],
    ['without a type', { enabled: false }],
  ])('a disabled authentication block (%s) and no other source mean no credential', (_name, block) => {
    const config = enabled(resolveDistroConfig({}, {
      APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ connectionString: cs(IKEY_C), authentication: block }),
    }));
    expect(config.credential).toBeUndefined();
    expect(config.credentialSource).toBe('default');
  });
});

describe('resolveDistroConfig: errors turn export off with one clear reason, never a throw', () => {
  it('no connection string anywhere', () => {
    const config = resolveDistroConfig({}, {});
    expect(config).toMatchObject({ exportEnabled: false });
    expect(config.exportEnabled ? '' : config.reason).toMatch(/no Application Insights connection string.*APPLICATIONINSIGHTS_CONNECTION_STRING/);
  });

  it('a malformed connection string names the source and never echoes the value', () => {
    const config = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=not-a-guid-SECRETISH;IngestionEndpoint=https://x' });
    expect(config.exportEnabled).toBe(false);
    const reason = config.exportEnabled ? '' : config.reason;
    expect(reason).toContain('APPLICATIONINSIGHTS_CONNECTION_STRING');
    expect(reason).toContain('export is off');
    expect(reason).not.toContain('SECRETISH');
  });

  it('a malformed auth string says what is accepted', () => {
    const config = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_A), APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Basic' });
    expect(config.exportEnabled).toBe(false);
    expect(config.exportEnabled ? '' : config.reason).toMatch(/Authorization=AAD/);
  });

  it.each([
    ['not JSON', '{ nope', /not valid JSON/],
    ['unknown type', JSON.stringify({ connectionString: cs(IKEY_C), authentication: { enabled: true, type: 'MAGIC' } }), /SAMI.*UAMI.*CLIENTSECRET/],
    ['UAMI without clientId', JSON.stringify({ connectionString: cs(IKEY_C), authentication: { enabled: true, type: 'UAMI' } }), /clientId is required/],
    ['CLIENTSECRET without secret', JSON.stringify({ connectionString: cs(IKEY_C), authentication: { enabled: true, type: 'CLIENTSECRET', clientId: '5e5e5e5e-0000-4000-8000-000000000002', tenantId: 't' } }), /clientSecret is required/],
  ])('a configuration file that is %s', (_name, content, pattern) => {
    const config = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: content });
    expect(config.exportEnabled).toBe(false);
    expect(config.exportEnabled ? '' : config.reason).toMatch(pattern);
    expect(config.exportEnabled ? '' : config.reason).not.toContain('emulator-secret');
  });

  it('a missing configuration file names the path and the error code', () => {
    const config = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_FILE: '/nonexistent/applicationinsights.json' });
    expect(config.exportEnabled ? '' : config.reason).toMatch(/\/nonexistent\/applicationinsights\.json.*ENOENT/);
  });

  it('a broken configuration file does not matter when options and env provide everything (one warning)', () => {
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_A), APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: '{ nope' };
    expect(resolveDistroConfig({ credential: fakeCredential() }, env).exportEnabled).toBe(true);
    expect(resolveSettings({ credential: fakeCredential() }, env).warnings).toEqual(['the configuration file is ignored: APPLICATIONINSIGHTS_CONFIGURATION_CONTENT is not valid JSON']);
  });

  it.each([
    ['a credential option without getToken', { connectionString: cs(IKEY_A), credential: {} as TokenCredential }, {}, /the credential option must be a TokenCredential/],
    ['a connection string option of another type', { connectionString: 7 as unknown as string }, {}, /the connectionString option must be a string/],
    ['a file connection string of another type', {}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: '{"connectionString":7}' }, /APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "connectionString" must be a string/],
  ])('%s turns export off, naming the setting', (_name, options, env, pattern) => {
    const config = resolveDistroConfig(options, env);
    expect(config.exportEnabled ? '' : config.reason).toMatch(pattern);
  });
});

describe('resolveSettings: the option keys of the configuration file', () => {
  it('accepts every JSON-valued option, as given', () => {
    const { settings, warnings } = withFile({
      connectionString: cs(IKEY_A), samplingRatio: 0.5, instrumentationOptions: { http: { enabled: false }, pg: { enabled: true } },
      storageDirectory: '/var/ai', disableOfflineStorage: true, metricExportIntervalMillis: 15000, audience: 'https://monitor.azure.cn',
      disableTraceExport: false, disableMetricExport: true, disableLogExport: false, traceBasedLogSampling: false,
      enableLiveMetrics: false, enablePerformanceCounters: true, enableStandardMetrics: false, requestNameSource: 'spanName', persistBeforeSend: true,
    });
    expect(warnings).toEqual([]);
    expect(settings).toMatchObject({
      sampler: { kind: 'ratio', ratio: 0.5 }, instrumentationOptions: { http: { enabled: false }, pg: { enabled: true } },
      storageDirectory: '/var/ai', disableOfflineStorage: true, metricExportIntervalMillis: 15000, audience: 'https://monitor.azure.cn',
      disableTraceExport: false, disableMetricExport: true, disableLogExport: false, traceBasedLogSampling: false,
      enableLiveMetrics: false, enablePerformanceCounters: true, enableStandardMetrics: false, requestNameSource: 'spanName', persistBeforeSend: true,
    });
  });

  // One policy: a bad value is one warning naming the setting and its source, and the default is
  // used; the file's other keys still apply (before, a wrong type made the whole file a ConfigError).
  it.each<[string, string, string, string, unknown]>([
    ['samplingRatio', '"0.5"', '"samplingRatio" must be a number from 0 to 1', 'sampler', { kind: 'ratio', ratio: 1 }],
    ['samplingRatio', '1e999', '"samplingRatio" must be a number from 0 to 1', 'sampler', { kind: 'ratio', ratio: 1 }],
    ['disableOfflineStorage', '"true"', '"disableOfflineStorage" must be true or false; using the default (false)', 'disableOfflineStorage', undefined],
    ['enableLiveMetrics', '"false"', '"enableLiveMetrics" must be true or false; using the default (true)', 'enableLiveMetrics', true],
    ['storageDirectory', '7', '"storageDirectory" must be a string', 'storageDirectory', undefined],
    ['metricExportIntervalMillis', '-5', '"metricExportIntervalMillis" must be a number above 0; using the default (60000)', 'metricExportIntervalMillis', 60_000],
    ['requestNameSource', '"url"', '"requestNameSource" must be \'path\' or \'spanName\'', 'requestNameSource', undefined],
    ['instrumentationOptions', '[]', '"instrumentationOptions" must be an object', 'instrumentationOptions', {}],
    ['instrumentationOptions', '{"http":false,"pg":{"enabled":false}}', '"instrumentationOptions.http" must be an object such as { "enabled": false }; ignored', 'instrumentationOptions', { pg: { enabled: false } }],
    ['instrumentationOptions', '{"http":{"enabled":"no"}}', '"instrumentationOptions.http".enabled must be true or false; ignored', 'instrumentationOptions', {}],
  ])('a wrong value for %s (%s) is one warning naming the file and the key; the default applies', (key, json, message, setting, value) => {
    const { settings, warnings } = resolveSettings({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: `{"${key}":${json},"audience":"https://monitor.azure.us"}` });
    expect(warnings).toEqual([expect.stringContaining(`APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: ${message}`)]);
    expect((settings as unknown as Record<string, unknown>)[setting]).toEqual(value);
    expect(settings.audience).toBe('https://monitor.azure.us');
  });

  it('warns (once) about unknown keys and about options only code can pass, and ignores them', () => {
    const { settings, warnings } = withFile({ connectionString: cs(IKEY_A), sampling: { percentage: 10 }, role: {}, credential: {}, instrumentationOptions: { additional: [] } });
    expect(settings.instrumentationOptions).toEqual({});
    expect(warnings).toEqual([
      'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "instrumentationOptions.additional" holds instrumentation objects, which only code can pass; ignored',
      'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "credential" can only be passed to useAzureMonitor() in code; ignored',
      'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: unknown key(s) "sampling", "role" ignored (see docs/configuration.md for the keys the distro reads)',
    ]);
  });

  it('the file\'s settings apply also when export is off (the providers still run locally)', () => {
    const resolved = withFile({ samplingRatio: 0.1, x: 1 });
    expect(resolveExportTarget(resolved).exportEnabled).toBe(false);
    expect(resolved.settings.sampler).toEqual({ kind: 'ratio', ratio: 0.1 });
    expect(resolved.warnings).toEqual([expect.stringContaining('unknown key(s) "x"')]);
  });

  it('is frozen', () => {
    const resolved = resolveSettings({}, {});
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.settings)).toBe(true);
    expect(Object.isFrozen(resolved.warnings)).toBe(true);
  });
});

describe('resolveSettings: per-signal export (option > OTEL_*_EXPORTER > file > exported)', () => {
  it.each<[string, Record<string, boolean>, NodeJS.ProcessEnv, Record<string, boolean>, [boolean, boolean, boolean], number]>([
    ['nothing set: all exported', {}, {}, {}, [true, true, true], 0],
    ['env none per signal', {}, { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: ' None ', OTEL_LOGS_EXPORTER: 'none' }, {}, [false, false, false], 0],
    ['options win over env', { disableTraceExport: false, disableLogExport: true }, { OTEL_TRACES_EXPORTER: 'none' }, {}, [true, true, false], 0],
    ['env wins over the file', {}, { OTEL_METRICS_EXPORTER: 'azure_monitor' }, { disableMetricExport: true }, [true, true, true], 0],
    ['the file applies last', {}, {}, { disableTraceExport: true }, [false, true, true], 0],
    ['another exporter name: export stays on, one warning', {}, { OTEL_TRACES_EXPORTER: 'otlp' }, {}, [true, true, true], 1],
    ['a list with none: off', {}, { OTEL_LOGS_EXPORTER: 'otlp,none' }, {}, [true, true, false], 1],
  ])('%s', (_case, options, env, file, [traces, metrics, logs], warningCount) => {
    const { settings, warnings } = withFile(file, options, env);
    expect([!settings.disableTraceExport, !settings.disableMetricExport, !settings.disableLogExport]).toEqual([traces, metrics, logs]);
    expect(warnings).toHaveLength(warningCount);
  });
});

describe('resolveSettings: metricExportIntervalMillis (option > OTEL_METRIC_EXPORT_INTERVAL > file > 60 000)', () => {
  it.each<[number | undefined, string | undefined, number | undefined, number, number]>([
    [undefined, undefined, undefined, 60_000, 0],
    [5_000, '30000', 15_000, 5_000, 0],
    [undefined, '30000', 15_000, 30_000, 0],
    [undefined, undefined, 15_000, 15_000, 0],
    [undefined, '', undefined, 60_000, 0],
    // one policy: a bad value warns and gives the default (before: skipped silently to the next source)
    [-1, 'soon', 15_000, 60_000, 1],
    [undefined, 'soon', 15_000, 60_000, 1],
    [0, '', undefined, 60_000, 1],
  ])('option %p, env %p, file %p -> %p', (option, env, file, expected, warningCount) => {
    const { settings, warnings } = withFile(file === undefined ? {} : { metricExportIntervalMillis: file },
      option === undefined ? {} : { metricExportIntervalMillis: option }, env === undefined ? {} : { OTEL_METRIC_EXPORT_INTERVAL: env });
    expect(settings.metricExportIntervalMillis).toBe(expected);
    expect(warnings).toHaveLength(warningCount);
  });
});

describe('resolveSettings: keys only the option and the file set (options win)', () => {
  it.each<[string, AzureMonitorOptions, Record<string, unknown>, Record<string, unknown>]>([
    ['empty file: options unchanged', { storageDirectory: '/a' }, {}, { storageDirectory: '/a' }],
    ['file fills what options leave out', {},
      { storageDirectory: '/f', disableOfflineStorage: true, audience: 'https://monitor.azure.us', traceBasedLogSampling: false, requestNameSource: 'spanName', persistBeforeSend: true },
      { storageDirectory: '/f', disableOfflineStorage: true, audience: 'https://monitor.azure.us', traceBasedLogSampling: false, requestNameSource: 'spanName', persistBeforeSend: true }],
    ['options win, false included', { disableOfflineStorage: false, traceBasedLogSampling: true }, { disableOfflineStorage: true, traceBasedLogSampling: false },
      { disableOfflineStorage: false, traceBasedLogSampling: true }],
    ['instrumentationOptions merge per instrumentation, the option winning', { instrumentationOptions: { http: { enabled: true } } },
      { instrumentationOptions: { http: { enabled: false }, pg: { enabled: false } } }, { instrumentationOptions: { http: { enabled: true }, pg: { enabled: false } } }],
  ])('%s', (_case, options, file, expected) => {
    expect(withFile(file, options).settings).toMatchObject(expected);
  });
});

describe('resolveSettings: Live Metrics, performance counters, standard metrics (option > variable > file > on)', () => {
  const ALL_ON = { enableLiveMetrics: true, enablePerformanceCounters: true, enableStandardMetrics: true };
  it.each<[string, AzureMonitorOptions, NodeJS.ProcessEnv, Record<string, boolean>, Record<string, boolean>]>([
    ['nothing set', {}, {}, {}, ALL_ON],
    ['a variable turns one off', {}, { APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED: 'false' }, {}, { ...ALL_ON, enableLiveMetrics: false }],
    ['0 is false', {}, { APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED: '0' }, {}, { ...ALL_ON, enablePerformanceCounters: false }],
    ['any case', {}, { APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'FALSE' }, {}, { ...ALL_ON, enableStandardMetrics: false }],
    ['options turn all three off', { enableLiveMetrics: false, enablePerformanceCounters: false, enableStandardMetrics: false }, {}, {},
      { enableLiveMetrics: false, enablePerformanceCounters: false, enableStandardMetrics: false }],
    ['the file turns a feature off', {}, {}, { enableLiveMetrics: false }, { ...ALL_ON, enableLiveMetrics: false }],
    ['the variable wins over the file', {}, { APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'true' }, { enableStandardMetrics: false }, ALL_ON],
    ['the variable off wins over the file on', {}, { APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED: '0' }, { enablePerformanceCounters: true },
      { ...ALL_ON, enablePerformanceCounters: false }],
    ['the option wins over variable and file', { enableLiveMetrics: true }, { APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED: 'false' }, { enableLiveMetrics: false }, ALL_ON],
  ])('%s', (_case, options, env, file, expected) => {
    expect(withFile(file, options, env).settings).toMatchObject(expected);
  });

  // One policy: an unreadable switch is one warning and the default (on), for that feature only
  // (before: a ConfigError that left all three off).
  it('an unreadable variable or option warns, naming it, and keeps that feature at its default', () => {
    const { settings, warnings } = resolveSettings({ enableStandardMetrics: 'no' as unknown as boolean }, { APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED: 'nope', APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED: 'false' });
    expect(settings).toMatchObject({ enableLiveMetrics: true, enablePerformanceCounters: false, enableStandardMetrics: true });
    expect(warnings).toEqual([
      'APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED must be true or false (or 1 or 0); using the default (true)',
      'the enableStandardMetrics option must be true or false; using the default (true)',
    ]);
  });
});

describe('resolveSettings: the rest of the environment', () => {
  it('reads the instrumentation lists, the detectors, the log level and the platform and identity variables once', () => {
    const { settings, warnings } = resolveSettings({}, {
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, PG', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'postgres', OTEL_NODE_RESOURCE_DETECTORS: 'env,host',
      OTEL_LOG_LEVEL: 'Debug', WEBSITE_SITE_NAME: ' shop ', UNRELATED: 'x', IDENTITY_ENDPOINT: 'http://127.0.0.1:41/msi', AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    });
    expect([...(settings.enabledInstrumentations ?? [])]).toEqual(['http', 'pg']);
    expect([...(settings.disabledInstrumentations ?? [])]).toEqual([]);
    expect([...settings.resourceDetectors]).toEqual(['env', 'host']);
    expect(settings.logLevel).toBe(DiagLogLevel.DEBUG);
    expect(settings.platformVariables).toEqual({ WEBSITE_SITE_NAME: 'shop' });
    expect(settings.managedIdentityEndpoints).toEqual(['http://127.0.0.1:41/msi']);
    expect(settings.authorityHost).toBe('https://login.microsoftonline.us');
    expect(warnings).toEqual([expect.stringContaining('OTEL_NODE_DISABLED_INSTRUMENTATIONS names an unknown instrumentation "postgres"')]);
  });

  it('an unknown OTEL_LOG_LEVEL warns and keeps warn', () => {
    const { settings, warnings } = resolveSettings({}, { OTEL_LOG_LEVEL: 'loud' });
    expect(settings.logLevel).toBe(DiagLogLevel.WARN);
    expect(warnings).toEqual([expect.stringMatching(/^OTEL_LOG_LEVEL must be one of none, error, warn/)]);
  });

  it.each<[string, AzureMonitorOptions, RegExp]>([
    ['spanProcessors', { spanProcessors: {} as never }, /^the spanProcessors option must be an array; using the default \(none\)$/],
    ['beforeExport', { beforeExport: 'drop' as never }, /^the beforeExport option must be a function/],
    ['resource', { resource: { 'service.name': 'x' } as never }, /^the resource option must be a Resource/],
    ['requestNameSource', { requestNameSource: 'url' as never }, /^the requestNameSource option must be 'path' or 'spanName'/],
  ])('a code-only option of the wrong kind (%s) warns and is left out', (_name, options, pattern) => {
    expect(resolveSettings(options, {}).warnings).toEqual([expect.stringMatching(pattern)]);
  });
});
