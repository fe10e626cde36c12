import { encodeJsonItems } from '../../src/delivery/body-codec';
import type { RequestBody } from '../../src/transport/transport-types';

/** A request body of `envelopes` exactly as the export pipeline encodes one (tests only). */
export function encodeEnvelopes(envelopes: readonly object[], useGzip: boolean): Promise<RequestBody> {
  return encodeJsonItems(envelopes.map((e) => JSON.stringify(e)), useGzip);
}
