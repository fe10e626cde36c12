import { parseEnvList } from './parse-env-list';

/**
 * A value a setting cannot use. `problem` continues a sentence that starts with where the value
 * came from (`the samplingRatio option`, `OTEL_METRIC_EXPORT_INTERVAL`, ...) and says the fix:
 * `must be a number from 0 to 1`. `name` is the option, variable or key at fault when a setting
 * reads several.
 */
export class InvalidSettingError extends Error {
  readonly code = 'INVALID_SETTING';

  constructor(readonly problem: string, readonly settingName?: string) {
    super(problem);
    this.name = 'InvalidSettingError';
  }
}

/** What a parser may use besides the value: where a name came from, and a way to warn about a value it still accepts. */
export interface ParseContext {
  /** The source, for messages: `options`, `environment`, or the configuration file's description. */
  readonly sourceName: string;
  /** `the x option`, `X_VARIABLE` or `<file>: "x"`: the start of a sentence about `name` from this source. */
  where(name: string): string;
  /** A problem that leaves the value usable (an unknown list entry, an exporter the distro does not set up). */
  warn(message: string): void;
}

/** The values one source gives a setting, by name (only the names that are set). */
export type SourceValues = Readonly<Record<string, unknown>>;
/** The environment variables of a setting that are set (trimmed, non-blank), by name. */
export type EnvValues = Readonly<Record<string, string>>;

/** A parser of a setting's option or file value(s); `undefined` means "not set here". */
export type ValueParser<T> = (values: SourceValues, context: ParseContext) => T | undefined;
/** A parser of a setting's environment variable(s); `undefined` means "not set here". */
export type EnvParser<T> = (values: EnvValues, context: ParseContext) => T | undefined;

/** The only value of a one-name setting (its parser is called only when it is set). */
function only<V>(values: Readonly<Record<string, V>>): V {
  return Object.values(values)[0] as V;
}

/** A parser of a one-name setting from a check of its single value. */
export function single<T>(check: (value: unknown) => T): ValueParser<T> {
  return (values) => check(only(values));
}

/** An environment parser of a one-variable setting from a parser of its text. */
export function singleEnv<T>(parse: (text: string, context: ParseContext) => T | undefined): EnvParser<T> {
  return (values, context) => parse(only(values), context);
}

export function isBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidSettingError('must be true or false');
  return value;
}

export function isString(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidSettingError('must be a string');
  return value.trim();
}

export function isPositiveNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidSettingError('must be a number above 0');
  return value;
}

export function isRatio(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new InvalidSettingError('must be a number from 0 to 1');
  return value;
}

export function isFunction<F extends (...args: never[]) => unknown>(value: unknown): F {
  if (typeof value !== 'function') throw new InvalidSettingError('must be a function');
  return value as F;
}

export function isArray<T>(value: unknown): T[] {
  if (!Array.isArray(value)) throw new InvalidSettingError('must be an array');
  return value as T[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One of `allowed`, exactly. */
export function isOneOf<T extends string>(allowed: readonly T[]): (value: unknown) => T {
  return (value) => {
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      throw new InvalidSettingError(`must be ${allowed.map((a) => `'${a}'`).join(' or ')}`);
    }
    return value as T;
  };
}

/** `true`/`1` or `false`/`0`, any case. */
export function parseBooleanText(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new InvalidSettingError('must be true or false (or 1 or 0)');
}

/** A number above 0 written as text. */
export function parsePositiveNumberText(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidSettingError('must be a number above 0');
  return value;
}

/**
 * `OTEL_{TRACES,METRICS,LOGS}_EXPORTER` as a "turn export off" switch: `none` in the list turns it
 * off; names other than `none` and `azure_monitor` are reported (the distro sets up no other exporter).
 */
export function parseExporterListAsDisable(text: string, context: ParseContext, variable: string): boolean {
  const names = parseEnvList(text);
  const others = names.filter((n) => n !== 'none' && n !== 'azure_monitor');
  if (others.length > 0) {
    context.warn(`${variable}=${text.toLowerCase()}: only "none" (no Application Insights export) is understood here; other exporters are not set up by the distro`);
  }
  return names.includes('none');
}
