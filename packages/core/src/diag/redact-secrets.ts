const JWT_PATTERN = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;
const BEARER_PATTERN = /\bBearer\s+[\w.~+/=-]+/gi;
const SECRET_PAIR_PATTERN =
  /\b(client_?secret|secret|password|access_?token|refresh_?token|sig|signature|instrumentationkey)\s*([=:])\s*("[^"]*"|[^\s;&,]+)/gi;

/**
 * A last line of defence before a diagnostic line is logged: JWTs, bearer values and
 * `secret=...`-style pairs are replaced by `[redacted]`, and the text is made one line.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(JWT_PATTERN, '[redacted]')
    .replace(BEARER_PATTERN, 'Bearer [redacted]')
    .replace(SECRET_PAIR_PATTERN, (_m, key: string, sep: string) => `${key}${sep}[redacted]`);
}
