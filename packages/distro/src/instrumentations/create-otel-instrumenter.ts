import {
  context, INVALID_SPAN_CONTEXT, propagation, SpanKind, SpanStatusCode, trace,
  type Attributes, type AttributeValue, type Context, type Link, type Span, type Tracer,
} from '@opentelemetry/api';
import { suppressTracing, unsuppressTracing } from '@opentelemetry/core';

/*
 * The shapes of @azure/core-tracing 1.x (`Instrumenter`, `TracingSpan`, `TracingContext`), written
 * structurally so that the distro needs no dependency on that package: Azure SDK clients bring it.
 */

/** An @azure/core-tracing `TracingContext`; an OpenTelemetry `Context` has the same shape. */
type AzureTracingContext = Context;

/** The span kinds @azure/core-tracing uses. */
type AzureSpanKind = 'client' | 'server' | 'producer' | 'consumer' | 'internal';

/** `InstrumenterSpanOptions` of @azure/core-tracing. */
interface AzureSpanOptions {
  packageName: string;
  packageVersion?: string;
  tracingContext?: AzureTracingContext;
  spanKind?: AzureSpanKind;
  spanLinks?: Array<{ tracingContext: AzureTracingContext; attributes?: Record<string, unknown> }>;
  spanAttributes?: Record<string, unknown>;
}

/** `TracingSpan` of @azure/core-tracing. */
interface AzureTracingSpan {
  setStatus(status: { status: 'success' } | { status: 'error'; error?: Error | string }): void;
  setAttribute(name: string, value: unknown): void;
  end(): void;
  recordException(exception: Error | string): void;
  isRecording(): boolean;
  addEvent(name: string, options?: { attributes?: Record<string, unknown>; startTime?: Date }): void;
}

/** `Instrumenter` of @azure/core-tracing: what `useInstrumenter()` accepts. */
export interface AzureInstrumenter {
  startSpan(name: string, spanOptions: AzureSpanOptions): { span: AzureTracingSpan; tracingContext: AzureTracingContext };
  withContext<A extends unknown[], R>(tracingContext: AzureTracingContext, callback: (...args: A) => R, ...callbackArgs: A): R;
  parseTraceparentHeader(traceparentHeader: string): AzureTracingContext | undefined;
  createRequestHeaders(tracingContext?: AzureTracingContext): Record<string, string>;
}

/** What the instrumenter needs from its surroundings. */
export interface OtelInstrumenterOptions {
  /** The tracer for a package (the instrumentation's tracer provider). */
  getTracer(packageName: string, packageVersion?: string): Tracer;
  /** True for requests to our own endpoints (ingestion, token endpoints): not traced. */
  isOwnUrl(url: string): boolean;
  /** False once the instrumentation is disabled: spans are then non-recording. */
  isEnabled(): boolean;
}

const KINDS: Record<AzureSpanKind, SpanKind> = {
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

/**
 * An @azure/core-tracing `Instrumenter` backed by the OpenTelemetry API: Azure SDK client
 * operations and their HTTP calls become spans of the current trace, and their requests carry
 * `traceparent`. The HTTP span an Azure SDK pipeline creates is the dependency, so the
 * `node:http` request below it is not traced again; requests to our own endpoints are not
 * traced at all.
 */
export function createOtelInstrumenter(options: OtelInstrumenterOptions): AzureInstrumenter {
  return {
    startSpan(name, spanOptions) {
      let parent = spanOptions.tracingContext ?? context.active();
      const attributes = toAttributes(spanOptions.spanAttributes);
      const url = attributes['url.full'] ?? attributes['http.url'];
      const nonRecording = wrapSpan(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
      if (!options.isEnabled()) return { span: nonRecording, tracingContext: parent }; // as core-tracing's own no-op
      if (typeof url === 'string' && options.isOwnUrl(url)) return { span: nonRecording, tracingContext: suppressTracing(parent) };
      const span = options.getTracer(spanOptions.packageName, spanOptions.packageVersion).startSpan(name, {
        kind: KINDS[spanOptions.spanKind ?? 'internal'],
        attributes,
        links: (spanOptions.spanLinks ?? []).flatMap((link): Link[] => {
          const linked = trace.getSpanContext(link.tracingContext);
          return linked === undefined ? [] : [{ context: linked, attributes: toAttributes(link.attributes) }];
        }),
      }, parent);
      parent = trace.setSpan(parent, span);
      const isHttp = attributes['http.request.method'] !== undefined || attributes['http.method'] !== undefined;
      return { span: wrapSpan(span), tracingContext: isHttp ? suppressTracing(parent) : parent };
    },
    withContext(tracingContext, callback, ...callbackArgs) {
      return context.with(tracingContext, callback, undefined, ...callbackArgs);
    },
    parseTraceparentHeader(traceparentHeader) {
      return propagation.extract(context.active(), { traceparent: traceparentHeader });
    },
    createRequestHeaders(tracingContext) {
      const headers: Record<string, string> = {};
      // the context of an SDK HTTP span suppresses tracing below it, which propagators also obey
      propagation.inject(unsuppressTracing(tracingContext ?? context.active()), headers);
      return headers;
    },
  };
}

function wrapSpan(span: Span): AzureTracingSpan {
  return {
    setStatus(status) {
      if (status.status === 'success') {
        span.setStatus({ code: SpanStatusCode.OK });
        return;
      }
      const message = status.error instanceof Error ? status.error.message : status.error;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(message !== undefined ? { message } : {}) });
      if (status.error !== undefined) span.recordException(status.error);
    },
    setAttribute(name, value) {
      const attribute = toAttributeValue(value);
      if (attribute !== undefined) span.setAttribute(name, attribute);
    },
    end: () => span.end(),
    recordException: (exception) => span.recordException(exception),
    isRecording: () => span.isRecording(),
    addEvent(name, eventOptions) {
      span.addEvent(name, toAttributes(eventOptions?.attributes), eventOptions?.startTime);
    },
  };
}

function toAttributes(values: Record<string, unknown> | undefined): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    const attribute = toAttributeValue(value);
    if (attribute !== undefined) attributes[key] = attribute;
  }
  return attributes;
}

function toAttributeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  if (Array.isArray(value) && value.every((v) => typeof v === 'boolean')) return value as boolean[];
  return undefined;
}
