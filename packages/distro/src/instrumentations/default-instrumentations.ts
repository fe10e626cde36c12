import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationOptions } from '../config/azure-monitor-options';
import { createAzureSdkInstrumentation } from './azure-sdk-instrumentation';
import { createConsoleInstrumentation } from './console-instrumentation';
import type { OwnRequestMatcher } from './own-requests';

// Instrumentation packages are loaded only when chosen (their target resolves); HTTP, which every app
// has, is loaded with the distro, as before auto-collection.
const load = createRequire(__filename);

/** An `instrumentationOptions` key naming one instrumentation (every key but `additional`). */
export type InstrumentationKey = Exclude<keyof InstrumentationOptions, 'additional'>;

/** What building an instrumentation may use. */
export interface InstrumentationBuildContext {
  /** Our own requests, never traced. */
  readonly own: OwnRequestMatcher;
  /** The resolved path of the first target module found (undefined for Node builtins). */
  readonly targetPath: string | undefined;
}

/** One instrumentation the distro can enable by itself. */
export interface DefaultInstrumentation {
  /** Key in `instrumentationOptions`. */
  readonly key: InstrumentationKey;
  /** Short name in `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. */
  readonly envName: string;
  /** Packages it instruments: it is loaded only if the application resolves one; none = part of Node. */
  readonly targets: readonly string[];
  readonly enabledByDefault: boolean;
  /** Builds it; `config` is the user's options for it without `enabled`. */
  create(config: Record<string, unknown>, context: InstrumentationBuildContext): Instrumentation;
}

type Config<K extends InstrumentationKey> = Omit<NonNullable<InstrumentationOptions[K]>, 'enabled'>;

/** A table row whose `create` receives the typed options of its key. */
function row<K extends InstrumentationKey>(
  key: K, envName: string, targets: readonly string[], create: (config: Config<K>, context: InstrumentationBuildContext) => Instrumentation,
  enabledByDefault = true,
): DefaultInstrumentation {
  return { key, envName, targets, enabledByDefault, create: (config, context) => create(config as Config<K>, context) };
}

type InstrumentationClass = new (config: Record<string, unknown>) => Instrumentation;

/** A row for an instrumentation package whose class takes the user's options as they are. */
function contribRow(key: InstrumentationKey, targets: readonly string[], packageName: string, className: string): DefaultInstrumentation {
  return row(key, key, targets, (config) => new (load(packageName) as Record<string, InstrumentationClass>)[className]!(config));
}

/**
 * Every instrumentation the distro enables on its own, in load order. Databases and frameworks are
 * loaded only when the application has them installed; `console` is opt-in.
 */
export const DEFAULT_INSTRUMENTATIONS: readonly DefaultInstrumentation[] = [
  row('http', 'http', [], (config, { own }) => {
    const userHook = config.ignoreOutgoingRequestHook;
    const http: HttpInstrumentationConfig = {
      ...config,
      ignoreOutgoingRequestHook: (request) => own.isOwnRequestOptions(request) || (userHook?.(request) ?? false),
    };
    return new HttpInstrumentation(http);
  }),
  row('undici', 'undici', [], (config, { own }) => {
    const userHook = config.ignoreRequestHook;
    const { UndiciInstrumentation } = load('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    const undici: UndiciInstrumentationConfig = {
      ...config,
      ignoreRequestHook: (request) => own.isOwnUrl(request.origin) || (userHook?.(request) ?? false),
    };
    return new UndiciInstrumentation(undici);
  }),
  contribRow('express', ['express'], '@opentelemetry/instrumentation-express', 'ExpressInstrumentation'),
  row('fastify', 'fastify', ['fastify'], (config) => {
    const { FastifyOtelInstrumentation } = load('@fastify/otel') as { FastifyOtelInstrumentation: InstrumentationClass };
    return new FastifyOtelInstrumentation({ ...config, registerOnInitialization: true });
  }),
  contribRow('koa', ['koa'], '@opentelemetry/instrumentation-koa', 'KoaInstrumentation'),
  contribRow('pg', ['pg'], '@opentelemetry/instrumentation-pg', 'PgInstrumentation'),
  contribRow('mysql2', ['mysql2'], '@opentelemetry/instrumentation-mysql2', 'MySQL2Instrumentation'),
  contribRow('mysql', ['mysql'], '@opentelemetry/instrumentation-mysql', 'MySQLInstrumentation'),
  contribRow('mongodb', ['mongodb'], '@opentelemetry/instrumentation-mongodb', 'MongoDBInstrumentation'),
  contribRow('redis', ['redis', '@redis/client'], '@opentelemetry/instrumentation-redis', 'RedisInstrumentation'),
  contribRow('ioredis', ['ioredis'], '@opentelemetry/instrumentation-ioredis', 'IORedisInstrumentation'),
  row('azureSdk', 'azure-sdk', ['@azure/core-tracing'], (_config, { own, targetPath }) => {
    if (targetPath === undefined) throw new Error('@azure/core-tracing was not resolved');
    return createAzureSdkInstrumentation(targetPath, (url) => own.isOwnUrl(url));
  }),
  contribRow('winston', ['winston'], '@opentelemetry/instrumentation-winston', 'WinstonInstrumentation'),
  contribRow('bunyan', ['bunyan'], '@opentelemetry/instrumentation-bunyan', 'BunyanInstrumentation'),
  contribRow('pino', ['pino'], '@opentelemetry/instrumentation-pino', 'PinoInstrumentation'),
  row('console', 'console', [], () => createConsoleInstrumentation(), false),
];
