import { headerValue, type ResponseHeaders } from './parse-retry-after';

const CLAIMS_PATTERN = /\bclaims\s*=\s*"([^"]*)"/i;

/**
 * The `claims="..."` parameter of a `WWW-Authenticate` challenge (a CAE / conditional-access
 * challenge), passed unchanged to the credential; `undefined` when there is none.
 */
export function parseClaimsChallenge(headers: ResponseHeaders): string | undefined {
  const challenge = headerValue(headers, 'www-authenticate');
  if (challenge === undefined) return undefined;
  const claims = CLAIMS_PATTERN.exec(challenge)?.[1];
  return claims ? claims : undefined;
}
