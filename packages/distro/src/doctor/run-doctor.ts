import type { TokenCredential } from '@azure/core-auth';
import {
  ConfigError, cloudOfEndpoint, createTokenProvider, deriveScope, describeCredential, maskInstrumentationKey, parseConnectionString, type ConnectionString, type TokenProvider,
} from '@appinsights-otel/core';
import { readConfigurationFile, type ConfigurationFile } from '../config/read-configuration-file';
import { checkAudience, type AudienceSource } from './check-audience';
import { checkLiveMetrics } from './check-live-metrics';
import { checkRelay } from './check-relay';
import { checkRelayLanded } from './check-relay-landed';
import { checkToken } from './check-token';
import { IDENTITY_VARIABLES, type IdentityVariables } from '../config/credential-from-configuration';
import { chooseCredential } from './choose-credential';
import type { DoctorSettings, StepResult } from './doctor-types';
import { seedTokenProvider } from './seed-token-provider';
import { sendTestItem } from './send-test-item';

/** What the server steps found that the relay steps use. */
interface ServerFindings {
  connectionString?: ConnectionString;
  credential?: TokenCredential;
}

/**
 * Runs the doctor's checks in order (config, credential, token, audience, ingestion, live-metrics), each
 * depending on the previous ones, then, with `--relay-url`, the relay's (relay, relay-stored), and
 * returns one result per step. Never throws.
 *
 * @param settings - From {@link parseDoctorArgs}.
 * @param env - Environment for the configuration file variables.
 */
export async function runDoctor(settings: DoctorSettings, env: NodeJS.ProcessEnv = process.env): Promise<StepResult[]> {
  const found: ServerFindings = {};
  const steps = await runServerSteps(settings, env, found);
  if (settings.relayUrl !== undefined) steps.push(...await relaySteps(settings.relayUrl, settings, found));
  return steps;
}

/**
 * The relay steps: one synthetic page view posted to the relay as a page would, then (with a local
 * emulator's connection string) whether it landed in `pageViews`.
 */
async function relaySteps(relayUrl: string, settings: DoctorSettings, found: ServerFindings): Promise<StepResult[]> {
  const cs = found.connectionString;
  const relay = await checkRelay({
    relayUrl, timeoutMillis: settings.timeoutMillis, instrumentationKey: cs?.instrumentationKey ?? ANY_INSTRUMENTATION_KEY,
    ...(settings.origin !== undefined ? { origin: settings.origin } : {}),
  });
  if (cs === undefined || relay.result.status !== 'ok') {
    return [relay.result, { step: 'relay-stored', status: 'skip', summary: cs === undefined ? 'no connection string' : 'the relay did not accept the page view' }];
  }
  const landed = await checkRelayLanded({
    connectionString: cs, pageViewName: relay.pageViewName, timeoutMillis: settings.timeoutMillis,
    ...(found.credential !== undefined ? { credential: found.credential } : {}),
  });
  return [relay.result, landed];
}

/** The key a page sends when the doctor has no connection string: the relay replaces it with the server's. */
const ANY_INSTRUMENTATION_KEY = '00000000-0000-0000-0000-000000000000';

