import { context as otelContext, SpanKind, trace, type Context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, type RPCMetadata } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { requestOperationName, type OperationNameLookup, type RequestNameSource } from '@appinsights-otel/core';

/** One request (a SERVER or CONSUMER span) and what its items need to name their operation. */
interface Operation {
  /** The request span: live until it ends, then read-only with its final attributes. */
  readonly request: ReadableSpan;
  /**
   * The HTTP instrumentation's metadata of the request, whose `route` a router (express) fills
   * during routing, before the span itself has `http.route`. Dropped when the request ends.
   */
  rpc: RPCMetadata | undefined;
  ended: boolean;
  /** The name once the request ended (it cannot change any more). */
  name: string | undefined;
}

/** Links every span and log record produced inside a request to that request, in-process. */
export interface OperationNameTracker {
  /** Registers requests and links spans started inside them. Put it before the exporting processor. */
  readonly spanProcessor: SpanProcessor;
  /** Links log records emitted inside a request. Put it before the exporting processor. */
  readonly logRecordProcessor: LogRecordProcessor;
  /**
   * The operation name of the request a span or log record was produced in, resolved now (a route
   * set after the item started counts); undefined outside any request and for unknown items.
   * Give it to the trace and log exporters (`operationNameOf`), Live Metrics and standard metrics.
   */
  readonly operationNameOf: OperationNameLookup;
  /**
   * The request span a span or log record was produced in (a request span is its own), or
   * undefined outside any request: the request filter drops an item with its request.
   */
  readonly requestOf: (item: ReadableSpan | ReadableLogRecord) => ReadableSpan | undefined;
}

/** Options of {@link createOperationNameTracker}. */
export interface OperationNameTrackerOptions {
  /** The exporters' `requestNameSource`, so items carry exactly their request's name. */
  requestNameSource?: RequestNameSource;
}

const isRequestKind = (kind: SpanKind): boolean => kind === SpanKind.SERVER || kind === SpanKind.CONSUMER;

/**
 * Operation name propagation: every span and log record started inside a request (its nearest
 * enclosing SERVER or CONSUMER span in this process) is linked to it, and `operationNameOf` names
 * the item when it is mapped, with the same function core uses for the request's own tag
 * (`requestOperationName`). Links are weak: nothing is kept once the items are exported and gone.
 */
export function createOperationNameTracker(options: OperationNameTrackerOptions = {}): OperationNameTracker {
  const operationOfSpan = new WeakMap<object, Operation>();
  const operationOfRecord = new WeakMap<object, Operation>();

  /** The operation of the span active in `context`, learning the request's RPC metadata on the way. */
  function enclosingOperation(context: Context | undefined): Operation | undefined {
    const parent = context !== undefined ? trace.getSpan(context) : undefined;
    const operation = parent !== undefined ? operationOfSpan.get(parent) : undefined;
    if (operation !== undefined && !operation.ended && operation.rpc === undefined && context !== undefined) {
      const rpc = getRPCMetadata(context);
      if (rpc?.type === RPCType.HTTP && (rpc.span as unknown) === operation.request) operation.rpc = rpc;
    }
    return operation;
  }

  const spanProcessor: SpanProcessor = {
    onStart(span: Span, parentContext: Context): void {
      if (isRequestKind(span.kind)) {
        operationOfSpan.set(span, { request: span, rpc: undefined, ended: false, name: undefined });
        return;
      }
      const operation = enclosingOperation(parentContext);
      if (operation !== undefined) operationOfSpan.set(span, operation);
    },
    onEnd(span: ReadableSpan): void {
      const operation = operationOfSpan.get(span);
      if (operation === undefined || operation.request !== span) return;
      operation.ended = true;
      operation.name = requestOperationName(span, options.requestNameSource);
      operation.rpc = undefined;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  const logRecordProcessor: LogRecordProcessor = {
    onEmit(record: ReadWriteLogRecord, context?: Context): void {
      const operation = enclosingOperation(context ?? otelContext.active());
      if (operation !== undefined) operationOfRecord.set(record, operation);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  const operationNameOf: OperationNameLookup = (item) => {
    const operation = operationOfSpan.get(item) ?? operationOfRecord.get(item);
    if (operation === undefined || operation.request === item) return undefined;
    if (operation.ended) return operation.name;
    return requestOperationName(operation.request, options.requestNameSource, operation.rpc?.route);
  };

  const requestOf = (item: ReadableSpan | ReadableLogRecord): ReadableSpan | undefined =>
    (operationOfSpan.get(item) ?? operationOfRecord.get(item))?.request;

  return { spanProcessor, logRecordProcessor, operationNameOf, requestOf };
}
