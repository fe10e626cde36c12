import { resolve as resolvePath } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { ConfigError } from '../errors';
import { parseAuthenticationString } from '../auth/parse-authentication-string';
import { sharedManagedIdentityCredential } from '../auth/shared-managed-identity-credential';
import type { AzureMonitorExporterOptions } from './azure-monitor-exporter-options';
import { defaultStorageDirectory } from './default-storage-directory';
import { deriveScope } from './derive-scope';
import { normalizeAudience } from './normalize-audience';
import { parseConnectionString } from './parse-connection-string';
import type { ConnectionString, ResolvedConfig, StorageConfig } from './resolved-config';
import type { RequestNameSource } from '../mapping/common/envelope/mapping-context';

/** Environment variable holding the connection string. */
const CONNECTION_STRING_ENV = 'APPLICATIONINSIGHTS_CONNECTION_STRING';
/** Environment variable selecting a managed identity (`Authorization=AAD[;ClientId=<guid>]`). */
const AUTHENTICATION_STRING_ENV = 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING';

/** Defaults applied by {@link resolveConfig}. */
export const CONFIG_DEFAULTS = Object.freeze({
  storageMaxBytes: 50 * 1024 * 1024,
  storageMaxAgeMillis: 48 * 60 * 60 * 1000,
  exportTimeoutMillis: 30_000,
  requestTimeoutMillis: 30_000,
  gzip: true,
  disableOfflineStorage: false,
  persistBeforeSend: false,
});

/** The environment `resolveConfig` reads (only the two variables above are used). */
export type ConfigEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Merges exporter options, environment and defaults into one frozen configuration
 * (DESIGN.md section 3): explicit options > environment > defaults.
 *
 * - Connection string: the `connectionString` option, else `APPLICATIONINSIGHTS_CONNECTION_STRING`.
 * - Credential: the `credential` option, else the managed identity selected by
 *   `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (one shared, lazily created
 *   `ManagedIdentityCredential` per identity; nothing is contacted here), else none. When a
 *   `credential` option is given the authentication string is not read at all.
 * - Scope: see `deriveScope` (the `audience`/`scope` option, `AADAudience`, the ingestion cloud).
 * - Storage directory: the option (made absolute), else `defaultStorageDirectory(ikey, endpoint)`.
 *
 * The result and all its nested objects are frozen, except the credential, which is the caller's
 * object and is returned as-is.
 *
 * @param options - Exporter options.
 * @param env - Environment variables (default `process.env`).
 * @throws ConfigError when there is no connection string (naming both the option and the variable),
 *   when a string is malformed (naming where it came from, never echoing it), or when an option has
 *   the wrong type or range.
 */
export function resolveConfig(options: AzureMonitorExporterOptions = {}, env: ConfigEnvironment = process.env): ResolvedConfig {
  if (typeof options !== 'object' || options === null) throw new ConfigError('exporter options must be an object');
  const connectionString = resolveConnectionString(options, env);
  const { credential, credentialSource, managedIdentity } = resolveCredential(options, env);
  const audience = resolveAudienceOption(options);
  const scope = deriveScope({
    ...(audience !== undefined && { audience }),
    ...(connectionString.aadAudience !== undefined && { aadAudience: connectionString.aadAudience }),
    ingestionEndpoint: connectionString.ingestionEndpoint,
  });
  const storage: StorageConfig = Object.freeze({
    disabled: booleanOption(options.disableOfflineStorage, 'disableOfflineStorage', CONFIG_DEFAULTS.disableOfflineStorage),
    directory: resolveStorageDirectory(options.storageDirectory, connectionString),
    requirePrivate: options.storageDirectory === undefined,
    maxBytes: positiveOption(options.storageMaxBytes, 'storageMaxBytes', CONFIG_DEFAULTS.storageMaxBytes),
    maxAgeMillis: positiveOption(options.storageMaxAgeMillis, 'storageMaxAgeMillis', CONFIG_DEFAULTS.storageMaxAgeMillis),
  });
  return Object.freeze({
    connectionString,
    instrumentationKey: connectionString.instrumentationKey,
    ingestionEndpoint: connectionString.ingestionEndpoint,
    ...(credential !== undefined && { credential }),
    ...(credentialSource !== undefined && { credentialSource }),
    ...(managedIdentity !== undefined && { managedIdentity }),
    scope,
    storage,
    exportTimeoutMillis: positiveOption(options.exportTimeoutMillis, 'exportTimeoutMillis', CONFIG_DEFAULTS.exportTimeoutMillis),
    requestTimeoutMillis: positiveOption(options.requestTimeoutMillis, 'requestTimeoutMillis', CONFIG_DEFAULTS.requestTimeoutMillis),
    gzip: booleanOption(options.gzip, 'gzip', CONFIG_DEFAULTS.gzip),
    ...(options.requestNameSource !== undefined && { requestNameSource: requestNameSourceOption(options.requestNameSource) }),
    persistBeforeSend: booleanOption(options.persistBeforeSend, 'persistBeforeSend', CONFIG_DEFAULTS.persistBeforeSend),
  });
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function resolveConnectionString(options: AzureMonitorExporterOptions, env: ConfigEnvironment): ConnectionString {
  if (options.connectionString !== undefined && typeof options.connectionString !== 'string') {
    throw new ConfigError('the connectionString option must be a string');
  }
  const fromOption = nonBlank(options.connectionString) ? options.connectionString : undefined;
  const fromEnv = nonBlank(env[CONNECTION_STRING_ENV]) ? env[CONNECTION_STRING_ENV] : undefined;
  const raw = fromOption ?? fromEnv;
  if (raw === undefined) {
    throw new ConfigError(`no connection string: pass the connectionString option or set ${CONNECTION_STRING_ENV}`);
  }
  const source = fromOption !== undefined ? 'the connectionString option' : CONNECTION_STRING_ENV;
  try {
    return parseConnectionString(raw);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${source}: ${error.message}`, { cause: error });
    throw error;
  }
}

