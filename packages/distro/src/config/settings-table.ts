import type { DiagLogLevel } from '@opentelemetry/api';
import { DiagLogLevel as Level } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader, ViewOptions } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { DEFAULT_SDK_STATS_INTERVAL_MILLIS, type BeforeExportHook, type RequestNameSource, type SuccessOverride } from '@appinsights-otel/core';
import { INSTRUMENTATION_ENV_NAMES, type InstrumentationOptions } from '../instrumentations/default-instrumentations';
import { parseInstrumentationList } from '../instrumentations/select-instrumentations';
import type { DiagDestination } from '../setup/ensure-diag-logger';
import { DEFAULT_RESOURCE_DETECTORS, type ResourceDetectorName } from '../resource/parse-resource-detectors';
import { PLATFORM_VARIABLES, type PlatformVariables } from '../resource/platform-variables';
import { KEEP_EVERYTHING, samplerFromEnv, samplerFromValues, type SamplerSpec } from '../sampling/sampler-setting';
import { parseRequestFilter } from '../request-filter/parse-request-filter';
import type { RequestFilterOptions } from '../request-filter/request-filter-options';
import type { AzureMonitorOptions } from './azure-monitor-options';
import { aliasedEnv, type EnvAlias } from './aliased-env';
import { IDENTITY_VARIABLES, type IdentityVariables } from './credential-from-configuration';
import { parseEnvList } from './parse-env-list';
import { CONFIGURATION_FILE_VARIABLES, configurationFileLocation, type ConfigurationFileLocation } from './read-configuration-file';
import {
  isArray, isBoolean, isFunction, isOneOf, isPositiveNumber, isRecord, isString, parseBooleanText, parseExporterListAsDisable,
  parsePositiveNumberText, single, singleEnv, InvalidSettingError, type EnvParser, type ValueParser,
} from './setting-parsers';
import {
  credentialFromAuthenticationString, credentialFromFile, credentialFromOption, instrumentationOptionsFromFile, instrumentationOptionsFromOption,
  mergeInstrumentationOptions, parseConnectionStringSetting, parseDiagDestination, parseHistogramAggregation, parseLogLevel, parseResourceDetectorSetting, type ConnectionStringSetting,
  type CredentialSetting, type HistogramAggregation,
} from './setting-values';

/**
 * One setting of the distro: where it can come from (highest precedence first: the
 * `useAzureMonitor()` option, then the environment variable(s), then the configuration file key),
 * how each source's value is parsed, and the default. {@link resolveSettings} resolves every row
 * once; the frozen result's type is derived from the rows ({@link DistroSettings}).
 */
export interface SettingRow<T> {
  /** `useAzureMonitor()` option name(s). */
  readonly options?: readonly (keyof AzureMonitorOptions)[];
  /** Environment variable name(s). */
  readonly env?: readonly string[];
  /** Configuration file key(s). */
  readonly file?: readonly string[];
  /** Parses the option value(s) (and the file's, unless {@link SettingRow.fromFile} is given). */
  readonly fromValue?: ValueParser<T>;
  /** Parses the file value(s), when they need another parser than the options. */
  readonly fromFile?: ValueParser<T>;
  /** Parses the variable(s). */
  readonly fromEnv?: EnvParser<T>;
  /** Combines the values of several sources (higher first) instead of taking the first. */
  merge?(higher: T, lower: T): T;
  readonly default: T;
  /** The default in words, for warnings and docs. */
  readonly defaultText: string;
  /** `true` for the connection string and the credential: a bad value turns export off instead of warning. */
  readonly turnsExportOff?: boolean;
}

const row = <T>(setting: SettingRow<T>): SettingRow<T> => setting;
const option = <K extends keyof AzureMonitorOptions>(name: K): readonly K[] => [name];

/**
 * A boolean set by an option, a `true`/`false` variable and a file key of the option's name;
 * `officialOff` is the official distro's variable that turns the feature off when set to anything.
 */
function switchRow(name: keyof AzureMonitorOptions, variable: string, officialOff?: string): SettingRow<boolean> {
  const aliases: EnvAlias<boolean>[] = [{ name: variable, parse: parseBooleanText }];
  if (officialOff !== undefined) aliases.push({ name: officialOff, parse: () => false });
  return row<boolean>({
    options: [name], env: aliases.map((a) => a.name), file: [name], fromValue: single(isBoolean), fromEnv: aliasedEnv(aliases), default: true, defaultText: 'true',
  });
}

/** `disable{Trace,Metric,Log}Export`, also set by `OTEL_{TRACES,METRICS,LOGS}_EXPORTER=none`. */
function exportOffRow(name: keyof AzureMonitorOptions, variable: string): SettingRow<boolean> {
  return row<boolean>({
    options: [name], env: [variable], file: [name], fromValue: single(isBoolean),
    fromEnv: singleEnv((text, context) => parseExporterListAsDisable(text, context, variable)), default: false, defaultText: 'false',
  });
}

