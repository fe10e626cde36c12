import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { defaultSdkVersion } from './sdk-version';

/**
 * Decides a request's or dependency's `success`. Receives the span and the value the mapper
 * computed (explicit span status first, else response code < 400) and returns the final value.
 */
export type SuccessOverride = (span: ReadableSpan, computedSuccess: boolean) => boolean;

/**
 * What names an HTTP request that has no `http.route`: `path` (default) gives `METHOD /path`, exact
 * but of high cardinality (one name per id in the path); `spanName` uses the span name, usually low
 * cardinality (`GET`) but less telling.
 */
export type RequestNameSource = 'path' | 'spanName';

/**
 * The operation name a span or log record inherits from the request it was produced in (in the same
 * process), or undefined when it was produced outside any request. Called when the item is mapped,
 * so a name that became known after the item started (a route set during routing) is used.
 */
export type OperationNameLookup = (item: ReadableSpan | ReadableLogRecord) => string | undefined;

/** Everything a mapper needs besides the telemetry item itself. Build it once per exporter. */
export interface MappingContext {
  /** Written to every envelope's `iKey`. */
  readonly instrumentationKey: string;
  /** `ai.internal.sdkVersion`, e.g. `node20.20.2:otel2.12.0:ext0.1.0`. */
  readonly sdkVersion: string;
  /**
   * Sample rate (percentage kept) for items that do not carry their own `microsoft.sample_rate`
   * span attribute. Return undefined when not sampling.
   */
  readonly sampleRate?: () => number | undefined;
  /** Optional override of the computed `success` of requests and dependencies. */
  readonly successOverride?: SuccessOverride;
  /** Name of HTTP requests without `http.route` (default `path`). */
  readonly requestNameSource?: RequestNameSource;
  /**
   * `ai.operation.name` of dependencies, logs and their events when they carry no explicit
   * `ai.operation.name` attribute: the enclosing request's operation name (the distro's operation
   * name tracker provides it). Requests always use their own.
   */
  readonly operationNameOf?: OperationNameLookup;
}

/** Options of {@link createMappingContext}; only the instrumentation key is required. */
export interface MappingContextOptions {
  instrumentationKey: string;
  sdkVersion?: string;
  sampleRate?: () => number | undefined;
  successOverride?: SuccessOverride;
  requestNameSource?: RequestNameSource;
  operationNameOf?: OperationNameLookup;
}

/** Builds a frozen {@link MappingContext}, defaulting `sdkVersion` to {@link defaultSdkVersion}. */
export function createMappingContext(options: MappingContextOptions): MappingContext {
  return Object.freeze({
    instrumentationKey: options.instrumentationKey,
    sdkVersion: options.sdkVersion ?? defaultSdkVersion(),
    ...(options.sampleRate ? { sampleRate: options.sampleRate } : {}),
    ...(options.successOverride ? { successOverride: options.successOverride } : {}),
    ...(options.requestNameSource ? { requestNameSource: options.requestNameSource } : {}),
    ...(options.operationNameOf ? { operationNameOf: options.operationNameOf } : {}),
  });
}
