/**
 * What is wrong with one telemetry item, as found by the ingestion checks. `field` is the name of
 * the offending field and `type` the (Bond) type name that holds it, as the service's messages
 * name them: `Field 'id' on type 'RequestData' ...`.
 */
export type SchemaViolation =
  | { readonly kind: 'missing'; readonly field: string; readonly type: string; readonly expected: string; readonly actual: string }
  | { readonly kind: 'too-long'; readonly field: string; readonly type: string; readonly maxLength: number; readonly length: number }
  | { readonly kind: 'wrong-type'; readonly field: string; readonly type: string; readonly expected: string; readonly actual: string }
  | { readonly kind: 'child-wrong-type'; readonly key: string; readonly value: string; readonly expected: string; readonly actual: string }
  | { readonly kind: 'child-too-long'; readonly key: string; readonly type: string; readonly maxLength: number; readonly length: number }
  | { readonly kind: 'not-in-enum'; readonly field: string; readonly type: string; readonly allowed: readonly string[]; readonly actual: string }
  | { readonly kind: 'bad-duration'; readonly field: string; readonly type: string; readonly actual: string }
  | { readonly kind: 'bad-date'; readonly field: string; readonly type: string; readonly actual: string }
  | { readonly kind: 'too-old'; readonly maxAgeMillis: number; readonly ageMillis: number }
  | { readonly kind: 'unknown-base-type'; readonly baseType: string }
  | { readonly kind: 'invalid-ikey' }
  | { readonly kind: 'item-too-large'; readonly byteLength: number; readonly maxBytes: number }
  | { readonly kind: 'not-an-object'; readonly actual: string };

/** The JSON type name of a value, as the service's messages print it (`undefined` when absent). */
export function jsonTypeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
