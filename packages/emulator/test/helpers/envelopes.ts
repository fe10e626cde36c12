import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';

/** Builds a Request envelope for an instrumentation key. */
export function requestEnvelope(iKey: string, overrides: Record<string, unknown> = {}, time = new Date().toISOString()): Record<string, unknown> {
  return {
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Request',
    time,
    iKey,
    tags: { 'ai.cloud.role': 'checkout', 'ai.cloud.roleInstance': 'vm-1', 'ai.operation.id': '0af7651916cd43dd8448eb211c80319c', 'ai.operation.name': 'GET /cart', 'ai.internal.sdkVersion': 'test:1.0' },
    data: { baseType: 'RequestData', baseData: { ver: 2, id: 'b7ad6b7169203331', name: 'GET /cart', url: 'http://shop/cart', duration: '00:00:00.1234567', responseCode: '200', success: true, properties: { tier: 'gold' }, ...overrides } },
  };
}

/** Builds an envelope of any base type. */
export function envelope(iKey: string, baseType: string, baseData: Record<string, unknown>, time = new Date().toISOString()): Record<string, unknown> {
  const short = baseType.replace(/Data$/, '');
  return { ver: 1, name: `Microsoft.ApplicationInsights.${short}`, time, iKey, tags: { 'ai.cloud.role': 'checkout' }, data: { baseType, baseData: { ver: 2, ...baseData } } };
}

/** A response read fully. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Sends a request with node:http and reads the whole answer. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Posts envelopes (JSON array; gzip when asked) to a track URL. */
export function postItems(url: string, items: unknown[], options: { token?: string; gzip?: boolean; ndjson?: boolean } = {}): Promise<PlainResponse> {
  const text = options.ndjson ? items.map((i) => JSON.stringify(i)).join('\n') : JSON.stringify(items);
  const headers: Record<string, string> = { 'content-type': options.ndjson ? 'application/x-json-stream' : 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: Buffer = Buffer.from(text);
  if (options.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  return send(url, { headers, body });
}

/** Sends an https request trusting the given CA and reads the whole answer. */
export function sendHttps(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
