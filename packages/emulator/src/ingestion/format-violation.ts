import type { SchemaViolation } from './schema-violation';

const MAX_ECHO_CHARS = 100;
const echo = (s: string): string => (s.length > MAX_ECHO_CHARS ? `${s.slice(0, MAX_ECHO_CHARS)}...` : s);

/**
 * The per-item error message the service answers for a violation. Where real service answers were
 * found (issue threads quoted in docs/emulator.md, "Ingestion validation") the wording and the
 * numeric prefix are the service's: 100 too long, 103 too old, 106 wrong type, 108 bad duration,
 * 109 missing, 200 wrong child value type, "Invalid instrumentation key". The others (enum, date,
 * unknown baseType, item size, an over-long property value) have no observed service wording and
 * carry no numeric prefix.
 */
export function formatViolation(v: SchemaViolation): string {
  switch (v.kind) {
    case 'missing':
      return `109: Field '${v.field}' on type '${v.type}' is required but missing or empty. Expected: ${v.expected}, Actual: ${v.actual}`;
    case 'too-long':
      return `100: Field '${v.field}' on type '${v.type}' is too long. Expected: ${v.maxLength} characters, Actual: ${v.length}`;
    case 'wrong-type':
      return `106: Field '${v.field}' on type '${v.type}' is of incorrect type. Expected: ${v.expected}, Actual: ${v.actual}`;
    case 'child-wrong-type':
      return `200: Child value '${echo(v.value)}' for key '${echo(v.key)}' is of incorrect type. Expected: ${v.expected}, Actual: ${v.actual}`;
    case 'child-too-long':
      return `Child value for key '${echo(v.key)}' on type '${v.type}' is too long. Expected: ${v.maxLength} characters, Actual: ${v.length}`;
    case 'not-in-enum':
      return `Field '${v.field}' on type '${v.type}' has a value outside its enumeration. Expected: one of ${v.allowed.join(', ')}, Actual: ${echo(v.actual)}`;
    case 'bad-duration':
      return `108: Field '${v.field}' on type '${v.type}' is not a valid duration string. Expected: TimeSpan DD.HH:MM:SS.MMMMMM format, Actual: ${echo(v.actual)}`;
    case 'bad-date':
      return `Field '${v.field}' on type '${v.type}' is not a valid date-time. Expected: ISO 8601 UTC date-time (2009-06-15T13:45:30.0000000Z), Actual: ${echo(v.actual)}`;
    case 'too-old':
      return `103: Field 'time' on type 'Envelope' is older than the allowed min date. Expected: now - ${v.maxAgeMillis}ms, Actual: now - ${v.ageMillis}ms`;
    case 'unknown-base-type':
      return `Field 'baseType' on type 'Data' names an unknown type. Expected: one of the spec's base types, Actual: ${echo(v.baseType)}`;
    case 'invalid-ikey':
      return 'Invalid instrumentation key';
    case 'item-too-large':
      return `The item is ${v.byteLength} bytes; the limit is ${v.maxBytes} bytes`;
    case 'not-an-object':
      return `The item is not a telemetry envelope. Expected: object, Actual: ${v.actual}`;
  }
}
