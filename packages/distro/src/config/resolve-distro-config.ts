import type { TokenCredential } from '@azure/core-auth';
import {
  ConfigError, parseAuthenticationString, parseConnectionString, sharedManagedIdentityCredential,
  type ConnectionString,
} from '@appinsights-otel/core';
import type { AzureMonitorOptions } from './azure-monitor-options';
import { credentialFromConfiguration } from './credential-from-configuration';
import { readConfigurationFile, type ConfigurationFile, type FileSettings } from './read-configuration-file';

/** Where a setting came from (highest precedence first: options > environment > configuration file). */
export type SettingSource = 'options' | 'environment' | 'configuration file' | 'none';

/** The connection string and credential the distro will use (or why export is off), and the file's options. */
export type DistroConfig = ExportConfig & {
  /** Options from the configuration file (lowest precedence; empty without a usable file). */
  readonly fileSettings: FileSettings;
  /** Configuration problems that did not turn export off, one sentence each. */
  readonly warnings: readonly string[];
};

/** The connection string and credential the distro will use, or why export is off. */
export type ExportConfig =
  | {
    readonly exportEnabled: true;
    /** The connection string exactly as given (validated). */
    readonly connectionString: string;
    readonly parsed: ConnectionString;
    readonly connectionStringSource: Exclude<SettingSource, 'none'>;
    readonly credential?: TokenCredential;
    readonly credentialSource: SettingSource;
  }
  | {
    readonly exportEnabled: false;
    /** One clear sentence: what is wrong and how to fix it. Never contains a secret. */
    readonly reason: string;
  };

const ENV_CONNECTION_STRING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';
const ENV_AUTHENTICATION_STRING = 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING';

/**
 * Resolves the connection string and the Entra ID credential (DESIGN.md section 3):
 * - connection string: `connectionString` option > `APPLICATIONINSIGHTS_CONNECTION_STRING` >
 *   configuration file `connectionString`;
 * - credential: `credential` option > `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (managed identity) >
 *   configuration file `authentication` block (when `enabled`) > none.
 *
 * Never throws: any configuration problem comes back as `{ exportEnabled: false, reason }`. A
 * broken configuration file that is not needed for either is reported in `warnings` and ignored.
 * Creates no credential eagerly and makes no network call.
 *
 * @param options - The `useAzureMonitor()` options.
 * @param env - The environment (default `process.env`).
 */
export function resolveDistroConfig(options: AzureMonitorOptions, env: NodeJS.ProcessEnv = process.env): DistroConfig {
  let file: ConfigurationFile | undefined;
  let fileError: unknown;
  try {
    file = readConfigurationFile(env);
  } catch (error: unknown) {
    fileError = error; // only fatal if we need something from the file
  }
  let exportConfig: ExportConfig;
  try {
    exportConfig = resolveOrThrow(options, env, file, fileError);
  } catch (error: unknown) {
    const message = error instanceof ConfigError ? error.message : `unexpected configuration error: ${String(error)}`;
    return { exportEnabled: false, reason: message, fileSettings: {}, warnings: [] };
  }
  const warnings = fileError === undefined
    ? [...(file?.warnings ?? [])]
    : [`the configuration file is ignored: ${fileError instanceof Error ? fileError.message : String(fileError)}`];
  return { ...exportConfig, fileSettings: file?.settings ?? {}, warnings };
}

function resolveOrThrow(options: AzureMonitorOptions, env: NodeJS.ProcessEnv, file: ConfigurationFile | undefined, fileError: unknown): ExportConfig {
  const fromOptions = nonBlank(options.connectionString);
  const fromEnv = nonBlank(env[ENV_CONNECTION_STRING]);
  let connectionString: string | undefined;
  let connectionStringSource: Exclude<SettingSource, 'none'> = 'options';
  if (fromOptions !== undefined) {
    connectionString = fromOptions;
  } else if (fromEnv !== undefined) {
    connectionString = fromEnv;
    connectionStringSource = 'environment';
  } else {
    if (fileError !== undefined) throw fileError;
    connectionString = file?.connectionString;
    connectionStringSource = 'configuration file';
  }
  if (connectionString === undefined) {
    throw new ConfigError(
      'no Application Insights connection string: pass { connectionString } to useAzureMonitor(), '
      + `or set ${ENV_CONNECTION_STRING} (copy it from the resource's Overview page in the Azure portal); telemetry export is off`,
    );
  }
  let parsed: ConnectionString;
  try {
    parsed = parseConnectionString(connectionString);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`the connection string from ${describeSource(connectionStringSource)} is malformed: ${error.message}; telemetry export is off`, { cause: error });
  }

  const credential = resolveCredential(options, env, file, fileError);
  return {
    exportEnabled: true,
    connectionString,
    parsed,
    connectionStringSource,
    ...(credential.credential !== undefined ? { credential: credential.credential } : {}),
    credentialSource: credential.source,
  };
}

function resolveCredential(
  options: AzureMonitorOptions,
  env: NodeJS.ProcessEnv,
  file: ConfigurationFile | undefined,
  fileError: unknown,
): { credential?: TokenCredential; source: SettingSource } {
  if (options.credential !== undefined && options.credential !== null) {
    if (typeof options.credential.getToken !== 'function') {
      throw new ConfigError('the credential option must be a TokenCredential (e.g. new ManagedIdentityCredential() from @azure/identity); telemetry export is off');
    }
    return { credential: options.credential, source: 'options' };
  }
  const authString = nonBlank(env[ENV_AUTHENTICATION_STRING]);
  if (authString !== undefined) {
    try {
      return { credential: sharedManagedIdentityCredential(parseAuthenticationString(authString)), source: 'environment' };
    } catch (error: unknown) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(`${error.message}; telemetry export is off`, { cause: error });
    }
  }
  if (fileError !== undefined) throw fileError;
  if (file?.authentication?.enabled === true) {
    return { credential: credentialFromConfiguration(file.authentication, env), source: 'configuration file' };
  }
  return { source: 'none' };
}

function describeSource(source: SettingSource): string {
  switch (source) {
    case 'options': return 'the connectionString option';
    case 'environment': return ENV_CONNECTION_STRING;
    default: return 'the configuration file';
  }
}

function nonBlank(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** File keys that no environment variable sets: the option, else the file. */
const FILE_FALLBACK_KEYS = [
  'storageDirectory', 'disableOfflineStorage', 'audience', 'traceBasedLogSampling', 'requestNameSource', 'persistBeforeSend',
] as const satisfies ReadonlyArray<keyof FileSettings>;

/**
 * The options with the configuration file's settings filled in for the keys no environment variable
 * sets ({@link FILE_FALLBACK_KEYS}, and `instrumentationOptions`, merged per instrumentation with the
 * option's winning). The keys an environment variable can set (sampling, metric interval,
 * per-signal export) are resolved by their own functions, with the file as their last source.
 *
 * @param options - The `useAzureMonitor()` options.
 * @param file - The configuration file's settings.
 */
export function withFileSettings(options: AzureMonitorOptions, file: FileSettings): AzureMonitorOptions {
  const merged: AzureMonitorOptions = { ...options };
  for (const key of FILE_FALLBACK_KEYS) fillFromFile(merged, file, key);
  if (file.instrumentationOptions !== undefined) merged.instrumentationOptions = { ...file.instrumentationOptions, ...options.instrumentationOptions };
  return merged;
}

function fillFromFile<K extends keyof FileSettings>(merged: AzureMonitorOptions, file: FileSettings, key: K): void {
  if (merged[key] === undefined && file[key] !== undefined) merged[key] = file[key];
}
