import { SpanKind, type AttributeValue, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { requestOperationName, type RequestNameSource } from '@appinsights-otel/core';
import { isHealthProbe } from './health-probes';
import type { FilteredRequest, RequestFilterOptions } from './request-filter-options';

/** What the filter decided about a request: `pending` until the request ends when a rule needs its end. */
export type FilterDecision = 'drop' | 'keep' | 'pending';

function first(attributes: Attributes, keys: readonly string[]): AttributeValue | undefined {
  for (const key of keys) if (attributes[key] !== undefined) return attributes[key];
  return undefined;
}

function text(attributes: Attributes, keys: readonly string[]): string | undefined {
  const value = first(attributes, keys);
  return value === undefined ? undefined : String(value);
}

/** The URL path of a request: `url.path`, else `http.target` without its query, else the full URL's path. */
function requestPath(attributes: Attributes): string | undefined {
  const path = text(attributes, ['url.path']);
  if (path !== undefined) return path;
  const target = text(attributes, ['http.target']);
  if (target !== undefined) return target.split('?')[0];
  const url = text(attributes, ['url.full', 'http.url']);
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url).pathname;
}

/** What the start rules read: method, path and user agent, all known when the request starts. */
function startFacts(span: ReadableSpan): { method?: string; path?: string; userAgent?: string } {
  const a = span.attributes;
  const method = text(a, ['http.request.method', 'http.method']);
  const path = requestPath(a);
  const userAgent = text(a, ['user_agent.original', 'http.user_agent']);
  return { ...(method !== undefined ? { method } : {}), ...(path !== undefined ? { path } : {}), ...(userAgent !== undefined ? { userAgent } : {}) };
}

/** Whether the filter has rules that can only be decided when the request ends. */
const hasEndRules = (filter: RequestFilterOptions): boolean => (filter.routes?.length ?? 0) > 0 || filter.predicate !== undefined;

/**
 * The decision when a request starts: `drop` when a path prefix, method, user agent or health-probe
 * rule matches; else `pending` if a route or predicate rule must wait for the end; else `keep`.
 */
export function decideAtStart(filter: RequestFilterOptions, request: ReadableSpan): FilterDecision {
  const { method, path, userAgent } = startFacts(request);
  const lowerAgent = userAgent?.toLowerCase();
  const matches =
    (filter.healthProbes === true && isHealthProbe(userAgent, path))
    || (path !== undefined && (filter.pathPrefixes ?? []).some((prefix) => path.startsWith(prefix)))
    || (method !== undefined && (filter.methods ?? []).some((m) => m.toUpperCase() === method.toUpperCase()))
    || (lowerAgent !== undefined && (filter.userAgents ?? []).some((agent) => lowerAgent.includes(agent.toLowerCase())));
  if (matches) return 'drop';
  return hasEndRules(filter) ? 'pending' : 'keep';
}

/** The predicate's view of a finished request. */
export function filteredRequest(request: ReadableSpan, requestNameSource: RequestNameSource | undefined): FilteredRequest {
  const a = request.attributes;
  const route = text(a, ['http.route']);
  const status = Number(first(a, ['http.response.status_code', 'http.status_code']));
  return {
    kind: request.kind === SpanKind.CONSUMER ? 'consumer' : 'server',
    ...startFacts(request),
    ...(route !== undefined ? { route } : {}),
    ...(Number.isFinite(status) && status > 0 ? { statusCode: status } : {}),
    durationMillis: request.duration[0] * 1000 + request.duration[1] / 1e6,
    operationName: requestOperationName(request, requestNameSource),
    attributes: a,
  };
}

/**
 * The decision when a pending request ends: `drop` when its `http.route` is one of the routes or
 * the predicate returns true. A predicate that throws keeps the request (`onPredicateError` hears of it).
 */
export function decideAtEnd(
  filter: RequestFilterOptions, request: ReadableSpan, requestNameSource: RequestNameSource | undefined, onPredicateError: (error: unknown) => void,
): 'drop' | 'keep' {
  const route = text(request.attributes, ['http.route']);
  if (route !== undefined && (filter.routes ?? []).includes(route)) return 'drop';
  if (filter.predicate === undefined) return 'keep';
  try {
    return filter.predicate(filteredRequest(request, requestNameSource)) === true ? 'drop' : 'keep';
  } catch (error: unknown) {
    onPredicateError(error);
    return 'keep';
  }
}