function resolveCredential(
  options: AzureMonitorExporterOptions,
  env: ConfigEnvironment,
): Pick<ResolvedConfig, 'credential' | 'credentialSource' | 'managedIdentity'> {
  if (options.credential !== undefined) {
    const candidate: unknown = options.credential;
    if (typeof candidate !== 'object' || candidate === null || typeof (candidate as TokenCredential).getToken !== 'function') {
      throw new ConfigError('the credential option must be a TokenCredential (an object with a getToken method)');
    }
    return { credential: options.credential, credentialSource: 'option' };
  }
  const raw = env[AUTHENTICATION_STRING_ENV];
  if (!nonBlank(raw)) return {};
  const auth = parseAuthenticationString(raw);
  return {
    credential: sharedManagedIdentityCredential(auth),
    credentialSource: 'authentication-string',
    managedIdentity: auth.managedIdentity,
  };
}

function resolveAudienceOption(options: AzureMonitorExporterOptions): string | undefined {
  const { audience, scope } = options;
  for (const [name, value] of [['audience', audience], ['scope', scope]] as const) {
    if (value !== undefined && !nonBlank(value)) throw new ConfigError(`the ${name} option must be a non-empty string`);
  }
  if (audience !== undefined && scope !== undefined
    && normalizeAudience(audience, 'the audience option') !== normalizeAudience(scope, 'the scope option')) {
    throw new ConfigError('the audience and scope options name different resources; give only one');
  }
  return audience ?? scope;
}

function resolveStorageDirectory(directory: unknown, cs: ConnectionString): string {
  if (directory === undefined) return defaultStorageDirectory(cs.instrumentationKey, cs.ingestionEndpoint);
  if (!nonBlank(directory)) throw new ConfigError('the storageDirectory option must be a non-empty string');
  return resolvePath(directory);
}

function positiveOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`the ${name} option must be a positive finite number`);
  }
  return value;
}

function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`the ${name} option must be true or false`);
  return value;
}

function requestNameSourceOption(value: unknown): RequestNameSource {
  if (value !== 'path' && value !== 'spanName') throw new ConfigError("the requestNameSource option must be 'path' or 'spanName'");
  return value;
}
