import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ForwardingPipeline } from '@appinsights-otel/core';
import { admitItems } from './admit-items';
import { checkOrigin } from './check-origin';
import { matchRelayPath, type RelayPathMatch } from './match-relay-path';
import { parseTrackBody } from './parse-track-body';
import { readBody, type BodyResult } from './read-body';
import { redactTokenOnRequestSpan } from './redact-token-on-span';
import { clientKeyOf, NO_CLIENT_IP, resolveClientIp } from './resolve-client-ip';
import type { RelaySettings } from './resolve-relay-settings';
import type { SessionTokens } from './session-tokens';
import { createClientBuckets, createTokenBucket, type ClientBuckets, type TokenBucket } from './token-bucket';
import { answerTrack, corsHeaders, refusal } from './track-response';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/browser-relay' });
/** What a client over the concurrency bound is told to wait. */
const BUSY_RETRY_AFTER_MILLIS = 1_000;

/** What the handler is built from. */
export interface RelayHandlerDeps {
  readonly settings: RelaySettings;
  readonly pipeline: ForwardingPipeline;
  readonly browserInstrumentationKey: string;
  readonly tokens?: SessionTokens;
  readonly now: () => number;
}

/** The node:http handler and what the relay's lifecycle needs of it. */
export interface RelayHandler {
  /** Serve a request under the relay's path; any other goes to `next`, or is answered 404 without one. */
  handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Whether a request URL is under the relay's path. */
  matches(url: string | undefined): boolean;
  /** Wait until every batch handed to delivery has settled (sent or queued). */
  settled(): Promise<void>;
}

/** A request that passed the checks made before its body is read. */
interface Admitted {
  readonly corsOrigin: string | undefined;
  readonly clientIp: string;
  /** The client's rate-limit and concurrency key (its address; an IPv6 address's /64). */
  readonly clientKey: string;
  readonly bucket: TokenBucket;
}

/** What every request of one relay shares. */
interface RelayState {
  readonly deps: RelayHandlerDeps;
  readonly clients: ClientBuckets;
  readonly global: TokenBucket;
  /** The global ceiling in bytes of admitted bodies. */
  readonly globalBytes: TokenBucket;
  readonly pending: Set<Promise<void>>;
  reading: number;
  /** Bodies being read, by client key (an entry only while one is read, so at most maxConcurrentRequests). */
  readonly readingByClient: Map<string, number>;
}

