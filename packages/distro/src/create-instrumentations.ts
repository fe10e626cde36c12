import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { RequestOptions } from 'node:http';
import type { InstrumentationOptions } from './azure-monitor-options';

/**
 * Builds the instrumentations `useAzureMonitor()` enables: HTTP (unless `http.enabled === false`)
 * plus any `additional` ones. Outgoing requests to our own endpoints (ingestion, the managed
 * identity endpoint, the Entra authority host, the instance metadata service) are not traced, so
 * exporting telemetry never produces more telemetry.
 *
 * @param options - The `instrumentationOptions` option.
 * @param ownOrigins - Origins (`https://host:port`) whose requests are ours.
 */
export function createInstrumentations(options: InstrumentationOptions | undefined, ownOrigins: readonly string[]): Instrumentation[] {
  const list: Instrumentation[] = [];
  const { enabled = true, ...httpConfig } = options?.http ?? {};
  if (enabled) {
    const userHook = httpConfig.ignoreOutgoingRequestHook;
    const own = new Set(ownOrigins.map(hostPortOf).filter((h): h is string => h !== undefined));
    const config: HttpInstrumentationConfig = {
      ...httpConfig,
      ignoreOutgoingRequestHook: (request: RequestOptions) => isOwnRequest(request, own) || (userHook?.(request) ?? false),
    };
    list.push(new HttpInstrumentation(config));
  }
  list.push(...(options?.additional ?? []));
  return list;
}

const METADATA_HOST = '169.254.169.254';

function isOwnRequest(request: RequestOptions, own: ReadonlySet<string>): boolean {
  const host = (request.hostname ?? request.host ?? '').toLowerCase().replace(/^\[|\]$/g, '');
  if (host === METADATA_HOST) return true;
  const port = request.port !== undefined && request.port !== null && request.port !== ''
    ? String(request.port)
    : request.protocol === 'http:' ? '80' : '443';
  return own.has(`${host}:${port}`);
}

function hostPortOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
    return `${url.hostname.toLowerCase().replace(/^\[|\]$/g, '')}:${port}`;
  } catch {
    return undefined;
  }
}
