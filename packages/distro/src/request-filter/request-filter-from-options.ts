import { diag } from '@opentelemetry/api';
import type { RequestNameSource } from '@appinsights-otel/core';
import type { OperationNameTracker } from '../operation-name/create-operation-name-tracker';
import { createRequestFilter, type RequestFilter } from './create-request-filter';
import { parseRequestFilter } from './parse-request-filter';

/**
 * The request filter the `filterRequests` setting asks for, or undefined when it is not set. An
 * invalid setting is reported (the `ConfigError` message names the fix) and nothing is filtered:
 * a wrong filter never costs telemetry.
 */
export function requestFilterFromOptions(
  value: unknown, tracker: Pick<OperationNameTracker, 'requestOf'>, requestNameSource: RequestNameSource | undefined,
): RequestFilter | undefined {
  if (value === undefined) return undefined;
  try {
    const filter = parseRequestFilter(value, 'useAzureMonitor');
    return createRequestFilter({ filter, tracker, ...(requestNameSource !== undefined ? { requestNameSource } : {}) });
  } catch (error: unknown) {
    diag.error(`${error instanceof Error ? error.message : String(error)}; no request is filtered`);
    return undefined;
  }
}
