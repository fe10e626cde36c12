import { readFileSync } from 'node:fs';
import { ConfigError } from '@appinsights-otel/core';
import type { AzureMonitorOptions, InstrumentationOptions } from './azure-monitor-options';

/** Identity types of the configuration file's `authentication` block (as in the Java agent). */
export type AuthenticationType = 'SAMI' | 'UAMI' | 'CLIENTSECRET';

/** The configuration file's `authentication` block, validated. */
export interface AuthenticationBlock {
  readonly enabled: boolean;
  readonly type: AuthenticationType;
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
}

/** Options that can be written in the configuration file (JSON values), as the file gave them. */
export type FileSettings = Pick<AzureMonitorOptions,
  | 'samplingRatio' | 'tracesPerSecond' | 'instrumentationOptions' | 'storageDirectory' | 'disableOfflineStorage'
  | 'metricExportIntervalMillis' | 'audience' | 'disableTraceExport' | 'disableMetricExport' | 'disableLogExport'
  | 'traceBasedLogSampling' | 'requestNameSource' | 'persistBeforeSend'
  | 'enableLiveMetrics' | 'enablePerformanceCounters' | 'enableStandardMetrics'>;

/** The parts of the configuration file the distro reads. */
export interface ConfigurationFile {
  /** Where it came from, for messages: the path, or `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`. */
  readonly source: string;
  readonly connectionString?: string;
  readonly authentication?: AuthenticationBlock;
  /** The option keys the file sets. */
  readonly settings: FileSettings;
  /** Keys that were ignored, one sentence each (unknown keys, code-only options). */
  readonly warnings: readonly string[];
}

/** The JSON type of each option key the file accepts. */
const SETTING_TYPES: Readonly<Record<keyof FileSettings, 'number' | 'string' | 'boolean' | 'object'>> = {
  samplingRatio: 'number',
  tracesPerSecond: 'number',
  instrumentationOptions: 'object',
  storageDirectory: 'string',
  disableOfflineStorage: 'boolean',
  metricExportIntervalMillis: 'number',
  audience: 'string',
  disableTraceExport: 'boolean',
  disableMetricExport: 'boolean',
  disableLogExport: 'boolean',
  traceBasedLogSampling: 'boolean',
  requestNameSource: 'string',
  persistBeforeSend: 'boolean',
  enableLiveMetrics: 'boolean',
  enablePerformanceCounters: 'boolean',
  enableStandardMetrics: 'boolean',
};

/** Options that hold code or objects, so only `useAzureMonitor({ ... })` can pass them. */
const CODE_ONLY_KEYS: ReadonlySet<string> = new Set<keyof AzureMonitorOptions>([
  'credential', 'resource', 'spanProcessors', 'logRecordProcessors', 'beforeExport', 'metricReaders', 'views', 'successOverride',
]);
const FILE_ONLY_KEYS: ReadonlySet<string> = new Set(['connectionString', 'authentication']);

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES: readonly AuthenticationType[] = ['SAMI', 'UAMI', 'CLIENTSECRET'];

/**
 * Reads the configuration file named by `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT` (JSON text, wins)
 * or `APPLICATIONINSIGHTS_CONFIGURATION_FILE` (a path), shaped like the Java agent's
 * `applicationinsights.json`:
 * `{ "connectionString": "...", "authentication": { "enabled": true, "type": "SAMI" | "UAMI" | "CLIENTSECRET", "clientId", "tenantId", "clientSecret" } }`.
 *
 * @param env - The environment to read (default `process.env`).
 * @returns The parsed file, or `undefined` when neither variable is set.
 * @throws ConfigError when the file cannot be read, is not JSON, or has an invalid
 *   `authentication` block. Messages name the source and the key, never a value.
 */
export function readConfigurationFile(env: NodeJS.ProcessEnv = process.env): ConfigurationFile | undefined {
  const content = env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'];
  const path = env['APPLICATIONINSIGHTS_CONFIGURATION_FILE'];
  let text: string;
  let source: string;
  if (content !== undefined && content.trim() !== '') {
    text = content;
    source = 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT';
  } else if (path !== undefined && path.trim() !== '') {
    source = `configuration file ${path.trim()}`;
    try {
      text = readFileSync(path.trim(), 'utf8');
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new ConfigError(`${source} (APPLICATIONINSIGHTS_CONFIGURATION_FILE) cannot be read (${code})`, { cause: error });
    }
  } else {
    return undefined;
  }
  return parseConfigurationText(text, source);
}

/**
 * Parses configuration file text (see {@link readConfigurationFile}): `connectionString`,
 * `authentication`, and the JSON-valued options of `useAzureMonitor()` ({@link FileSettings}).
 *
 * @throws ConfigError on invalid JSON, an invalid `authentication` block, or an option key of the
 *   wrong type (naming the key, never the value).
 */
