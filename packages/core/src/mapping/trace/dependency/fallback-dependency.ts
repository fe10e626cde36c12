import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR } from '../../common/attributes/attribute-keys';
import type { AttributeReader } from '../../common/attributes/attribute-reader';
import { hostWithPort } from '../http-url';
import { IN_PROC_TYPE } from './azure-sdk-dependency';
import type { DependencyFields } from './dependency-fields';
import { QUEUE_MESSAGE_TYPE } from './messaging-dependency';

/** Type of a client span that no known kind describes. */
const GENERIC_DEPENDENCY_TYPE = 'Dependency';

/**
 * Spans no specific mapper claimed. INTERNAL -> `InProc` (root or child alike: the type says what
 * the operation is, not where it sits in the trace), PRODUCER -> `Queue Message`, CLIENT ->
 * `Dependency`; target = `peer.service` or `server.address[:port]` when known.
 */
export function fallbackDependency(span: ReadableSpan, reader: AttributeReader): DependencyFields {
  const address = reader.string(ATTR.SERVER_ADDRESS);
  const port = reader.number(ATTR.SERVER_PORT);
  const target = reader.string(ATTR.PEER_SERVICE) ?? (address ? hostWithPort(address, port, undefined) : undefined);
  const type =
    span.kind === SpanKind.INTERNAL ? IN_PROC_TYPE : span.kind === SpanKind.PRODUCER ? QUEUE_MESSAGE_TYPE : GENERIC_DEPENDENCY_TYPE;
  return { type, name: span.name, ...(target !== undefined ? { target } : {}) };
}
