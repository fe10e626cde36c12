import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RequestData } from '../../contracts/request-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR } from '../common/attributes/attribute-keys';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { hrTimeToDuration } from '../common/time/hr-time-to-duration';
import type { MappingContext, RequestNameSource } from '../common/envelope/mapping-context';
import { truncateString } from '../common/limits/truncate-string';
import { azureMessagingAddress, azureMessagingNamespace, TIME_SINCE_ENQUEUED_MEASUREMENT, timeSinceEnqueuedMillis } from './azure-messaging';
import type { HttpFacts } from './http-url';
import { readHttpFacts } from './http-url';
import { spanSuccess } from './span-success';

/** Name of a request whose span has no name and no HTTP or messaging facts. */
const UNNAMED_REQUEST_NAME = 'Request';

function httpRequestName(http: HttpFacts, span: ReadableSpan, source: RequestNameSource | undefined): string | undefined {
  if (http.route) return `${http.method} ${http.route}`;
  if (source === 'spanName' && span.name) return span.name;
  return http.path ? `${http.method} ${http.path}` : undefined;
}

function messagingRequestName(reader: AttributeReader): string | undefined {
  if (!reader.has(ATTR.MESSAGING_SYSTEM)) return undefined;
  const operation = reader.string(ATTR.MESSAGING_OPERATION);
  const destination = reader.string(ATTR.MESSAGING_DESTINATION);
  return operation && destination ? `${operation} ${destination}` : (destination ?? operation);
}

/**
 * A request span's name, before truncation: `METHOD route`, else `METHOD path` (the span name with
 * `requestNameSource: 'spanName'`); `operation destination` for messaging; else the span name; else
 * `Request`. Reads (consumes) the HTTP and messaging attributes of `reader`.
 */
export function requestName(span: ReadableSpan, reader: AttributeReader, requestNameSource: RequestNameSource | undefined, http = readHttpFacts(reader)): string {
  return (http && httpRequestName(http, span, requestNameSource)) || messagingRequestName(reader) || span.name || UNNAMED_REQUEST_NAME;
}

/** A request's `responseCode`: the HTTP status code, else `rpc.grpc.status_code`, else "0" (truncated). */
export function requestResponseCode(httpStatusCode: number | undefined, reader: AttributeReader): string {
  const grpcStatus = reader.string(ATTR.RPC_GRPC_STATUS_CODE); // read (consumed) even when unused
  const responseCode = httpStatusCode !== undefined ? String(httpStatusCode) : (grpcStatus ?? '0');
  return truncateString(responseCode, SERVICE_LIMITS.NAME_MAX_CHARS);
}

/**
 * SERVER and CONSUMER spans -> RequestData (without properties). Name: `METHOD route`, else
 * `METHOD path` (HTTP; the span name instead when `ctx.requestNameSource` is `spanName`);
 * `operation destination` (messaging); else the span name; never empty.
 * responseCode: HTTP status code, else `rpc.grpc.status_code`, else "0". Event Hubs / Service Bus
 * consumers: `source` = `namespace/entity` and measurement `timeSinceEnqueued` from the links.
 */
export function spanToRequestData(span: ReadableSpan, reader: AttributeReader, ctx: MappingContext): RequestData {
  const http = readHttpFacts(reader);
  const azureNamespace = azureMessagingNamespace(span, reader);
  const source = azureNamespace !== undefined ? azureMessagingAddress(reader) : undefined;
  const name = requestName(span, reader, ctx.requestNameSource, http);
  const data: RequestData = {
    ver: 2,
    id: truncateString(span.spanContext().spanId, SERVICE_LIMITS.ID_MAX_CHARS),
    name: truncateString(name, SERVICE_LIMITS.NAME_MAX_CHARS),
    duration: hrTimeToDuration(span.duration),
    success: spanSuccess(span, http?.statusCode, ctx),
    responseCode: requestResponseCode(http?.statusCode, reader),
  };
  if (source !== undefined) data.source = truncateString(source, SERVICE_LIMITS.NAME_MAX_CHARS);
  if (http?.url !== undefined) data.url = truncateString(http.url, SERVICE_LIMITS.URL_MAX_CHARS);
  const waitedMillis = azureNamespace !== undefined ? timeSinceEnqueuedMillis(span) : undefined;
  if (waitedMillis !== undefined) data.measurements = { [TIME_SINCE_ENQUEUED_MEASUREMENT]: waitedMillis };
  return data;
}
