import type { TokenCredential } from '@azure/core-auth';
import { DiagLogLevel } from '@opentelemetry/api';
import {
  ConfigError, parseAuthenticationString, parseConnectionString, sharedManagedIdentityCredential, type ConnectionString,
} from '@appinsights-otel/core';
import type { InstrumentationOptions } from '../instrumentations/default-instrumentations';
import { parseResourceDetectors, type ResourceDetectorName } from '../resource/parse-resource-detectors';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { LOG_LEVELS, type DiagDestination } from '../setup/ensure-diag-logger';
import { parseAuthentication, type AuthenticationBlock } from './read-configuration-file';
import { InvalidSettingError, isRecord, type ParseContext, type SourceValues } from './setting-parsers';

/** A connection string as given (trimmed) and parsed. */
export interface ConnectionStringSetting {
  readonly text: string;
  readonly parsed: ConnectionString;
}

/** The credential a source asks for: ready (option, authentication string), or the file's block (built once the authority host is known). */
export type CredentialSetting =
  | { readonly kind: 'credential'; readonly credential: TokenCredential }
  | { readonly kind: 'file'; readonly block: AuthenticationBlock };

/** A connection string from any source; malformed is an {@link InvalidSettingError}. */
export function parseConnectionStringSetting(value: unknown): ConnectionStringSetting {
  if (typeof value !== 'string') throw new InvalidSettingError('must be a string (copy it from the resource\'s Overview page)');
  try {
    return { text: value.trim(), parsed: parseConnectionString(value.trim()) };
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    throw new InvalidSettingError(`is malformed: ${error.message}`);
  }
}

/** The `credential` option: anything with `getToken`. */
export function credentialFromOption(values: SourceValues): CredentialSetting {
  const credential = values['credential'] as TokenCredential | undefined;
  if (typeof credential?.getToken !== 'function') {
    throw new InvalidSettingError('must be a TokenCredential (e.g. new ManagedIdentityCredential() from @azure/identity)');
  }
  return { kind: 'credential', credential };
}

/** `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`: a managed identity credential, shared per identity, created lazily. */
export function credentialFromAuthenticationString(text: string): CredentialSetting {
  return { kind: 'credential', credential: sharedManagedIdentityCredential(parseAuthenticationString(text)) };
}

/** The file's `authentication` block; a disabled one means no credential from the file. */
export function credentialFromFile(values: SourceValues, context: ParseContext): CredentialSetting | undefined {
  const block = parseAuthentication(values['authentication'], context.sourceName);
  return block?.enabled === true ? { kind: 'file', block } : undefined;
}

/** The `instrumentationOptions` option: an object (its keys are checked against the instrumentation table later). */
export function instrumentationOptionsFromOption(values: SourceValues): InstrumentationOptions {
  const value = values['instrumentationOptions'];
  if (!isRecord(value)) throw new InvalidSettingError('must be an object such as { http: { enabled: false } }');
  return value as InstrumentationOptions;
}

/**
 * The file's `instrumentationOptions`: `{ "<instrumentation>": { "enabled": boolean, ...config } }`.
 * An entry that is not such an object is left out with a warning; `additional` needs code, so it is
 * left out with a warning too.
 */
export function instrumentationOptionsFromFile(values: SourceValues, context: ParseContext): InstrumentationOptions {
  const value = values['instrumentationOptions'];
  if (!isRecord(value)) throw new InvalidSettingError('must be an object');
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, config] of Object.entries(value)) {
    const where = context.where(`instrumentationOptions.${name}`);
    if (name === 'additional') context.warn(`${where} holds instrumentation objects, which only code can pass; ignored`);
    else if (!isRecord(config)) context.warn(`${where} must be an object such as { "enabled": false }; ignored`);
    else if (config['enabled'] !== undefined && typeof config['enabled'] !== 'boolean') context.warn(`${where}.enabled must be true or false; ignored`);
    else out[name] = config;
  }
  return out as InstrumentationOptions;
}

/** Per instrumentation, the higher source's entry wins. */
export function mergeInstrumentationOptions(higher: InstrumentationOptions, lower: InstrumentationOptions): InstrumentationOptions {
  return { ...lower, ...higher };
}

/** `OTEL_LOG_LEVEL`: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`. */
export function parseLogLevel(text: string): DiagLogLevel {
  const level = LOG_LEVELS.get(text.toLowerCase());
  if (level === undefined) throw new InvalidSettingError(`must be one of ${[...LOG_LEVELS.keys()].join(', ')}`);
  return level;
}

/** `OTEL_NODE_RESOURCE_DETECTORS`, unknown entries reported and skipped. */
export function parseResourceDetectorSetting(text: string, context: ParseContext): ReadonlySet<ResourceDetectorName> {
  const { detectors, warnings } = parseResourceDetectors(text);
  for (const warning of warnings) context.warn(warning);
  return detectors;
}

/** How histograms exported to Application Insights aggregate (`OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`). */
export type HistogramAggregation = 'explicit_bucket_histogram' | 'base2_exponential_bucket_histogram';

const HISTOGRAM_AGGREGATIONS: readonly HistogramAggregation[] = ['explicit_bucket_histogram', 'base2_exponential_bucket_histogram'];

/** `explicit_bucket_histogram` or `base2_exponential_bucket_histogram`, any case. */
export function parseHistogramAggregation(text: string): HistogramAggregation {
  const value = text.toLowerCase() as HistogramAggregation;
  if (!HISTOGRAM_AGGREGATIONS.includes(value)) throw new InvalidSettingError(`must be ${HISTOGRAM_AGGREGATIONS.join(' or ')}`);
  return value;
}

const LOG_DESTINATION_VARIABLE = 'APPLICATIONINSIGHTS_LOG_DESTINATION';
const LOG_DIRECTORY_VARIABLE = 'APPLICATIONINSIGHTS_LOGDIR';

/**
 * The official distro's `APPLICATIONINSIGHTS_LOG_DESTINATION` (`console`, `file`, `file+console`,
 * any case) with `APPLICATIONINSIGHTS_LOGDIR` (absolute, or relative to the working directory;
 * default `<tmp>/appInsights-node`, as there). The directory alone changes nothing.
 */
export function parseDiagDestination(values: Readonly<Record<string, string>>): DiagDestination | undefined {
  const text = values[LOG_DESTINATION_VARIABLE];
  if (text === undefined) return undefined;
  const directory = resolve(values[LOG_DIRECTORY_VARIABLE] ?? resolve(tmpdir(), 'appInsights-node'));
  switch (text.toLowerCase()) {
    case 'console': return { console: true };
    case 'file': return { console: false, directory };
    case 'file+console': return { console: true, directory };
    default: throw new InvalidSettingError('must be console, file or file+console', LOG_DESTINATION_VARIABLE);
  }
}
