import { InvalidSettingError, isPositiveNumber, isRatio, type EnvValues, type SourceValues } from '../config/setting-parsers';

/** The sampling a configuration asks for. */
export type SamplerSpec =
  | { readonly kind: 'ratio'; readonly ratio: number }
  | { readonly kind: 'rate-limited'; readonly tracesPerSecond: number }
  | { readonly kind: 'always-off' };

/** Keep every trace. */
export const KEEP_EVERYTHING: SamplerSpec = Object.freeze({ kind: 'ratio', ratio: 1 });

/**
 * `tracesPerSecond` and `samplingRatio` of one source (options, or the configuration file):
 * `tracesPerSecond` wins. A bad value of either is an {@link InvalidSettingError} naming it.
 */
export function samplerFromValues(values: SourceValues): SamplerSpec | undefined {
  if (values['tracesPerSecond'] !== undefined) {
    return { kind: 'rate-limited', tracesPerSecond: check(isPositiveNumber, values['tracesPerSecond'], 'tracesPerSecond') };
  }
  if (values['samplingRatio'] !== undefined) return { kind: 'ratio', ratio: check(isRatio, values['samplingRatio'], 'samplingRatio') };
  return undefined;
}

/**
 * `OTEL_TRACES_SAMPLER` with `OTEL_TRACES_SAMPLER_ARG`: `microsoft.fixed_percentage` /
 * `traceidratio` / `parentbased_traceidratio` (ARG = ratio, default 1), `microsoft.rate_limited`
 * (ARG = traces per second), `always_on` / `parentbased_always_on`, `always_off` /
 * `parentbased_always_off`. Without `OTEL_TRACES_SAMPLER`, not set.
 */
export function samplerFromEnv(values: EnvValues): SamplerSpec | undefined {
  const name = values['OTEL_TRACES_SAMPLER']?.toLowerCase();
  const arg = values['OTEL_TRACES_SAMPLER_ARG'];
  switch (name) {
    case undefined:
      return undefined;
    case 'always_on':
    case 'parentbased_always_on':
      return KEEP_EVERYTHING;
    case 'always_off':
    case 'parentbased_always_off':
      return { kind: 'always-off' };
    case 'microsoft.fixed_percentage':
    case 'traceidratio':
    case 'parentbased_traceidratio':
      if (arg === undefined) return KEEP_EVERYTHING;
      return { kind: 'ratio', ratio: checkArg(isRatio, arg, `must be a ratio from 0 to 1 for ${name}`) };
    case 'microsoft.rate_limited':
      return { kind: 'rate-limited', tracesPerSecond: checkArg(isPositiveNumber, arg, 'must be traces per second (above 0) for microsoft.rate_limited') };
    default:
      throw new InvalidSettingError(`names a sampler that is not supported here ("${name}"); see docs/configuration.md for the ones the distro knows`, 'OTEL_TRACES_SAMPLER');
  }
}

function check<T>(validate: (value: unknown) => T, value: unknown, name: string): T {
  try {
    return validate(value);
  } catch (error: unknown) {
    if (error instanceof InvalidSettingError) throw new InvalidSettingError(error.problem, name);
    throw error;
  }
}

function checkArg<T>(validate: (value: unknown) => T, arg: string | undefined, problem: string): T {
  try {
    return validate(Number(arg));
  } catch {
    throw new InvalidSettingError(problem, 'OTEL_TRACES_SAMPLER_ARG');
  }
}

/** How a sampler spec reads in messages: `ratio 0.25`, `rate-limited 5/s`, `always off`. */
export function describeSampler(spec: SamplerSpec): string {
  switch (spec.kind) {
    case 'ratio': return `ratio ${spec.ratio}`;
    case 'rate-limited': return `rate-limited ${spec.tracesPerSecond}/s`;
    case 'always-off': return 'always off';
  }
}
