import type { Meter } from '@opentelemetry/api';
import { createProcessStats, type ProcessStats } from './create-process-stats';
import type { TappedItem } from './create-telemetry-tap';

/** Feeds the request/exception counters behind the rate and duration performance counters. */
export type PerformanceCounterRecorder = (item: TappedItem) => void;

/** Options of {@link registerPerformanceCounters}. */
export interface PerformanceCounterOptions {
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
  readonly processStats?: ProcessStats;
}

/**
 * Registers the eight performance counters of the official distro as observable gauges, read at
 * each metric export: process CPU (`Process_Time`, % of one core, and `Process_Time_Normalized`,
 * % of all cores), machine CPU (`Processor_Time`), private bytes
 * (`Private_Bytes`, the process's resident set), available memory (`Available_Bytes`), request rate
 * (`Request_Rate`, per second), request duration (`Request_Execution_Time`, average ms) and
 * exception rate (`Exception_Rate`, per second), each over the interval since the previous
 * export. Core's metric mapper sends them under the portal's counter names
 * (`\Processor(_Total)\% Processor Time`, ...), which ingestion stores in `performanceCounters`.
 */
export function registerPerformanceCounters(meter: Meter, options: PerformanceCounterOptions = {}): PerformanceCounterRecorder {
  const now = options.now ?? (() => performance.now());
  const stats = options.processStats ?? createProcessStats(now);
  let requests = 0;
  let requestMillis = 0;
  let exceptions = 0;
  let since = now();

  const gauges = {
    processorTime: meter.createObservableGauge('Processor_Time', { unit: '%' }),
    processTime: meter.createObservableGauge('Process_Time', { unit: '%' }),
    processTimeNormalized: meter.createObservableGauge('Process_Time_Normalized', { unit: '%' }),
    privateBytes: meter.createObservableGauge('Private_Bytes', { unit: 'By' }),
    availableBytes: meter.createObservableGauge('Available_Bytes', { unit: 'By' }),
    requestRate: meter.createObservableGauge('Request_Rate', { unit: '{request}/s' }),
    requestDuration: meter.createObservableGauge('Request_Execution_Time', { unit: 'ms' }),
    exceptionRate: meter.createObservableGauge('Exception_Rate', { unit: '{exception}/s' }),
  };
  meter.addBatchObservableCallback((result) => {
    const seconds = Math.max(0.001, (now() - since) / 1_000);
    const sample = stats.sample();
    result.observe(gauges.processorTime, sample.machineCpuPercent);
    result.observe(gauges.processTime, sample.processCpuPercentOfOneCore);
    result.observe(gauges.processTimeNormalized, sample.processCpuPercent);
    result.observe(gauges.privateBytes, sample.privateBytes);
    result.observe(gauges.availableBytes, sample.availableBytes);
    result.observe(gauges.requestRate, requests / seconds);
    result.observe(gauges.requestDuration, requests > 0 ? requestMillis / requests : 0);
    result.observe(gauges.exceptionRate, exceptions / seconds);
    requests = 0;
    requestMillis = 0;
    exceptions = 0;
    since = now();
  }, Object.values(gauges));

  return ({ kind, durationMillis }) => {
    if (kind === 'request') {
      requests++;
      requestMillis += durationMillis;
    } else if (kind === 'exception') {
      exceptions++;
    }
  };
}
