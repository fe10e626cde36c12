import { TransportError } from '../errors';
import type { RequestBody, SendOutcome, Transport } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';

/**
 * Send one body; a transport that rejects (a bug: transports resolve with outcomes) yields a
 * retryable outcome, so the items survive it.
 */
export async function safeSend(transport: Transport, body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
  try {
    return await transport.send(body, timeoutMillis);
  } catch (e: unknown) {
    deliveryLog.debug(`transport rejected (treated as retryable): ${String(e)}`);
    return { status: 'retryable', error: new TransportError('transport failed unexpectedly', {}, { cause: e }) };
  }
}
