import { diag } from '@opentelemetry/api';
import { ConfigError, createDiagnostics, type Diagnostics } from '@appinsights-otel/core';
import type { QuickPulseClient, QuickPulseIdentity, QuickPulseResult } from './create-quick-pulse-client';
import { isAllowedLiveRedirect } from './is-allowed-live-redirect';
import {
  QUICK_PULSE_INVARIANT_VERSION, type CollectionConfigurationError, type DocumentIngress, type MetricPoint, type MonitoringDataPoint,
} from './quick-pulse-contracts';

/** Delay of the first ping after `start()`: startup and short-lived processes open no connection. */
export const FIRST_PING_DELAY_MILLIS = 2_000;
/** Ping interval while nobody watches (unless the service hints otherwise). */
export const PING_INTERVAL_MILLIS = 5_000;
/** Post interval while subscribed. */
export const POST_INTERVAL_MILLIS = 1_000;
/** Ping interval after a streak of failures. */
export const FAILED_PING_INTERVAL_MILLIS = 60_000;
/** Consecutive failures after which pings slow down to {@link FAILED_PING_INTERVAL_MILLIS}. */
export const FAILURE_STREAK_FOR_BACKOFF = 3;
/** Bounds applied to the service's polling-interval hint. */
const MIN_HINT_MILLIS = 1_000;
const MAX_HINT_MILLIS = 5 * 60_000;

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro/live-metrics' });

/** What the session sends: the metrics and sample documents of the interval that just ended. */
export interface LiveMetricsSample {
  readonly metrics: readonly MetricPoint[];
  readonly documents: readonly DocumentIngress[];
  /** The parts of the filter configuration not applied, and why (posted back to the portal). */
  readonly errors?: readonly CollectionConfigurationError[];
}

/** Where the session gets its data, and whom it tells when the watcher comes and goes. */
export interface LiveMetricsSource {
  /** The interval's metrics and documents (called once per post); resets the interval. */
  collect(): LiveMetricsSample;
  /** Called when posting starts (`true`) or stops (`false`; the filter configuration is dropped then). */
  onSubscribedChange?(subscribed: boolean): void;
  /**
   * Called with the service's filter configuration (a `CollectionConfigurationInfo`, unchecked)
   * whenever its ETag changes; the source applies it from now on.
   */
  onConfiguration?(configuration: unknown, etag: string): void;
}

/** Options of {@link createLiveMetricsSession}. */
export interface LiveMetricsSessionOptions {
  readonly client: QuickPulseClient;
  /** The configured Live Metrics endpoint (`LiveEndpoint`, or the default). */
  readonly endpoint: string;
  readonly identity: QuickPulseIdentity;
  readonly source: LiveMetricsSource;
  /** Delay of the first ping (default {@link FIRST_PING_DELAY_MILLIS}). */
  readonly firstPingDelayMillis?: number;
  /** Clock (default Date.now). */
  readonly nowMillis?: () => number;
  /** Rate-limited sink for the refused-redirect warning (default: one per session). */
  readonly diagnostics?: Diagnostics;
}

/** The protocol state: pinging while nobody watches, posting while subscribed. */
export type LiveMetricsState = 'idle' | 'pinging' | 'posting' | 'stopped';

/** A running Live Metrics session. */
export interface LiveMetricsSession {
  /** Starts pinging (the first ping goes out after `firstPingDelayMillis`). Idempotent. */
  start(): void;
  readonly state: LiveMetricsState;
  /** The endpoint in use (after any redirect). */
  readonly endpoint: string;
  /** Consecutive failed requests. */
  readonly failureStreak: number;
  /** Stops the timers; an in-flight request is left to finish and ignored. */
  shutdown(): Promise<void>;
}

function parseLiveEndpoint(endpoint: string): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw new ConfigError('the Live Metrics endpoint is not a valid URL: check LiveEndpoint in the connection string');
  }
}

function clampHint(millis: number): number {
  return Math.min(MAX_HINT_MILLIS, Math.max(MIN_HINT_MILLIS, millis));
}

/**
 * Creates the Live Metrics protocol state machine (docs/live-metrics.md):
 * - `pinging`: one ping every 5 s (or the service's `x-ms-qps-service-polling-interval-hint`);
 *   when the answer says subscribed, switch to posting;
 * - `posting`: one post per second with the interval's metrics and documents; when the answer says
 *   unsubscribed, or a post fails, go back to pinging;
 * - an `x-ms-qps-service-endpoint-redirect-v2` to an allowed host (the configured one, or a Live
 *   Metrics domain of the same cloud) is used for every later request; others are ignored and logged;
 * - failures: after {@link FAILURE_STREAK_FOR_BACKOFF} failures in a row, ping once a minute;
 *   auth failures (400-auth/401/403, credential errors) wait at least the slow-backoff hint at once.
 *
 * One request at a time; every timer is `unref()`d. Nothing is contacted before `start()`, and
 * the first ping waits {@link FIRST_PING_DELAY_MILLIS}.
 *
 * @throws ConfigError when `endpoint` is not a URL.
 */
