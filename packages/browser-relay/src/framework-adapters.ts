import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayHandler } from './relay-handler';

/** Express (and connect) middleware: `app.use(relay.express())`. */
export type ExpressMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The part of a Fastify instance the plugin uses (structural, so this package does not depend on Fastify). */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(contentType: string, parser: (request: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void): void;
  route(options: {
    method: string[];
    url: string;
    handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => Promise<void>;
  }): unknown;
}

/** A Fastify plugin: `app.register(relay.fastify)`. */
export type FastifyPlugin = (instance: FastifyLikeInstance, options: unknown, done: (error?: Error) => void) => void;

/** The part of a Koa context the middleware uses. */
export interface KoaLikeContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  respond?: boolean;
}

/** Koa middleware: `app.use(relay.koa())`. */
export type KoaMiddleware = (ctx: KoaLikeContext, next: () => Promise<unknown>) => Promise<unknown>;

/** Express middleware: requests outside the relay's path go on to `next`. */
export function toExpressMiddleware(relay: RelayHandler): ExpressMiddleware {
  return (req, res, next) => relay.handle(req, res, next);
}

/**
 * A Fastify plugin: one route for everything under the relay's path. The plugin's context drops
 * Fastify's body parsers and leaves the body unread, so the relay reads it within its own limits.
 */
export function toFastifyPlugin(relay: RelayHandler, path: string): FastifyPlugin {
  return (instance, _options, done) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
    const prefix = path === '/' ? '' : path;
    instance.route({
      method: ['POST', 'OPTIONS', 'GET', 'PUT'],
      url: `${prefix}/*`,
      handler: async (request, reply) => {
        reply.hijack();
        await new Promise<void>((resolve) => {
          reply.raw.once('close', resolve);
          relay.handle(request.raw, reply.raw);
        });
      },
    });
    done();
  };
}

/** Koa middleware: the relay answers requests under its path itself (`ctx.respond = false`); others go on. */
export function toKoaMiddleware(relay: RelayHandler): KoaMiddleware {
  return async (ctx, next) => {
    if (!relay.matches(ctx.req.url)) return next();
    ctx.respond = false;
    await new Promise<void>((resolve) => {
      ctx.res.once('close', resolve);
      relay.handle(ctx.req, ctx.res);
    });
    return undefined;
  };
}
