import type { TokenClaims, TokenSigner } from './create-token-signer';
import { issuerFor } from './audiences';
import { recordBearerDecision, type BearerOutcome } from './auth-trace';

/** Result of checking an `Authorization` header. */
export type BearerCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly missing: boolean; readonly description: string };

/** What a bearer token must satisfy. */
export interface BearerRequirements {
  readonly signer: TokenSigner;
  readonly tenantId: string;
  readonly audiences: readonly string[];
  /** Current time in seconds (injectable for tests). */
  readonly nowSeconds: number;
}

const CLOCK_SKEW_SECONDS = 300;

/** Checks an Authorization header value: Bearer scheme, signature, issuer/tenant, audience and lifetime. */
export function verifyBearer(header: string | undefined, req: BearerRequirements): BearerCheck {
  let claims: TokenClaims | undefined;
  const fail = (outcome: BearerOutcome, description: string): BearerCheck => {
    recordBearerDecision({ outcome, description, audiences: req.audiences, ...(claims ? { claims } : {}) });
    return { ok: false, missing: outcome === 'missing' || outcome === 'not-bearer', description };
  };
  if (header === undefined || header.trim() === '') return fail('missing', 'no Authorization header was sent');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return fail('not-bearer', 'the Authorization header is not a Bearer token');
  const decoded = req.signer.decode(m[1] as string);
  if (!decoded.ok) return fail('invalid', decoded.reason);
  const c = (claims = decoded.claims);
  if (c.iss !== issuerFor(req.tenantId) || c.tid !== req.tenantId) return fail('issuer', `the token issuer/tenant ${c.iss} is not this resource's tenant`);
  if (!req.audiences.includes(c.aud)) return fail('audience', `the token audience "${c.aud}" is invalid; expected ${req.audiences[0]}`);
  if (c.exp <= req.nowSeconds) return fail('expired', `the token expired at ${new Date(c.exp * 1000).toISOString()}`);
  if (c.nbf > req.nowSeconds + CLOCK_SKEW_SECONDS) return fail('not-yet-valid', 'the token is not valid yet (nbf)');
  recordBearerDecision({ outcome: 'ok', claims: c, audiences: req.audiences });
  return { ok: true, claims: c };
}

/** Builds the `WWW-Authenticate` challenge value for a 401. */
export function bearerChallenge(authorizationUri: string, description: string, invalidToken: boolean): string {
  const safe = description.replace(/["\\]/g, "'");
  return invalidToken
    ? `Bearer authorization_uri="${authorizationUri}", error="invalid_token", error_description="${safe}"`
    : `Bearer authorization_uri="${authorizationUri}", error_description="${safe}"`;
}
