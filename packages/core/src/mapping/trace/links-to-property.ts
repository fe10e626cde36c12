import type { Link } from '@opentelemetry/api';
import { SERVICE_LIMITS } from '../../contracts/service-limits';

/**
 * Span links -> the `_MS.links` property value, JSON `[{"operation_Id": traceId, "id": spanId}]`.
 * Keeps as many links as fit the property value limit, so the JSON always stays valid.
 * Returns undefined when there are no links.
 */
export function linksToProperty(links: readonly Link[]): string | undefined {
  if (links.length === 0) return undefined;
  const parts: string[] = [];
  let length = 2; // the brackets
  for (const link of links) {
    const part = JSON.stringify({ operation_Id: link.context.traceId, id: link.context.spanId });
    const added = part.length + (parts.length > 0 ? 1 : 0);
    if (length + added > SERVICE_LIMITS.PROPERTY_VALUE_MAX_CHARS) break;
    parts.push(part);
    length += added;
  }
  return `[${parts.join(',')}]`;
}