/** A setting only the option and the file key of the same name give. */
function optionAndFileRow<T>(name: keyof AzureMonitorOptions, check: (value: unknown) => T, fallback: T, defaultText: string): SettingRow<T> {
  return row<T>({ options: [name], file: [name], fromValue: single(check), default: fallback, defaultText });
}

/** A setting that holds code or objects: only `useAzureMonitor({ ... })` can pass it. */
function codeRow<T>(name: keyof AzureMonitorOptions, check: (value: unknown) => T, fallback: T, defaultText: string): SettingRow<T> {
  return row<T>({ options: [name], fromValue: single(check), default: fallback, defaultText });
}

/** An `OTEL_NODE_{ENABLED,DISABLED}_INSTRUMENTATIONS` list. */
function instrumentationListRow(variable: string): SettingRow<ReadonlySet<string> | undefined> {
  return row<ReadonlySet<string> | undefined>({
    env: [variable],
    fromEnv: singleEnv((text, context) => parseInstrumentationList(parseEnvList(text), INSTRUMENTATION_ENV_NAMES, context.warn, variable)),
    default: undefined, defaultText: 'not set',
  });
}

/** `OTEL_LOG_LEVEL` (ours, wins) and the official distro's `APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL`. */
const LOG_LEVEL_ALIASES: readonly EnvAlias<DiagLogLevel>[] = [
  { name: 'OTEL_LOG_LEVEL', parse: parseLogLevel },
  { name: 'APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL', parse: parseLogLevel },
];

/**
 * `enableDeliveryStats` (off by default): ours first, then the official SDKs' GA switch (which turns
 * SDK Stats off with `true`, so `false` means on) and their preview opt-in, in their precedence.
 */
const DELIVERY_STATS_ALIASES: readonly EnvAlias<boolean>[] = [
  { name: 'APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED', parse: parseBooleanText },
  { name: 'APPLICATIONINSIGHTS_SDKSTATS_DISABLED', parse: (text) => !parseBooleanText(text) },
  { name: 'APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW', parse: parseBooleanText },
];

/** `APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL` is in seconds (the official SDKs' unit). */
function parseSecondsAsMillis(text: string): number {
  return parsePositiveNumberText(text) * 1_000;
}

function isResource(value: unknown): Resource {
  if (!isRecord(value) || typeof value['merge'] !== 'function') throw new InvalidSettingError('must be a Resource (e.g. resourceFromAttributes({ ... }))');
  return value as unknown as Resource;
}

