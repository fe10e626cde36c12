import type { ForwardingPipelineOptions } from '@appinsights-otel/core';

/** How the relay fills `ai.location.ip` (what ingestion geolocates and then masks). */
export type ClientIpPolicy = 'connection' | 'none';

/** Abuse bounds of the relay. Every field has a default (see `RELAY_LIMIT_DEFAULTS`). */
export interface BrowserRelayLimits {
  /** Largest request body on the wire, checked against `Content-Length` and while reading (default 256 KiB). */
  maxBodyBytes?: number;
  /** Largest body after gzip is undone; a gzip bomb stops here (default 1 MiB). */
  maxInflatedBytes?: number;
  /** Most items in one request (default 500; the web SDK sends at most 100 KB a batch). */
  maxItemsPerRequest?: number;
  /** Items per second one client may send, refilled continuously (default 20). */
  clientItemsPerSecond?: number;
  /** Items one client may send at once after a quiet period (default 600; at least `maxItemsPerRequest`). */
  clientBurstItems?: number;
  /** Items per second the whole relay forwards, whatever the number of clients (default 1,000). */
  globalItemsPerSecond?: number;
  /** Items the whole relay forwards at once after a quiet period (default 5,000). */
  globalBurstItems?: number;
  /**
   * Bytes of admitted bodies (after gzip is undone) per second for the whole relay (default 1 MiB,
   * about 86 GB a day): an item may be 64 KB, so an item ceiling alone lets large items multiply the bill.
   */
  globalBytesPerSecond?: number;
  /** Bytes the whole relay admits at once after a quiet period (default 10 MiB; at least `maxInflatedBytes`). */
  globalBurstBytes?: number;
  /** Clients whose buckets are remembered; the least recently seen is forgotten first (default 10,000). */
  maxTrackedClients?: number;
  /** Requests being read at once; more are answered 503 with `Retry-After` (default 32). */
  maxConcurrentRequests?: number;
  /** Requests of one client being read at once, so one client's slow bodies cannot hold every place (default 8). */
  clientConcurrentRequests?: number;
  /** Batches handed to delivery and not yet settled; more are answered 503 with `Retry-After` (default 64). */
  maxPendingBatches?: number;
  /** A request body must arrive within this time (default 10 s). */
  bodyTimeoutMillis?: number;
  /**
   * Lowest `sampleRate` (percent) forwarded; a lower one is raised to it, so one item counts for at
   * most `100 / minSampleRate` in item counts (default 1, so at most 100). At most 100.
   */
  minSampleRate?: number;
}

/** The optional signed session token that the app's page embeds in its ingestion endpoint. */
export interface SessionTokenOptions {
  /** HMAC-SHA256 key: at least 32 bytes; keep it in the server's configuration, never in the page. */
  secret: string | Uint8Array;
  /** How long an issued token is accepted (default 8 hours). */
  maxAgeMillis?: number;
}

/**
 * Options of `createBrowserRelay`: where ingestion is and how to authenticate (as for an exporter:
 * `connectionString`, `credential`, storage, timeouts), plus what the relay admits.
 */
export interface BrowserRelayOptions extends ForwardingPipelineOptions {
  /** Path the relay is mounted at; the web SDK posts to `<path>/v2/track` (default `/ai-relay`). */
  path?: string;
  /**
   * Origins other than the app's own that may post (exact `scheme://host[:port]`); CORS headers are
   * sent for these only. Default: none (same origin only).
   */
  allowedOrigins?: readonly string[];
  /** `ai.cloud.role` of browser items; default `serviceName + roleSuffix`. */
  roleName?: string;
  /** Default `OTEL_SERVICE_NAME`, else `unknown_service`. */
  serviceName?: string;
  /** Appended to `serviceName` for the default role (default `-browser`). */
  roleSuffix?: string;
  /**
   * Instrumentation key the page's connection string names; items naming another key are refused.
   * Default: the server's own key (it is an identifier, not a secret: an Entra-only resource refuses it without a token).
   */
  browserInstrumentationKey?: string;
  /**
   * Trust `X-Forwarded-For` from this many proxies in front of the app (`true` = 1). Default `false`:
   * the client is the socket's remote address.
   */
  trustProxy?: boolean | number;
  /** `connection` (default): the client's address as above; `none`: `0.0.0.0`, so no location is derived. */
  clientIp?: ClientIpPolicy;
  limits?: BrowserRelayLimits;
  /** Require a signed session token in the endpoint path (see `issueSessionToken()`). */
  sessionToken?: SessionTokenOptions;
}

/** Defaults of {@link BrowserRelayLimits}. */
export const RELAY_LIMIT_DEFAULTS: Readonly<Required<BrowserRelayLimits>> = Object.freeze({
  maxBodyBytes: 256 * 1024,
  maxInflatedBytes: 1024 * 1024,
  maxItemsPerRequest: 500,
  clientItemsPerSecond: 20,
  clientBurstItems: 600,
  globalItemsPerSecond: 1_000,
  globalBurstItems: 5_000,
  globalBytesPerSecond: 1024 * 1024,
  globalBurstBytes: 10 * 1024 * 1024,
  maxTrackedClients: 10_000,
  maxConcurrentRequests: 32,
  clientConcurrentRequests: 8,
  maxPendingBatches: 64,
  bodyTimeoutMillis: 10_000,
  minSampleRate: 1,
});

/** Default mount path. */
export const DEFAULT_RELAY_PATH = '/ai-relay';
/** Default suffix of the browser role. */
export const DEFAULT_ROLE_SUFFIX = '-browser';
/** Default lifetime of a session token. */
export const DEFAULT_SESSION_TOKEN_MAX_AGE_MILLIS = 8 * 60 * 60 * 1000;
