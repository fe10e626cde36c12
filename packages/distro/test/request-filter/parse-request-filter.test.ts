import { InvalidSettingError } from '../../src/config/setting-parsers';
import { parseRequestFilter } from '../../src/request-filter/parse-request-filter';

describe('parseRequestFilter', () => {
  it('accepts every rule', () => {
    const predicate = (): boolean => false;
    expect(parseRequestFilter({ routes: ['/health'], pathPrefixes: ['/internal/'], methods: ['OPTIONS'], userAgents: ['Pingdom'], healthProbes: true, predicate }))
      .toEqual({ routes: ['/health'], pathPrefixes: ['/internal/'], methods: ['OPTIONS'], userAgents: ['Pingdom'], healthProbes: true, predicate });
  });

  it.each<[string, unknown, string, string]>([
    ['not an object', ['/health'], 'filterRequests', 'must be an object such as { "pathPrefixes": ["/health"], "healthProbes": true }'],
    ['an unknown key', { paths: ['/health'] }, 'filterRequests', 'has unknown key(s) paths; the keys are routes, pathPrefixes, methods, userAgents, healthProbes, predicate'],
    ['a list that is a string', { routes: '/health' }, 'filterRequests.routes', 'must be a list of non-empty strings, such as ["/health"]'],
    ['an empty entry', { methods: [''] }, 'filterRequests.methods', 'must be a list of non-empty strings, such as ["/health"]'],
    ['healthProbes not a boolean', { healthProbes: 'yes' }, 'filterRequests.healthProbes', 'must be true or false'],
    ['predicate not a function', { predicate: 'r => true' }, 'filterRequests.predicate', 'must be a function (request) => boolean, returning true to drop'],
  ])('rejects %s with an InvalidSettingError naming the key and the fix', (_title, value, settingName, problem) => {
    let thrown: unknown;
    try {
      parseRequestFilter(value);
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSettingError);
    expect({ settingName: (thrown as InvalidSettingError).settingName, problem: (thrown as InvalidSettingError).problem }).toEqual({ settingName, problem });
  });
});
