import {
  diag, ValueType, type Attributes, type Counter, type Histogram, type HrTime, type Meter, type MeterOptions, type MeterProvider,
  type MetricOptions, type UpDownCounter,
} from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality, DataPointType, InstrumentType, type CollectionResult, type IMetricReader, type PushMetricExporter, type ViewOptions, type MetricData, type MetricDescriptor, type MetricProducer, type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { CumulativeSeries, IntervalSeries, type SeriesCell } from './instrument-series';
import { oneBucketHistogramPoint, recordHistogramValue } from './aggregate-cell';

type Kind = 'histogram' | 'counter' | 'upDownCounter';

/** One synchronous instrument's aggregation (one per name within a meter, as the SDK shares storage). */
class InstrumentState {
  readonly interval = new IntervalSeries();
  private readonly cumulative: CumulativeSeries | undefined;
  constructor(readonly kind: Kind, readonly descriptor: MetricDescriptor) {
    this.cumulative = kind === 'upDownCounter' ? new CumulativeSeries() : undefined;
  }

  /** The SDK's checks before a value reaches its storage; the value to record, or undefined to drop it. */
  accept(value: number): number | undefined {
    if (this.kind !== 'upDownCounter' && value < 0) {
      diag.warn(`negative value provided to ${this.kind === 'histogram' ? 'histogram' : 'counter'} ${this.descriptor.name}: ${value}`);
      return undefined;
    }
    if (typeof value !== 'number') {
      diag.warn(`non-number value provided to metric ${this.descriptor.name}: ${String(value)}`);
      return undefined;
    }
    if (this.descriptor.valueType === ValueType.INT && !Number.isInteger(value)) {
      diag.warn(`INT value type cannot accept a floating-point value for ${this.descriptor.name}, ignoring the fractional digits.`);
      const truncated = Math.trunc(value);
      return Number.isInteger(truncated) ? truncated : undefined;
    }
    return value;
  }

  /** The interval's metric (undefined when it has no point), the interval started anew. */
  collect(startTime: HrTime, endTime: HrTime): MetricData | undefined {
    const drained = this.interval.drain();
    const cells = this.cumulative ? this.cumulative.merge(drained) : drained;
    if (cells.length === 0) return undefined;
    if (this.kind === 'histogram') {
      return {
        descriptor: this.descriptor, aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM,
        dataPoints: cells.map((c) => oneBucketHistogramPoint(c, startTime, endTime)),
      };
    }
    return {
      descriptor: this.descriptor,
      aggregationTemporality: this.cumulative ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: this.kind === 'counter',
      dataPoints: cells.map((c: SeriesCell) => ({ attributes: c.attributes, startTime, endTime, value: c.sum })),
    };
  }
}

function histogramOf(state: InstrumentState): Histogram {
  return {
    record(value: number, attributes: Attributes = {}): void {
      const accepted = state.accept(value);
      if (accepted === undefined) return;
      const cell = state.interval.cell(attributes);
      if (Number.isNaN(accepted)) return; // the SDK's histogram: the series exists, the value is not counted
      recordHistogramValue(cell, accepted);
    },
  };
}

function sumOf(state: InstrumentState): Counter & UpDownCounter {
  return {
    add(value: number, attributes: Attributes = {}): void {
      const accepted = state.accept(value);
      if (accepted !== undefined) state.interval.cell(attributes).sum += accepted;
    },
  };
}

const descriptorOf = (name: string, options: MetricOptions | undefined): MetricDescriptor => ({
  name, description: options?.description ?? '', unit: options?.unit ?? '', valueType: options?.valueType ?? ValueType.DOUBLE,
});

/** A meter whose histograms and counters aggregate here; gauges and observables stay the SDK's. */
class InstrumentationMeter {
  readonly states: InstrumentState[] = [];
  constructor(readonly scope: ScopeMetrics['scope'], private readonly sdk: Meter) {}

  /** The meter as the instrumentations see it. */
  api(): Meter {
    const sdk = this.sdk;
    return {
      createHistogram: (name, options) => histogramOf(this.stateFor('histogram', name, options)),
      createCounter: (name, options) => sumOf(this.stateFor('counter', name, options)),
      createUpDownCounter: (name, options) => sumOf(this.stateFor('upDownCounter', name, options)),
      createGauge: (name, options) => sdk.createGauge(name, options),
      createObservableGauge: (name, options) => sdk.createObservableGauge(name, options),
      createObservableCounter: (name, options) => sdk.createObservableCounter(name, options),
      createObservableUpDownCounter: (name, options) => sdk.createObservableUpDownCounter(name, options),
      addBatchObservableCallback: (callback, observables) => sdk.addBatchObservableCallback(callback, observables),
      removeBatchObservableCallback: (callback, observables) => sdk.removeBatchObservableCallback(callback, observables),
    };
  }

