import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { checkToken } from '../../src/doctor/check-token';

const SCOPE = 'https://monitor.azure.com/.default';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

describe('checkToken (doctor)', () => {
  afterEach(() => jest.useRealTimers());

  it('reports the claims of the token, never the token itself', async () => {
    const token = jwt({ aud: 'https://monitor.azure.com', tid: 'tid-1', oid: 'oid-1', appid: 'app-1' });
    const credential: TokenCredential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const check = await checkToken(credential, SCOPE, 5_000);
    expect(check.result).toMatchObject({ step: 'token', status: 'ok' });
    expect(check.result.summary).toContain('aud https://monitor.azure.com, tid tid-1, oid oid-1, appid app-1');
    expect(JSON.stringify(check.result)).not.toContain(token);
    expect(check.token).toBe(token);
  });

  it('fails at its timeout even when the credential ignores the abort signal', async () => {
    jest.useFakeTimers();
    const credential: TokenCredential = { getToken: () => new Promise<AccessToken>(() => undefined) };
    let settled: Awaited<ReturnType<typeof checkToken>> | undefined;
    const pending = checkToken(credential, SCOPE, 2_000).then((r) => { settled = r; });
    await jest.advanceTimersByTimeAsync(1_999);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await pending;
    expect(settled?.result).toMatchObject({ step: 'token', status: 'fail' });
    expect(settled?.result.summary).toContain('no token within 2000 ms');
    expect(settled?.token).toBeUndefined();
  });

  it('classifies a credential error with what to check', async () => {
    const credential: TokenCredential = {
      getToken: async () => { throw Object.assign(new Error('ManagedIdentityCredential: no managed identity endpoint found'), { name: 'CredentialUnavailableError' }); },
    };
    const check = await checkToken(credential, SCOPE, 5_000);
    expect(check.result).toMatchObject({ step: 'token', status: 'fail' });
    expect(check.result.summary).toContain('credential unavailable for scope https://monitor.azure.com/.default');
  });
});
