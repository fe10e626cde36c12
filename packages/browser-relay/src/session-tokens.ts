import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

/** Issue and verify the relay's signed session tokens. */
export interface SessionTokens {
  /** A token valid for the configured lifetime, for the app's page to embed in its ingestion endpoint. */
  issue(): string;
  /** `ok`, or why the token is refused. */
  verify(token: string | undefined): 'ok' | 'missing' | 'invalid' | 'expired';
}

/**
 * HMAC-SHA256 session tokens: `v1.<expiry, base36 ms>.<nonce>.<mac>`, URL-path safe. The MAC covers
 * version, expiry and nonce; it is compared in constant time. A token whose expiry lies further ahead
 * than `maxAgeMillis` (issued before the lifetime was lowered) is invalid. Nothing is stored on the server.
 */
export function createSessionTokens(secret: Uint8Array, maxAgeMillis: number, now: () => number): SessionTokens {
  const mac = (payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();
  return {
    issue() {
      const payload = `${VERSION}.${(now() + maxAgeMillis).toString(36)}.${randomBytes(12).toString('base64url')}`;
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      if (token === undefined || token === '') return 'missing';
      const parts = token.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) return 'invalid';
      const given = Buffer.from(parts[3] ?? '', 'base64url');
      const expected = mac(parts.slice(0, 3).join('.'));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      const expiresAt = parseInt(parts[1] ?? '', 36);
      // A token issued while maxAgeMillis was longer is refused once it is lowered.
      if (!Number.isFinite(expiresAt) || expiresAt > now() + maxAgeMillis) return 'invalid';
      return expiresAt > now() ? 'ok' : 'expired';
    },
  };
}
