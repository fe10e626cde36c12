import { diag } from '@opentelemetry/api';
import type { Envelope } from '../../../contracts/envelope';
import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { jsonByteLength, truncateToJsonBytes } from './json-byte-length';
import { jsonSizeUpperBound } from './json-size-upper-bound';

/** Values at or below this size are never shortened; trailing properties are dropped instead. */
const MIN_SHORTENED_VALUE_BYTES = 256;
/** Per-property JSON overhead besides key and value: two pairs of quotes, a colon and a comma. */
const PROPERTY_OVERHEAD_BYTES = 6;
/** String fields of base data and of exception details that may be shortened. */
const BASE_DATA_TEXT_FIELDS = ['message', 'data', 'url'];
const EXCEPTION_TEXT_FIELDS = ['message', 'stack'];

/** A string field that may be shortened: `holder[key]`, costing `bytes` inside the JSON. */
interface Slot {
  holder: Record<string, unknown>;
  key: string;
  bytes: number;
}

type Bag = Record<string, unknown>;

const serializedBytes = (envelope: Envelope): number => Buffer.byteLength(JSON.stringify(envelope), 'utf8');
const bytesAbove = (slots: readonly Slot[], level: number): number => slots.reduce((sum, slot) => sum + Math.max(0, slot.bytes - level), 0);

/**
 * Enforces the whole-item limit (64 KB of UTF-8 JSON) on an envelope the mappers just built, in
 * place, doing only as much as needed, in this order:
 * 1. drop `parsedStack` (the raw `stack` text stays);
 * 2. if shortening every value to 256 bytes would not be enough (thousands of attributes), drop
 *    properties from the last one back until it would be;
 * 3. shorten the largest string values (properties, message, exception message and stack,
 *    dependency data, url) down to one common level, so smaller values survive intact.
 *
 * Typical items are a few hundred bytes: when a cheap upper bound of the JSON size (see
 * `jsonSizeUpperBound`) is already within the limit, the item is returned without serializing it.
 * A caller that already knows such a bound (the envelope factory adds it up while building the
 * envelope) passes it as `sizeUpperBound`, sparing the walk over the whole item.
 */
export function capItemSize(envelope: Envelope, maxBytes: number = SERVICE_LIMITS.ITEM_MAX_BYTES, sizeUpperBound?: number): Envelope {
  if ((sizeUpperBound ?? jsonSizeUpperBound(envelope)) <= maxBytes) return envelope;
  let size = serializedBytes(envelope);
  if (size <= maxBytes) return envelope;
  const baseData = envelope.data.baseData as unknown as Bag;
  const exceptions = Array.isArray(baseData['exceptions']) ? (baseData['exceptions'] as Bag[]) : [];
  exceptions.forEach((details) => delete details['parsedStack']);
  size = serializedBytes(envelope);
  if (size > maxBytes) size = dropTrailingProperties(envelope, baseData, exceptions, size, maxBytes);
  if (size > maxBytes) size = shortenLargestValues(envelope, slotsOf(baseData, exceptions), size, maxBytes);
  if (size > maxBytes) {
    delete baseData['properties']; // last resort; unreachable unless the estimates above were off
    size = shortenLargestValues(envelope, slotsOf(baseData, exceptions), serializedBytes(envelope), maxBytes);
  }
  diag.debug(`telemetry item shortened to ${size} bytes to fit the ${maxBytes}-byte item limit`);
  return envelope;
}

function slotsOf(baseData: Bag, exceptions: readonly Bag[]): Slot[] {
  const candidates: [Bag, string][] = [];
  const properties = baseData['properties'] as Bag | undefined;
  if (properties) Object.keys(properties).forEach((key) => candidates.push([properties, key]));
  BASE_DATA_TEXT_FIELDS.forEach((key) => candidates.push([baseData, key]));
  exceptions.forEach((details) => EXCEPTION_TEXT_FIELDS.forEach((key) => candidates.push([details, key])));
  return candidates
    .filter(([holder, key]) => typeof holder[key] === 'string')
    .map(([holder, key]) => ({ holder, key, bytes: jsonByteLength(holder[key] as string) }));
}

/** Drops trailing properties until shortening values to MIN_SHORTENED_VALUE_BYTES would be enough. */
function dropTrailingProperties(envelope: Envelope, baseData: Bag, exceptions: readonly Bag[], size: number, maxBytes: number): number {
  const properties = baseData['properties'] as Record<string, string> | undefined;
  if (!properties) return size;
  let excess = size - maxBytes - bytesAbove(slotsOf(baseData, exceptions), MIN_SHORTENED_VALUE_BYTES);
  const keys = Object.keys(properties);
  let dropped = 0;
  while (excess > 0 && keys.length > 0) {
    const key = keys.pop() as string;
    excess -= jsonByteLength(key) + PROPERTY_OVERHEAD_BYTES + Math.min(jsonByteLength(properties[key] ?? ''), MIN_SHORTENED_VALUE_BYTES);
    delete properties[key];
    dropped += 1;
  }
  if (dropped === 0) return size;
  diag.warn(`dropped ${dropped} properties of a telemetry item to fit the ${maxBytes}-byte item limit`);
  return serializedBytes(envelope);
}

/** Water-filling: the highest per-value byte level that removes enough; values above it are cut to it. */
function shortenLargestValues(envelope: Envelope, slots: readonly Slot[], size: number, maxBytes: number): number {
  const excess = size - maxBytes;
  let low = 0;
  let high = Math.max(0, ...slots.map((slot) => slot.bytes));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytesAbove(slots, mid) >= excess) low = mid;
    else high = mid - 1;
  }
  slots.filter((slot) => slot.bytes > low).forEach((slot) => {
    slot.holder[slot.key] = truncateToJsonBytes(slot.holder[slot.key] as string, low);
  });
  return serializedBytes(envelope);
}
