import { ConfigError } from '@appinsights-otel/core';
import type { DoctorSettings } from './doctor-types';

/** Usage text of `appinsights-otel doctor`. */
export const DOCTOR_USAGE = `Usage: appinsights-otel doctor [options]

Checks, step by step, that this process can send telemetry to Application Insights with
Microsoft Entra ID: configuration, credential, token, audience, and one test item.

Options (each overrides the environment variable in brackets):
  --connection-string <s>   [APPLICATIONINSIGHTS_CONNECTION_STRING]
  --auth-string <s>         managed identity: "Authorization=AAD[;ClientId=<guid>]" [APPLICATIONINSIGHTS_AUTHENTICATION_STRING]
  --tenant-id <id>          service principal [AZURE_TENANT_ID]
  --client-id <id>          service principal [AZURE_CLIENT_ID]
  --client-secret <s>       service principal [AZURE_CLIENT_SECRET]
  --authority-host <url>    Entra authority, e.g. https://login.microsoftonline.us [AZURE_AUTHORITY_HOST]
  --audience <url>          ingestion token audience (default: AADAudience, else the endpoint's cloud)
  --no-send                 do not send the test item
  --json                    print the steps as JSON
  --timeout <ms>            limit for the token request and the test send (default 20000)
  --relay-url <url>         a browser relay: post one page view to it as the browser SDK would
                            (its IngestionEndpoint, e.g. https://app.example/ai-relay)
  --origin <origin>         the page origin the relay check claims (default: the relay's own)
  -h, --help                show this help

The configuration file (APPLICATIONINSIGHTS_CONFIGURATION_FILE / _CONTENT) is read too.
Exit code: 0 when every step is good, 1 when a step failed, 2 on a usage error.`;

const VALUE_FLAGS: Readonly<Record<string, keyof DoctorSettings>> = {
  '--connection-string': 'connectionString',
  '--auth-string': 'authenticationString',
  '--tenant-id': 'tenantId',
  '--client-id': 'clientId',
  '--client-secret': 'clientSecret',
  '--authority-host': 'authorityHost',
  '--audience': 'audience',
  '--relay-url': 'relayUrl',
  '--origin': 'origin',
};

/** Flags whose value must be an http(s) URL; the value is never echoed (it may hold a session token). */
const URL_FLAGS: ReadonlySet<string> = new Set(['--relay-url', '--origin']);

function checkHttpUrl(flag: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${flag} must be an http or https URL, e.g. ${flag === '--origin' ? 'https://app.example' : 'https://app.example/ai-relay'}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${flag} must be an http or https URL`);
}

/**
 * Parses `doctor` arguments over the environment (flags win).
 *
 * @returns The settings, or `'help'` for `-h`/`--help`.
 * @throws ConfigError for an unknown flag or a flag without its value.
 */
export function parseDoctorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): DoctorSettings | 'help' {
  const read = (name: string): string | undefined => {
    const v = env[name];
    return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
  };
  const settings: { -readonly [K in keyof DoctorSettings]?: DoctorSettings[K] } = {
    connectionString: read('APPLICATIONINSIGHTS_CONNECTION_STRING'),
    authenticationString: read('APPLICATIONINSIGHTS_AUTHENTICATION_STRING'),
    tenantId: read('AZURE_TENANT_ID'),
    clientId: read('AZURE_CLIENT_ID'),
    clientSecret: read('AZURE_CLIENT_SECRET'),
    authorityHost: read('AZURE_AUTHORITY_HOST'),
    noSend: false,
    json: false,
    timeoutMillis: 20_000,
  };
  const given = new Set<keyof DoctorSettings>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--no-send') { settings.noSend = true; continue; }
    if (flag === '--json') { settings.json = true; continue; }
    const value = inline ?? argv[++i];
    if (flag === '--timeout') {
      const ms = Number(value);
      if (!Number.isFinite(ms) || ms <= 0) throw new ConfigError('--timeout needs a positive number of milliseconds');
      settings.timeoutMillis = ms;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (key === undefined) throw new ConfigError(`unknown option ${flag}; see appinsights-otel doctor --help`);
    if (value === undefined || value === '') throw new ConfigError(`${flag} needs a value`);
    if (URL_FLAGS.has(flag)) checkHttpUrl(flag, value);
    (settings as Record<string, unknown>)[key] = value;
    given.add(key);
  }
  // a credential given by flags replaces one of the other kind from the environment
  const spFlags = given.has('tenantId') || given.has('clientId') || given.has('clientSecret');
  if (spFlags && !given.has('authenticationString')) delete settings.authenticationString;
  if (given.has('authenticationString') && !spFlags) {
    delete settings.tenantId;
    delete settings.clientId;
    delete settings.clientSecret;
  }
  return settings as DoctorSettings;
}
