import { resolveSettings } from '../../src/config/resolve-settings';

const fromFile = (json: unknown): ReturnType<typeof resolveSettings> => resolveSettings({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify(json) });

describe('the filterRequests setting', () => {
  it('comes from the configuration file', () => {
    const resolved = fromFile({ filterRequests: { healthProbes: true, pathPrefixes: ['/health'] } });
    expect(resolved.settings.filterRequests).toEqual({ healthProbes: true, pathPrefixes: ['/health'] });
    expect(resolved.warnings).toEqual([]);
  });

  it('the option wins over the file, and may hold a predicate', () => {
    const predicate = (): boolean => true;
    const resolved = resolveSettings({ filterRequests: { predicate } }, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ filterRequests: { routes: ['/x'] } }) });
    expect(resolved.settings.filterRequests).toEqual({ predicate });
  });

  it('is off by default', () => {
    expect(resolveSettings({}, {}).settings.filterRequests).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a file value of the wrong shape', { filterRequests: { routes: '/health' } }, 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "filterRequests.routes" must be a list of non-empty strings, such as ["/health"]; using the default (none)'],
    ['an unknown rule', { filterRequests: { paths: ['/a'] } }, 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "filterRequests" has unknown key(s) paths; the keys are routes, pathPrefixes, methods, userAgents, healthProbes, predicate; using the default (none)'],
  ])('%s: one warning naming the key and the fix, and no filter', (_title, json, warning) => {
    const resolved = fromFile(json);
    expect(resolved.settings.filterRequests).toBeUndefined();
    expect(resolved.warnings).toEqual([warning]);
  });
});
