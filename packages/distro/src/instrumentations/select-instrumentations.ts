import type { DefaultInstrumentation, InstrumentationOptions } from './default-instrumentations';

const PACKAGE_PREFIX = '@opentelemetry/instrumentation-';

/** The instrumentation lists of the environment (short names), as the settings resolved them. */
export interface InstrumentationLists {
  /** `OTEL_NODE_ENABLED_INSTRUMENTATIONS`: only these; `undefined` when not set. */
  readonly enabled: ReadonlySet<string> | undefined;
  /** `OTEL_NODE_DISABLED_INSTRUMENTATIONS`: not these; `undefined` when not set. */
  readonly disabled: ReadonlySet<string> | undefined;
}

/** One instrumentation switched on, with the user's options for it (without `enabled`). */
interface SelectedInstrumentation {
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
 * prefix is accepted too (see {@link parseInstrumentationList}). Unknown option keys produce a
 * warning and are otherwise ignored.
 *
 * @param table - The instrumentations to choose from.
 * @param options - The `instrumentationOptions` option.
 * @param lists - The environment's lists.
 */
export function selectInstrumentations(
  table: readonly DefaultInstrumentation[],
  options: InstrumentationOptions | undefined,
  lists: InstrumentationLists,
): InstrumentationSelection {
  const warnings: string[] = [];
  const { enabled: enabledList, disabled: disabledList } = lists;
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

/**
 * A list of instrumentation short names (`OTEL_NODE_ENABLED_INSTRUMENTATIONS`, ...), already split
 * and lower-cased: the `@opentelemetry/instrumentation-` prefix is dropped; unknown names are
 * reported through `warn` and left out.
 *
 * @param entries - The entries of the variable.
 * @param known - The short names of the instrumentations.
 * @param warn - Receives one sentence per unknown name.
 * @param variable - The variable's name, for the warning.
 */
export function parseInstrumentationList(entries: readonly string[], known: readonly string[], warn: (message: string) => void, variable: string): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const name = entry.replace(PACKAGE_PREFIX, '');
    if (name === '') continue;
    if (known.includes(name)) names.add(name);
    else warn(`${variable} names an unknown instrumentation "${name}" (ignored); known names: ${known.join(', ')}`);
  }
  return names;
}