/** Every setting of the distro, in resolution order. docs/configuration.md lists each row (a test checks it). */
export const SETTINGS = {
  configurationFile: row<ConfigurationFileLocation | undefined>({
    env: CONFIGURATION_FILE_VARIABLES, fromEnv: (values) => configurationFileLocation(values), default: undefined, defaultText: 'none',
  }),
  connectionString: row<ConnectionStringSetting | undefined>({
    options: option('connectionString'), env: ['APPLICATIONINSIGHTS_CONNECTION_STRING'], file: ['connectionString'],
    fromValue: single(parseConnectionStringSetting), fromEnv: singleEnv(parseConnectionStringSetting), default: undefined, defaultText: 'none', turnsExportOff: true,
  }),
  credential: row<CredentialSetting | undefined>({
    options: option('credential'), env: ['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'], file: ['authentication'],
    fromValue: credentialFromOption, fromFile: credentialFromFile, fromEnv: singleEnv(credentialFromAuthenticationString),
    default: undefined, defaultText: 'none (instrumentation-key ingestion)', turnsExportOff: true,
  }),
  identityVariables: row<IdentityVariables>({
    env: IDENTITY_VARIABLES, fromEnv: (values) => ({ ...values }), default: {}, defaultText: 'none',
  }),
  authorityHost: row<string | undefined>({ env: ['AZURE_AUTHORITY_HOST'], fromEnv: singleEnv((text) => text), default: undefined, defaultText: 'the public cloud' }),
  managedIdentityEndpoints: row<readonly string[]>({
    env: ['IDENTITY_ENDPOINT', 'MSI_ENDPOINT'], fromEnv: (values) => Object.values(values), default: [], defaultText: 'none',
  }),
  audience: optionAndFileRow<string | undefined>('audience', isString, undefined, 'from the connection string'),
  sampler: row<SamplerSpec>({
    options: ['tracesPerSecond', 'samplingRatio'], env: ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'], file: ['tracesPerSecond', 'samplingRatio'],
    fromValue: samplerFromValues, fromEnv: samplerFromEnv, default: KEEP_EVERYTHING, defaultText: 'every trace kept',
  }),
  instrumentationOptions: row<InstrumentationOptions>({
    options: option('instrumentationOptions'), file: ['instrumentationOptions'], fromValue: instrumentationOptionsFromOption,
    fromFile: instrumentationOptionsFromFile, merge: mergeInstrumentationOptions, default: {}, defaultText: 'all on but console',
  }),
  enabledInstrumentations: instrumentationListRow('OTEL_NODE_ENABLED_INSTRUMENTATIONS'),
  disabledInstrumentations: instrumentationListRow('OTEL_NODE_DISABLED_INSTRUMENTATIONS'),
  resource: codeRow<Resource | undefined>('resource', isResource, undefined, 'the detected resource only'),
  resourceDetectors: row<ReadonlySet<ResourceDetectorName>>({
    env: ['OTEL_NODE_RESOURCE_DETECTORS'], fromEnv: singleEnv(parseResourceDetectorSetting), default: new Set(DEFAULT_RESOURCE_DETECTORS), defaultText: 'all',
  }),
  platformVariables: row<PlatformVariables>({ env: PLATFORM_VARIABLES, fromEnv: (values) => ({ ...values }), default: {}, defaultText: 'none' }),
  storageDirectory: optionAndFileRow<string | undefined>('storageDirectory', isString, undefined, 'the exporters\' default'),
  disableOfflineStorage: optionAndFileRow<boolean | undefined>('disableOfflineStorage', isBoolean, undefined, 'false'),
  persistBeforeSend: optionAndFileRow<boolean | undefined>('persistBeforeSend', isBoolean, undefined, 'false'),
  spanProcessors: codeRow<readonly SpanProcessor[]>('spanProcessors', isArray, [], 'none'),
  logRecordProcessors: codeRow<readonly LogRecordProcessor[]>('logRecordProcessors', isArray, [], 'none'),
  beforeExport: codeRow<BeforeExportHook | undefined>('beforeExport', isFunction, undefined, 'none'),
  metricExportIntervalMillis: row<number>({
    options: option('metricExportIntervalMillis'), env: ['OTEL_METRIC_EXPORT_INTERVAL'], file: ['metricExportIntervalMillis'],
    fromValue: single(isPositiveNumber), fromEnv: singleEnv(parsePositiveNumberText), default: 60_000, defaultText: '60000',
  }),
  metricReaders: codeRow<readonly IMetricReader[]>('metricReaders', isArray, [], 'none'),
  views: codeRow<readonly ViewOptions[]>('views', isArray, [], 'none'),
  successOverride: codeRow<SuccessOverride | undefined>('successOverride', isFunction, undefined, 'none'),
  requestNameSource: optionAndFileRow<RequestNameSource | undefined>('requestNameSource', isOneOf<RequestNameSource>(['path', 'spanName']), undefined, '\'path\''),
  filterRequests: optionAndFileRow<RequestFilterOptions | undefined>('filterRequests', parseRequestFilter, undefined, 'none'),
  disableTraceExport: exportOffRow('disableTraceExport', 'OTEL_TRACES_EXPORTER'),
  disableMetricExport: exportOffRow('disableMetricExport', 'OTEL_METRICS_EXPORTER'),
  disableLogExport: exportOffRow('disableLogExport', 'OTEL_LOGS_EXPORTER'),
  traceBasedLogSampling: optionAndFileRow('traceBasedLogSampling', isBoolean, true, 'true'),
  enableLiveMetrics: switchRow('enableLiveMetrics', 'APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED'),
  enablePerformanceCounters: switchRow('enablePerformanceCounters', 'APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED'),
  enableStandardMetrics: switchRow('enableStandardMetrics', 'APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED', 'APPLICATION_INSIGHTS_NO_STANDARD_METRICS'),
  enableDeliveryStats: row<boolean>({
    options: option('enableDeliveryStats'), env: DELIVERY_STATS_ALIASES.map((a) => a.name), file: ['enableDeliveryStats'],
    fromValue: single(isBoolean), fromEnv: aliasedEnv(DELIVERY_STATS_ALIASES), default: false, defaultText: 'false',
  }),
  deliveryStatsIntervalMillis: row<number>({
    options: option('deliveryStatsIntervalMillis'), env: ['APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL'], file: ['deliveryStatsIntervalMillis'],
    fromValue: single(isPositiveNumber), fromEnv: singleEnv(parseSecondsAsMillis), default: DEFAULT_SDK_STATS_INTERVAL_MILLIS, defaultText: '900000',
  }),
  histogramAggregation: row<HistogramAggregation>({
    env: ['OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION'], fromEnv: singleEnv(parseHistogramAggregation),
    default: 'explicit_bucket_histogram', defaultText: 'explicit_bucket_histogram',
  }),
  diagDestination: row<DiagDestination>({
    env: ['APPLICATIONINSIGHTS_LOG_DESTINATION', 'APPLICATIONINSIGHTS_LOGDIR'], fromEnv: parseDiagDestination, default: { console: true }, defaultText: 'the console',
  }),
  logLevel: row<DiagLogLevel>({
    env: LOG_LEVEL_ALIASES.map((a) => a.name), fromEnv: aliasedEnv(LOG_LEVEL_ALIASES), default: Level.WARN, defaultText: 'warn',
  }),
} as const;

/** The name of a setting (a row of {@link SETTINGS}). */
export type SettingKey = keyof typeof SETTINGS;

/** The resolved value of every setting, its type derived from its row. */
export type DistroSettings = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K] extends SettingRow<infer T> ? T : never;
};
