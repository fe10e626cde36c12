/** Bytes one code point takes inside a UTF-8 JSON string literal as `JSON.stringify` writes it. */
function codePointJsonBytes(codePoint: number): number {
  if (codePoint === 0x22 || codePoint === 0x5c) return 2; // \" \\
  if (codePoint < 0x20) return [0x08, 0x09, 0x0a, 0x0c, 0x0d].includes(codePoint) ? 2 : 6;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 6; // lone surrogate -> \udXXX
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** UTF-8 byte length of `value` once serialised as a JSON string, without the quotes. */
export function jsonByteLength(value: string): number {
  let bytes = 0;
  for (const char of value) bytes += codePointJsonBytes(char.codePointAt(0) ?? 0);
  return bytes;
}

/** Longest prefix of `value` (whole code points) whose JSON-serialised UTF-8 size is at most `maxBytes`. */
export function truncateToJsonBytes(value: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    bytes += codePointJsonBytes(char.codePointAt(0) ?? 0);
    if (bytes > maxBytes) return value.slice(0, end);
    end += char.length;
  }
  return value;
}
