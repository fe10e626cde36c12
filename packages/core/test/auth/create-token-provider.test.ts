import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { AuthenticationError, CredentialUnavailableError as IdentityUnavailableError } from '@azure/identity';
import { CredentialAuthenticationError, CredentialUnavailableError } from '../../src/errors';
import { createTokenProvider } from '../../src/auth/create-token-provider';
import { getSharedTokenProvider } from '../../src/auth/get-shared-token-provider';

const SCOPE = 'https://monitor.azure.com/.default';
const HOUR = 3_600_000;
const MINUTE = 60_000;

type GetToken = (scopes: string | string[], options?: GetTokenOptions) => Promise<AccessToken | null>;

/** A credential that counts calls and answers with `impl`. */
function countingCredential(impl: GetToken): TokenCredential & { getToken: jest.Mock<ReturnType<GetToken>, Parameters<GetToken>> } {
  return { getToken: jest.fn(impl) };
}

/** A credential handing out token-1, token-2, ... valid for `lifetimeMillis`. */
function sequenceCredential(lifetimeMillis = HOUR, extra: (now: number) => Partial<AccessToken> = () => ({})) {
  let n = 0;
  return countingCredential(async () => {
    n += 1;
    return { token: `token-${n}`, expiresOnTimestamp: Date.now() + lifetimeMillis, ...extra(Date.now()) };
  });
}

interface Deferred<T> { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void }
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** Settles a promise (without letting it reject unhandled) so tests can inspect whether it is done. */
function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then((value) => { state.settled = true; state.value = value; }, (error: unknown) => { state.settled = true; state.error = error; });
  return state;
}

