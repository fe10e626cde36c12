import { capItemSize, itemSampleRate, type Envelope } from '@appinsights-otel/core';
import { boundBaseData } from './bound-base-data';
import { BROWSER_ITEM_TYPES } from './browser-item-types';
import { itemTimeProblem } from './item-time';
import { relayTags } from './relay-tags';

/** What every admitted item is rewritten with. */
export interface AdmitContext {
  /** The server's instrumentation key (what is forwarded). */
  readonly instrumentationKey: string;
  /** The key the page names; an item naming another is refused. */
  readonly browserInstrumentationKey: string;
  readonly roleName: string;
  /** `ai.location.ip`: the client's address, or `0.0.0.0` when the policy keeps none. */
  readonly clientIp: string;
  /** The relay's clock (ms since the epoch), to judge an item's `time`. */
  readonly nowMillis: number;
  /** Lowest `sampleRate` forwarded; a lower one is raised to it, so one item counts for at most `100 / minSampleRate`. */
  readonly minSampleRate: number;
}

/** An item's fate: the envelope to forward, or the per-item error ingestion would give. */
export type Admission =
  | { readonly ok: true; readonly envelope: ForwardedEnvelope }
  | { readonly ok: false; readonly statusCode: 400; readonly message: string };

/** The envelope the relay forwards: only the fields of the v2 track contract, rebuilt. */
export interface ForwardedEnvelope {
  readonly ver: 1;
  readonly name: string;
  readonly time: string;
  readonly sampleRate?: number;
  readonly seq?: string;
  readonly iKey: string;
  readonly tags: Record<string, string>;
  readonly data: { readonly baseType: string; readonly baseData: Record<string, unknown> };
}

const refuse = (message: string): Admission => ({ ok: false, statusCode: 400, message });

/**
 * Admit one browser item (pure): a browser item type, the page's instrumentation key, a time
 * ingestion keeps and a bounded `baseData` object; then rebuild it with the server's key, the
 * contract's type names, the browser role, the client IP, bounded tags and a bounded sample rate,
 * and cap it to the service's item size (core's `capItemSize`).
 */
export function admitItem(item: unknown, ctx: AdmitContext): Admission {
  if (!isRecord(item)) return refuse('the item is not a JSON object');
  const data = item['data'];
  if (!isRecord(data) || typeof data['baseType'] !== 'string' || !isRecord(data['baseData'])) {
    return refuse('the item has no data.baseType and data.baseData object');
  }
  const type = Object.hasOwn(BROWSER_ITEM_TYPES, data['baseType']) ? BROWSER_ITEM_TYPES[data['baseType']] : undefined;
  if (type === undefined) {
    return refuse(`item type ${JSON.stringify(data['baseType'].slice(0, 64))} is not browser telemetry; the relay admits ${Object.keys(BROWSER_ITEM_TYPES).join(', ')}`);
  }
  if (typeof item['iKey'] !== 'string' || !sameKey(item['iKey'], ctx.browserInstrumentationKey)) {
    return refuse('the item names another resource\'s instrumentation key; use the key the relay was configured with');
  }
  if (typeof item['time'] !== 'string') return refuse('the item has no time');
  const timeProblem = itemTimeProblem(item['time'], ctx.nowMillis);
  if (timeProblem !== undefined) return refuse(timeProblem);
  const baseData = boundBaseData(data['baseData'], type.baseType);
  if (!baseData.ok) return refuse(baseData.message);
  const sampleRate = typeof item['sampleRate'] === 'number' ? itemSampleRate(item['sampleRate'], undefined) : undefined;
  const envelope: ForwardedEnvelope = {
    ver: 1,
    name: `Microsoft.ApplicationInsights.${type.envelopeName}`,
    time: item['time'],
    ...(sampleRate !== undefined ? { sampleRate: Math.max(sampleRate, ctx.minSampleRate) } : {}),
    ...(typeof item['seq'] === 'string' ? { seq: item['seq'].slice(0, 64) } : {}),
    iKey: ctx.instrumentationKey,
    tags: relayTags(item['tags'], ctx),
    data: { baseType: type.baseType, baseData: baseData.value },
  };
  // capItemSize reads only data.baseData (properties, text fields, exceptions) and the JSON size, which a ForwardedEnvelope has as an Envelope does.
  capItemSize(envelope as unknown as Envelope);
  return { ok: true, envelope };
}

function sameKey(a: string, b: string): boolean {
  return a.replace(/-/g, '').toLowerCase() === b.replace(/-/g, '').toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
