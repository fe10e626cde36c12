import { createTokenSigner, type TokenClaims } from '../src/auth/create-token-signer';
import { verifyBearer, bearerChallenge } from '../src/auth/verify-bearer';
import { INGESTION_AUDIENCES, audienceFromScopeOrResource } from '../src/auth/audiences';

const TENANT = '72f988bf-0000-4000-8000-00000000e0e0';
const NOW = 1_800_000_000;
const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({
  aud: 'https://monitor.azure.com', iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, oid: 'o', appid: 'a', sub: 'o',
  iat: NOW - 10, nbf: NOW - 10, exp: NOW + 3600, ...over,
});

describe('token signer and verifyBearer', () => {
  let signer: Awaited<ReturnType<typeof createTokenSigner>>;
  beforeAll(async () => { signer = await createTokenSigner(); });
  const check = (header: string | undefined) => verifyBearer(header, { signer, tenantId: TENANT, audiences: INGESTION_AUDIENCES, nowSeconds: NOW });

  it('signs RS256 tokens with a kid that the JWKS publishes, and verifies them', () => {
    const token = signer.sign(claims());
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as Record<string, string>;
    expect(header).toMatchObject({ alg: 'RS256', kid: signer.kid });
    expect(signer.jwks().keys).toEqual([expect.objectContaining({ kid: signer.kid, kty: 'RSA', alg: 'RS256' })]);
    expect(check(`Bearer ${token}`)).toMatchObject({ ok: true, claims: { oid: 'o' } });
  });

  it.each([
    ['no header', undefined, 'no Authorization header', true],
    ['basic scheme', 'Basic abc', 'not a Bearer token', true],
    ['garbage', 'Bearer abc', 'not a JWT', false],
    ['expired', () => `Bearer ${signer.sign(claims({ exp: NOW - 1 }))}`, 'expired', false],
    ['wrong audience', () => `Bearer ${signer.sign(claims({ aud: 'https://management.azure.com' }))}`, 'audience', false],
    ['wrong tenant', () => `Bearer ${signer.sign(claims({ tid: 'other', iss: 'https://sts.windows.net/other/' }))}`, 'issuer/tenant', false],
    ['not yet valid', () => `Bearer ${signer.sign(claims({ nbf: NOW + 3600 }))}`, 'not valid yet', false],
    ['tampered payload', () => { const [h, , s] = signer.sign(claims()).split('.'); return `Bearer ${h}.${Buffer.from(JSON.stringify(claims({ oid: 'evil' }))).toString('base64url')}.${s}`; }, 'signature', false],
  ])('rejects %s', (_name, header, description, missing) => {
    const value = typeof header === 'function' ? header() : header;
    const r = check(value);
    expect(r).toMatchObject({ ok: false, missing });
    expect(!r.ok && r.description).toContain(description);
  });

  it('accepts the trailing-slash audience and builds challenges', () => {
    expect(check(`Bearer ${signer.sign(claims({ aud: 'https://monitor.azure.com/' }))}`)).toMatchObject({ ok: true });
    expect(bearerChallenge('https://localhost:1/t', 'the "token" expired', true)).toBe(`Bearer authorization_uri="https://localhost:1/t", error="invalid_token", error_description="the 'token' expired"`);
  });

  it.each([
    ['https://monitor.azure.com/.default', 'https://monitor.azure.com'],
    ['https://monitor.azure.com', 'https://monitor.azure.com'],
    ['openid https://api.applicationinsights.io/.default', 'https://api.applicationinsights.io'],
  ])('maps scope %p to audience %p', (scope, audience) => {
    expect(audienceFromScopeOrResource(scope)).toBe(audience);
  });
});
