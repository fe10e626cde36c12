import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { DEFAULT_INSTRUMENTATIONS, type DefaultInstrumentation, type InstrumentationOptions } from './default-instrumentations';
import { createOwnRequestMatcher } from './own-requests';
import { createAppResolver, type AppResolver } from './resolve-from-app';
import { selectInstrumentations, type InstrumentationLists } from './select-instrumentations';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** What {@link planInstrumentations} decided: which instrumentations to load, and the targets found. */
export interface InstrumentationPlan {
  readonly entries: ReadonlyArray<{ readonly instrumentation: DefaultInstrumentation; readonly config: Record<string, unknown>; readonly targetPath: string | undefined }>;
  readonly warnings: readonly string[];
}

/**
 * Chooses the instrumentations to load without loading any: those switched on (options, then
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS`, then defaults)
 * whose target package the application can resolve (Node builtins always can).
 *
 * @param options - The `instrumentationOptions` option.
 * @param lists - The environment's instrumentation lists (resolved settings).
 * @param resolve - Finds a package from the application's perspective (default: its cwd and main script).
 */
export function planInstrumentations(
  options: InstrumentationOptions | undefined,
  lists: InstrumentationLists,
  resolve: AppResolver = createAppResolver(),
): InstrumentationPlan {
  const { selected, warnings } = selectInstrumentations(DEFAULT_INSTRUMENTATIONS, options, lists);
  const entries: Array<InstrumentationPlan['entries'][number]> = [];
  for (const { instrumentation, config } of selected) {
    if (instrumentation.targets.length === 0) {
      entries.push({ instrumentation, config, targetPath: undefined });
      continue;
    }
    for (const target of instrumentation.targets) {
      const targetPath = resolve(target);
      if (targetPath !== undefined) {
        entries.push({ instrumentation, config, targetPath });
        break;
      }
    }
  }
  return { entries, warnings };
}

/**
 * The installed packages the default instrumentations hook, whether or not they end up enabled
 * (options, including the configuration file's, are only known to `useAzureMonitor()`): the
 * include list of the ES module loader hook. Wrapping a package no instrumentation patches is harmless.
 *
 * @param resolve - Finds a package from the application's perspective.
 */
export function hookedModuleNames(resolve: AppResolver = createAppResolver()): string[] {
  return [...new Set(DEFAULT_INSTRUMENTATIONS.flatMap((i) => i.targets).filter((target) => resolve(target) !== undefined))];
}

/**
 * Builds the instrumentations `useAzureMonitor()` enables: the default ones (see
 * {@link planInstrumentations}) plus `additional`. Outgoing requests to our own endpoints
 * (ingestion, live metrics, the managed identity endpoint, the Entra authority host, the instance
 * metadata service) are never traced, for `node:http(s)`, `fetch`/undici and Azure SDK pipelines
 * alike, so exporting telemetry never produces more telemetry. An instrumentation that fails to
 * load is skipped with a warning; the others still load.
 *
 * @param options - The `instrumentationOptions` option.
 * @param ownOrigins - Origins (`https://host:port`) whose requests are ours.
 * @param lists - The environment's instrumentation lists (resolved settings).
 * @param resolve - Finds a package from the application's perspective.
 */
export function createInstrumentations(
  options: InstrumentationOptions | undefined,
  ownOrigins: readonly string[],
  lists: InstrumentationLists,
  resolve?: AppResolver,
): Instrumentation[] {
  const plan = planInstrumentations(options, lists, resolve);
  for (const warning of plan.warnings) log.warn(warning);
  const own = createOwnRequestMatcher(ownOrigins);
  const list: Instrumentation[] = [];
  for (const { instrumentation, config, targetPath } of plan.entries) {
    try {
      // Built disabled: an instance registers its module hooks only when enabled (by
      // registerInstrumentations(), or by the reuse pool at re-initialisation), so one the pool
      // replaces by an earlier instance leaves no hook behind.
      list.push(instrumentation.create({ ...config, enabled: false }, { own, targetPath }));
    } catch (error: unknown) {
      log.warn(`the ${instrumentation.envName} instrumentation could not be loaded and is off: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  list.push(...(options?.additional ?? []));
  return list;
}
