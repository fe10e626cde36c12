import type { RequestBody } from '../transport/transport-types';
import type { SettledOutcome } from './settle-outcome';

/** One settled send, as delivery reports it to a {@link DeliveryObserver} (delivery statistics). */
export interface SettledSend {
  /** The body whose items were settled. */
  readonly body: RequestBody;
  /** The transport's answer, or `unanswered`. */
  readonly outcome: SettledOutcome;
  /** `true` when the body was sent (an `unanswered` send then timed out); `false` when it was queued unsent. */
  readonly attempted: boolean;
  /** Items the store was asked to keep for another attempt but could not queue: dropped. */
  readonly notQueued: number;
  /** Items of older entries the store evicted to queue this body: dropped. */
  readonly evicted: number;
}

/** Told about every settled send of a delivery; must not throw or block (counting only). */
export interface DeliveryObserver {
  settled(send: SettledSend): void;
}
