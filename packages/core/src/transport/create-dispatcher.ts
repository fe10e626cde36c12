import { Agent, EnvHttpProxyAgent, type Dispatcher } from './undici';

const KEEP_ALIVE_TIMEOUT_MILLIS = 30_000;
const CONNECTIONS_PER_ORIGIN = 8;

/** Proxy settings, as in the environment (either case). */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

function firstSet(env: ProxyEnvironment, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * The default keep-alive dispatcher: undici's `EnvHttpProxyAgent` when HTTPS_PROXY or HTTP_PROXY
 * is set (honouring NO_PROXY), else a plain `Agent`. Creates no connection until used.
 */
export function createDefaultDispatcher(env: ProxyEnvironment = process.env): Dispatcher {
  const common = { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MILLIS, connections: CONNECTIONS_PER_ORIGIN };
  const httpsProxy = firstSet(env, ['HTTPS_PROXY', 'https_proxy']);
  const httpProxy = firstSet(env, ['HTTP_PROXY', 'http_proxy']);
  if (!httpsProxy && !httpProxy) return new Agent(common);
  const noProxy = firstSet(env, ['NO_PROXY', 'no_proxy']);
  // Empty strings (not undefined) stop undici from reading process.env behind our back.
  return new EnvHttpProxyAgent({ ...common, httpsProxy: httpsProxy ?? '', httpProxy: httpProxy ?? '', noProxy: noProxy ?? '' });
}

let shared: Dispatcher | undefined;

/**
 * The process-wide default dispatcher ({@link createDefaultDispatcher} of `process.env`, made on
 * first use, never closed: idle sockets do not keep the process alive) for requests whose caller
 * passes none, so none of ours goes through undici's global dispatcher, which belongs to the app.
 */
export function sharedDefaultDispatcher(): Dispatcher {
  return (shared ??= createDefaultDispatcher());
}
