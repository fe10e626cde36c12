import { randomBytes } from 'node:crypto';
import { authenticatedRequest, headerValue, parseRetryAfter, type AuthenticatedResponse } from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/** Answers are read up to this many bytes (a track response is far smaller). */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** A track path the relay serves, as the browser SDK posts to it: `<IngestionEndpoint>/v2/track`. */
const TRACK_PATH = /\/v2(?:\.1)?\/track\/?$/;
/** What a bearer token or a JWT looks like in an answer: no relay may ever send one to a browser. */
const TOKEN_PATTERN = /bearer\s+[\w.~+/-]{16,}|eyJ[\w-]{10,}\.[\w-]{10,}/i;

/** What the relay step posts to. */
export interface RelayCheck {
  /** The relay's endpoint, as the browser SDK's `IngestionEndpoint` names it (or its full `/v2/track` URL). */
  readonly relayUrl: string;
  /** The page's origin the post claims (`Origin`, `Referer`); default the relay's own origin. */
  readonly origin?: string;
  /** The instrumentation key a page would send (the relay replaces it with the server's). */
  readonly instrumentationKey: string;
  readonly timeoutMillis: number;
}

/** The step's verdict, and the name of the page view it sent (to look it up once it has landed). */
export interface RelayCheckResult {
  readonly result: StepResult;
  readonly pageViewName: string;
}

/** The URL the browser SDK posts to for a relay endpoint: `<endpoint>/v2/track`, unless it already names a track path. */
export function relayTrackUrl(relayUrl: string): URL {
  const url = new URL(relayUrl);
  if (!TRACK_PATH.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v2/track`;
  return url;
}

/** One page view as `@microsoft/applicationinsights-web` 3.x serializes it (envelope name, `PageviewData`, browser tags). */
function relayPageView(instrumentationKey: string, origin: string, runId: string, name: string): object {
  return {
    time: new Date().toISOString(),
    iKey: instrumentationKey,
    name: `Microsoft.ApplicationInsights.${instrumentationKey.replace(/-/g, '')}.Pageview`,
    tags: {
      'ai.user.id': 'doctor', 'ai.session.id': runId.slice(0, 16), 'ai.device.id': 'browser', 'ai.device.type': 'Browser',
      'ai.operation.name': '/', 'ai.operation.id': runId, 'ai.internal.sdkVersion': 'javascript:appinsights-otel-doctor',
    },
    data: {
      baseType: 'PageviewData',
      baseData: { ver: 2, name, url: `${origin}/`, duration: '00:00:00.001', properties: { source: 'appinsights-otel doctor' }, measurements: {}, id: runId },
    },
  };
}

/**
 * Posts one synthetic browser page view to a relay the way the browser SDK would (JSON array,
 * `Origin` and `Referer` of the page, no token) and explains the answer: 200 accepted, 206 with
 * the relay's per-item errors, 403 origin or session token refused, 429 over the client's limit
 * (with its `Retry-After`), or no answer. An answer that carries a token fails the step.
 */
export async function checkRelay(check: RelayCheck): Promise<RelayCheckResult> {
  const url = relayTrackUrl(check.relayUrl);
  const origin = check.origin !== undefined ? new URL(check.origin).origin : url.origin;
  const runId = randomBytes(16).toString('hex');
  const pageViewName = `appinsights-otel doctor relay check ${runId}`;
  const sent = await authenticatedRequest({
    url,
    headers: { 'content-type': 'application/json', origin, referer: `${origin}/` },
    body: JSON.stringify([relayPageView(check.instrumentationKey, origin, runId, pageViewName)]),
    signal: AbortSignal.timeout(check.timeoutMillis),
    maxResponseBytes: MAX_RESPONSE_BYTES,
  });
  if (sent.kind !== 'response') {
    const error = 'error' in sent ? sent.error : undefined;
    return {
      pageViewName,
      result: {
        step: 'relay', status: 'fail', summary: `could not reach ${url.href}: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'check --relay-url: it is the IngestionEndpoint the page\'s connection string names (the app\'s origin and the relay\'s path), and that the app is running',
      },
    };
  }
  return { pageViewName, result: explainRelayAnswer(sent.response, url.href, origin) };
}

