import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { ExpressInstrumentationConfig } from '@opentelemetry/instrumentation-express';
import type { KoaInstrumentationConfig } from '@opentelemetry/instrumentation-koa';
import type { PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import type { MySQL2InstrumentationConfig } from '@opentelemetry/instrumentation-mysql2';
import type { MySQLInstrumentationConfig } from '@opentelemetry/instrumentation-mysql';
import type { MongoDBInstrumentationConfig } from '@opentelemetry/instrumentation-mongodb';
import type { RedisInstrumentationConfig } from '@opentelemetry/instrumentation-redis';
import type { IORedisInstrumentationConfig } from '@opentelemetry/instrumentation-ioredis';
import type { WinstonInstrumentationConfig } from '@opentelemetry/instrumentation-winston';
import type { BunyanInstrumentationConfig } from '@opentelemetry/instrumentation-bunyan';
import type { PinoInstrumentationConfig } from '@opentelemetry/instrumentation-pino';
import { createAzureSdkInstrumentation } from './azure-sdk-instrumentation';
import { createConsoleInstrumentation } from './console-instrumentation';
import type { FastifyInstrumentationOptions, InstrumentationSwitch } from './instrumentation-switch';
import type { OwnRequestMatcher } from './own-requests';

// Instrumentation packages are loaded only when chosen (their target resolves); HTTP, which every app
// has, is loaded with the distro, as before auto-collection.
const load = createRequire(__filename);

/** What building an instrumentation may use. */
interface InstrumentationBuildContext {
  /** Our own requests, never traced. */
  readonly own: OwnRequestMatcher;
  /** The resolved path of the first target module found (undefined for Node builtins). */
  readonly targetPath: string | undefined;
}

/** One row of {@link INSTRUMENTATIONS}; `C` is the instrumentation's own options (what `instrumentationOptions.<key>` takes besides `enabled`). */
interface InstrumentationRow<C> {
  /** Short name in `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. */
  readonly envName: string;
  /** Packages it instruments: it is loaded only if the application resolves one; none = part of Node. */
  readonly targets: readonly string[];
  readonly enabledByDefault: boolean;
  /** Builds it from the user's options for it (without `enabled`). */
  create(config: C, context: InstrumentationBuildContext): Instrumentation;
}

function row<C>(
  envName: string, targets: readonly string[], create: (config: C, context: InstrumentationBuildContext) => Instrumentation, enabledByDefault = true,
): InstrumentationRow<C> {
  return { envName, targets, enabledByDefault, create };
}

type InstrumentationClass = new (config: Record<string, unknown>) => Instrumentation;

/** A row for an instrumentation package whose class takes the user's options as they are. */
function contribRow<C>(envName: string, targets: readonly string[], packageName: string, className: string): InstrumentationRow<C> {
  return row<C>(envName, targets, (config) => new (load(packageName) as Record<string, InstrumentationClass>)[className]!(config as Record<string, unknown>));
}

/**
 * Every instrumentation the distro enables on its own, in load order, keyed by its
 * `instrumentationOptions` key: the option types ({@link InstrumentationOptions}) are derived from
 * this table, so adding an instrumentation is one row. Databases and frameworks are loaded only
 * when the application has them installed; `console` is opt-in.
 */
const INSTRUMENTATIONS = {
  /** Incoming and outgoing HTTP (`node:http`/`node:https`). Other fields are passed to `HttpInstrumentation`. */
  http: row<HttpInstrumentationConfig>('http', [], (config, { own }) => {
    const userHook = config.ignoreOutgoingRequestHook;
    return new HttpInstrumentation({
      ...config,
      ignoreOutgoingRequestHook: (request) => own.isOwnRequestOptions(request) || (userHook?.(request) ?? false),
    });
  }),
  /** Global `fetch()` and the `undici` package (outgoing requests, with `traceparent`). */
  undici: row<UndiciInstrumentationConfig>('undici', [], (config, { own }) => {
    const userHook = config.ignoreRequestHook;
    const { UndiciInstrumentation } = load('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    return new UndiciInstrumentation({
      ...config,
      ignoreRequestHook: (request) => own.isOwnUrl(request.origin) || (userHook?.(request) ?? false),
    });
  }),
  /** Express (request names from routes: `GET /orders/:id`); no middleware or request-handler spans unless asked for. */
  express: row<ExpressInstrumentationConfig>('express', ['express'], (config) => {
    const { ExpressInstrumentation, ExpressLayerType } = load('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    // Cost default (issue 25, docs/configuration.md): no span per middleware and per request handler;
    // the route still names the request. `ignoreLayersType: []` brings those spans back.
    return new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.REQUEST_HANDLER], ...config });
  }),
  /** Fastify (request names from routes). */
  fastify: row<FastifyInstrumentationOptions>('fastify', ['fastify'], (config) => {
    const { FastifyOtelInstrumentation } = load('@fastify/otel') as { FastifyOtelInstrumentation: InstrumentationClass };
    return new FastifyOtelInstrumentation({ ...config, registerOnInitialization: true });
  }),
  /** Koa with `@koa/router` (request names from routes). */
  koa: contribRow<KoaInstrumentationConfig>('koa', ['koa'], '@opentelemetry/instrumentation-koa', 'KoaInstrumentation'),
  /** PostgreSQL (`pg`). */
  pg: contribRow<PgInstrumentationConfig>('pg', ['pg'], '@opentelemetry/instrumentation-pg', 'PgInstrumentation'),
  /** MySQL (`mysql2`). */
  mysql2: contribRow<MySQL2InstrumentationConfig>('mysql2', ['mysql2'], '@opentelemetry/instrumentation-mysql2', 'MySQL2Instrumentation'),
  /** MySQL (`mysql`). */
  mysql: contribRow<MySQLInstrumentationConfig>('mysql', ['mysql'], '@opentelemetry/instrumentation-mysql', 'MySQLInstrumentation'),
  /** MongoDB (`mongodb`). */
  mongodb: contribRow<MongoDBInstrumentationConfig>('mongodb', ['mongodb'], '@opentelemetry/instrumentation-mongodb', 'MongoDBInstrumentation'),
  /** Redis (`redis` 4/5, `@redis/client`). */
  redis: contribRow<RedisInstrumentationConfig>('redis', ['redis', '@redis/client'], '@opentelemetry/instrumentation-redis', 'RedisInstrumentation'),
  /** Redis (`ioredis`). */
  ioredis: contribRow<IORedisInstrumentationConfig>('ioredis', ['ioredis'], '@opentelemetry/instrumentation-ioredis', 'IORedisInstrumentation'),
  /** Azure SDK clients (through `@azure/core-tracing`); env name `azure-sdk`. */
  azureSdk: row<Record<never, never>>('azure-sdk', ['@azure/core-tracing'], (_config, { own, targetPath }) => {
    if (targetPath === undefined) throw new Error('@azure/core-tracing was not resolved');
    return createAzureSdkInstrumentation(targetPath, (url) => own.isOwnUrl(url));
  }),
  /** winston log records (and trace ids in winston's own output). */
  winston: contribRow<WinstonInstrumentationConfig>('winston', ['winston'], '@opentelemetry/instrumentation-winston', 'WinstonInstrumentation'),
  /** bunyan log records. */
  bunyan: contribRow<BunyanInstrumentationConfig>('bunyan', ['bunyan'], '@opentelemetry/instrumentation-bunyan', 'BunyanInstrumentation'),
  /** pino log records. */
  pino: contribRow<PinoInstrumentationConfig>('pino', ['pino'], '@opentelemetry/instrumentation-pino', 'PinoInstrumentation'),
  /** `console.log/info/warn/error/debug` as log records. Off by default. */
  console: row<Record<never, never>>('console', [], () => createConsoleInstrumentation(), false),
} as const;

