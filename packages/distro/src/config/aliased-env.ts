import { InvalidSettingError, type EnvParser, type ParseContext } from './setting-parsers';

/** One environment variable of a setting and how its text reads. */
export interface EnvAlias<T> {
  readonly name: string;
  parse(text: string, context: ParseContext): T;
}

/**
 * An environment parser for a setting that several variables can set: ours and the official
 * distro's name for the same thing. The rule (docs/configuration.md, "Variables of the official
 * distro"): the first variable in `aliases` that is set wins (ours come first); when a later one
 * is set too and reads differently, a warning names both and says which one is used. A bad value
 * of the winning variable is an error of that variable (the row's policy applies); a bad value of
 * a losing one only a warning.
 */
export function aliasedEnv<T>(aliases: readonly EnvAlias<T>[], same: (a: T, b: T) => boolean = Object.is): EnvParser<T> {
  return (values, context) => {
    const set = aliases.filter((alias) => values[alias.name] !== undefined);
    const [first, ...others] = set;
    if (first === undefined) return undefined;
    const value = parseNamed(first, values[first.name] as string, context);
    for (const other of others) {
      let otherValue: T;
      try {
        otherValue = other.parse(values[other.name] as string, context);
      } catch {
        context.warn(`${other.name} is ignored: ${first.name} is set too and wins`);
        continue;
      }
      if (!same(value, otherValue)) context.warn(`${first.name} and ${other.name} disagree; ${first.name} wins`);
    }
    return value;
  };
}

/** The alias's value; its {@link InvalidSettingError} names the variable. */
function parseNamed<T>(alias: EnvAlias<T>, text: string, context: ParseContext): T {
  try {
    return alias.parse(text, context);
  } catch (error: unknown) {
    if (error instanceof InvalidSettingError && error.settingName === undefined) throw new InvalidSettingError(error.problem, alias.name);
    throw error;
  }
}
