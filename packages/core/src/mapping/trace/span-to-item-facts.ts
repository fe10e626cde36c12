import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import { isSyntheticItem } from '../common/tags/convention-tags';
import type { MappingContext } from '../common/envelope/mapping-context';
import { readHttpStatusCode } from './http-url';
import { EXCEPTION_EVENT_NAME } from './span-event-to-envelope';
import { isRequestSpan } from './span-tags';
import { dependencyFields, dependencyOutcome } from './span-to-dependency-data';
import { requestResponseCode } from './span-to-request-data';
import { spanSuccess } from './span-success';

/** The kind of item a span or span event becomes. */
export type SpanItemKind = 'request' | 'dependency' | 'exception' | 'trace';

/**
 * What counters and rates need of one item of a span, decided by the mapper's own rules, without
 * building the item (no properties, tags, names, URLs or envelope).
 */
export interface SpanItemFacts {
  readonly kind: SpanItemKind;
  /** Requests and dependencies: `success` as mapped (true for exceptions and traces). */
  readonly success: boolean;
  /** Requests: `responseCode`; dependencies: `resultCode`; '' for exceptions and traces. */
  readonly resultCode: string;
  /** Dependencies: `type` ('' otherwise). */
  readonly dependencyType: string;
  /** Dependencies: `target` ('' when none, and for other kinds). */
  readonly dependencyTarget: string;
  /** Whether the item gets `ai.operation.syntheticSource`. */
  readonly synthetic: boolean;
}

function mainFacts(span: ReadableSpan, ctx: MappingContext): SpanItemFacts {
  const reader = createAttributeReader(span.attributes);
  const synthetic = isSyntheticItem(reader);
  if (isRequestSpan(span)) {
    const statusCode = readHttpStatusCode(reader);
    return {
      kind: 'request', success: spanSuccess(span, statusCode, ctx), resultCode: requestResponseCode(statusCode, reader),
      dependencyType: '', dependencyTarget: '', synthetic,
    };
  }
  const outcome = dependencyOutcome(span, dependencyFields(span, reader), ctx);
  return {
    kind: 'dependency', success: outcome.success, resultCode: outcome.resultCode,
    dependencyType: outcome.type, dependencyTarget: outcome.target ?? '', synthetic,
  };
}

/**
 * One finished span -> the facts of each item `spanToEnvelopes` makes of it, in the same order:
 * the request or dependency, then one exception or trace per span event (an event's own
 * `user_agent.synthetic.type` makes it synthetic too). Pure, and a fraction of the mapping's cost.
 */
export function spanToItemFacts(span: ReadableSpan, ctx: MappingContext): SpanItemFacts[] {
  const main = mainFacts(span, ctx);
  const facts = [main];
  for (const event of span.events) {
    const synthetic = main.synthetic || (event.attributes !== undefined && isSyntheticItem(createAttributeReader(event.attributes)));
    facts.push({
      kind: event.name === EXCEPTION_EVENT_NAME ? 'exception' : 'trace', success: true, resultCode: '',
      dependencyType: '', dependencyTarget: '', synthetic,
    });
  }
  return facts;
}