/** Steps 1 to 6, each depending on the previous ones; records the connection string and credential in `found`. */
async function runServerSteps(settings: DoctorSettings, env: NodeJS.ProcessEnv, found: ServerFindings): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  let file: ConfigurationFile | undefined;
  try {
    file = readConfigurationFile(env);
  } catch (error: unknown) {
    steps.push({ step: 'config', status: 'warn', summary: `configuration file ignored: ${messageOf(error)}`, fix: 'fix or unset APPLICATIONINSIGHTS_CONFIGURATION_FILE / APPLICATIONINSIGHTS_CONFIGURATION_CONTENT' });
  }

  // 1. configuration
  const raw = settings.connectionString ?? file?.connectionString;
  if (raw === undefined) {
    steps.push({ step: 'config', status: 'fail', summary: 'no connection string', fix: 'set APPLICATIONINSIGHTS_CONNECTION_STRING or pass --connection-string (copy it from the resource\'s Overview page)' });
    return steps;
  }
  let cs: ConnectionString;
  let scope: string;
  try {
    cs = parseConnectionString(raw);
    scope = deriveScope({ ingestionEndpoint: cs.ingestionEndpoint, ...(cs.aadAudience !== undefined ? { aadAudience: cs.aadAudience } : {}), ...(settings.audience !== undefined ? { audience: settings.audience } : {}) });
  } catch (error: unknown) {
    steps.push({ step: 'config', status: 'fail', summary: `connection string rejected: ${messageOf(error)}`, fix: 'copy the connection string again from the Application Insights resource\'s Overview page' });
    return steps;
  }
  found.connectionString = cs;
  steps.push({
    step: 'config', status: 'ok',
    summary: `instrumentation key ${maskInstrumentationKey(cs.instrumentationKey)}, ingestion ${cs.ingestionEndpoint} (${cloudOfEndpoint(cs.ingestionEndpoint)} cloud)${cs.aadAudience !== undefined ? `, AADAudience ${cs.aadAudience}` : ''}`,
  });

  // 2. credential
  let chosen;
  try {
    chosen = chooseCredential(settings, file?.authentication, identityVariablesOf(env));
  } catch (error: unknown) {
    steps.push({ step: 'credential', status: 'fail', summary: messageOf(error), fix: 'correct the authentication settings' });
    return steps;
  }
  if (chosen.credential === undefined) return [...steps, ...await noCredentialSteps(settings, cs, scope, chosen.description)];
  steps.push({ step: 'credential', status: 'ok', summary: chosen.description });
  found.credential = chosen.credential;

  // 3. token, 4. audience
  const token = await checkToken(chosen.credential, scope, settings.timeoutMillis, tokenEndpointOf(chosen.credential, settings, env));
  steps.push(token.result);
  if (token.token === undefined) return steps;
  const audienceSource: AudienceSource = settings.audience !== undefined ? 'the --audience flag'
    : cs.aadAudience !== undefined ? 'AADAudience in the connection string' : "the endpoint's cloud";
  steps.push(checkAudience(token.claims, scope, cs.ingestionEndpoint, audienceSource));

  // 5. one test item, 6. one Live Metrics ping: with the token step's token, a fresh one after a 401
  const tokens = seedTokenProvider(token.token, createTokenProvider(chosen.credential, scope, { acquireTimeoutMillis: settings.timeoutMillis }));
  steps.push(...await sendSteps(settings, cs, scope, tokens));
  return steps;
}

/** Steps 2 to 6 without a credential: a warning (or a failure for an incomplete one), then the key-only send. */
async function noCredentialSteps(settings: DoctorSettings, cs: ConnectionString, scope: string, description: string): Promise<StepResult[]> {
  if (description.startsWith('incomplete')) {
    return [{ step: 'credential', status: 'fail', summary: description, fix: 'set all three service principal values, or use a managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)' }];
  }
  return [
    { step: 'credential', status: 'warn', summary: 'no Microsoft Entra ID credential: telemetry goes to v2/track with the instrumentation key only', fix: 'resources with local authentication disabled refuse this; set APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD or pass { credential }' },
    { step: 'token', status: 'skip', summary: 'no credential' }, { step: 'audience', status: 'skip', summary: 'no credential' },
    ...await sendSteps(settings, cs, scope),
  ];
}

/** Steps 5 and 6: one test item to ingestion, then one Live Metrics ping (skipped with --no-send). */
async function sendSteps(settings: DoctorSettings, cs: ConnectionString, scope: string, tokens?: TokenProvider): Promise<StepResult[]> {
  if (settings.noSend) return [{ step: 'ingestion', status: 'skip', summary: '--no-send' }, { step: 'live-metrics', status: 'skip', summary: '--no-send' }];
  const common = { connectionString: cs, scope, timeoutMillis: settings.timeoutMillis, ...(tokens !== undefined ? { tokens } : {}) };
  return [await sendTestItem(common), await checkLiveMetrics(common)];
}

/** Whether every step passed (warnings and skips allowed). */
export function isHealthy(steps: readonly StepResult[]): boolean {
  return steps.length > 0 && steps.every((s) => s.status !== 'fail');
}

/** Default Microsoft Entra ID authority (public cloud), as @azure/identity uses it. */
const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Where a credential gets its tokens: the authority host of a service principal, a managed identity's endpoint. */
function tokenEndpointOf(credential: TokenCredential, settings: DoctorSettings, env: NodeJS.ProcessEnv): string | undefined {
  switch (describeCredential(credential)) {
    case 'service-principal':
      return settings.authorityHost ?? DEFAULT_AUTHORITY_HOST;
    case 'managed-identity':
      return env['IDENTITY_ENDPOINT'] ?? env['MSI_ENDPOINT'];
    default:
      return undefined;
  }
}

/** The standard Azure identity variables that are set (trimmed, non-blank). */
function identityVariablesOf(env: NodeJS.ProcessEnv): IdentityVariables {
  const out: Partial<Record<(typeof IDENTITY_VARIABLES)[number], string>> = {};
  for (const name of IDENTITY_VARIABLES) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof ConfigError || error instanceof Error ? error.message : String(error);
}
