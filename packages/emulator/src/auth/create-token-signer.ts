import { createPublicKey, createSign, createVerify, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';

/** Claims the emulator puts in (and reads from) its access tokens. */
export interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly tid: string;
  readonly oid: string;
  readonly appid: string;
  readonly sub: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly ver?: string;
  readonly idtyp?: string;
  readonly uti?: string;
}

/** A JSON Web Key as published in the JWKS document. */
interface PublicJwk {
  readonly kty: string;
  readonly use: string;
  readonly kid: string;
  readonly n: string;
  readonly e: string;
  readonly alg: string;
}

/** Outcome of checking a token's signature and decoding it. */
type DecodeResult =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: string };

/** Signs and verifies RS256 JWTs with a key pair generated at start. */
export interface TokenSigner {
  /** Key id (the `kid` header). */
  readonly kid: string;
  /** Signs the claims into a compact JWT. */
  sign(claims: TokenClaims): string;
  /** Verifies the signature (and shape) of a compact JWT; does not check time or audience. */
  decode(token: string): DecodeResult;
  /** The JWKS document. */
  jwks(): { keys: PublicJwk[] };
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isClaims(o: Record<string, unknown>): boolean {
  return ['aud', 'iss', 'tid', 'oid', 'appid', 'sub'].every((k) => typeof o[k] === 'string')
    && ['iat', 'nbf', 'exp'].every((k) => typeof o[k] === 'number');
}

/** Builds a signer around an existing RSA private key. */
function createTokenSignerFromKey(privateKey: KeyObject): TokenSigner {
  const publicKey = createPublicKey(privateKey);
  const kid = randomUUID().replace(/-/g, '');
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    kid,
    sign(claims) {
      const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid, x5t: kid }));
      const payload = b64url(JSON.stringify(claims));
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
      return `${header}.${payload}.${b64url(signature)}`;
    },
    decode(token) {
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'the token is not a JWT' };
      const [h, p, s] = parts as [string, string, string];
      const header = parseJson(h);
      if (!header || header['alg'] !== 'RS256') return { ok: false, reason: 'the token header is invalid or not RS256' };
      if (header['kid'] !== kid) return { ok: false, reason: 'the signing key (kid) is not known' };
      const valid = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url'));
      if (!valid) return { ok: false, reason: 'the token signature is invalid' };
      const claims = parseJson(p);
      if (!claims || !isClaims(claims)) return { ok: false, reason: 'the token claims are incomplete' };
      return { ok: true, claims: claims as unknown as TokenClaims };
    },
    jwks: () => ({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, alg: 'RS256' }] }),
  };
}

/** Generates a 2048-bit RSA key pair and returns a signer for it. */
export async function createTokenSigner(): Promise<TokenSigner> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))));
  return createTokenSignerFromKey(privateKey);
}
