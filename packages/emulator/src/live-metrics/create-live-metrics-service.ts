import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenSigner } from '../auth/create-token-signer';
import type { Registry } from '../config/create-registry';
import type { LoggedRequest } from '../server/create-request-log';
import { createLiveMetricsControl } from './create-live-metrics-control';
import { handleLiveMetricsAdmin, handleLiveMetricsConfigurationAdmin } from './handle-live-metrics-admin';
import { handleQuickPulse } from './handle-quick-pulse';
import type { LiveCollectionConfiguration, LiveMetricsRecord } from './live-metrics-types';

export type { LiveCollectionConfiguration, LiveDataPoint, LiveFilterInfo, LiveMetricPoint, LiveMetricsRecord } from './live-metrics-types';

/** Live Metrics (QuickPulse) paths: `POST /QuickPulseService.svc/ping` and `/post`. */
const QUICK_PULSE = /^\/+QuickPulseService\.svc\/(ping|post)\/?$/i;
const ADMIN_PATH = '/admin/live-metrics';
const ADMIN_CONFIGURATION_PATH = '/admin/live-metrics/configuration';

/** Controls of the emulator's Live Metrics endpoint, for tests and the demo. */
export interface LiveMetricsControl {
  /** Someone "opens the Live Metrics page" of a resource (default: the first): answers say subscribed. */
  subscribe(resourceName?: string): void;
  /** The watcher leaves: answers say not subscribed. */
  unsubscribe(resourceName?: string): void;
  isSubscribed(resourceName?: string): boolean;
  /** Sends `x-ms-qps-service-polling-interval-hint` (ms) with every answer; `undefined` stops. */
  setPollingIntervalHint(millis: number | undefined): void;
  /** Sends `x-ms-qps-service-endpoint-redirect-v2` with every answer; `undefined` stops. */
  redirectTo(url: string | undefined): void;
  /**
   * Serves this filter configuration (derived metrics, document streams) to the resource's SDKs,
   * with its `ETag` in `x-ms-qps-configuration-etag`; `undefined` goes back to the empty one.
   * Returns the ETag (computed from the content when `ETag` is left out).
   *
   * @throws EmulatorError (`EMU_CONFIG`) when it does not match the spec's `CollectionConfigurationInfo`.
   */
  setConfiguration(configuration: LiveCollectionConfiguration | undefined, resourceName?: string): string;
  /** The configuration served to a resource (default: the first). */
  configuration(resourceName?: string): LiveCollectionConfiguration;
  /** Pings and posts received (optionally of one kind), oldest first. */
  received(operation?: 'ping' | 'post'): readonly LiveMetricsRecord[];
  /** Forgets what was received. */
  clear(): void;
}

/** What the service needs from the emulator. */
export interface LiveMetricsContext {
  readonly registry: Registry;
  readonly signer: TokenSigner;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: () => string;
  readonly now: () => number;
}

/** The Live Metrics endpoint: control surface plus the router hook for the http server. */
export interface LiveMetricsService {
  readonly control: LiveMetricsControl;
  /** Handles the request when it is a Live Metrics or its admin path; `false` leaves it to others. */
  route(req: IncomingMessage, res: ServerResponse, pathname: string, entry: LoggedRequest): Promise<boolean>;
}

/**
 * Creates the emulator's Live Metrics endpoint. It enforces Microsoft Entra ID like ingestion:
 * on a resource with local authentication disabled, no token -> 400 (authentication not
 * supported), a bad token (signature, tenant, audience, expiry) -> 401 with a `WWW-Authenticate`
 * challenge, an identity without Monitoring Metrics Publisher -> 403. Accepted requests are
 * recorded and answered 200 with `x-ms-qps-subscribed` (see {@link LiveMetricsControl.subscribe}).
 */
export function createLiveMetricsService(ctx: LiveMetricsContext): LiveMetricsService {
  const book = createLiveMetricsControl(ctx.registry);
  return {
    control: book.control,
    async route(req, res, pathname, entry) {
      const match = QUICK_PULSE.exec(pathname);
      if (match) await handleQuickPulse(req, res, (match[1] as string).toLowerCase() as 'ping' | 'post', entry, ctx, book);
      else if (pathname === ADMIN_CONFIGURATION_PATH) await handleLiveMetricsConfigurationAdmin(req, res, entry, book.control);
      else if (pathname === ADMIN_PATH) await handleLiveMetricsAdmin(req, res, entry, book.control);
      else return false;
      return true;
    },
  };
}
