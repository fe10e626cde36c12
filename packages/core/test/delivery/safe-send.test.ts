import { safeSend } from '../../src/delivery/safe-send';
import { TransportError } from '../../src/errors';
import type { SendOutcome, Transport } from '../../src/transport/transport-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { captureDiag } from './helpers/log-capture';

const transportOf = (send: Transport['send']): Transport => ({ send, shutdown: async () => undefined });

describe('safeSend', () => {
  it.each<{ name: string; outcome: SendOutcome }>([
    { name: 'success', outcome: { status: 'success', itemCount: 1 } },
    { name: 'retryable', outcome: { status: 'retryable', error: new TransportError('503', { statusCode: 503 }) } },
  ])('passes the transport\'s outcome through ($name) with the timeout it was given', async ({ outcome }) => {
    const send = jest.fn(async () => outcome);
    const body = await encodeEnvelopes([{ id: 1 }], false);
    expect(await safeSend(transportOf(send), body, 1_234)).toBe(outcome);
    expect(send).toHaveBeenCalledWith(body, 1_234);
  });

  it('turns a rejection (a transport bug) into a retryable outcome that keeps the cause, and logs it at debug', async () => {
    const cause = new Error('socket hang up');
    const logs = captureDiag();
    try {
      const outcome = await safeSend(transportOf(async () => { throw cause; }), await encodeEnvelopes([{ id: 1 }], false), 10);
      expect(outcome.status).toBe('retryable');
      const error = (outcome as Extract<SendOutcome, { status: 'retryable' }>).error;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.message).toBe('transport failed unexpectedly');
      expect(error.cause).toBe(cause);
      expect(logs.of('debug').join('\n')).toContain('transport rejected (treated as retryable): Error: socket hang up');
    } finally {
      logs.restore();
    }
  });
});
