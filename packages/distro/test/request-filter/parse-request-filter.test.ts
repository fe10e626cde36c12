import { ConfigError } from '@appinsights-otel/core';
import { parseRequestFilter } from '../../src/request-filter/parse-request-filter';

describe('parseRequestFilter', () => {
  it('accepts every rule', () => {
    const predicate = (): boolean => false;
    expect(parseRequestFilter({ routes: ['/health'], pathPrefixes: ['/internal/'], methods: ['OPTIONS'], userAgents: ['Pingdom'], healthProbes: true, predicate }, 'file'))
      .toEqual({ routes: ['/health'], pathPrefixes: ['/internal/'], methods: ['OPTIONS'], userAgents: ['Pingdom'], healthProbes: true, predicate });
  });

  it.each<[string, unknown, string]>([
    ['not an object', ['/health'], 'config.json: filterRequests must be an object such as'],
    ['an unknown key', { paths: ['/health'] }, 'config.json: filterRequests has unknown key(s) paths; the keys are routes, pathPrefixes, methods, userAgents, healthProbes, predicate'],
    ['a list that is a string', { routes: '/health' }, 'config.json: filterRequests.routes must be a list of non-empty strings, such as ["/health"]'],
    ['an empty entry', { methods: [''] }, 'config.json: filterRequests.methods must be a list of non-empty strings'],
    ['healthProbes not a boolean', { healthProbes: 'yes' }, 'config.json: filterRequests.healthProbes must be true or false'],
    ['predicate not a function', { predicate: 'r => true' }, 'config.json: filterRequests.predicate must be a function (request) => boolean, returning true to drop'],
  ])('rejects %s with a ConfigError naming the fix', (_title, value, message) => {
    expect(() => parseRequestFilter(value, 'config.json')).toThrow(ConfigError);
    expect(() => parseRequestFilter(value, 'config.json')).toThrow(message);
  });
});
