import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/** What replaces a session token in the server's own telemetry of a relay request. */
const TOKEN_PLACEHOLDER = ':token';

/** A request target with its session token segment replaced by {@link TOKEN_PLACEHOLDER} (pure). */
export function redactToken(target: string, token: string): string {
  return target.split(`/${token}/`).join(`/${TOKEN_PLACEHOLDER}/`);
}

/**
 * Keep a request's session token out of the server's own telemetry: when the request is traced (e.g.
 * under `useAzureMonitor`), the URL attributes of its server span are overwritten with the token
 * replaced, so the `requests` row's url and name hold `:token`. The server span is the one the
 * HTTP instrumentation puts in the context's RPC metadata (what frameworks use to set its route;
 * a framework's own middleware span may be the active one), else the active span if it is a server
 * span. Without a recording server span (not traced) it does nothing.
 */
export function redactTokenOnRequestSpan(req: IncomingMessage, token: string): void {
  const span = serverSpan();
  if (span === undefined) return;
  const target = redactToken(req.url ?? '/', token);
  const scheme = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  span.setAttributes({
    'http.target': target,
    'url.path': target.split('?')[0] ?? target,
    'http.url': `${scheme}://${req.headers.host ?? 'localhost'}${target}`,
  });
}

function serverSpan(): Span | undefined {
  const metadata = getRPCMetadata(context.active());
  const span = metadata?.type === RPCType.HTTP ? metadata.span : trace.getActiveSpan();
  return span !== undefined && span.isRecording() && isServerSpan(span) ? span : undefined;
}

/** The SDK's spans carry their kind (`ReadableSpan.kind`); the API's `Span` does not declare it. */
function isServerSpan(span: Span): boolean {
  return (span as Span & { readonly kind?: unknown }).kind === SpanKind.SERVER;
}
