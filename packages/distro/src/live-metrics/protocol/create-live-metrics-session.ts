import { diag } from '@opentelemetry/api';
import { ConfigError, createDiagnostics, type Diagnostics } from '@appinsights-otel/core';
import type { QuickPulseClient, QuickPulseIdentity, QuickPulseResult } from './create-quick-pulse-client';
import { followLiveRedirect } from './follow-live-redirect';
import type { CollectionConfigurationError, DocumentIngress, MetricPoint } from './quick-pulse-contracts';
import { toMonitoringDataPoint } from './to-monitoring-data-point';

/** Delay of the first ping after `start()`: startup and short-lived processes open no connection. */
export const FIRST_PING_DELAY_MILLIS = 2_000;
/** Ping interval while nobody watches (unless the service hints otherwise). */
export const PING_INTERVAL_MILLIS = 5_000;
/** Post interval while subscribed. */
export const POST_INTERVAL_MILLIS = 1_000;
/** Ping interval after a streak of failures. */
export const FAILED_PING_INTERVAL_MILLIS = 60_000;
/** Consecutive failures after which pings slow down to {@link FAILED_PING_INTERVAL_MILLIS}. */
const FAILURE_STREAK_FOR_BACKOFF = 3;
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
type LiveMetricsState = 'idle' | 'pinging' | 'posting' | 'stopped';

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

type FailedResult = Extract<QuickPulseResult, { status: 'failed' }>;
type AnsweredResult = Exclude<QuickPulseResult, { status: 'failed' }>;

/** How long to wait after a failed request, given the failures in a row (this one included). */
function failureDelay(result: FailedResult, failureStreak: number): number {
  if (result.authFailed) return Math.max(result.retryAfterMillis ?? FAILED_PING_INTERVAL_MILLIS, FAILED_PING_INTERVAL_MILLIS);
  if (failureStreak >= FAILURE_STREAK_FOR_BACKOFF) return FAILED_PING_INTERVAL_MILLIS;
  return Math.max(result.retryAfterMillis ?? 0, PING_INTERVAL_MILLIS);
}

/** What a session remembers between requests. */
interface SessionMemory {
  state: LiveMetricsState;
  /** The endpoint in use (after any redirect). */
  endpoint: string;
  failureStreak: number;
  pingIntervalMillis: number;
  /** ETag of the filter configuration applied, sent with every ping and post ('' while none). */
  etag: string;
}

/** Moves to pinging or posting, telling the source when the watcher comes or goes. */
function changeState(memory: SessionMemory, next: 'pinging' | 'posting', source: LiveMetricsSource): void {
  if (memory.state === next || memory.state === 'stopped') return;
  const wasPosting = memory.state === 'posting';
  memory.state = next;
  if (next === 'posting') {
    log.info('Live Metrics: someone is watching; posting once per second');
    source.onSubscribedChange?.(true);
  } else if (wasPosting) {
    log.info('Live Metrics: nobody is watching any more; back to pinging');
    memory.etag = ''; // the configuration goes with the watcher, as the official client
    source.onSubscribedChange?.(false);
  }
}

/** Applies what an answer carries: an endpoint redirect, a new filter configuration, a polling hint. */
function applyAnswer(memory: SessionMemory, result: AnsweredResult, source: LiveMetricsSource, redirect: (target: string) => string | undefined): void {
  if (result.redirectEndpoint !== undefined) memory.endpoint = redirect(result.redirectEndpoint) ?? memory.endpoint;
  if (result.configurationEtag !== undefined && result.configurationEtag !== '' && result.configurationEtag !== memory.etag) {
    memory.etag = result.configurationEtag;
    source.onConfiguration?.(result.configuration, memory.etag);
  }
  if (result.pollingIntervalHintMillis !== undefined) memory.pingIntervalMillis = clampHint(result.pollingIntervalHintMillis);
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
  const memory: SessionMemory = { state: 'idle', endpoint: options.endpoint, failureStreak: 0, pingIntervalMillis: PING_INTERVAL_MILLIS, etag: '' };
  const redirect = (target: string): string | undefined => followLiveRedirect(configured, target, diagnostics);
  let timer: NodeJS.Timeout | undefined;

  const isStopped = (): boolean => memory.state === 'stopped';

  function schedule(delayMillis: number): void {
    if (isStopped()) return;
    timer = setTimeout(() => { void tick(); }, Math.max(0, delayMillis));
    timer.unref();
  }

  async function tick(): Promise<void> {
    if (isStopped()) return;
    const startedAt = now();
    const posting = memory.state === 'posting';
    const sample = posting ? source.collect() : undefined;
    const point = toMonitoringDataPoint(identity, now(), sample);
    const result = posting ? await client.post(memory.endpoint, point, memory.etag) : await client.ping(memory.endpoint, point, memory.etag);
    if (isStopped()) return; // shut down while the request was in flight
    if (result.status === 'failed') {
      memory.failureStreak++;
      changeState(memory, 'pinging', source);
      schedule(failureDelay(result, memory.failureStreak));
      return;
    }
    memory.failureStreak = 0;
    applyAnswer(memory, result, source, redirect);
    changeState(memory, result.subscribed ? 'posting' : 'pinging', source);
    // Keep a steady once-per-second cadence while posting: the request's own time counts towards the interval.
    schedule(result.subscribed ? POST_INTERVAL_MILLIS - (posting ? now() - startedAt : 0) : memory.pingIntervalMillis);
  }

  return {
    start() {
      if (memory.state !== 'idle') return;
      memory.state = 'pinging';
      schedule(options.firstPingDelayMillis ?? FIRST_PING_DELAY_MILLIS);
    },
    get state() { return memory.state; },
    get endpoint() { return memory.endpoint; },
    get failureStreak() { return memory.failureStreak; },
    async shutdown() {
      if (isStopped()) return;
      const wasPosting = memory.state === 'posting';
      memory.state = 'stopped';
      if (timer) clearTimeout(timer);
      if (wasPosting) source.onSubscribedChange?.(false);
      await client.shutdown();
    },
  };
}