/** The track response body the relay answers with, when it is one. */
interface TrackAnswer {
  readonly itemsReceived?: number;
  readonly itemsAccepted?: number;
  readonly errors?: readonly { readonly index?: number; readonly statusCode?: number; readonly message?: string }[];
}

function readTrackAnswer(bodyText: string): TrackAnswer | undefined {
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as TrackAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** The relay's own words: each error of its answer, else the start of its body. */
function relayMessages(response: AuthenticatedResponse): string {
  const errors = readTrackAnswer(response.bodyText)?.errors ?? [];
  if (errors.length > 0) return errors.map((e) => `${e.statusCode ?? '?'} ${e.message ?? ''}`.trim()).join('; ');
  const text = response.bodyText.trim().slice(0, 200);
  return text === '' ? 'no message' : text;
}

/**
 * The verdict on a relay's answer to the synthetic page view (pure). `origin` is the page's origin
 * the post claimed; for a cross-origin page a 200 without a matching `Access-Control-Allow-Origin`
 * is a warning, since the browser would hide the answer from the SDK.
 */
function explainRelayAnswer(response: AuthenticatedResponse, where: string, origin: string): StepResult {
  const status = response.statusCode;
  const answered = `${status} from ${where}`;
  const headersText = JSON.stringify(response.headers);
  if (TOKEN_PATTERN.test(response.bodyText) || TOKEN_PATTERN.test(headersText)) {
    return { step: 'relay', status: 'fail', summary: `${answered}: the answer carries what looks like a bearer token`, fix: 'the relay must never pass the server\'s token to a browser: update or fix the relay' };
  }
  const sameOrigin = new URL(where).origin === origin;
  const allowOrigin = headerValue(response.headers, 'access-control-allow-origin');
  if (status === 200) {
    if (!sameOrigin && allowOrigin !== origin && allowOrigin !== '*') {
      return { step: 'relay', status: 'warn', summary: `${answered}: accepted, but without Access-Control-Allow-Origin for ${origin}: a page there cannot read the answer`, fix: `add ${origin} to the relay's allowed origins, or serve the page from ${new URL(where).origin}` };
    }
    return { step: 'relay', status: 'ok', summary: `${where} accepted the page view (as from a page on ${origin}; the relay forwards it with the server's credential)` };
  }
  return explainRelayRefusal(response, answered, origin);
}

function explainRelayRefusal(response: AuthenticatedResponse, answered: string, origin: string): StepResult {
  const status = response.statusCode;
  const said = relayMessages(response);
  const fail = (summary: string, fix: string): StepResult => ({ step: 'relay', status: 'fail', summary: `${answered}: ${summary}: ${said}`, fix });
  switch (status) {
    case 206:
      return fail('the relay refused the page view', 'the relay admits page views from the browser SDK: check its admitted item types and its version');
    case 400:
      return fail('the relay could not read the body the browser SDK sends', 'check the relay\'s body limits and content types (the SDK posts a JSON array as application/json)');
    case 403:
      return fail(`the relay refused a page on ${origin}`, /session token/i.test(said)
        ? 'the relay requires a per-session token: pass --relay-url with the token path segment a page gets (<endpoint>/<token>)'
        : `serve the page from the relay's own origin, or add ${origin} to the relay's allowed origins (--origin sets the origin the doctor claims)`);
    case 404:
      return fail('nothing answers there', 'check --relay-url against the path the relay is mounted on (the page\'s IngestionEndpoint)');
    case 413:
      return fail('the relay refused the body as too large', 'one page view is small: the relay\'s body limit is set far too low');
    case 429:
    case 503: {
      const wait = parseRetryAfter(response.headers);
      return {
        step: 'relay', status: 'warn', summary: `${answered}: ${status === 429 ? 'the relay is limiting this client' : 'the relay is busy'}: ${said}`,
        fix: `retry ${wait !== undefined ? `in ${Math.ceil(wait / 1000)} s (the relay's Retry-After)` : 'later'}; the browser SDK waits and retries the same way`,
      };
    }
    default:
      return fail('unexpected answer', 'check the relay\'s logs; it answers like ingestion (200, 206, 400, 403, 429)');
  }
}
