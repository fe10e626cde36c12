/** Scheme and path of an absolute URL, as the WHATWG URL parser gives them (`protocol` without `:`, `pathname`). */
type SimpleUrlParts = { readonly scheme: 'http' | 'https'; readonly pathname: string };

/** A dot segment (`.`, `..`, also percent-encoded): the parser removes it. */
const DOT_SEGMENT = /\/(?:\.|%2e)(?:\.|%2e)?(?:\/|$)/i;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHostChar = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 46; // a-z A-Z - .
/** Characters the parser keeps as they are in a path: unreserved, sub-delims, `:`, `@`, `/`, `%`. */
const PATH_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%") PATH_CHAR[c.charCodeAt(0)] = 1;
const isEnd = (c: number): boolean => Number.isNaN(c) || c === 63 || c === 35; // end, ? or #

/** Whether `url[from, end)` is a dotted-decimal IPv4 address (four parts of 0-255 without leading zeros; a trailing dot allowed). */
function isPlainIpv4(url: string, from: number, end: number): boolean {
  let parts = 0;
  let i = from;
  while (i < end) {
    const partStart = i;
    let value = 0;
    for (; i < end && isDigit(url.charCodeAt(i)); i++) value = value * 10 + url.charCodeAt(i) - 48;
    const length = i - partStart;
    if (length === 0 || length > 3 || value > 255 || (length > 1 && url.charCodeAt(partStart) === 48)) return false;
    parts++;
    if (i < end && url.charCodeAt(i++) !== 46) return false;
  }
  return parts === 4;
}

/**
 * End of a simple host starting at `from` (letters, digits, dots, hyphens; no empty label, no IDNA
 * `xn--` label; a host whose last label looks numeric must be a plain dotted-decimal IPv4 address,
 * since the parser reads other numeric forms, or rejects them), or -1.
 */
function simpleHostEnd(url: string, from: number): number {
  let i = from;
  let labelStart = from;
  let lastLabelStart = from;
  for (; i < url.length && isHostChar(url.charCodeAt(i)); i++) {
    if (url.charCodeAt(i) !== 46) continue;
    if (i === labelStart) return -1;
    lastLabelStart = labelStart;
    labelStart = i + 1;
  }
  if (i === from || (i === labelStart && url.charCodeAt(i - 1) !== 46)) return -1;
  if (labelStart < i) lastLabelStart = labelStart;
  const dashes = url.indexOf('--', from);
  if (dashes >= 0 && dashes < i && url.slice(from, i).toLowerCase().includes('xn--')) return -1;
  return isDigit(url.charCodeAt(lastLabelStart)) && !isPlainIpv4(url, from, i) ? -1 : i;
}

/**
 * The scheme and path of `url` without the WHATWG URL parser, for the URLs instrumentations
 * record (`http(s)://host[:port][/path][?query][#fragment]`, lowercase scheme, simple host, a path
 * of characters the parser keeps as they are; the query and fragment may hold anything); undefined
 * for any other URL, where only `new URL()` can say (percent-encoding, dot segments, IDNA and
 * numeric hosts, user info, backslashes, whitespace). For every URL it answers, `new URL(url)`
 * succeeds with the same `protocol` and `pathname` (tested against the parser).
 */
export function simpleUrlParts(url: string): SimpleUrlParts | undefined {
  const scheme = schemeOf(url);
  if (scheme === undefined) return undefined;
  let i = simpleHostEnd(url, scheme.length + 3);
  if (i < 0) return undefined;
  if (url.charCodeAt(i) === 58) { // :port
    const portStart = ++i;
    let port = 0;
    for (; isDigit(url.charCodeAt(i)); i++) port = port * 10 + url.charCodeAt(i) - 48;
    if (i === portStart || i - portStart > 5 || port > 65_535) return undefined;
  }
  if (isEnd(url.charCodeAt(i))) return { scheme, pathname: '/' };
  if (url.charCodeAt(i) !== 47) return undefined;
  const pathStart = i;
  let maybeDotSegment = false;
  for (; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 || c === 35) break;
    if (c >= 128 || PATH_CHAR[c] === 0) return undefined;
    if (c === 37 || (c === 46 && url.charCodeAt(i - 1) === 47)) maybeDotSegment = true; // '%' or '/.'
  }
  const pathname = url.slice(pathStart, i);
  return maybeDotSegment && DOT_SEGMENT.test(pathname) ? undefined : { scheme, pathname };
}

/** `http` or `https` when `url` starts with `http://` or `https://` (lowercase), else undefined. */
function schemeOf(url: string): 'http' | 'https' | undefined {
  if (url.charCodeAt(0) !== 104 || url.charCodeAt(1) !== 116 || url.charCodeAt(2) !== 116 || url.charCodeAt(3) !== 112) return undefined; // http
  const s = url.charCodeAt(4) === 115 ? 1 : 0; // s
  if (url.charCodeAt(4 + s) !== 58 || url.charCodeAt(5 + s) !== 47 || url.charCodeAt(6 + s) !== 47) return undefined; // ://
  return s === 1 ? 'https' : 'http';
}
