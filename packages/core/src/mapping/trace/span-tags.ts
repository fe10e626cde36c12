import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CONTEXT_TAG } from '../../contracts/context-tag';
import { ATTR } from '../common/attributes/attribute-keys';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { addConventionTags } from '../common/tags/convention-tags';
import { addUserTags } from '../common/tags/user-tags';

/** Whether a span maps to RequestData. */
export const isRequestSpan = (span: ReadableSpan): boolean => span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER;

/**
 * The operation name of a span's items: a request's own name; for other spans the name inherited
 * from the enclosing request (`inherited`), else `METHOD route` when both attributes are present,
 * else none. An explicit `ai.operation.name` attribute wins over all of these (`addConventionTags`).
 */
export function spanOperationName(span: ReadableSpan, reader: AttributeReader, requestName: string | undefined, inherited?: string): string | undefined {
  if (requestName !== undefined) return requestName;
  if (isRequestSpan(span)) return undefined;
  if (inherited) return inherited;
  const method = reader.string(ATTR.HTTP_METHOD);
  const route = reader.string(ATTR.HTTP_ROUTE);
  return !method || !route ? undefined : `${method} ${route}`;
}

/**
 * Per-span context tags: `ai.operation.id` (trace id), `ai.operation.parentId` (parent span id),
 * `ai.operation.name`, the end-user tags, and `ai.location.ip` on requests (`client.address` /
 * `http.client_ip`, else `network.peer.address`); then the Microsoft conventions (see
 * `addConventionTags`: `ai.operation.name`, synthetic source, `microsoft.client.ip`), which win.
 */
export function spanTags(span: ReadableSpan, reader: AttributeReader, operationName: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  tags[CONTEXT_TAG.OPERATION_ID] = span.spanContext().traceId;
  const parentSpanId = span.parentSpanContext?.spanId;
  if (parentSpanId) tags[CONTEXT_TAG.OPERATION_PARENT_ID] = parentSpanId;
  if (operationName) tags[CONTEXT_TAG.OPERATION_NAME] = operationName;
  addUserTags(tags, reader);
  if (isRequestSpan(span)) {
    const ip = reader.string(ATTR.CLIENT_ADDRESS) ?? reader.string(ATTR.NETWORK_PEER_ADDRESS);
    if (ip) tags[CONTEXT_TAG.LOCATION_IP] = ip;
  }
  return addConventionTags(tags, reader);
}