/** Build the relay's request handler: origin, session token, rate limits, bounded body, admission, delivery. */
export function createRelayHandler(deps: RelayHandlerDeps): RelayHandler {
  const { limits, path } = deps.settings;
  const state: RelayState = {
    deps,
    clients: createClientBuckets(limits.clientItemsPerSecond, limits.clientBurstItems, limits.maxTrackedClients),
    global: createTokenBucket(limits.globalItemsPerSecond, limits.globalBurstItems, deps.now()),
    globalBytes: createTokenBucket(limits.globalBytesPerSecond, limits.globalBurstBytes, deps.now()),
    pending: new Set(),
    reading: 0,
    readingByClient: new Map(),
  };
  return {
    handle(req, res, next) {
      const match = matchRelayPath(req.url, path);
      if (match === undefined) {
        if (next) next();
        else answerTrack(res, 404, refusal(0, 404, 'not found'));
        return;
      }
      if (match.token !== undefined) redactTokenOnRequestSpan(req, match.token);
      serve(req, res, match, state).catch((e: unknown) => {
        log.error(`browser relay failed on a request: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) answerTrack(res, 500, refusal(0, 500, 'the relay failed; the reason is in the server log'), { closeConnection: true });
        else res.destroy();
      });
    },
    matches: (url) => matchRelayPath(url, path) !== undefined,
    async settled() {
      while (state.pending.size > 0) await Promise.all([...state.pending]);
    },
  };
}

/** The checks made before a body is read, cheapest first; answers and returns `undefined` on a refusal. */
function admitRequest(req: IncomingMessage, res: ServerResponse, match: RelayPathMatch, state: RelayState): Admitted | undefined {
  const { settings, now } = state.deps;
  const decision = checkOrigin({ origin: req.headers.origin, referer: req.headers.referer, host: req.headers.host }, settings.allowedOrigins);
  const corsOrigin = decision.allowed ? decision.corsOrigin : undefined;
  if (req.method === 'OPTIONS') return void preflight(res, corsOrigin);
  if (match.endpoint !== 'track') return void answerTrack(res, 404, refusal(0, 404, `not a track endpoint; the web SDK posts to ${settings.path}/v2/track`), { corsOrigin });
  if (req.method !== 'POST') return void answerTrack(res, 405, refusal(0, 405, 'only POST is accepted'), { corsOrigin });
  if (!decision.allowed) return void answerTrack(res, 403, refusal(0, 403, `${decision.reason}; add the page's origin to allowedOrigins`), { closeConnection: true });
  const verdict = state.deps.tokens?.verify(match.token) ?? 'ok';
  if (verdict !== 'ok') return void answerTrack(res, 403, refusal(0, 403, `the session token is ${verdict}; reload the page for a new one`), { corsOrigin, closeConnection: true });
  const address = resolveClientIp(req.socket.remoteAddress, headerOf(req, 'x-forwarded-for'), settings.proxyHops);
  const clientKey = address === undefined ? 'unknown' : clientKeyOf(address);
  const bucket = state.clients.bucketOf(clientKey, now());
  const waitMillis = Math.max(bucket.waitForOne(now()), state.global.waitForOne(now()));
  if (waitMillis > 0) return void answerTrack(res, 429, refusal(0, 429, 'too many items from this client; retry after the Retry-After delay'), { corsOrigin, retryAfterMillis: waitMillis, closeConnection: true });
  if (isBusy(state, clientKey)) {
    return void answerTrack(res, 503, refusal(0, 503, 'the relay is busy; retry after the Retry-After delay'), { corsOrigin, retryAfterMillis: BUSY_RETRY_AFTER_MILLIS, closeConnection: true });
  }
  const clientIp = settings.clientIp === 'connection' ? address ?? NO_CLIENT_IP : NO_CLIENT_IP;
  return { corsOrigin, clientIp, clientKey, bucket };
}

/** Serve one request under the relay's path. */
async function serve(req: IncomingMessage, res: ServerResponse, match: RelayPathMatch, state: RelayState): Promise<void> {
  const admitted = admitRequest(req, res, match, state);
  if (admitted === undefined) return;
  const { deps } = state;
  const { limits } = deps.settings;
  const { corsOrigin } = admitted;
  if (req.readableEnded) {
    log.error('browser relay: another middleware read the request body first; mount the relay before body parsers');
    return answerTrack(res, 500, refusal(0, 500, 'the relay is mounted after a body parser; the reason is in the server log'), { corsOrigin });
  }
  const body = await readCounted(req, admitted.clientKey, state);
  // A refused body costs its client one item, so a client sending only bad bodies is throttled too.
  if (body.kind !== 'ok') {
    admitted.bucket.take(1, deps.now());
    return answerBodyProblem(res, body, corsOrigin);
  }
  const parsed = parseTrackBody(body.text, limits.maxItemsPerRequest);
  if (parsed.kind !== 'items') {
    admitted.bucket.take(1, deps.now());
    if (parsed.kind === 'invalid') return answerTrack(res, 400, refusal(0, 400, parsed.message), { corsOrigin });
    return answerTrack(res, 413, refusal(parsed.count, 413, `${parsed.count} items in one request; the relay accepts at most ${limits.maxItemsPerRequest} (limits.maxItemsPerRequest)`), { corsOrigin });
  }
  const received = parsed.items.length;
  // Every item received costs its client, refused or not; the global ceiling counts what is forwarded (billed).
  const clientWait = admitted.bucket.take(received, deps.now());
  if (clientWait > 0) return answerTrack(res, 429, refusal(received, 429, 'too many items; retry after the Retry-After delay'), { corsOrigin, retryAfterMillis: clientWait });
  const ctx = {
    instrumentationKey: deps.pipeline.instrumentationKey, browserInstrumentationKey: deps.browserInstrumentationKey, roleName: deps.settings.roleName,
    clientIp: admitted.clientIp, nowMillis: deps.now(), minSampleRate: limits.minSampleRate,
  };
  const { envelopes, errors } = admitItems(parsed.items, ctx);
  if (envelopes.length === 0) return answerTrack(res, 400, { itemsReceived: received, itemsAccepted: 0, errors }, { corsOrigin });
  const waitMillis = state.global.take(envelopes.length, deps.now()) || state.globalBytes.take(Buffer.byteLength(body.text), deps.now());
  if (waitMillis > 0) return answerTrack(res, 429, refusal(received, 429, 'too many items; retry after the Retry-After delay'), { corsOrigin, retryAfterMillis: waitMillis });
  forward(envelopes, state);
  answerTrack(res, errors.length === 0 ? 200 : 206, { itemsReceived: received, itemsAccepted: envelopes.length, errors }, { corsOrigin });
}

/** Whether the relay cannot read another body now: too many being read (in all, or of this client), or too many batches pending. */
function isBusy(state: RelayState, clientKey: string): boolean {
  const { limits } = state.deps.settings;
  return state.reading >= limits.maxConcurrentRequests
    || (state.readingByClient.get(clientKey) ?? 0) >= limits.clientConcurrentRequests
    || state.pending.size >= limits.maxPendingBatches;
}

/** Read a body within the limits, counting it among the bodies being read (in all and of its client). */
async function readCounted(req: IncomingMessage, clientKey: string, state: RelayState): Promise<BodyResult> {
  state.reading++;
  state.readingByClient.set(clientKey, (state.readingByClient.get(clientKey) ?? 0) + 1);
  try {
    return await readBody(req, state.deps.settings.limits);
  } finally {
    state.reading--;
    const left = (state.readingByClient.get(clientKey) ?? 1) - 1;
    if (left > 0) state.readingByClient.set(clientKey, left);
    else state.readingByClient.delete(clientKey);
  }
}

/** Hand a batch to delivery; its settlement is tracked (flush, shutdown, the pending bound) and a loss is logged. */
function forward(envelopes: readonly object[], state: RelayState): void {
  const batch = new Promise<void>((resolve) => {
    state.deps.pipeline.export(envelopes, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) log.warn(`${envelopes.length} browser items were not delivered: ${result.error?.message ?? 'unknown error'}`);
      resolve();
    });
  });
  state.pending.add(batch);
  void batch.finally(() => state.pending.delete(batch));
}

function answerBodyProblem(res: ServerResponse, body: Exclude<BodyResult, { kind: 'ok' }>, corsOrigin: string | undefined): void {
  switch (body.kind) {
    case 'too-large': {
      const what = body.what === 'body' ? 'the body' : 'the body once gzip is undone';
      const option = body.what === 'body' ? 'limits.maxBodyBytes' : 'limits.maxInflatedBytes';
      return answerTrack(res, 413, refusal(0, 413, `${what} is over ${body.limitBytes} bytes (${option})`), { corsOrigin, closeConnection: true });
    }
    case 'unsupported-encoding':
      return answerTrack(res, 415, refusal(0, 415, `Content-Encoding ${JSON.stringify(body.encoding.slice(0, 32))} is not supported; send gzip or no encoding`), { corsOrigin, closeConnection: true });
    case 'bad-gzip':
      return answerTrack(res, 400, refusal(0, 400, 'the body is not valid gzip'), { corsOrigin, closeConnection: true });
    case 'timeout':
      return answerTrack(res, 408, refusal(0, 408, 'the body did not arrive in time'), { corsOrigin, closeConnection: true });
    case 'aborted':
      res.destroy();
      return;
  }
}

function preflight(res: ServerResponse, corsOrigin: string | undefined): void {
  if (corsOrigin === undefined) {
    res.writeHead(403, { 'content-length': 0 }).end();
    return;
  }
  res.writeHead(204, {
    ...corsHeaders(corsOrigin),
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, content-encoding, sdk-context',
    'access-control-max-age': '600',
    'content-length': 0,
  }).end();
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
