import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationOptions } from '../azure-monitor-options';
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
  row('express', 'express', ['express'], (config) => {
    const { ExpressInstrumentation } = load('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    return new ExpressInstrumentation(config);
  }),
  row('fastify', 'fastify', ['fastify'], (config) => {
    const { FastifyOtelInstrumentation } = load('@fastify/otel') as { FastifyOtelInstrumentation: new (config: Record<string, unknown>) => Instrumentation };
    return new FastifyOtelInstrumentation({ ...config, registerOnInitialization: true });
  }),
  row('koa', 'koa', ['koa'], (config) => {
    const { KoaInstrumentation } = load('@opentelemetry/instrumentation-koa') as typeof import('@opentelemetry/instrumentation-koa');
    return new KoaInstrumentation(config);
  }),
  row('pg', 'pg', ['pg'], (config) => {
    const { PgInstrumentation } = load('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    return new PgInstrumentation(config);
  }),
  row('mysql2', 'mysql2', ['mysql2'], (config) => {
    const { MySQL2Instrumentation } = load('@opentelemetry/instrumentation-mysql2') as typeof import('@opentelemetry/instrumentation-mysql2');
    return new MySQL2Instrumentation(config);
  }),
  row('mysql', 'mysql', ['mysql'], (config) => {
    const { MySQLInstrumentation } = load('@opentelemetry/instrumentation-mysql') as typeof import('@opentelemetry/instrumentation-mysql');
    return new MySQLInstrumentation(config);
  }),
  row('mongodb', 'mongodb', ['mongodb'], (config) => {
    const { MongoDBInstrumentation } = load('@opentelemetry/instrumentation-mongodb') as typeof import('@opentelemetry/instrumentation-mongodb');
    return new MongoDBInstrumentation(config);
  }),
  row('redis', 'redis', ['redis', '@redis/client'], (config) => {
    const { RedisInstrumentation } = load('@opentelemetry/instrumentation-redis') as typeof import('@opentelemetry/instrumentation-redis');
    return new RedisInstrumentation(config);
  }),
  row('ioredis', 'ioredis', ['ioredis'], (config) => {
    const { IORedisInstrumentation } = load('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
    return new IORedisInstrumentation(config);
  }),
  row('azureSdk', 'azure-sdk', ['@azure/core-tracing'], (_config, { own, targetPath }) => {
    if (targetPath === undefined) throw new Error('@azure/core-tracing was not resolved');
    return createAzureSdkInstrumentation(targetPath, (url) => own.isOwnUrl(url));
  }),
  row('winston', 'winston', ['winston'], (config) => {
    const { WinstonInstrumentation } = load('@opentelemetry/instrumentation-winston') as typeof import('@opentelemetry/instrumentation-winston');
    return new WinstonInstrumentation(config);
  }),
  row('bunyan', 'bunyan', ['bunyan'], (config) => {
    const { BunyanInstrumentation } = load('@opentelemetry/instrumentation-bunyan') as typeof import('@opentelemetry/instrumentation-bunyan');
    return new BunyanInstrumentation(config);
  }),
  row('pino', 'pino', ['pino'], (config) => {
    const { PinoInstrumentation } = load('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
    return new PinoInstrumentation(config);
  }),
  row('console', 'console', [], () => createConsoleInstrumentation(), false),
];
