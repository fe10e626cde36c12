import { BASE_TYPE_DEFINITIONS, TRACK_DEFINITIONS } from '../contracts/track-schema';
import { CONTEXT_TAG_MAX_LENGTHS } from '../contracts/context-tag-limits';
import { checkAgainstSchema } from './check-against-schema';
import { jsonTypeName, type SchemaViolation } from './schema-violation';

/** Maximum serialized size of one telemetry item. */
export const MAX_ITEM_BYTES = 64 * 1024;

/**
 * How old an item's `time` may be: the service refuses older items with
 * `103: Field 'time' on type 'Envelope' is older than the allowed min date. Expected: now - 172800000ms`.
 */
export const MAX_ITEM_AGE_MILLIS = 172_800_000;

/** A valid envelope (only what the emulator reads is typed). */
export interface Envelope {
  readonly name: string;
  readonly time: string;
  readonly iKey: string;
  readonly sampleRate?: number;
  readonly tags?: Record<string, unknown>;
  readonly data: { readonly baseType: string; readonly baseData: Record<string, unknown> };
}

/** Result of validating one item. */
export type EnvelopeCheck = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly violation: SchemaViolation };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const fail = (violation: SchemaViolation): EnvelopeCheck => ({ ok: false, violation });

/** The envelope-level rules the spec leaves to its descriptions, and the emulator's own (see docs/emulator.md). */
function checkEnvelopeExtras(item: Record<string, unknown>, nowMillis: number): SchemaViolation | undefined {
  const age = nowMillis - Date.parse(item['time'] as string);
  if (age > MAX_ITEM_AGE_MILLIS) return { kind: 'too-old', maxAgeMillis: MAX_ITEM_AGE_MILLIS, ageMillis: age };
  const tags = item['tags'];
  if (isObject(tags)) {
    for (const [key, value] of Object.entries(tags)) {
      const max = Object.hasOwn(CONTEXT_TAG_MAX_LENGTHS, key) ? CONTEXT_TAG_MAX_LENGTHS[key] : undefined;
      if (max !== undefined && typeof value === 'string' && value.length > max) return { kind: 'too-long', field: key, type: 'ContextTagKeys', maxLength: max, length: value.length };
    }
  }
  const rate = item['sampleRate'];
  // The spec: "This telemetry item represents 100 / sampleRate actual telemetry items": only (0, 100] means something.
  if (typeof rate === 'number' && !(rate > 0 && rate <= 100)) return { kind: 'wrong-type', field: 'sampleRate', type: 'Envelope', expected: 'float in (0, 100]', actual: String(rate) };
  const data = item['data'];
  const objectProblem = (value: unknown, field: string, type: string): SchemaViolation | undefined => {
    if (value === undefined || value === null) return { kind: 'missing', field, type, expected: 'object', actual: jsonTypeName(value) };
    return isObject(value) ? undefined : { kind: 'wrong-type', field, type, expected: 'object', actual: jsonTypeName(value) };
  };
  const dataProblem = objectProblem(data, 'data', 'Envelope');
  if (dataProblem !== undefined || !isObject(data)) return dataProblem;
  const baseType = data['baseType'];
  if (baseType === undefined || baseType === null || baseType === '') return { kind: 'missing', field: 'baseType', type: 'Data', expected: 'string', actual: baseType === '' ? '' : jsonTypeName(baseType) };
  if (typeof baseType !== 'string') return { kind: 'wrong-type', field: 'baseType', type: 'Data', expected: 'string', actual: jsonTypeName(baseType) };
  return objectProblem(data['baseData'], 'baseData', 'Data');
}

/**
 * Validates one parsed item against the published track schema (contracts/track-schema.ts): the
 * envelope, then its `baseData` against the definition its `baseType` names; plus the item size and
 * the 48-hour age limit. `byteLength` is the item's serialized size. The instrumentation key is
 * checked by the caller (it needs the registry).
 */
export function validateEnvelope(item: unknown, byteLength: number, nowMillis: number = Date.now()): EnvelopeCheck {
  if (byteLength > MAX_ITEM_BYTES) return fail({ kind: 'item-too-large', byteLength, maxBytes: MAX_ITEM_BYTES });
  if (!isObject(item)) return fail({ kind: 'not-an-object', actual: jsonTypeName(item) });
  // `data` (Base) is checked below, its baseData against the definition its baseType names rather than the abstract Domain.
  const envelopeProblem = checkAgainstSchema({ ...item, data: undefined }, 'TelemetryEnvelope', TRACK_DEFINITIONS) ?? checkEnvelopeExtras(item, nowMillis);
  if (envelopeProblem !== undefined) return fail(envelopeProblem);
  const data = item['data'] as { baseType: string; baseData: Record<string, unknown> };
  const definition = BASE_TYPE_DEFINITIONS[data.baseType];
  if (definition === undefined) return fail({ kind: 'unknown-base-type', baseType: data.baseType });
  const dataProblem = checkAgainstSchema(data.baseData, definition, TRACK_DEFINITIONS);
  return dataProblem === undefined ? { ok: true, envelope: item as unknown as Envelope } : fail(dataProblem);
}
