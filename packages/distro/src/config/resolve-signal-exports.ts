import { parseEnvList } from './parse-env-list';

/** Which signals are exported to Application Insights. */
export interface SignalExports {
  readonly traces: boolean;
  readonly metrics: boolean;
  readonly logs: boolean;
  /** Settings that were not understood, one sentence each. */
  readonly warnings: readonly string[];
}

/** The per-signal off switches of one source (options, or the configuration file). */
export interface SignalSwitches {
  disableTraceExport?: boolean;
  disableMetricExport?: boolean;
  disableLogExport?: boolean;
}

const SIGNALS = [
  { signal: 'traces', option: 'disableTraceExport', variable: 'OTEL_TRACES_EXPORTER' },
  { signal: 'metrics', option: 'disableMetricExport', variable: 'OTEL_METRICS_EXPORTER' },
  { signal: 'logs', option: 'disableLogExport', variable: 'OTEL_LOGS_EXPORTER' },
] as const;

/**
 * Per signal: the `disable{Trace,Metric,Log}Export` option > `OTEL_{TRACES,METRICS,LOGS}_EXPORTER`
 * (`none` turns export off; any other value keeps it, with a warning unless it is
 * `azure_monitor`) > the configuration file's key > exported. A signal that is not exported still
 * has its provider (context propagation, your own processors and readers keep working).
 *
 * @param options - The `useAzureMonitor()` options.
 * @param env - The environment (default `process.env`).
 * @param file - The configuration file's settings.
 */
export function resolveSignalExports(options: SignalSwitches, env: NodeJS.ProcessEnv = process.env, file: SignalSwitches = {}): SignalExports {
  const warnings: string[] = [];
  const enabled = { traces: true, metrics: true, logs: true };
  for (const { signal, option, variable } of SIGNALS) {
    const fromOption = options[option];
    const raw = env[variable]?.trim().toLowerCase();
    if (fromOption !== undefined) {
      enabled[signal] = !fromOption;
    } else if (raw !== undefined && raw !== '') {
      const names = parseEnvList(raw);
      enabled[signal] = !names.includes('none');
      const others = names.filter((n) => n !== 'none' && n !== 'azure_monitor');
      if (others.length > 0) warnings.push(`${variable}=${raw}: only "none" (no Application Insights export) is understood here; other exporters are not set up by the distro`);
    } else if (file[option] !== undefined) {
      enabled[signal] = !file[option];
    }
  }
  return { ...enabled, warnings };
}
