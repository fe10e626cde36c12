import {
  findUntrustedCertificateCode, untrustedCertificateFix, untrustedCertificateMessage,
} from '../../src/diag/untrusted-certificate';

const tlsError = (code: string): Error => Object.assign(new Error(`tls: ${code}`), { code });

describe('findUntrustedCertificateCode', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a socket error', tlsError('DEPTH_ZERO_SELF_SIGNED_CERT'), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['fetch failed (cause)', new TypeError('fetch failed', { cause: tlsError('SELF_SIGNED_CERT_IN_CHAIN') }), 'SELF_SIGNED_CERT_IN_CHAIN'],
    ['two causes deep', new Error('a', { cause: new Error('b', { cause: tlsError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY') }) }), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
    ['an aggregate', new AggregateError([new Error('x'), tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE')]), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), undefined],
    ['an expired certificate (trusted CA, other fix)', tlsError('CERT_HAS_EXPIRED'), undefined],
    ['not an error', 'SELF_SIGNED_CERT_IN_CHAIN', undefined],
    ['undefined', undefined, undefined],
  ])('%s', (_name, error, expected) => {
    expect(findUntrustedCertificateCode(error)).toBe(expected);
  });

  it('stops on a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    expect(findUntrustedCertificateCode(a)).toBeUndefined();
  });
});

describe('untrustedCertificateMessage', () => {
  it('names the server, the code and NODE_EXTRA_CA_CERTS', () => {
    expect(untrustedCertificateMessage('https://localhost:4443', 'SELF_SIGNED_CERT_IN_CHAIN', '')).toBe(
      'the TLS certificate of https://localhost:4443 is not trusted by this process (SELF_SIGNED_CERT_IN_CHAIN): '
      + 'NODE_EXTRA_CA_CERTS is not set; set NODE_EXTRA_CA_CERTS to the CA certificate file (PEM) before starting node '
      + '(it is read only at start): for the local emulator, the path it prints (caCertPath); for a proxy or private CA, '
      + 'your organisation\'s CA file',
    );
  });

  it('says when NODE_EXTRA_CA_CERTS is set but does not cover the certificate', () => {
    expect(untrustedCertificateFix('/tmp/other-ca.pem')).toMatch(/^NODE_EXTRA_CA_CERTS is set to \/tmp\/other-ca\.pem, which does not hold the CA/);
  });
});
