import type { TokenProvider, TokenRequestOptions } from '../../../src/auth/token-provider-types';

/** A JWT-shaped token (unsigned) with the given payload. */
export function makeJwt(payload: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

export interface CountingTokenProvider extends TokenProvider {
  /** Calls to the underlying "credential" (cache misses). */
  readonly credentialCalls: number;
  readonly getTokenCalls: number;
  readonly invalidateCalls: number;
  /** The options of every getToken call. */
  readonly requests: TokenRequestOptions[];
}

/**
 * A caching fake: hands out `tokens[i]` on the i-th credential call (the last one repeats), caches
 * it for `lifetimeMillis`, drops it on invalidate(); `fail` makes every credential call throw it.
 */
export function createCountingTokenProvider(options: {
  tokens?: string[];
  lifetimeMillis?: number;
  fail?: Error;
  scope?: string;
} = {}): CountingTokenProvider {
  const tokens = options.tokens ?? [makeJwt({ aud: 'https://monitor.azure.com', appid: 'app-1', oid: 'oid-1', tid: 'tid-1' })];
  const lifetime = options.lifetimeMillis ?? 3_600_000;
  let cached: { token: string; expires: number } | undefined;
  const state = { credentialCalls: 0, getTokenCalls: 0, invalidateCalls: 0, requests: [] as TokenRequestOptions[] };
  return {
    scope: options.scope ?? 'https://monitor.azure.com/.default',
    get credentialCalls() { return state.credentialCalls; },
    get getTokenCalls() { return state.getTokenCalls; },
    get invalidateCalls() { return state.invalidateCalls; },
    get requests() { return state.requests; },
    async getToken(request: TokenRequestOptions = {}): Promise<string> {
      state.getTokenCalls++;
      state.requests.push(request);
      if (cached && cached.expires > Date.now() && request.claims === undefined) return cached.token;
      state.credentialCalls++;
      if (options.fail) throw options.fail;
      const token = tokens[Math.min(state.credentialCalls - 1, tokens.length - 1)] ?? 'token';
      cached = { token, expires: Date.now() + lifetime };
      return token;
    },
    invalidate(): void {
      state.invalidateCalls++;
      cached = undefined;
    },
  };
}
