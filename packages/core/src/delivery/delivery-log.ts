import { diag, type DiagLogger } from '@opentelemetry/api';

/** Component logger of durable delivery. Never log payloads above debug. */
export const deliveryLog: DiagLogger = diag.createComponentLogger({ namespace: '@appinsights-otel/core/delivery' });
