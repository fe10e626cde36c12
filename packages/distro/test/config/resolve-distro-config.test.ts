import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { ConfigError } from '@appinsights-otel/core';
import { parseConfigurationText } from '../../src/config/read-configuration-file';
import { resolveDistroConfig, withFileSettings } from '../../src/config/resolve-distro-config';
import { resolveMetricIntervalMillis } from '../../src/config/resolve-metric-interval';
import { resolveSignalExports } from '../../src/config/resolve-signal-exports';

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
    expect(config.credentialSource).toBe('none');
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

  it('a broken configuration file does not matter when options and env provide everything', () => {
    const config = resolveDistroConfig({ credential: fakeCredential() }, { APPLICATIONINSIGHTS_CONNECTION_STRING: cs(IKEY_A), APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: '{ nope' });
    expect(config.exportEnabled).toBe(true);
  });
});

describe('parseConfigurationText: the option keys of the configuration file', () => {
  it('accepts every JSON-valued option, as given', () => {
    const settings = {
      samplingRatio: 0.5, tracesPerSecond: 2, instrumentationOptions: { http: { enabled: false }, pg: { enabled: true } },
      storageDirectory: '/var/ai', disableOfflineStorage: true, metricExportIntervalMillis: 15000, audience: 'https://monitor.azure.cn',
      disableTraceExport: false, disableMetricExport: true, disableLogExport: false, traceBasedLogSampling: false,
      enableLiveMetrics: false, enablePerformanceCounters: true, enableStandardMetrics: false,
    };
    const file = parseConfigurationText(JSON.stringify({ connectionString: cs(IKEY_A), ...settings }), 'test');
    expect(file.settings).toEqual(settings);
    expect(file.warnings).toEqual([]);
  });

  it.each([
    ['samplingRatio', '"0.5"', '"samplingRatio" must be a number'],
    ['samplingRatio', '1e999', '"samplingRatio" must be a number'],
    ['disableOfflineStorage', '"true"', '"disableOfflineStorage" must be a boolean'],
    ['enableLiveMetrics', '"false"', '"enableLiveMetrics" must be a boolean'],
    ['storageDirectory', '7', '"storageDirectory" must be a string'],
    ['instrumentationOptions', '[]', '"instrumentationOptions" must be an object'],
    ['instrumentationOptions', '{"http":false}', '"instrumentationOptions.http" must be an object'],
    ['instrumentationOptions', '{"http":{"enabled":"no"}}', '"instrumentationOptions.http".enabled must be true or false'],
  ])('a wrong type for %s (%s) is a ConfigError naming the key', (key, json, message) => {
    const parse = (): unknown => parseConfigurationText(`{"${key}":${json}}`, 'test');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it('warns (once) about unknown keys and about options only code can pass, and ignores them', () => {
    const file = parseConfigurationText(JSON.stringify({
      connectionString: cs(IKEY_A), sampling: { percentage: 10 }, role: {}, credential: {}, instrumentationOptions: { additional: [] },
    }), 'test');
    expect(file.settings).toEqual({ instrumentationOptions: {} });
    expect(file.warnings).toEqual([
      'test: "credential" can only be passed to useAzureMonitor() in code; ignored',
      'test: "instrumentationOptions.additional" holds instrumentation objects, which only code can pass; ignored',
      'test: unknown key(s) "sampling", "role" ignored (see docs/configuration.md for the keys the distro reads)',
    ]);
  });

  it('resolveDistroConfig hands the settings and warnings on, also when export is off', () => {
    const config = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: '{"samplingRatio":0.1,"x":1}' });
    expect(config.exportEnabled).toBe(false);
    expect(config.fileSettings).toEqual({});
    const on = resolveDistroConfig({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ connectionString: cs(IKEY_A), samplingRatio: 0.1, x: 1 }) });
    expect(on.fileSettings).toEqual({ samplingRatio: 0.1 });
    expect(on.warnings).toEqual([expect.stringContaining('unknown key(s) "x"')]);
  });
});

describe('resolveSignalExports', () => {
  it.each<[string, Record<string, boolean>, NodeJS.ProcessEnv, Record<string, boolean>, [boolean, boolean, boolean], number]>([
    ['nothing set: all exported', {}, {}, {}, [true, true, true], 0],
    ['env none per signal', {}, { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: ' None ', OTEL_LOGS_EXPORTER: 'none' }, {}, [false, false, false], 0],
    ['options win over env', { disableTraceExport: false, disableLogExport: true }, { OTEL_TRACES_EXPORTER: 'none' }, {}, [true, true, false], 0],
    ['env wins over the file', {}, { OTEL_METRICS_EXPORTER: 'azure_monitor' }, { disableMetricExport: true }, [true, true, true], 0],
    ['the file applies last', {}, {}, { disableTraceExport: true }, [false, true, true], 0],
    ['another exporter name: export stays on, one warning', {}, { OTEL_TRACES_EXPORTER: 'otlp' }, {}, [true, true, true], 1],
    ['a list with none: off', {}, { OTEL_LOGS_EXPORTER: 'otlp,none' }, {}, [true, true, false], 1],
  ])('%s', (_case, options, env, file, [traces, metrics, logs], warningCount) => {
    const result = resolveSignalExports(options, env, file);
    expect([result.traces, result.metrics, result.logs]).toEqual([traces, metrics, logs]);
    expect(result.warnings).toHaveLength(warningCount);
  });
});

describe('resolveMetricIntervalMillis (option > OTEL_METRIC_EXPORT_INTERVAL > file > 60 000)', () => {
  it.each<[number | undefined, string | undefined, number | undefined, number]>([
    [undefined, undefined, undefined, 60_000],
    [5_000, '30000', 15_000, 5_000],
    [undefined, '30000', 15_000, 30_000],
    [undefined, undefined, 15_000, 15_000],
    [-1, 'soon', 15_000, 15_000],
    [0, '', undefined, 60_000],
  ])('option %p, env %p, file %p -> %p', (option, env, file, expected) => {
    expect(resolveMetricIntervalMillis(option, env === undefined ? {} : { OTEL_METRIC_EXPORT_INTERVAL: env }, file)).toBe(expected);
  });
});

describe('withFileSettings (options win; the file fills the keys no variable sets)', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ['empty file: options unchanged', { storageDirectory: '/a' }, {}, { storageDirectory: '/a' }],
    ['file fills what options leave out', {},
      { storageDirectory: '/f', disableOfflineStorage: true, audience: 'https://monitor.azure.us', traceBasedLogSampling: false, requestNameSource: 'spanName', persistBeforeSend: true },
      { storageDirectory: '/f', disableOfflineStorage: true, audience: 'https://monitor.azure.us', traceBasedLogSampling: false, requestNameSource: 'spanName', persistBeforeSend: true }],
    ['options win, false included', { disableOfflineStorage: false, traceBasedLogSampling: true }, { disableOfflineStorage: true, traceBasedLogSampling: false },
      { disableOfflineStorage: false, traceBasedLogSampling: true }],
    ['instrumentationOptions merge per instrumentation, the option winning', { instrumentationOptions: { http: { enabled: true } } },
      { instrumentationOptions: { http: { enabled: false }, pg: { enabled: false } } }, { instrumentationOptions: { http: { enabled: true }, pg: { enabled: false } } }],
    ['env-backed keys are left to their resolvers', {}, { samplingRatio: 0.1, disableTraceExport: true, metricExportIntervalMillis: 5 }, {}],
  ])('%s', (_case, options, file, expected) => {
    expect(withFileSettings(options, file)).toEqual(expected);
  });
});
