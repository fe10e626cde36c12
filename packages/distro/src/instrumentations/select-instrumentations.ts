import type { InstrumentationOptions } from '../config/azure-monitor-options';
import type { DefaultInstrumentation } from './default-instrumentations';
import { parseEnvList } from '../config/parse-env-list';

/** Only these instrumentations (comma-separated short names), as @opentelemetry/auto-instrumentations-node reads it. */
export const ENV_ENABLED_INSTRUMENTATIONS = 'OTEL_NODE_ENABLED_INSTRUMENTATIONS';
/** Not these instrumentations (comma-separated short names); applied after the enabled list. */
export const ENV_DISABLED_INSTRUMENTATIONS = 'OTEL_NODE_DISABLED_INSTRUMENTATIONS';

const PACKAGE_PREFIX = '@opentelemetry/instrumentation-';

/** One instrumentation switched on, with the user's options for it (without `enabled`). */
export interface SelectedInstrumentation {
  readonly instrumentation: DefaultInstrumentation;
  readonly config: Record<string, unknown>;
}

/** The outcome of {@link selectInstrumentations}. */
export interface InstrumentationSelection {
  readonly selected: readonly SelectedInstrumentation[];
  /** One sentence per problem (unknown names), to be logged as warnings. */
  readonly warnings: readonly string[];
}

/**
 * Decides which instrumentations are on, before anything is loaded. For each one, first match wins:
 * 1. `instrumentationOptions.<key>.enabled` (true or false);
 * 2. `OTEL_NODE_DISABLED_INSTRUMENTATIONS` lists it: off;
 * 3. `OTEL_NODE_ENABLED_INSTRUMENTATIONS` is set: on only if listed;
 * 4. its default (all on except `console`).
 * Names are the short names (`pg`, `express`, `azure-sdk`); the `@opentelemetry/instrumentation-`
 * prefix is accepted too. Unknown names (in the variables or as option keys) produce a warning and
 * are otherwise ignored.
 *
 * @param table - The instrumentations to choose from.
 * @param options - The `instrumentationOptions` option.
 * @param env - The environment.
 */
export function selectInstrumentations(
  table: readonly DefaultInstrumentation[],
  options: InstrumentationOptions | undefined,
  env: NodeJS.ProcessEnv,
): InstrumentationSelection {
  const known = new Set(table.map((i) => i.envName));
  const warnings: string[] = [];
  const enabledList = parseNameList(env, ENV_ENABLED_INSTRUMENTATIONS, known, warnings);
  const disabledList = parseNameList(env, ENV_DISABLED_INSTRUMENTATIONS, known, warnings);
  const keys = new Set<string>(table.map((i) => i.key));
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'additional' && !keys.has(key)) warnings.push(`instrumentationOptions.${key} names no instrumentation (ignored); known names: ${[...keys].join(', ')}`);
  }
  const selected: SelectedInstrumentation[] = [];
  for (const instrumentation of table) {
    const { enabled, ...config } = (options?.[instrumentation.key] ?? {}) as { enabled?: boolean } & Record<string, unknown>;
    const on = enabled
      ?? (disabledList?.has(instrumentation.envName) === true ? false
        : enabledList !== undefined ? enabledList.has(instrumentation.envName)
          : instrumentation.enabledByDefault);
    if (on) selected.push({ instrumentation, config });
  }
  return { selected, warnings };
}

function parseNameList(env: NodeJS.ProcessEnv, variable: string, known: ReadonlySet<string>, warnings: string[]): Set<string> | undefined {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = new Set<string>();
  for (const entry of parseEnvList(raw)) {
    const name = entry.replace(PACKAGE_PREFIX, '');
    if (name === '') continue;
    if (known.has(name)) names.add(name);
    else warnings.push(`${variable} names an unknown instrumentation "${name}" (ignored); known names: ${[...known].join(', ')}`);
  }
  return names;
}
