import type { AzureMonitorOptions } from './azure-monitor-options';
import { loadConfigurationFile, type ConfigurationJson } from './read-configuration-file';
import { InvalidSettingError, type ParseContext } from './setting-parsers';
import { SETTINGS, type DistroSettings, type SettingKey, type SettingRow } from './settings-table';

/** Where a setting's value came from (highest precedence first). */
export type SettingSource = 'options' | 'environment' | 'configuration file' | 'default';

/** The environment the resolver reads (`process.env` at the entry point). */
export type SettingsEnvironment = Readonly<Record<string, string | undefined>>;

/** Every setting resolved once, frozen, with what went wrong on the way. */
export interface ResolvedSettings {
  readonly settings: DistroSettings;
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
  /** Bad values (replaced by their default) and ignored keys, one line each, naming the source and the fix. */
  readonly warnings: readonly string[];
  /** Why the connection string or the credential cannot be used (export is then off), one line each. */
  readonly exportProblems: Readonly<Partial<Record<'connectionString' | 'credential', string>>>;
}

/** The configuration file as far as it could be read. */
type FileState = { readonly kind: 'none' } | { readonly kind: 'ok'; readonly file: ConfigurationJson } | { readonly kind: 'broken'; readonly message: string };

interface Resolution<T> {
  readonly value: T;
  readonly source: SettingSource;
  /** A bad value: the full line (what, where, the fix), before the policy's ending. */
  readonly problem?: string;
  /** The problem is a broken configuration file this setting needed. */
  readonly fileNeeded?: boolean;
}

/**
 * Resolves every row of {@link SETTINGS} once: for each, the first source that sets it wins
 * (option > environment variable > configuration file > default; `instrumentationOptions` merges
 * option over file per instrumentation). One policy for a bad value: a warning naming the setting,
 * the value's source and the fix, and the default is used. Only a malformed connection string or
 * credential (or a broken configuration file that one of them needs) is an export problem instead.
 * Never throws; reads the file system only for the configuration file; contacts nothing.
 *
 * @param options - The `useAzureMonitor()` options.
 * @param env - The environment (the entry point passes `process.env`).
 */
export function resolveSettings(options: AzureMonitorOptions, env: SettingsEnvironment): ResolvedSettings {
  const warnings: string[] = [];
  const exportProblems: Partial<Record<'connectionString' | 'credential', string>> = {};
  const settings: Record<string, unknown> = {};
  const sources: Record<string, SettingSource> = {};
  const location = resolveRow(SETTINGS.configurationFile, options, env, { kind: 'none' }, warnings);
  const file = readFile(location.value);
  let fileNeeded = false;
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const row: SettingRow<unknown> = SETTINGS[key];
    const resolution = key === 'configurationFile' ? location : resolveRow(row, options, env, file, warnings);
    settings[key] = resolution.value;
    sources[key] = resolution.source;
    if (resolution.problem === undefined) continue;
    fileNeeded ||= resolution.fileNeeded === true;
    if (row.turnsExportOff === true) exportProblems[key as 'connectionString' | 'credential'] = `${resolution.problem}; telemetry export is off`;
    else warnings.push(`${resolution.problem}; using the default (${row.defaultText})`);
  }
  if (file.kind === 'broken' && !fileNeeded) warnings.push(`the configuration file is ignored: ${file.message}`);
  if (file.kind === 'ok') warnings.push(...unknownFileKeys(file.file));
  return Object.freeze({
    settings: Object.freeze(settings) as DistroSettings,
    sources: Object.freeze(sources) as Record<SettingKey, SettingSource>,
    warnings: Object.freeze(warnings),
    exportProblems: Object.freeze(exportProblems),
  });
}

function readFile(location: DistroSettings['configurationFile']): FileState {
  if (location === undefined) return { kind: 'none' };
  try {
    return { kind: 'ok', file: loadConfigurationFile(location) };
  } catch (error: unknown) {
    return { kind: 'broken', message: error instanceof Error ? error.message : String(error) };
  }
}

