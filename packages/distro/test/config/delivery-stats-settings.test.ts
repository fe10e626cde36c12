// enableDeliveryStats and its interval: ours, the official SDKs' SDK Stats variables, the file key
// (docs/configuration.md and docs/sdk-stats.md).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveSettings } from '../../src/config/resolve-settings';
import { computeTypeOf } from '../../src/resource/compute-type';

const resolve = (env: NodeJS.ProcessEnv, options = {}) => resolveSettings(options, env);

describe('enableDeliveryStats', () => {
  it.each<[string, NodeJS.ProcessEnv, Record<string, unknown>, boolean, string, string[]]>([
    ['off by default', {}, {}, false, 'default', []],
    ['ours turns it on', { APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED: 'true' }, {}, true, 'environment', []],
    ['the official preview opt-in turns it on', { APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW: 'true' }, {}, true, 'environment', []],
    ['the official GA switch: DISABLED=false means on', { APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'false' }, {}, true, 'environment', []],
    ['the official GA switch: DISABLED=true means off', { APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true' }, {}, false, 'environment', []],
    ['DISABLED wins over ENABLED_PREVIEW, as in the official SDKs', { APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true', APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW: 'true' }, {}, false, 'environment',
      ['APPLICATIONINSIGHTS_SDKSTATS_DISABLED and APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW disagree; APPLICATIONINSIGHTS_SDKSTATS_DISABLED wins']],
    ['ours wins over the official ones', { APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED: 'false', APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW: 'true' }, {}, false, 'environment',
      ['APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED and APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW disagree; APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED wins']],
    ['the option wins over every variable', { APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED: 'true' }, { enableDeliveryStats: false }, false, 'options', []],
    ['a bad value is a warning and the default', { APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED: 'maybe' }, {}, false, 'default',
      ['APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED must be true or false (or 1 or 0); using the default (false)']],
  ])('%s', (_name, env, options, value, source, warnings) => {
    const resolved = resolve(env, options);
    expect(resolved.settings.enableDeliveryStats).toBe(value);
    expect(resolved.sources.enableDeliveryStats).toBe(source);
    expect(resolved.warnings).toEqual(warnings);
  });

  it('is read from the configuration file, with its interval', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-stats-config-'));
    const file = path.join(dir, 'applicationinsights.json');
    await fs.promises.writeFile(file, JSON.stringify({ enableDeliveryStats: true, deliveryStatsIntervalMillis: 60_000 }));
    try {
      const resolved = resolve({ APPLICATIONINSIGHTS_CONFIGURATION_FILE: file });
      expect(resolved.settings.enableDeliveryStats).toBe(true);
      expect(resolved.settings.deliveryStatsIntervalMillis).toBe(60_000);
      expect(resolved.sources.enableDeliveryStats).toBe('configuration file');
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('deliveryStatsIntervalMillis', () => {
  it.each<[string, NodeJS.ProcessEnv, Record<string, unknown>, number, number]>([
    ['15 minutes by default', {}, {}, 900_000, 0],
    ['APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL is in seconds', { APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL: '300' }, {}, 300_000, 0],
    ['the option (milliseconds) wins', { APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL: '300' }, { deliveryStatsIntervalMillis: 5_000 }, 5_000, 0],
    ['a bad value is a warning and the default', { APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL: '-1' }, {}, 900_000, 1],
  ])('%s', (_name, env, options, value, warnings) => {
    const resolved = resolve(env, options);
    expect(resolved.settings.deliveryStatsIntervalMillis).toBe(value);
    expect(resolved.warnings).toHaveLength(warnings);
  });
});

describe('computeTypeOf (SDK Stats computeType)', () => {
  it.each<[Record<string, string>, string]>([
    [{ FUNCTIONS_WORKER_RUNTIME: 'node', WEBSITE_SITE_NAME: 'fn' }, 'functions'],
    [{ WEBSITE_SITE_NAME: 'shop' }, 'appsvc'],
    [{ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, 'aks'],
    [{}, 'unknown'],
  ])('%j -> %s', (platform, expected) => {
    expect(computeTypeOf(platform)).toBe(expected);
  });
});
