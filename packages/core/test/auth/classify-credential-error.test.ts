import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError as IdentityUnavailableError } from '@azure/identity';
import { CredentialAuthenticationError, CredentialUnavailableError } from '../../src/errors';
import { classifyCredentialError } from '../../src/auth/classify-credential-error';
import type { CredentialKind } from '../../src/auth/describe-credential';

const SCOPE = 'https://monitor.azure.com/.default';
const aadError = (code: string, text: string): AuthenticationError =>
  new AuthenticationError(400, { error: 'invalid_client', error_description: `${code}: ${text} Trace ID: 00000000-0000-0000-0000-000000000000` });

describe('classifyCredentialError', () => {
  // [description, thrown, credential kind, expected class, AADSTS code, message fragments]
  it.each<[string, unknown, CredentialKind, typeof CredentialUnavailableError | typeof CredentialAuthenticationError, string | undefined, RegExp[]]>([
    ['identity CredentialUnavailableError (managed identity)', new IdentityUnavailableError('ManagedIdentityCredential: Network unreachable.'), 'managed-identity',
      CredentialUnavailableError, undefined, [/credential unavailable for scope https:\/\/monitor\.azure\.com\/\.default/, /managed identity is assigned to this resource/, /ClientId/, /IDENTITY_ENDPOINT/, /IMDS/]],
    ['any error named CredentialUnavailableError', Object.assign(new Error('x'), { name: 'CredentialUnavailableError' }), 'other',
      CredentialUnavailableError, undefined, [/check the credential's configuration/]],
    ['aggregate of unavailable errors', new AggregateAuthenticationError([new IdentityUnavailableError('a'), new IdentityUnavailableError('b')], 'none worked'), 'other',
      CredentialUnavailableError, undefined, [/none worked/]],
    ['aggregate with an authentication error', new AggregateAuthenticationError([new IdentityUnavailableError('a'), aadError('AADSTS700016', 'Application not found.')], 'chain failed'), 'other',
      CredentialAuthenticationError, 'AADSTS700016', [/chain failed/]],
    ['invalid client secret', aadError('AADSTS7000215', 'Invalid client secret provided.'), 'service-principal',
      CredentialAuthenticationError, 'AADSTS7000215', [/\(AADSTS7000215\)/, /secret's value, not its secret ID/, /tenant id, the client id/, /expired/]],
    ['expired client secret', aadError('AADSTS7000222', 'The provided client secret keys are expired.'), 'service-principal',
      CredentialAuthenticationError, 'AADSTS7000222', [/client secret has expired/]],
    ['unknown application', aadError('AADSTS700016', 'Application not found in the directory.'), 'service-principal',
      CredentialAuthenticationError, 'AADSTS700016', [/check the client id and the tenant id/]],
    ['unknown tenant', aadError('AADSTS90002', 'Tenant not found.'), 'service-principal',
      CredentialAuthenticationError, 'AADSTS90002', [/check the tenant id/]],
    ['AADSTS code without a specific hint', aadError('AADSTS12345', 'Something else.'), 'service-principal',
      CredentialAuthenticationError, 'AADSTS12345', [/\(AADSTS12345\)/, /tenant id, the client id/]],
    ['plain Error', new Error('socket hang up'), 'other',
      CredentialAuthenticationError, undefined, [/refused the credential for scope/, /socket hang up/]],
    ['a string', 'weird', 'developer', CredentialAuthenticationError, undefined, [/weird/, /az login/]],
    ['undefined', undefined, 'other', CredentialAuthenticationError, undefined, [/unknown error/]],
  ])('%s', (_name, thrown, kind, expectedClass, aadsts, fragments) => {
    const error = classifyCredentialError(thrown, { scope: SCOPE, credentialKind: kind });
    expect(error).toBeInstanceOf(expectedClass);
    if (error instanceof CredentialAuthenticationError) expect(error.aadstsCode).toBe(aadsts);
    for (const fragment of fragments) expect(error.message).toMatch(fragment);
    if (thrown instanceof Error) expect(error.cause).toBe(thrown);
  });

  // The emulator's self-signed issuer without NODE_EXTRA_CA_CERTS: named as such, never as a
  // tenant / client id / secret problem.
  it.each<[string, unknown, typeof CredentialUnavailableError | typeof CredentialAuthenticationError, RegExp[]]>([
    ['a TLS code in the cause chain', Object.assign(new Error('request to https://localhost:4443/t/oauth2/v2.0/token failed'), {
      cause: Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    }), CredentialAuthenticationError, [/not trusted by this process \(SELF_SIGNED_CERT_IN_CHAIN\)/, /set NODE_EXTRA_CA_CERTS to the CA certificate file/]],
    ['an AggregateAuthenticationError around a TLS failure', new AggregateAuthenticationError([
      Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    ], 'chain failed'), CredentialAuthenticationError, [/UNABLE_TO_VERIFY_LEAF_SIGNATURE/, /NODE_EXTRA_CA_CERTS/]],
    ['@azure/identity\'s endpoints_resolution_error (how it reports an untrusted authority certificate)',
      new IdentityUnavailableError('endpoints_resolution_error: Endpoints cannot be resolved'), CredentialUnavailableError,
      [/could not read the authority's metadata/, /AZURE_AUTHORITY_HOST/, /self-signed certificate|self-signed \(the local emulator\)/, /NODE_EXTRA_CA_CERTS/]],
  ])('service principal, %s: names the untrusted certificate and NODE_EXTRA_CA_CERTS', (_name, thrown, expectedClass, fragments) => {
    const saved = process.env['NODE_EXTRA_CA_CERTS'];
    delete process.env['NODE_EXTRA_CA_CERTS'];
    try {
      const error = classifyCredentialError(thrown, { scope: SCOPE, credentialKind: 'service-principal' });
      expect(error).toBeInstanceOf(expectedClass);
      for (const fragment of fragments) expect(error.message).toMatch(fragment);
      expect(error.message).toContain('NODE_EXTRA_CA_CERTS is not set');
      expect(error.message).not.toMatch(/tenant id, the client id|client secret/);
    } finally {
      if (saved !== undefined) process.env['NODE_EXTRA_CA_CERTS'] = saved;
    }
  });

  it('passes our own errors through unchanged', () => {
    const ours = new CredentialUnavailableError('already classified');
    expect(classifyCredentialError(ours, { scope: SCOPE, credentialKind: 'other' })).toBe(ours);
  });

  it('removes anything token-shaped and bounds the length', () => {
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJhYmMifQ.sig_part-1';
    const error = classifyCredentialError(new Error(`bad ${jwt} ${'x'.repeat(2_000)}`), { scope: SCOPE, credentialKind: 'other' });
    expect(error.message).not.toContain(jwt);
    expect(error.message.length).toBeLessThan(1_200);
  });
});
