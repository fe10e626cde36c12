/** A trimmed, non-blank environment value, else `undefined`. */
export function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The first of `names` that is set (non-blank), else `undefined`. */
export function firstEnvValue(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = envValue(env, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Resource attributes detected from the environment (only string and number values, never undefined). */
export type DetectedAttributes = Record<string, string | number>;

/** Copies the defined entries of `attributes` (so detectors can list optional ones inline). */
export function definedAttributes(attributes: Record<string, string | number | undefined>): DetectedAttributes {
  const out: DetectedAttributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
