import { SpanKind } from '@opentelemetry/api';
import { ATTR } from '../../common/attributes/attribute-keys';
import { readHttpFacts } from '../http-url';
import type { DependencyFields, DependencyMapper } from './dependency-fields';

/** Dependency type of outgoing HTTP calls. */
const HTTP_DEPENDENCY_TYPE = 'Http';

/**
 * HTTP client calls (a CLIENT or PRODUCER span with `http.request.method` / `http.method`): name
 * `METHOD path`, data = full URL, target = `peer.service` or host[:non-default port], resultCode =
 * status code. An INTERNAL span with HTTP attributes is a framework's in-process step of serving a
 * request (e.g. `@fastify/otel`'s `request` span), not an outgoing call: it stays `InProc`.
 */
export const httpDependency: DependencyMapper = (span, reader) => {
  if (span.kind === SpanKind.INTERNAL) return undefined;
  const http = readHttpFacts(reader);
  if (!http) return undefined;
  const target = reader.string(ATTR.PEER_SERVICE) ?? http.host;
  const fields: DependencyFields = { type: HTTP_DEPENDENCY_TYPE, name: http.path ? `${http.method} ${http.path}` : span.name || http.method };
  if (http.url !== undefined) fields.data = http.url;
  if (target !== undefined) fields.target = target;
  if (http.statusCode !== undefined) {
    fields.resultCode = String(http.statusCode);
    fields.httpStatusCode = http.statusCode;
  }
  return fields;
};
