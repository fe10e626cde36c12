import { BASE_TYPE_TABLES } from '../storage/table-schemas';
import { parseDuration } from '../storage/parse-duration';

/** Maximum serialized size of one telemetry item. */
export const MAX_ITEM_BYTES = 64 * 1024;

/** A structurally valid envelope (only what the emulator reads is typed). */
export interface Envelope {
  readonly name: string;
  readonly time: string;
  readonly iKey: string;
  readonly sampleRate?: number;
  readonly tags?: Record<string, unknown>;
  readonly data: { readonly baseType: string; readonly baseData: Record<string, unknown> };
}

/** Result of validating one item. */
export type EnvelopeCheck = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly message: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function checkBaseData(baseType: string, b: Record<string, unknown>): string | undefined {
  switch (baseType) {
    case 'RequestData':
      if (!isNonEmptyString(b['id'])) return 'Field \'id\' on type RequestData is required and missing or empty';
      if (parseDuration(b['duration']) === undefined) return 'Field \'duration\' on type RequestData is required and must be [d.]hh:mm:ss.fffffff';
      if (b['responseCode'] === undefined || b['responseCode'] === null || b['responseCode'] === '') return 'Field \'responseCode\' on type RequestData is required and missing or empty';
      return undefined;
    case 'RemoteDependencyData':
      if (!isNonEmptyString(b['name'])) return 'Field \'name\' on type RemoteDependencyData is required and missing or empty';
      if (parseDuration(b['duration']) === undefined) return 'Field \'duration\' on type RemoteDependencyData is required and must be [d.]hh:mm:ss.fffffff';
      return undefined;
    case 'ExceptionData':
      if (!Array.isArray(b['exceptions']) || b['exceptions'].length === 0) return 'Field \'exceptions\' on type ExceptionData is required and missing or empty';
      if (!b['exceptions'].every((e) => isObject(e) && isNonEmptyString(e['typeName']))) return 'Field \'typeName\' on type ExceptionDetails is required and missing or empty';
      return undefined;
    case 'MessageData':
      if (!isNonEmptyString(b['message'])) return 'Field \'message\' on type MessageData is required and missing or empty';
      return undefined;
    case 'EventData':
      if (!isNonEmptyString(b['name'])) return 'Field \'name\' on type EventData is required and missing or empty';
      return undefined;
    case 'MetricData':
      if (!Array.isArray(b['metrics']) || b['metrics'].length === 0) return 'Field \'metrics\' on type MetricData is required and missing or empty';
      if (!b['metrics'].every((m) => isObject(m) && isNonEmptyString(m['name']) && typeof m['value'] === 'number')) return 'Field \'name\'/\'value\' on type DataPoint is required and missing or invalid';
      return undefined;
    case 'AvailabilityData':
      if (!isNonEmptyString(b['id'])) return 'Field \'id\' on type AvailabilityData is required and missing or empty';
      if (!isNonEmptyString(b['name'])) return 'Field \'name\' on type AvailabilityData is required and missing or empty';
      if (parseDuration(b['duration']) === undefined) return 'Field \'duration\' on type AvailabilityData is required and must be [d.]hh:mm:ss.fffffff';
      return undefined;
    case 'PageViewData':
      if (!isNonEmptyString(b['name'])) return 'Field \'name\' on type PageViewData is required and missing or empty';
      return undefined;
    default:
      return `Unknown baseType '${baseType}'`;
  }
}

/** Validates one parsed item: required fields, time, known baseType, size. `byteLength` is its serialized size. */
export function validateEnvelope(item: unknown, byteLength: number): EnvelopeCheck {
  if (byteLength > MAX_ITEM_BYTES) return { ok: false, message: `Item is ${byteLength} bytes; the limit is ${MAX_ITEM_BYTES} bytes` };
  if (!isObject(item)) return { ok: false, message: 'Item is not a JSON object' };
  if (!isNonEmptyString(item['name'])) return { ok: false, message: 'Field \'name\' on type Envelope is required and missing or empty' };
  if (!isNonEmptyString(item['time']) || Number.isNaN(Date.parse(item['time']))) return { ok: false, message: 'Field \'time\' on type Envelope is required and must be an ISO 8601 date' };
  if (!isNonEmptyString(item['iKey'])) return { ok: false, message: 'Field \'iKey\' on type Envelope is required and missing or empty' };
  if (item['sampleRate'] !== undefined && (typeof item['sampleRate'] !== 'number' || !(item['sampleRate'] > 0 && item['sampleRate'] <= 100))) {
    return { ok: false, message: 'Field \'sampleRate\' on type Envelope must be a number in (0, 100]' };
  }
  if (item['tags'] !== undefined && !isObject(item['tags'])) return { ok: false, message: 'Field \'tags\' on type Envelope must be an object' };
  const data = item['data'];
  if (!isObject(data)) return { ok: false, message: 'Field \'data\' on type Envelope is required and missing' };
  if (!isNonEmptyString(data['baseType'])) return { ok: false, message: 'Field \'baseType\' on type Data is required and missing or empty' };
  if (!isObject(data['baseData'])) return { ok: false, message: 'Field \'baseData\' on type Data is required and missing' };
  if (!(data['baseType'] in BASE_TYPE_TABLES)) return { ok: false, message: `Unknown baseType '${data['baseType']}'` };
  const problem = checkBaseData(data['baseType'], data['baseData']);
  return problem === undefined ? { ok: true, envelope: item as unknown as Envelope } : { ok: false, message: problem };
}