/** One row: the sources in order, the first that sets it wins (or all, merged, for a row with `merge`). */
function resolveRow<T>(row: SettingRow<T>, options: AzureMonitorOptions, env: SettingsEnvironment, file: FileState, warnings: string[]): Resolution<T> {
  const found: Array<Resolution<T>> = [];
  for (const attempt of sourceAttempts(row, options, env, file)) {
    if (attempt.broken !== undefined) return { value: row.default, source: 'default', problem: attempt.broken, fileNeeded: true };
    const context = parseContext(attempt.source, attempt.sourceName, warnings);
    try {
      const value = attempt.parse(context);
      if (value === undefined) continue;
      found.push({ value, source: attempt.source });
      if (row.merge === undefined) break;
    } catch (error: unknown) {
      return { value: row.default, source: 'default', problem: describeProblem(error, context, attempt.names) };
    }
  }
  if (found.length === 0) return { value: row.default, source: 'default' };
  const values = found.map((f) => f.value);
  const value = row.merge === undefined ? (values[0] as T) : values.reduce((higher, lower) => row.merge?.(higher, lower) ?? higher);
  return { value, source: (found[0] as Resolution<T>).source };
}

interface Attempt<T> {
  readonly source: Exclude<SettingSource, 'default'>;
  readonly sourceName: string;
  readonly names: readonly string[];
  /** Set when the source cannot be read (a broken configuration file the row needs). */
  readonly broken?: string;
  parse(context: ParseContext): T | undefined;
}

/** The sources that set the row, highest precedence first, each with its values collected. */
function* sourceAttempts<T>(row: SettingRow<T>, options: AzureMonitorOptions, env: SettingsEnvironment, file: FileState): Generator<Attempt<T>> {
  const fromValue = row.fromValue;
  const optionValues = pick(options as Record<string, unknown>, row.options ?? [], false);
  if (fromValue !== undefined && optionValues !== undefined) {
    yield { source: 'options', sourceName: 'options', names: row.options ?? [], parse: (context) => fromValue(optionValues, context) };
  }
  const fromEnv = row.fromEnv;
  const envValues = pick(env, row.env ?? [], true) as Record<string, string> | undefined;
  if (fromEnv !== undefined && envValues !== undefined) {
    yield { source: 'environment', sourceName: 'environment', names: row.env ?? [], parse: (context) => fromEnv(envValues, context) };
  }
  const fromFile = row.fromFile ?? fromValue;
  if (fromFile === undefined || row.file === undefined || file.kind === 'none') return;
  if (file.kind === 'broken') {
    if (row.turnsExportOff === true) yield { source: 'configuration file', sourceName: '', names: row.file, broken: file.message, parse: () => undefined };
    return;
  }
  const fileValues = pick(file.file.json, row.file, false);
  if (fileValues !== undefined) {
    yield { source: 'configuration file', sourceName: file.file.source, names: row.file, parse: (context) => fromFile(fileValues, context) };
  }
}

/** The named values that are set (not undefined or null, strings not blank), or `undefined` when none is. */
function pick(values: Readonly<Record<string, unknown>>, names: readonly string[], trim: boolean): Record<string, unknown> | undefined {
  let picked: Record<string, unknown> | undefined;
  for (const name of names) {
    const value = values[name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    (picked ??= {})[name] = trim && typeof value === 'string' ? value.trim() : value;
  }
  return picked;
}

function parseContext(source: SettingSource, sourceName: string, warnings: string[]): ParseContext {
  return {
    sourceName,
    where: (name) => (source === 'options' ? `the ${name} option` : source === 'environment' ? name : `${sourceName}: "${name}"`),
    warn: (message) => { warnings.push(message); },
  };
}

function describeProblem(error: unknown, context: ParseContext, names: readonly string[]): string {
  if (error instanceof InvalidSettingError) return `${context.where(error.settingName ?? names[0] ?? '')} ${error.problem}`;
  return error instanceof Error ? error.message : String(error);
}

/** The file keys no row reads (one warning listing them), and options only code can pass (one warning each). */
function unknownFileKeys(file: ConfigurationJson): string[] {
  const fileKeys = new Set(Object.values(SETTINGS).flatMap((row: SettingRow<unknown>) => row.file ?? []));
  const optionNames = new Set<string>(Object.values(SETTINGS).flatMap((row: SettingRow<unknown>) => row.options ?? []));
  const warnings: string[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(file.json)) {
    if (fileKeys.has(key)) continue;
    if (optionNames.has(key)) warnings.push(`${file.source}: "${key}" can only be passed to useAzureMonitor() in code; ignored`);
    else unknown.push(key);
  }
  if (unknown.length > 0) {
    warnings.push(`${file.source}: unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')} ignored (see docs/configuration.md for the keys the distro reads)`);
  }
  return warnings;
}