export function parseConfigurationText(text: string, source: string): ConfigurationFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
  if (!isRecord(json)) throw new ConfigError(`${source} must hold a JSON object`);
  const connectionString = json['connectionString'];
  if (connectionString !== undefined && typeof connectionString !== 'string') {
    throw new ConfigError(`${source}: "connectionString" must be a string`);
  }
  const authentication = json['authentication'] === undefined ? undefined : parseAuthentication(json['authentication'], source);
  const { settings, warnings } = parseSettings(json, source);
  return {
    source,
    ...(typeof connectionString === 'string' && connectionString.trim() !== '' ? { connectionString } : {}),
    ...(authentication !== undefined ? { authentication } : {}),
    settings,
    warnings,
  };
}

/** The option keys of the file, type-checked; unknown and code-only keys become warnings. */
function parseSettings(json: Record<string, unknown>, source: string): { settings: FileSettings; warnings: string[] } {
  const settings: Record<string, unknown> = {};
  const unknown: string[] = [];
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (FILE_ONLY_KEYS.has(key)) continue;
    const type = Object.prototype.hasOwnProperty.call(SETTING_TYPES, key) ? SETTING_TYPES[key as keyof FileSettings] : undefined;
    if (type === undefined) {
      if (CODE_ONLY_KEYS.has(key)) warnings.push(`${source}: "${key}" can only be passed to useAzureMonitor() in code; ignored`);
      else unknown.push(key);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (type === 'object' ? !isRecord(value) : typeof value !== type || (type === 'number' && !Number.isFinite(value))) {
      throw new ConfigError(`${source}: "${key}" must be ${type === 'object' ? 'an object' : `a ${type}`}`);
    }
    settings[key] = key === 'instrumentationOptions' ? parseInstrumentationOptions(value as Record<string, unknown>, source, warnings) : value;
  }
  if (unknown.length > 0) {
    warnings.push(`${source}: unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')} ignored (see docs/configuration.md for the keys the distro reads)`);
  }
  return { settings: settings as FileSettings, warnings };
}

/** `{ "<instrumentation>": { "enabled": boolean, ...config } }`; `additional` needs code, so it is dropped with a warning. */
function parseInstrumentationOptions(value: Record<string, unknown>, source: string, warnings: string[]): InstrumentationOptions {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, config] of Object.entries(value)) {
    const where = `${source}: "instrumentationOptions.${name}"`;
    if (name === 'additional') {
      warnings.push(`${where} holds instrumentation objects, which only code can pass; ignored`);
      continue;
    }
    if (!isRecord(config)) throw new ConfigError(`${where} must be an object such as { "enabled": false }`);
    if (config['enabled'] !== undefined && typeof config['enabled'] !== 'boolean') throw new ConfigError(`${where}.enabled must be true or false`);
    out[name] = config;
  }
  return out as InstrumentationOptions;
}

/** The authentication block; `undefined` for a disabled block that names no type (nothing to use). */
function parseAuthentication(value: unknown, source: string): AuthenticationBlock | undefined {
  const where = `${source}: "authentication"`;
  if (!isRecord(value)) throw new ConfigError(`${where} must be an object`);
  const enabled = value['enabled'] ?? false;
  if (typeof enabled !== 'boolean') throw new ConfigError(`${where}.enabled must be true or false`);
  const rawType = value['type'];
  const type = typeof rawType === 'string' ? rawType.trim().toUpperCase() : undefined;
  if (!enabled && rawType === undefined) return undefined;
  if (!TYPES.includes(type as AuthenticationType)) {
    throw new ConfigError(`${where}.type must be "SAMI" (system-assigned managed identity), "UAMI" (user-assigned) or "CLIENTSECRET" (service principal)`);
  }
  const block: { -readonly [K in keyof AuthenticationBlock]: AuthenticationBlock[K] } = { enabled, type: type as AuthenticationType };
  for (const key of ['clientId', 'tenantId', 'clientSecret'] as const) {
    const v = value[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new ConfigError(`${where}.${key} must be a string`);
    block[key] = v.trim();
  }
  if (!enabled) return block;
  if (block.type === 'UAMI' || block.type === 'CLIENTSECRET') {
    if (block.clientId === undefined) throw new ConfigError(`${where}.clientId is required for type ${block.type}`);
    if (!GUID_PATTERN.test(block.clientId)) throw new ConfigError(`${where}.clientId must be a GUID (the identity's client id)`);
  }
  if (block.type === 'CLIENTSECRET') {
    if (block.tenantId === undefined) throw new ConfigError(`${where}.tenantId is required for type CLIENTSECRET`);
    if (block.clientSecret === undefined) throw new ConfigError(`${where}.clientSecret is required for type CLIENTSECRET`);
  }
  return block;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
