import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR } from '../common/attributes/attribute-keys';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import type { RequestNameSource } from '../common/envelope/mapping-context';
import { truncateString } from '../common/limits/truncate-string';
import { requestName } from './span-to-request-data';

const HTTP_ROUTE = ATTR.HTTP_ROUTE[0];

/**
 * The `ai.operation.name` of a request span's item, as `spanToEnvelopes` writes it: the
 * `microsoft.operation_name` / `ai.operation.name` attribute, else the request's name (after
 * `requestNameSource`). `route` stands in for a missing `http.route`: the HTTP instrumentation
 * writes the route on the span only when the response ends, while a router knows it earlier.
 */
export function requestOperationName(span: ReadableSpan, requestNameSource?: RequestNameSource, route?: string): string {
  const attributes = route !== undefined && span.attributes[HTTP_ROUTE] === undefined ? { ...span.attributes, [HTTP_ROUTE]: route } : span.attributes;
  const reader = createAttributeReader(attributes);
  const explicit = reader.string(ATTR.OPERATION_NAME_OVERRIDE);
  return truncateString(explicit || requestName(span, reader, requestNameSource), SERVICE_LIMITS.NAME_MAX_CHARS);
}
