import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, createForwardingPipeline } from '@appinsights-otel/core';
import {
  toExpressMiddleware, toFastifyPlugin, toKoaMiddleware,
  type ExpressMiddleware, type FastifyPlugin, type KoaMiddleware,
} from './framework-adapters';
import { createRelayHandler } from './relay-handler';
import type { BrowserRelayOptions } from './relay-options';
import { resolveRelaySettings } from './resolve-relay-settings';
import { createSessionTokens } from './session-tokens';

/** The relay: one node:http handler, its framework adapters, session tokens and lifecycle. */
export interface BrowserRelay {
  /** Mount path (`/ai-relay` by default): the page's `IngestionEndpoint` is `<app origin><path>`. */
  readonly path: string;
  /** Plain node:http handler; requests outside `path` go to `next`, or get 404 without one. */
  handler(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Express middleware. */
  express(): ExpressMiddleware;
  /** Fastify plugin: `app.register(relay.fastify)`. */
  readonly fastify: FastifyPlugin;
  /** Koa middleware. */
  koa(): KoaMiddleware;
  /**
   * A signed session token for a page (requires the `sessionToken` option). Put it in the page's
   * endpoint: `IngestionEndpoint=<app origin><path>/<token>`. Throws `ConfigError` without the option.
   */
  issueSessionToken(): string;
  /** Wait for the batches handed to delivery, then send the backlog. */
  flush(): Promise<void>;
  /** Send what can be sent within `timeoutMillis`, persist the rest, release everything. */
  shutdown(timeoutMillis?: number): Promise<void>;
}

/**
 * Create a relay for the Application Insights JavaScript SDK (`@microsoft/applicationinsights-web`)
 * on the app's own origin: it admits browser telemetry and forwards it to ingestion with the
 * server's credential, through core's shared token provider and durable delivery. Throws
 * `ConfigError` for bad configuration (as an exporter does). See docs/browser-relay.md.
 */
export function createBrowserRelay(options: BrowserRelayOptions): BrowserRelay {
  const settings = resolveRelaySettings(options);
  const pipeline = createForwardingPipeline('browser', options);
  const now = options.tuning?.now ?? Date.now;
  const tokens = settings.session ? createSessionTokens(settings.session.secret, settings.session.maxAgeMillis, now) : undefined;
  const relay = createRelayHandler({
    settings, pipeline, now,
    browserInstrumentationKey: options.browserInstrumentationKey ?? pipeline.instrumentationKey,
    ...(tokens ? { tokens } : {}),
  });
  return {
    path: settings.path,
    handler: (req, res, next) => relay.handle(req, res, next),
    express: () => toExpressMiddleware(relay),
    fastify: toFastifyPlugin(relay, settings.path),
    koa: () => toKoaMiddleware(relay),
    issueSessionToken() {
      if (tokens === undefined) throw new ConfigError('browser relay: issueSessionToken() needs the sessionToken option (a secret of at least 32 bytes)');
      return tokens.issue();
    },
    async flush() {
      await relay.settled();
      await pipeline.forceFlush();
    },
    async shutdown(timeoutMillis) {
      await relay.settled();
      await pipeline.shutdown(timeoutMillis);
    },
  };
}