  /** As the SDK: an instrument of the same name (the SDK's registry is by exact name), kind, unit and value type shares the first one's series. */
  private stateFor(kind: Kind, name: string, options: MetricOptions | undefined): InstrumentState {
    const descriptor = descriptorOf(name, options);
    const same = this.states.find((s) => s.kind === kind && s.descriptor.name === name
      && s.descriptor.unit === descriptor.unit && s.descriptor.valueType === descriptor.valueType);
    if (same !== undefined) return same;
    const state = new InstrumentState(kind, descriptor);
    this.states.push(state);
    return state;
  }
}

/** What decides whether the instrumentations' metrics can leave the SDK. */
export interface MetricsSetup {
  /** The Application Insights exporter; absent when metrics are not exported. */
  readonly exporter: PushMetricExporter | undefined;
  /** The `views` setting. */
  readonly views: readonly ViewOptions[];
  /** The `metricReaders` setting. */
  readonly metricReaders: readonly IMetricReader[];
}

/**
 * Whether {@link createInstrumentationMeters} hands the exporter what the SDK would: only when the
 * Application Insights reader is the only one (no `metricReaders`, which would not see these
 * instruments), no `views` (which could rename, filter or re-aggregate them), and the exporter asks
 * for Azure Monitor's temporality (DELTA, CUMULATIVE for up-down counters).
 */
export function canAggregateInstrumentationMetrics(setup: MetricsSetup): boolean {
  const select = setup.exporter?.selectAggregationTemporality?.bind(setup.exporter);
  return select !== undefined && setup.views.length === 0 && setup.metricReaders.length === 0
    && select(InstrumentType.HISTOGRAM) === AggregationTemporality.DELTA
    && select(InstrumentType.COUNTER) === AggregationTemporality.DELTA
    && select(InstrumentType.UP_DOWN_COUNTER) === AggregationTemporality.CUMULATIVE;
}

/** See {@link createInstrumentationMeters}. */
export interface InstrumentationMeters {
  /** Give to `registerInstrumentations` as their meter provider. */
  readonly meterProvider: MeterProvider;
  /** Give to the Application Insights reader as a metric producer, ahead of any other. */
  readonly producer: MetricProducer;
}

/**
 * The instrumentations' own metrics (e.g. `http.server.request.duration`,
 * `db.client.operation.duration`, pg's connection counts) without the metrics SDK on the record
 * path: histograms, counters and up-down counters aggregate per instrument, each series found through
 * a trie of the attribute values (`IntervalSeries`; the SDK hashes sorted attributes per record), and reach the
 * Application Insights reader through `producer` with what the SDK's reader handed its exporter:
 * the same metrics, attributes (the first object recorded per series), series order and
 * cardinality limit, DELTA temporality, CUMULATIVE for up-down counters (Azure Monitor's), with
 * one-bucket histograms (Application Insights reads count, sum, min and max only). Gauges and
 * observable instruments go to `sdk` as before. Only for a reader that exports to Application
 * Insights alone: views and other readers would not see these instruments.
 *
 * @param sdk - The SDK's meter provider (for gauges and observables), asked when a meter is first got.
 * @param resource - The resource the producer reports (the reader uses its own).
 */
export function createInstrumentationMeters(sdk: () => MeterProvider, resource: Resource): InstrumentationMeters {
  const meters = new Map<string, InstrumentationMeter>();
  let intervalStart = millisToHrTime(Date.now());
  const getMeter = (name: string, version = '', options: MeterOptions = {}): Meter => {
    const id = `${name}:${version}:${options.schemaUrl ?? ''}`;
    let meter = meters.get(id);
    if (meter === undefined) {
      meter = new InstrumentationMeter({ name, version, ...(options.schemaUrl !== undefined ? { schemaUrl: options.schemaUrl } : {}) }, sdk().getMeter(name, version, options));
      meters.set(id, meter);
    }
    return meter.api();
  };
  const collect = (): Promise<CollectionResult> => {
    const endTime = millisToHrTime(Date.now());
    const startTime = intervalStart;
    intervalStart = endTime;
    const scopeMetrics: ScopeMetrics[] = [];
    for (const meter of meters.values()) {
      const metrics = meter.states.map((s) => s.collect(startTime, endTime)).filter((m): m is MetricData => m !== undefined);
      if (metrics.length > 0) scopeMetrics.push({ scope: meter.scope, metrics });
    }
    return Promise.resolve({ resourceMetrics: { resource, scopeMetrics }, errors: [] });
  };
  return { meterProvider: { getMeter }, producer: { collect } };
}
