import { constants, createHash, createPrivateKey, createSign, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { generate } from 'selfsigned';
import { createClientAssertionTrust, TOKEN_EXCHANGE_AUDIENCE } from '../../src/issuer/client-assertion-trust';

const CLIENT = '0c0c0c0c-0000-4000-8000-0000000000bb';
const ENDPOINT = 'https://localhost:4443/tenant/oauth2/v2.0/token';
const NOW = 1_800_000_000;
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const body = `${encode(header)}.${encode(payload)}`;
  const signature = header['alg'] === 'PS256'
    ? sign('sha256', Buffer.from(body), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
    : createSign('RSA-SHA256').update(body).sign(key);
  return `${body}.${signature.toString('base64url')}`;
}

describe('createClientAssertionTrust', () => {
  let certificate: { pem: string; key: KeyObject; sha1: string; sha256: string };
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const federatedKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const trust = createClientAssertionTrust();

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'unit' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
    const raw = new X509Certificate(pems.cert).raw;
    certificate = {
      pem: pems.cert, key: createPrivateKey(pems.private),
      sha1: createHash('sha1').update(raw).digest('base64url'), sha256: createHash('sha256').update(raw).digest('base64url'),
    };
    trust.addCertificate(CLIENT, certificate.pem);
    trust.addFederatedCredential(CLIENT, { issuer: 'https://oidc.test/', subject: 'system:serviceaccount:a:b', publicKeyPem: federatedKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  });

  const claims = (extra: Record<string, unknown> = {}) => ({ iss: CLIENT, sub: CLIENT, aud: ENDPOINT, nbf: NOW - 10, exp: NOW + 600, jti: 'x', ...extra });

  it.each<[string, () => string, number | undefined]>([
    ['RS256 with x5t', () => jwt({ alg: 'RS256', x5t: certificate.sha1 }, claims(), certificate.key), undefined],
    ['PS256 with x5t#S256', () => jwt({ alg: 'PS256', 'x5t#S256': certificate.sha256 }, claims(), certificate.key), undefined],
    ['an unregistered certificate', () => jwt({ alg: 'RS256', x5t: 'AAAA' }, claims(), certificate.key), 700027],
    ['signed by another key', () => jwt({ alg: 'RS256', x5t: certificate.sha1 }, claims(), other.privateKey), 700027],
    ['another audience', () => jwt({ alg: 'RS256', x5t: certificate.sha1 }, claims({ aud: 'https://elsewhere/token' }), certificate.key), 700212],
    ['expired', () => jwt({ alg: 'RS256', x5t: certificate.sha1 }, claims({ exp: NOW - 3600 }), certificate.key), 700024],
    ['alg none', () => jwt({ alg: 'none', x5t: certificate.sha1 }, claims(), certificate.key), 700027],
    ['a federated token', () => jwt({ alg: 'RS256' }, { iss: 'https://oidc.test/', sub: 'system:serviceaccount:a:b', aud: TOKEN_EXCHANGE_AUDIENCE, exp: NOW + 60 }, federatedKeys.privateKey), undefined],
    ['a federated token for another audience', () => jwt({ alg: 'RS256' }, { iss: 'https://oidc.test/', sub: 'system:serviceaccount:a:b', aud: 'api://other', exp: NOW + 60 }, federatedKeys.privateKey), 700212],
    ['not a JWT', () => 'abc', 50027],
  ])('%s', (_name, assertion, aadsts) => {
    expect(trust.verify(CLIENT, assertion(), [ENDPOINT], NOW)?.aadsts).toBe(aadsts);
  });

  it('an assertion for another client finds nothing registered', () => {
    expect(trust.verify('0c0c0c0c-0000-4000-8000-0000000000cc', jwt({ alg: 'RS256', x5t: certificate.sha1 }, claims(), certificate.key), [ENDPOINT], NOW)?.aadsts).toBe(70021);
  });

  it('a federated issuer registered with an EC key refuses a PS256 token signed with an RSA key (code 700211)', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecTrust = createClientAssertionTrust();
    ecTrust.addFederatedCredential(CLIENT, { issuer: 'https://ec.test/', subject: 's', publicKeyPem: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const token = jwt({ alg: 'PS256' }, { iss: 'https://ec.test/', sub: 's', aud: TOKEN_EXCHANGE_AUDIENCE, exp: NOW + 60 }, other.privateKey);
    expect(ecTrust.verify(CLIENT, token, [ENDPOINT], NOW)?.aadsts).toBe(700211);
  });
});
