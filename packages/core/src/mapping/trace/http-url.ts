import { ATTR } from '../common/attributes/attribute-keys';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { simpleUrlParts } from './simple-url';

const DEFAULT_PORT_BY_SCHEME: Readonly<Record<string, number>> = { http: 80, https: 443 };
/** Stable `http.request.method` value for methods outside the known set; the real one is in `http.request.method_original`. */
const OTHER_METHOD = '_OTHER';

/** `host` or `host:port`, leaving out the scheme's default port (80 for http, 443 for https). */
export function hostWithPort(host: string, port: number | undefined, scheme: string | undefined): string {
  if (port === undefined || (scheme !== undefined && DEFAULT_PORT_BY_SCHEME[scheme] === port)) return host;
  return `${host}:${port}`;
}

/**
 * The parsed form of an absolute URL, or undefined when it is not one. One parse: `URL.canParse`
 * first would parse every valid URL twice (`URL.parse` needs Node 22), and instrumentations'
 * `url.full` is valid nearly always.
 */
function parseUrl(url: string | undefined): URL | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** HTTP facts shared by HTTP requests and HTTP dependencies. Reading them consumes their attributes. */
export interface HttpFacts {
  /** `http.request.method` / `http.method`; for `_OTHER`, `http.request.method_original`. */
  method: string;
  /** Absolute URL: `url.full` / `http.url`, else rebuilt from scheme, host, port, path and query. */
  url?: string;
  /** Path without query: from the URL, else `url.path`, else `http.target`. */
  path?: string;
  /** `server.address` (or old names) with a non-default port, else `http.host`, else the URL's host. */
  host?: string;
  statusCode?: number;
  route?: string;
}

function httpMethod(reader: AttributeReader): string {
  const declared = reader.string(ATTR.HTTP_METHOD) ?? '';
  const original = reader.string(ATTR.HTTP_METHOD_ORIGINAL);
  return declared === OTHER_METHOD && original ? original : declared;
}

/** `url.path` + `?url.query`, else `http.target` (old name; includes the query). */
function httpTarget(reader: AttributeReader): string | undefined {
  const path = reader.string(ATTR.URL_PATH);
  const query = reader.string(ATTR.URL_QUERY);
  const target = path !== undefined ? (query ? `${path}?${query}` : path) : undefined;
  return reader.string(ATTR.HTTP_TARGET) ?? target;
}

/** `target` up to its first `?` (all of it when there is none). */
function beforeQuery(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

/** The HTTP status code of an item whose attributes include a method; undefined otherwise. */
export function readHttpStatusCode(reader: AttributeReader): number | undefined {
  return reader.has(ATTR.HTTP_METHOD) ? reader.number(ATTR.HTTP_STATUS_CODE) : undefined;
}

/** Reads the HTTP facts of a span whose attributes include a method; undefined otherwise. */
export function readHttpFacts(reader: AttributeReader): HttpFacts | undefined {
  if (!reader.has(ATTR.HTTP_METHOD)) return undefined;
  const facts: HttpFacts = { method: httpMethod(reader) };
  const fullUrlText = reader.string(ATTR.URL_FULL);
  // The URLs instrumentations record are simple: their scheme and path come without the URL
  // parser, which runs only for other URLs, or when the host must come from the URL (rare).
  const simple = fullUrlText !== undefined ? simpleUrlParts(fullUrlText) : undefined;
  const fullUrl = simple === undefined ? parseUrl(fullUrlText) : undefined;
  const scheme = reader.string(ATTR.URL_SCHEME) ?? simple?.scheme ?? fullUrl?.protocol.replace(/:$/, '');
  const serverAddress = reader.string(ATTR.SERVER_ADDRESS);
  const port = reader.number(ATTR.SERVER_PORT);
  const host = (serverAddress !== undefined ? hostWithPort(serverAddress, port, scheme) : reader.string(ATTR.HTTP_HOST))
    ?? (simple !== undefined ? parseUrl(fullUrlText)?.host : fullUrl?.host);
  const target = httpTarget(reader);
  const url = fullUrlText ?? (scheme && host && target ? `${scheme}://${host}${target}` : undefined);
  const path = simple?.pathname ?? fullUrl?.pathname ?? (target !== undefined ? beforeQuery(target) : undefined);
  const statusCode = readHttpStatusCode(reader);
  const route = reader.string(ATTR.HTTP_ROUTE);
  if (url !== undefined) facts.url = url;
  if (path) facts.path = path;
  if (host) facts.host = host;
  if (statusCode !== undefined) facts.statusCode = statusCode;
  if (route) facts.route = route;
  return facts;
}
