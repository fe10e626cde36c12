import { ATTR } from '../../common/attribute-keys';
import { readHttpFacts } from '../http-url';
import type { DependencyFields, DependencyMapper } from './dependency-fields';

/** Dependency type of outgoing HTTP calls. */
export const HTTP_DEPENDENCY_TYPE = 'HTTP';

/**
 * HTTP client calls (any span with `http.request.method` / `http.method`): name `METHOD path`,
 * data = full URL, target = `peer.service` or host[:non-default port], resultCode = status code.
 */
export const httpDependency: DependencyMapper = (span, reader) => {
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
