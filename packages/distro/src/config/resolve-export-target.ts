import type { TokenCredential } from '@azure/core-auth';
import { ConfigError, type ConnectionString } from '@appinsights-otel/core';
import { credentialFromConfiguration } from './credential-from-configuration';
import type { ResolvedSettings, SettingSource } from './resolve-settings';

/** The connection string and credential the distro will use, or why export is off. */
export type ExportTarget =
  | {
    readonly exportEnabled: true;
    /** The connection string as given (trimmed, validated). */
    readonly connectionString: string;
    readonly parsed: ConnectionString;
    readonly connectionStringSource: SettingSource;
    readonly credential?: TokenCredential;
    readonly credentialSource: SettingSource;
    /** What the credential from the configuration file is, and where its parts came from (no secret). */
    readonly credentialDescription?: string;
  }
  | {
    readonly exportEnabled: false;
    /** One clear sentence: what is wrong and how to fix it. Never contains a secret. */
    readonly reason: string;
  };

const NO_CONNECTION_STRING = 'no Application Insights connection string: pass { connectionString } to useAzureMonitor(), '
  + 'or set APPLICATIONINSIGHTS_CONNECTION_STRING (copy it from the resource\'s Overview page in the Azure portal); telemetry export is off';

/**
 * Where telemetry goes, from the resolved settings (DESIGN.md section 3): the connection string
 * (`connectionString` option > `APPLICATIONINSIGHTS_CONNECTION_STRING` > the file's
 * `connectionString`) and the credential (`credential` option > `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`
 * (managed identity) > the file's `authentication` block when `enabled` > none). A missing or
 * malformed connection string, or a malformed credential, turns export off with one reason.
 * Credentials from the environment or the file are lazy: nothing is contacted here.
 *
 * @param resolved - The resolved settings.
 */
export function resolveExportTarget(resolved: ResolvedSettings): ExportTarget {
  const { settings, sources, exportProblems } = resolved;
  if (exportProblems.connectionString !== undefined) return { exportEnabled: false, reason: exportProblems.connectionString };
  if (settings.connectionString === undefined) return { exportEnabled: false, reason: NO_CONNECTION_STRING };
  if (exportProblems.credential !== undefined) return { exportEnabled: false, reason: exportProblems.credential };
  const choice = settings.credential;
  let configured: ReturnType<typeof credentialFromConfiguration> | undefined;
  if (choice?.kind === 'file') {
    try {
      configured = credentialFromConfiguration(choice.block, settings.authorityHost, settings.identityVariables);
    } catch (error: unknown) {
      if (!(error instanceof ConfigError)) throw error;
      return { exportEnabled: false, reason: `${error.message}; telemetry export is off` };
    }
  }
  const credential = choice === undefined ? undefined : choice.kind === 'credential' ? choice.credential : configured?.credential;
  return {
    exportEnabled: true,
    connectionString: settings.connectionString.text,
    parsed: settings.connectionString.parsed,
    connectionStringSource: sources.connectionString,
    ...(credential !== undefined ? { credential } : {}),
    credentialSource: sources.credential,
    ...(configured !== undefined ? { credentialDescription: configured.description } : {}),
  };
}
