import type { TokenProvider } from '@appinsights-otel/core';

/**
 * A token provider that first serves `token` (the one the token step acquired and reported), and
 * after `invalidate()` (a 401) or for a claims challenge asks `fresh`, so the doctor's sends retry
 * a 401 exactly as the exporters do without requesting the first token twice.
 */
export function seedTokenProvider(token: string, fresh: TokenProvider): TokenProvider {
  let seed: string | undefined = token;
  return {
    scope: fresh.scope,
    getToken: (options) => (seed !== undefined && options?.claims === undefined ? Promise.resolve(seed) : fresh.getToken(options)),
    invalidate: () => {
      seed = undefined;
      fresh.invalidate();
    },
  };
}
