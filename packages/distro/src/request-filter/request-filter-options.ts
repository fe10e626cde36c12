import type { Attributes } from '@opentelemetry/api';

/** What a request filter predicate sees of a finished request. */
export interface FilteredRequest {
  /** `server` for HTTP (and other SERVER) requests, `consumer` for messages. */
  readonly kind: 'server' | 'consumer';
  /** `http.request.method` / `http.method`. */
  readonly method?: string;
  /** The URL path, without the query. */
  readonly path?: string;
  /** `http.route`, when a router matched one. */
  readonly route?: string;
  /** `user_agent.original` / `http.user_agent`. */
  readonly userAgent?: string;
  /** `http.response.status_code` / `http.status_code`. */
  readonly statusCode?: number;
  readonly durationMillis: number;
  /** The request's operation name, as the request item has it (`GET /orders/:id`). */
  readonly operationName: string;
  /** All attributes of the request span. */
  readonly attributes: Attributes;
}

/**
 * Requests to leave out of Application Insights, with everything produced inside them in this
 * process (their dependencies, logs, exceptions and span events). A request is dropped when any
 * rule matches. Standard metrics and Live Metrics still count dropped requests (as they count
 * sampled-out ones).
 */
export interface RequestFilterOptions {
  /** `http.route` values, exactly (`/health`, `/orders/:id`). Decided when the request ends. */
  routes?: string[];
  /** URL path prefixes (`/health`, `/internal/`). Decided when the request starts. */
  pathPrefixes?: string[];
  /** HTTP methods, any case (`OPTIONS`). Decided when the request starts. */
  methods?: string[];
  /** Text the user agent contains, any case (`kube-probe`, `Pingdom`). Decided when the request starts. */
  userAgents?: string[];
  /**
   * Drop Kubernetes probes (user agent `kube-probe/...`) and Azure App Service's health check,
   * Always On and container warm-up requests. Off by default.
   */
  healthProbes?: boolean;
  /** Return true to drop the request. Decided when the request ends; code only (not in the configuration file). */
  predicate?: (request: FilteredRequest) => boolean;
}
