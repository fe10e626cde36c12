/** The claims of an access token that help name the identity in error messages. */
export interface TokenClaims {
  /** Audience (the resource the token is for). */
  readonly aud?: string;
  /** Tenant id. */
  readonly tid?: string;
  /** Object id of the identity. */
  readonly oid?: string;
  /** Application (client) id of the identity. */
  readonly appid?: string;
  /** Issuer. */
  readonly iss?: string;
  /** Expiry, epoch seconds. */
  readonly exp?: number;
}

const MAX_TOKEN_CHARS = 64 * 1024;

/**
 * Reads the payload of a JWT access token WITHOUT verifying its signature, to name the identity in
 * diagnostics (for example the 403 "lacks the Monitoring Metrics Publisher role" message). Never
 * use the result for an authorization decision.
 *
 * `appid` falls back to the v2 `azp` claim, and `aud` takes the first entry of an array audience.
 *
 * @param token - A compact JWS (`header.payload.signature`).
 * @returns The claims that are present with the expected types, or `undefined` when the input is
 *   not a JWT with a JSON object payload. Never throws.
 */
export function decodeTokenClaims(token: string): TokenClaims | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return undefined;
  const parts = token.split('.');
  const payloadPart = parts[1];
  if (parts.length !== 3 || payloadPart === undefined || !/^[A-Za-z0-9_-]+={0,2}$/.test(payloadPart)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const aud = Array.isArray(p.aud) ? p.aud[0] : p.aud;
  const appid = p.appid ?? p.azp;
  const claims: TokenClaims = {
    ...(typeof aud === 'string' && { aud }),
    ...(typeof p.tid === 'string' && { tid: p.tid }),
    ...(typeof p.oid === 'string' && { oid: p.oid }),
    ...(typeof appid === 'string' && { appid }),
    ...(typeof p.iss === 'string' && { iss: p.iss }),
    ...(typeof p.exp === 'number' && Number.isFinite(p.exp) && { exp: p.exp }),
  };
  return Object.freeze(claims);
}
