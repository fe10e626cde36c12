import { diag } from '@opentelemetry/api';
import { computeBackoffMillis, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import type { RequestBody, SendOutcome, Transport } from './transport-types';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/core/transport' });

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis).unref());
}

/**
 * Wraps a transport so `retryable` outcomes are retried with jittered exponential backoff,
 * server hint (`Retry-After`, `retry-after-ms`) first, all inside the send's `timeoutMillis`:
 * a wait that would end past the deadline is not started and the last `retryable` outcome is
 * returned for the caller to queue. Pauses (402/439) are returned at once, never retried here.
 * Other outcomes pass through unchanged.
 */
export function createRetryingTransport(inner: Transport, policy: Partial<RetryPolicy> = {}): Transport {
  const effective: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...policy };
  return {
    async send(body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
      const deadline = Date.now() + timeoutMillis;
      let outcome = await inner.send(body, timeoutMillis);
      for (let attempt = 1; attempt <= effective.maxRetries; attempt++) {
        if (outcome.status !== 'retryable' || outcome.pause) break;
        const waitMillis = outcome.retryAfterMillis ?? computeBackoffMillis(attempt, effective);
        const remainingAfterWait = deadline - Date.now() - waitMillis;
        if (remainingAfterWait <= 0) break;
        log.debug(`retry ${attempt} of ${body.itemCount} item(s) in ${waitMillis}ms`);
        await sleep(waitMillis);
        outcome = await inner.send(body, remainingAfterWait);
      }
      return outcome;
    },
    shutdown: () => inner.shutdown(),
  };
}