describe('createTokenProvider', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('exposes its scope', () => {
    expect(createTokenProvider(sequenceCredential(), SCOPE).scope).toBe(SCOPE);
  });

  it('makes one credential call for 100 concurrent getToken() calls', async () => {
    const gate = deferred<AccessToken>();
    const credential = countingCredential(() => gate.promise);
    const provider = createTokenProvider(credential, SCOPE);
    const calls = Array.from({ length: 100 }, () => provider.getToken());
    gate.resolve({ token: 'shared', expiresOnTimestamp: Date.now() + HOUR });
    const tokens = await Promise.all(calls);
    expect(new Set(tokens)).toEqual(new Set(['shared']));
    expect(credential.getToken).toHaveBeenCalledTimes(1);
    expect(credential.getToken).toHaveBeenCalledWith(SCOPE, expect.objectContaining({ abortSignal: expect.any(AbortSignal) }));
  });

  it('serves the cached token without calling the credential again', async () => {
    const credential = sequenceCredential();
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    await jest.advanceTimersByTimeAsync(30 * MINUTE);
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(credential.getToken).toHaveBeenCalledTimes(1);
  });

  it('refreshes in the background from refreshAfterTimestamp without blocking a caller holding a valid token', async () => {
    const refresh = deferred<AccessToken>();
    const credential = countingCredential(async () => ({
      token: 'token-1', expiresOnTimestamp: Date.now() + HOUR, refreshAfterTimestamp: Date.now() + 30 * MINUTE,
    }));
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    await jest.advanceTimersByTimeAsync(29 * MINUTE);
    await provider.getToken();
    expect(credential.getToken).toHaveBeenCalledTimes(1); // before refreshAfterTimestamp: no refresh

    credential.getToken.mockImplementationOnce(() => refresh.promise);
    await jest.advanceTimersByTimeAsync(2 * MINUTE);
    const during = track(provider.getToken());
    await Promise.resolve();
    await Promise.resolve();
    expect(during).toEqual({ settled: true, value: 'token-1' }); // served at once, refresh still pending
    expect(credential.getToken).toHaveBeenCalledTimes(2);
    await expect(provider.getToken()).resolves.toBe('token-1'); // no second refresh while one is in flight
    expect(credential.getToken).toHaveBeenCalledTimes(2);

    refresh.resolve({ token: 'token-2', expiresOnTimestamp: Date.now() + HOUR });
    await jest.advanceTimersByTimeAsync(0);
    await expect(provider.getToken()).resolves.toBe('token-2');
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  it('without refreshAfterTimestamp, refreshes from 5 minutes before expiry', async () => {
    const credential = sequenceCredential(HOUR);
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    await jest.advanceTimersByTimeAsync(54 * MINUTE);
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(credential.getToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2 * MINUTE); // 4 minutes left
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(credential.getToken).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(0);
    await expect(provider.getToken()).resolves.toBe('token-2');
  });

  it('does not refresh a short-lived token on every call (waits until half its lifetime)', async () => {
    const credential = sequenceCredential(4 * MINUTE); // shorter than the 5-minute window
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    await jest.advanceTimersByTimeAsync(MINUTE);
    await provider.getToken();
    expect(credential.getToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(MINUTE + 1);
    await provider.getToken();
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  it('forces a refresh (caller waits) when the token is within 30 s of expiry', async () => {
    const credential = sequenceCredential(HOUR);
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    jest.setSystemTime(Date.now() + HOUR - 20_000);
    await expect(provider.getToken()).resolves.toBe('token-2');
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  it('acquires a new token once the old one has expired', async () => {
    const credential = sequenceCredential(HOUR);
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    jest.setSystemTime(Date.now() + 2 * HOUR);
    await expect(provider.getToken()).resolves.toBe('token-2');
  });

  it('cuts off a hanging credential after 10 s with a typed error and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const credential = countingCredential((_scopes, options) => {
      signal = options?.abortSignal as AbortSignal | undefined;
      return new Promise<AccessToken>(() => undefined);
    });
    const provider = createTokenProvider(credential, SCOPE);
    const result = track(provider.getToken());
    await jest.advanceTimersByTimeAsync(9_999);
    expect(result.settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(result.error).toBeInstanceOf(CredentialUnavailableError);
    expect((result.error as Error).message).toMatch(/did not return a token for scope https:\/\/monitor\.azure\.com\/\.default within 10000 ms/);
    expect(signal?.aborted).toBe(true);
  });

  it('honours a configured acquisition timeout', async () => {
    const credential = countingCredential(() => new Promise<AccessToken>(() => undefined));
    const provider = createTokenProvider(credential, SCOPE, { acquireTimeoutMillis: 250 });
    const result = track(provider.getToken());
    await jest.advanceTimersByTimeAsync(250);
    expect(result.error).toBeInstanceOf(CredentialUnavailableError);
    expect((result.error as Error).message).toContain('within 250 ms');
  });

  it('fetches a new token after invalidate()', async () => {
    const credential = sequenceCredential();
    const provider = createTokenProvider(credential, SCOPE);
    await expect(provider.getToken()).resolves.toBe('token-1');
    provider.invalidate();
    await expect(provider.getToken()).resolves.toBe('token-2');
    await expect(provider.getToken()).resolves.toBe('token-2');
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  it('does not reuse an acquisition that was in flight when invalidate() was called', async () => {
    const first = deferred<AccessToken>();
    const credential = sequenceCredential();
    credential.getToken.mockImplementationOnce(() => first.promise);
    const provider = createTokenProvider(credential, SCOPE);
    const early = provider.getToken();
    provider.invalidate();
    const late = provider.getToken();
    first.resolve({ token: 'stale', expiresOnTimestamp: Date.now() + HOUR });
    await expect(early).resolves.toBe('stale');
    await expect(late).resolves.toBe('token-1');
    await expect(provider.getToken()).resolves.toBe('token-1'); // the stale one was not cached
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  // Issue 11, item 3: the old request resolves AFTER the new one; it must not refill the cache.
  it('does not let an acquisition started before invalidate() overwrite the newer token when it resolves last', async () => {
    const old = deferred<AccessToken>();
    const fresh = deferred<AccessToken>();
    const credential = sequenceCredential();
    credential.getToken.mockImplementationOnce(() => old.promise).mockImplementationOnce(() => fresh.promise);
    const provider = createTokenProvider(credential, SCOPE);
    const early = provider.getToken();
    provider.invalidate(); // e.g. a 401
    const late = provider.getToken();
    fresh.resolve({ token: 'new', expiresOnTimestamp: Date.now() + HOUR });
    await expect(late).resolves.toBe('new');
    old.resolve({ token: 'stale', expiresOnTimestamp: Date.now() + HOUR });
    await expect(early).resolves.toBe('stale'); // its own caller still gets it
    await expect(provider.getToken()).resolves.toBe('new'); // but the cache keeps the newer token
    expect(credential.getToken).toHaveBeenCalledTimes(2);
  });

  it('backs off after failures (1 s doubling to 60 s), rethrowing the last error meanwhile', async () => {
    const credential = countingCredential(async () => { throw new AuthenticationError(400, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }); });
    const provider = createTokenProvider(credential, SCOPE);
    const firstError = await provider.getToken().catch((e: unknown) => e);
    expect(firstError).toBeInstanceOf(CredentialAuthenticationError);
    expect(credential.getToken).toHaveBeenCalledTimes(1);

    await expect(provider.getToken()).rejects.toBe(firstError); // within the 1 s backoff: no call
    expect(credential.getToken).toHaveBeenCalledTimes(1);

    const expectedGaps = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
    for (const gap of expectedGaps) {
      const calls = credential.getToken.mock.calls.length;
      await jest.advanceTimersByTimeAsync(gap - 1);
      await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
      expect(credential.getToken).toHaveBeenCalledTimes(calls); // still backing off
      await jest.advanceTimersByTimeAsync(1);
      await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
      expect(credential.getToken).toHaveBeenCalledTimes(calls + 1);
    }
  });

  it('resets the backoff after a success', async () => {
    const credential = sequenceCredential(HOUR);
    credential.getToken.mockRejectedValueOnce(new Error('boom')).mockRejectedValueOnce(new Error('boom'));
    const provider = createTokenProvider(credential, SCOPE);
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(provider.getToken()).resolves.toBe('token-1');
    credential.getToken.mockRejectedValueOnce(new Error('boom'));
    provider.invalidate();
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
    await jest.advanceTimersByTimeAsync(1_000); // back to 1 s, not 4 s
    await expect(provider.getToken()).resolves.toBe('token-2');
  });

  it('keeps serving a valid token when a background refresh fails, and backs off the refresh', async () => {
    const credential = sequenceCredential(HOUR);
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    credential.getToken.mockRejectedValue(new IdentityUnavailableError('ManagedIdentityCredential: Network unreachable.'));
    jest.setSystemTime(Date.now() + 56 * MINUTE);
    await expect(provider.getToken()).resolves.toBe('token-1');
    await jest.advanceTimersByTimeAsync(0);
    expect(credential.getToken).toHaveBeenCalledTimes(2);
    await expect(provider.getToken()).resolves.toBe('token-1');
    await jest.advanceTimersByTimeAsync(500);
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(credential.getToken).toHaveBeenCalledTimes(2); // backing off
  });

  it('when a forced refresh fails, serves the old token until it actually expires, then throws', async () => {
    const credential = sequenceCredential(HOUR);
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    credential.getToken.mockRejectedValue(new Error('entra down'));
    jest.setSystemTime(Date.now() + HOUR - 20_000); // inside the 30 s forced window
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(credential.getToken).toHaveBeenCalledTimes(2);
    await expect(provider.getToken()).resolves.toBe('token-1'); // backing off, old token still valid
    expect(credential.getToken).toHaveBeenCalledTimes(2);
    jest.setSystemTime(Date.now() + 20_000); // expired now
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
  });

  it('passes claims through, bypassing the cache and the backoff', async () => {
    const credential = sequenceCredential();
    const provider = createTokenProvider(credential, SCOPE);
    await provider.getToken();
    const claims = Buffer.from('{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}').toString('base64');
    await expect(provider.getToken({ claims })).resolves.toBe('token-2');
    expect(credential.getToken).toHaveBeenLastCalledWith(SCOPE, expect.objectContaining({ claims }));
    await expect(provider.getToken()).resolves.toBe('token-2'); // the challenged token now serves everyone

    credential.getToken.mockRejectedValueOnce(new Error('down'));
    provider.invalidate();
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
    await expect(provider.getToken({ claims })).resolves.toBe('token-3'); // not blocked by the backoff
  });

  it('shares one acquisition among concurrent requests with the same claims', async () => {
    const credential = sequenceCredential();
    const provider = createTokenProvider(credential, SCOPE);
    const [a, b] = await Promise.all([provider.getToken({ claims: 'c1' }), provider.getToken({ claims: 'c1' })]);
    expect(a).toBe(b);
    expect(credential.getToken).toHaveBeenCalledTimes(1);
  });

  it('reports a credential that returns null as CredentialAuthenticationError', async () => {
    const provider = createTokenProvider(countingCredential(async () => null), SCOPE);
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialAuthenticationError);
    expect((error as Error).message).toMatch(/returned no token for scope/);
  });

  it.each<[string, AccessToken]>([
    ['an empty token string', { token: '', expiresOnTimestamp: Date.now() + HOUR }],
    ['no expiry', { token: 'x' } as AccessToken],
    ['an expiry in the past', { token: 'x', expiresOnTimestamp: 1 }],
  ])('reports a token with %s as CredentialAuthenticationError', async (_name, token) => {
    const provider = createTokenProvider(countingCredential(async () => token), SCOPE);
    await expect(provider.getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
  });

  it('classifies credential errors and never puts a token in the message', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl';
    const credential = countingCredential(async () => { throw new IdentityUnavailableError(`ManagedIdentityCredential: bad response ${jwt}`); });
    const error = await createTokenProvider(credential, SCOPE).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).not.toContain(jwt);
    expect((error as Error).message).toContain('[token]');
  });

  it('converts a credential that throws synchronously', async () => {
    const credential: TokenCredential = { getToken: () => { throw new Error('sync'); } };
    await expect(createTokenProvider(credential, SCOPE).getToken()).rejects.toBeInstanceOf(CredentialAuthenticationError);
  });

  it('lets a caller abort its wait without cancelling the shared acquisition', async () => {
    const gate = deferred<AccessToken>();
    const credential = countingCredential(() => gate.promise);
    const provider = createTokenProvider(credential, SCOPE);
    const controller = new AbortController();
    const aborted = provider.getToken({ abortSignal: controller.signal });
    const patient = provider.getToken();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(CredentialUnavailableError);
    gate.resolve({ token: 'ok', expiresOnTimestamp: Date.now() + HOUR });
    await expect(patient).resolves.toBe('ok');
    await expect(provider.getToken({ abortSignal: controller.signal })).resolves.toBe('ok'); // cached: no wait to abort
    expect(credential.getToken).toHaveBeenCalledTimes(1);
  });
});

describe('createTokenProvider timers', () => {
  it('unref()s its acquisition timer', async () => {
    const spy = jest.spyOn(global, 'setTimeout');
    try {
      const provider = createTokenProvider(sequenceCredential(), SCOPE, { acquireTimeoutMillis: 5_000 });
      await provider.getToken();
      const timers = spy.mock.results.map((r) => r.value as NodeJS.Timeout).filter((t) => typeof t?.hasRef === 'function');
      expect(timers.length).toBeGreaterThan(0);
      for (const timer of timers) expect(timer.hasRef()).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('getSharedTokenProvider', () => {
  it('returns one provider per (credential object, scope)', () => {
    const a = sequenceCredential();
    const b = sequenceCredential();
    expect(getSharedTokenProvider(a, SCOPE)).toBe(getSharedTokenProvider(a, SCOPE));
    expect(getSharedTokenProvider(a, SCOPE)).not.toBe(getSharedTokenProvider(a, 'https://monitor.azure.us/.default'));
    expect(getSharedTokenProvider(a, SCOPE)).not.toBe(getSharedTokenProvider(b, SCOPE));
  });

  it('makes one credential call for three exporters sharing a credential', async () => {
    const credential = sequenceCredential();
    const exporters = ['trace', 'metric', 'logs'].map(() => getSharedTokenProvider(credential, SCOPE));
    const tokens = await Promise.all(exporters.map((p) => p.getToken()));
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(credential.getToken).toHaveBeenCalledTimes(1);
  });
});