/** An `instrumentationOptions` key naming one instrumentation (every key but `additional`). */
type InstrumentationKey = keyof typeof INSTRUMENTATIONS;

/** The own options of an instrumentation row. */
type ConfigOf<R> = R extends InstrumentationRow<infer C> ? C : never;

/**
 * Which instrumentations `useAzureMonitor()` enables (see docs/getting-started.md, "What is collected
 * by default"), derived from {@link INSTRUMENTATIONS}. Every one is on by default except `console`,
 * and frameworks, databases and loggers are loaded only when the application has the package
 * installed. Each key takes `{ enabled }` plus that instrumentation's own options;
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (comma-separated short
 * names) apply when `enabled` is unset.
 */
export type InstrumentationOptions = {
  [K in InstrumentationKey]?: ConfigOf<(typeof INSTRUMENTATIONS)[K]> & InstrumentationSwitch;
} & {
  /** More instrumentations to enable, e.g. `new GraphQLInstrumentation()`. */
  additional?: Instrumentation[];
};

/** One instrumentation the distro can enable by itself, with its key (the table row, its options type erased). */
export interface DefaultInstrumentation extends InstrumentationRow<Record<string, unknown>> {
  readonly key: InstrumentationKey;
}

/** {@link INSTRUMENTATIONS} as a list, in load order. */
export const DEFAULT_INSTRUMENTATIONS: readonly DefaultInstrumentation[] = (Object.keys(INSTRUMENTATIONS) as InstrumentationKey[]).map((key) => {
  const entry = INSTRUMENTATIONS[key] as InstrumentationRow<never>;
  return { key, envName: entry.envName, targets: entry.targets, enabledByDefault: entry.enabledByDefault, create: (config, context) => entry.create(config as never, context) };
});

/** The short names of the instrumentations (what the environment variables list). */
export const INSTRUMENTATION_ENV_NAMES: readonly string[] = DEFAULT_INSTRUMENTATIONS.map((i) => i.envName);
