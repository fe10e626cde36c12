import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { MappingContext } from '../common/envelope/mapping-context';

const FIRST_FAILED_HTTP_STATUS = 400;

/**
 * `success` of a request or dependency: an explicit span status wins (OK true, ERROR false);
 * otherwise an HTTP status code < 400, or true when there is none. `ctx.successOverride`, when
 * set, gets the last word.
 */
export function spanSuccess(span: ReadableSpan, httpStatusCode: number | undefined, ctx: MappingContext): boolean {
  const computed =
    span.status.code !== SpanStatusCode.UNSET
      ? span.status.code === SpanStatusCode.OK
      : httpStatusCode === undefined || httpStatusCode < FIRST_FAILED_HTTP_STATUS;
  return ctx.successOverride ? ctx.successOverride(span, computed) : computed;
}
