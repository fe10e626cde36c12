import { diag } from '@opentelemetry/api';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RequestNameSource } from '@appinsights-otel/core';
import type { OperationNameTracker } from '../operation-name/create-operation-name-tracker';
import { decideAtEnd, decideAtStart, type FilterDecision } from './match-request';
import type { RequestFilterOptions } from './request-filter-options';

/** One request's decision, and the items held back while it is pending. */
interface RequestState {
  decision: FilterDecision;
  /** Sends a held item to the exporting processor. */
  held: (() => void)[];
}

/** What {@link holdRequestItems} needs. */
export interface RequestHoldSetup {
  readonly filter: RequestFilterOptions;
  /** Links items to their request. */
  readonly tracker: Pick<OperationNameTracker, 'requestOf'>;
  /** As the exporters', for the predicate's `operationName`. */
  readonly requestNameSource?: RequestNameSource;
  /** Items of one pending request held back at most; at this many the request is kept. */
  readonly maxHeldItems: number;
}

/** Each request's filter decision, and the items of pending requests held until they are decided. */
export interface RequestHold {
  /** A request span's decision (made from the rules known at its start when first seen). */
  decisionOf(request: ReadableSpan): FilterDecision;
  /** Decides a pending request as it ends (route and predicate rules), sending or discarding what it holds. */
  decideAtEnd(request: ReadableSpan): void;
  /** Sends, holds or drops one item: items outside any request and the request span itself are sent. */
  route(item: ReadableSpan | ReadWriteLogRecord, send: () => void): void;
  /** Keeps every pending request, sending what they hold (shutdown never loses held items). */
  keepPending(): void;
}

/** Warns once, the first time the user's predicate throws (such requests are kept). */
function reportPredicateErrorOnce(): (error: unknown) => void {
  let reported = false;
  return (error) => {
    if (reported) return;
    reported = true;
    diag.warn(`filterRequests.predicate threw (${error instanceof Error ? error.message : String(error)}); such requests are kept`);
  };
}

/** Creates the book of request decisions and held items behind the request filter's processors. */
export function holdRequestItems(setup: RequestHoldSetup): RequestHold {
  const { filter, tracker } = setup;
  const states = new WeakMap<object, RequestState>();
  /** Pending requests, so that shutdown can send what they hold. */
  const pending = new Set<RequestState>();
  const onPredicateError = reportPredicateErrorOnce();

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

  return {
    decisionOf: (request) => stateOf(request).decision,
    decideAtEnd(request) {
      const state = stateOf(request);
      if (state.decision === 'pending') settle(state, decideAtEnd(filter, request, setup.requestNameSource, onPredicateError));
    },
    route(item, send) {
      const request = tracker.requestOf(item);
      if (request === undefined || request === item) return send();
      const state = stateOf(request);
      if (state.decision === 'keep') send();
      else if (state.decision === 'pending') {
        state.held.push(send);
        if (state.held.length >= setup.maxHeldItems) settle(state, 'keep');
      }
    },
    keepPending() {
      for (const state of [...pending]) settle(state, 'keep');
    },
  };
}
