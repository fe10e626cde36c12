/**
 * @appinsights-otel/browser-relay: lets the unmodified Application Insights JavaScript SDK send
 * browser telemetry to a resource with local authentication disabled, through the app's own origin,
 * forwarding with the server's Microsoft Entra credential. See docs/browser-relay.md.
 */
export { createBrowserRelay } from './create-browser-relay';
export type { BrowserRelay } from './create-browser-relay';
export { RELAY_LIMIT_DEFAULTS, DEFAULT_RELAY_PATH, DEFAULT_ROLE_SUFFIX, DEFAULT_SESSION_TOKEN_MAX_AGE_MILLIS } from './relay-options';
export type { BrowserRelayOptions, BrowserRelayLimits, SessionTokenOptions, ClientIpPolicy } from './relay-options';
export type { ExpressMiddleware, FastifyPlugin, FastifyLikeInstance, KoaMiddleware, KoaLikeContext } from './framework-adapters';
export type { TrackResponseBody, TrackItemError } from './track-response';
export { BROWSER_ITEM_TYPES } from './browser-item-types';
export type { BrowserItemType } from './browser-item-types';