export function createLiveMetricsSession(options: LiveMetricsSessionOptions): LiveMetricsSession {
  const { client, identity, source } = options;
  const now = options.nowMillis ?? Date.now;
  const diagnostics = options.diagnostics ?? createDiagnostics({ logger: log, nowMillis: now });
  const configured = parseLiveEndpoint(options.endpoint);
  let endpoint = options.endpoint;
  let state: LiveMetricsState = 'idle';
  let timer: NodeJS.Timeout | undefined;
  let failureStreak = 0;
  let pingIntervalMillis = PING_INTERVAL_MILLIS;
  /** ETag of the filter configuration applied, sent with every ping and post ('' while none). */
  let etag = '';

  function dataPoint(sample?: LiveMetricsSample): MonitoringDataPoint {
    return {
      Version: identity.version,
      InvariantVersion: QUICK_PULSE_INVARIANT_VERSION,
      Instance: identity.instance,
      RoleName: identity.roleName,
      MachineName: identity.machineName,
      StreamId: identity.streamId,
      Timestamp: new Date(now()).toISOString(),
      IsWebApp: false,
      PerformanceCollectionSupported: true,
      ...(sample ? { Metrics: sample.metrics, Documents: sample.documents, CollectionConfigurationErrors: sample.errors ?? [] } : {}),
    };
  }

  const isStopped = (): boolean => state === 'stopped';

  function schedule(delayMillis: number): void {
    if (state === 'stopped') return;
    timer = setTimeout(() => { void tick(); }, Math.max(0, delayMillis));
    timer.unref();
  }

  function setState(next: 'pinging' | 'posting'): void {
    if (state === next || state === 'stopped') return;
    const wasPosting = state === 'posting';
    state = next;
    if (next === 'posting') {
      log.info('Live Metrics: someone is watching; posting once per second');
      source.onSubscribedChange?.(true);
    } else if (wasPosting) {
      log.info('Live Metrics: nobody is watching any more; back to pinging');
      etag = ''; // the configuration goes with the watcher, as the official client
      source.onSubscribedChange?.(false);
    }
  }

  function applyRedirect(target: string | undefined): void {
    if (target === undefined) return;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      diagnostics.report({ causeKey: 'live-metrics:redirect-unreadable', level: 'warn', message: '[live metrics] the service sent an unreadable endpoint redirect; ignored' });
      return;
    }
    if (!isAllowedLiveRedirect(configured, url)) {
      diagnostics.report({
        causeKey: `live-metrics:redirect-refused:${url.origin}`,
        level: 'warn',
        message: `[live metrics] endpoint redirect to ${url.origin} ignored: neither the configured host nor a Live Metrics domain of the same cloud`,
      });
      return;
    }
    // Only the origin, as the official client: the service names a host, the paths are the protocol's.
    endpoint = url.origin;
  }

  function failureDelay(result: Extract<QuickPulseResult, { status: 'failed' }>): number {
    if (result.authFailed) return Math.max(result.retryAfterMillis ?? FAILED_PING_INTERVAL_MILLIS, FAILED_PING_INTERVAL_MILLIS);
    if (failureStreak >= FAILURE_STREAK_FOR_BACKOFF) return FAILED_PING_INTERVAL_MILLIS;
    return Math.max(result.retryAfterMillis ?? 0, PING_INTERVAL_MILLIS);
  }

  async function tick(): Promise<void> {
    if (state === 'stopped') return;
    const startedAt = now();
    const posting = state === 'posting';
    const result = posting
      ? await client.post(endpoint, dataPoint(source.collect()), etag)
      : await client.ping(endpoint, dataPoint(), etag);
    if (isStopped()) return; // shut down while the request was in flight
    if (result.status === 'failed') {
      failureStreak++;
      setState('pinging');
      schedule(failureDelay(result));
      return;
    }
    failureStreak = 0;
    applyRedirect(result.redirectEndpoint);
    if (result.configurationEtag !== undefined && result.configurationEtag !== '' && result.configurationEtag !== etag) {
      etag = result.configurationEtag;
      source.onConfiguration?.(result.configuration, etag);
    }
    if (result.pollingIntervalHintMillis !== undefined) pingIntervalMillis = clampHint(result.pollingIntervalHintMillis);
    if (result.subscribed) {
      setState('posting');
      // Keep a steady once-per-second cadence: the request's own time counts towards the interval.
      schedule(POST_INTERVAL_MILLIS - (posting ? now() - startedAt : 0));
    } else {
      setState('pinging');
      schedule(pingIntervalMillis);
    }
  }

  return {
    start() {
      if (state !== 'idle') return;
      state = 'pinging';
      schedule(options.firstPingDelayMillis ?? FIRST_PING_DELAY_MILLIS);
    },
    get state() { return state; },
    get endpoint() { return endpoint; },
    get failureStreak() { return failureStreak; },
    async shutdown() {
      if (state === 'stopped') return;
      const wasPosting = state === 'posting';
      state = 'stopped';
      if (timer) clearTimeout(timer);
      if (wasPosting) source.onSubscribedChange?.(false);
      await client.shutdown();
    },
  };
}
