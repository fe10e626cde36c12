import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceConfig } from '../config/emulator-config';
import type { LoggedRequest } from '../server/create-request-log';
import { readSmallBody, sendJson } from '../server/http-io';
import { authorizeLiveMetrics } from './authorize-live-metrics';
import type { LiveMetricsBook } from './create-live-metrics-control';
import type { LiveMetricsContext } from './create-live-metrics-service';
import type { LiveMetricsRecord } from './live-metrics-types';
import { parseQuickPulseBody, QUICK_PULSE_API, serviceError } from './parse-quick-pulse-body';
import { liveMetricsApiVersions } from './validate-against-live-metrics-spec';

/** The largest ping or post body read. */
export const MAX_QUICK_PULSE_BODY_BYTES = 1024 * 1024;

type Answer = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** The resource a request's `api-version` and `ikey` name, or `undefined` after answering 400. */
function resourceOfRequest(req: IncomingMessage, ctx: LiveMetricsContext, answer: Answer): ResourceConfig | undefined {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const apiVersion = url.searchParams.get('api-version');
  if (apiVersion === null || !liveMetricsApiVersions().includes(apiVersion)) {
    answer(400, serviceError('InvalidApiVersion', apiVersion === null
      ? `the api-version query parameter is required: use ${liveMetricsApiVersions().join(', ')}`
      : `unsupported api-version '${apiVersion.slice(0, 32)}': use ${liveMetricsApiVersions().join(', ')}`));
    return undefined;
  }
  const ikey = url.searchParams.get('ikey') ?? '';
  const resource = ctx.registry.resourceByIkey(ikey);
  if (!resource) answer(400, { message: `Invalid instrumentation key '${ikey.slice(0, 8)}...': no such Application Insights resource` });
  return resource;
}

/** The record fields every ping or post gets: time, operation, resource and the SDK's `x-ms-qps-*` headers. */
function recordBase(req: IncomingMessage, operation: 'ping' | 'post', resource: ResourceConfig, ctx: LiveMetricsContext): Pick<LiveMetricsRecord, 'timestamp' | 'operation' | 'instrumentationKey' | 'streamId' | 'transmissionTime' | 'configurationEtag'> {
  const header = (name: string): string | undefined => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
  const streamId = header('x-ms-qps-stream-id');
  const transmissionTime = header('x-ms-qps-transmission-time');
  const configurationEtag = header('x-ms-qps-configuration-etag');
  return {
    timestamp: ctx.now(), operation, instrumentationKey: resource.instrumentationKey,
    ...(streamId !== undefined ? { streamId } : {}),
    ...(transmissionTime !== undefined ? { transmissionTime } : {}),
    ...(configurationEtag !== undefined ? { configurationEtag } : {}),
  };
}

/**
 * `POST /QuickPulseService.svc/ping|post`: checks the api-version, the resource, the caller (see
 * `authorizeLiveMetrics`) and the body against the spec, records it, and answers with the
 * resource's filter configuration, `x-ms-qps-subscribed` and the configured hints.
 */
export async function handleQuickPulse(req: IncomingMessage, res: ServerResponse, operation: 'ping' | 'post', entry: LoggedRequest, ctx: LiveMetricsContext, book: LiveMetricsBook): Promise<void> {
  const answer: Answer = (status, body, headers = {}) => {
    entry.status = status;
    sendJson(res, status, body, headers);
  };
  if (req.method !== 'POST') {
    req.resume();
    answer(405, { message: 'use POST' });
    return;
  }
  const text = await readSmallBody(req, MAX_QUICK_PULSE_BODY_BYTES);
  const resource = resourceOfRequest(req, ctx, answer);
  if (!resource) return;
  const verdict = authorizeLiveMetrics(req, resource, ctx);
  const base = recordBase(req, operation, resource, ctx);
  if (!verdict.ok) {
    book.record({ ...base, status: verdict.status, subscribed: false, dataPoints: [] });
    answer(verdict.status, { message: verdict.message }, verdict.headers);
    return;
  }
  const body = parseQuickPulseBody(operation, text);
  if (!body.ok) {
    book.record({ ...base, status: 400, subscribed: false, dataPoints: [], problems: body.problems });
    answer(400, serviceError('InvalidBody', `the ${operation} body does not match the Live Metrics ${QUICK_PULSE_API}: ${body.problems.join('; ')}`));
    return;
  }
  const isSubscribed = book.control.isSubscribed(resource.name);
  book.record({ ...base, status: 200, subscribed: isSubscribed, ...(verdict.objectId !== undefined ? { objectId: verdict.objectId } : {}), dataPoints: body.points });
  const configuration = book.control.configuration(resource.name);
  answer(200, configuration, { 'x-ms-qps-subscribed': String(isSubscribed), 'x-ms-qps-configuration-etag': configuration.ETag ?? '', ...book.answerHeaders() });
}
