import type { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type Sampler, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { AutoCollectionSetup } from '../live-metrics/create-auto-collection';
import type { OperationProcessors } from '../operation-name/create-operation-processors';

/** What the tracer provider is built from. */
export interface TracesInput {
  readonly resource: Resource;
  readonly sampler: Sampler;
  /** The `spanProcessors` setting: run before the exporting processor. */
  readonly spanProcessors: readonly SpanProcessor[];
  /** Absent when traces are not exported (the provider still runs). */
  readonly exporter: SpanExporter | undefined;
  readonly auto: AutoCollectionSetup | undefined;
  /** Operation tracking (first) and the request filter (in front of the exporting processor). */
  readonly operations: Pick<OperationProcessors, 'leadingSpanProcessors' | 'wrapExportingSpanProcessor'>;
}

/**
 * The tracer provider: the user's processors (and the Live Metrics tap), then batch export to
 * Application Insights; the sampler wrapped so Live Metrics still counts what it drops.
 */
export function buildTracerProvider(input: TracesInput): NodeTracerProvider {
  const { auto, exporter, operations } = input;
  return new NodeTracerProvider({
    resource: input.resource,
    sampler: auto ? auto.wrapSampler(input.sampler) : input.sampler,
    spanProcessors: [
      ...operations.leadingSpanProcessors,
      ...(auto ? auto.spanProcessors(input.spanProcessors) : input.spanProcessors),
      ...(exporter ? [operations.wrapExportingSpanProcessor(new BatchSpanProcessor(exporter))] : []),
    ],
  });
}
