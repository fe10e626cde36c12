import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { AggregationTemporalitySelector } from '@opentelemetry/sdk-metrics';

const CUMULATIVE_INSTRUMENTS: ReadonlySet<InstrumentType> = new Set([
  InstrumentType.UP_DOWN_COUNTER,
  InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
]);

/**
 * Temporality for Azure Monitor: DELTA for every instrument (Application Insights aggregates
 * deltas), except up-down counters, which are CUMULATIVE (their meaning is the current total).
 */
export const azureMonitorTemporalitySelector: AggregationTemporalitySelector = (instrumentType) =>
  CUMULATIVE_INSTRUMENTS.has(instrumentType) ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA;
