import type { TokenProvider, TokenRequestOptions } from '@appinsights-otel/core';
import { seedTokenProvider } from '../../src/doctor/seed-token-provider';

function countingFresh(): TokenProvider & { requests: TokenRequestOptions[]; invalidations: number } {
  const requests: TokenRequestOptions[] = [];
  const fresh = {
    scope: 'https://monitor.azure.com/.default',
    requests,
    invalidations: 0,
    getToken: async (options: TokenRequestOptions = {}) => { requests.push(options); return `fresh-${requests.length}`; },
    invalidate: () => { fresh.invalidations += 1; },
  };
  return fresh;
}

describe('seedTokenProvider (doctor)', () => {
  it.each<[string, (p: TokenProvider) => Promise<string[]>, string[], number]>([
    ['serves the seed without asking the credential', async (p) => [await p.getToken(), await p.getToken()], ['seed', 'seed'], 0],
    ['asks for a fresh token after invalidate() (a 401)', async (p) => { const a = await p.getToken(); p.invalidate(); return [a, await p.getToken()]; }, ['seed', 'fresh-1'], 1],
    ['passes a claims challenge on to a fresh request', async (p) => [await p.getToken({ claims: 'c' })], ['fresh-1'], 1],
  ])('%s', async (_name, run, tokens, freshCalls) => {
    const fresh = countingFresh();
    const provider = seedTokenProvider('seed', fresh);
    expect(provider.scope).toBe(fresh.scope);
    expect(await run(provider)).toEqual(tokens);
    expect(fresh.requests).toHaveLength(freshCalls);
  });
});
