import { admitItem, type AdmitContext, type ForwardedEnvelope } from './admit-item';
import type { BodyItem } from './parse-track-body';
import type { TrackItemError } from './track-response';

/** The items of one request split into what is forwarded and the per-item errors (by the item's index in the body). */
export interface AdmittedItems {
  readonly envelopes: ForwardedEnvelope[];
  readonly errors: TrackItemError[];
}

/** Admit every item of a body (pure); an item's index is its position in the body, as ingestion numbers them. */
export function admitItems(items: readonly BodyItem[], ctx: AdmitContext): AdmittedItems {
  const envelopes: ForwardedEnvelope[] = [];
  const errors: TrackItemError[] = [];
  items.forEach((item, index) => {
    if (!item.ok) {
      errors.push({ index, statusCode: 400, message: item.message });
      return;
    }
    const admission = admitItem(item.value, ctx);
    if (admission.ok) envelopes.push(admission.envelope);
    else errors.push({ index, statusCode: admission.statusCode, message: admission.message });
  });
  return { envelopes, errors };
}
