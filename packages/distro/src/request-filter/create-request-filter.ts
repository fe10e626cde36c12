import { diag, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RequestNameSource } from '@appinsights-otel/core';
import type { OperationNameTracker } from '../operation-name/create-operation-name-tracker';
import { decideAtEnd, decideAtStart, type FilterDecision } from './match-request';
import type { RequestFilterOptions } from './request-filter-options';

/**
 * Items of one undecided request held back at most; past it the request is kept (its items are
 * sent), so a long-running request never holds unbounded memory.
 */
export const MAX_HELD_ITEMS_PER_REQUEST = 512;

/** One request's decision, and the items held back while it is pending. */
interface RequestState {
  decision: FilterDecision;
  /** Sends a held item to the exporting processor. */
  held: (() => void)[];
}

/** The request filter, in front of the exporting span and log processors. */
export interface RequestFilter {
  /** Decides requests when they end. Put it before the exporting span processor. */
  readonly spanProcessor: SpanProcessor;
  /** The exporting span processor, receiving only the spans of kept requests (and spans outside any request). */
  wrapSpanProcessor(inner: SpanProcessor): SpanProcessor;
  /** The exporting log processor, receiving only the records of kept requests (and records outside any request). */
  wrapLogRecordProcessor(inner: LogRecordProcessor): LogRecordProcessor;
}

/** Options of {@link createRequestFilter}. */
export interface RequestFilterSetup {
  readonly filter: RequestFilterOptions;
  /** Links items to their request. */
  readonly tracker: Pick<OperationNameTracker, 'requestOf'>;
  /** As the exporters', for the predicate's `operationName`. */
  readonly requestNameSource?: RequestNameSource;
}

/**
 * A dropped request takes everything produced inside it in this process with it: its spans (and
 * their events) and log records never reach the exporting processors. Rules known at the start
 * (path, method, user agent, health probes) decide at once; route and predicate rules decide when
 * the request ends, and until then the request's items are held back (at most
 * {@link MAX_HELD_ITEMS_PER_REQUEST}), then sent or discarded together. Items outside any request
 * always pass. Processors in front of the exporting one (standard metrics, Live Metrics) see
 * everything.
 */
export function createRequestFilter(setup: RequestFilterSetup): RequestFilter {
  const { filter, tracker } = setup;
  const states = new WeakMap<object, RequestState>();
  /** Pending requests, so that shutdown can send what they hold. */
  const pending = new Set<RequestState>();
  let predicateErrorReported = false;
  const onPredicateError = (error: unknown): void => {
    if (predicateErrorReported) return;
    predicateErrorReported = true;
    diag.warn(`filterRequests.predicate threw (${error instanceof Error ? error.message : String(error)}); such requests are kept`);
  };

  function stateOf(request: ReadableSpan): RequestState {
    let state = states.get(request);
    if (state === undefined) {
      state = { decision: decideAtStart(filter, request), held: [] };
      states.set(request, state);
      if (state.decision === 'pending') pending.add(state);
    }
    return state;
  }

  function settle(state: RequestState, decision: 'drop' | 'keep'): void {
    state.decision = decision;
    pending.delete(state);
    const held = state.held;
    state.held = [];
    if (decision === 'keep') for (const send of held) send();
  }

  /** Sends, holds or drops one item of a request. */
  function route(item: ReadableSpan | ReadWriteLogRecord, send: () => void): void {
    const request = tracker.requestOf(item);
    if (request === undefined || request === item) {
      send();
      return;
    }
    const state = stateOf(request);
    if (state.decision === 'keep') send();
    else if (state.decision === 'pending') {
      state.held.push(send);
      if (state.held.length >= MAX_HELD_ITEMS_PER_REQUEST) settle(state, 'keep');
    }
  }

  const spanProcessor: SpanProcessor = {
    onStart(span: Span): void {
      if (tracker.requestOf(span) === span) stateOf(span);
    },
    onEnd(span: ReadableSpan): void {
      if (tracker.requestOf(span) !== span) return;
      const state = stateOf(span);
      if (state.decision === 'pending') settle(state, decideAtEnd(filter, span, setup.requestNameSource, onPredicateError));
    },
    forceFlush: () => Promise.resolve(),
    shutdown(): Promise<void> {
      for (const state of [...pending]) settle(state, 'keep'); // never lose what is held at shutdown
      return Promise.resolve();
    },
  };

  return {
    spanProcessor,
    wrapSpanProcessor: (inner) => ({
      onStart: (span: Span, context: Context) => inner.onStart(span, context),
      onEnd(span: ReadableSpan): void {
        const request = tracker.requestOf(span);
        if (request === span) {
          if (stateOf(span).decision !== 'drop') inner.onEnd(span);
          return;
        }
        route(span, () => inner.onEnd(span));
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => spanProcessor.shutdown().then(() => inner.shutdown()),
    }),
    wrapLogRecordProcessor: (inner) => ({
      onEmit: (record: ReadWriteLogRecord, context?: Context) => route(record, () => inner.onEmit(record, context)),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => spanProcessor.shutdown().then(() => inner.shutdown()),
    }),
  };
}
