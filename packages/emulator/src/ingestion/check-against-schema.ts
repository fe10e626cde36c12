import { MESSAGE_TYPE_NAMES, type SchemaNode } from '../contracts/track-schema';
import { jsonTypeName, type SchemaViolation } from './schema-violation';
import { isDurationString } from './is-duration-string';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** RFC 3339 date-time (swagger `format: date-time`): date, `T`, time, optional fraction, `Z` or an offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/**
 * `SeverityLevel` as the numbers of its Bond enum (0 = Verbose ... 4 = Critical): Microsoft's
 * browser SDK (ApplicationInsights-JS) sends the level as that number, so the service takes both.
 * `DataPointType` likewise (0 = Measurement, 1 = Aggregation): the browser SDK 3.x sends `kind: 0`.
 */
const NUMERIC_ENUMS: Readonly<Record<string, number>> = { SeverityLevel: 5, DataPointType: 2 };

/** An object schema with its `$ref`s and `allOf` resolved: one property table and one required list. */
interface ResolvedObject {
  readonly typeName: string;
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
}

type Definitions = Readonly<Record<string, SchemaNode>>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);
const messageTypeName = (definition: string): string => MESSAGE_TYPE_NAMES[definition] ?? definition;

function definition(defs: Definitions, name: string): SchemaNode {
  const node = defs[name];
  if (node === undefined) throw new Error(`track schema: no definition '${name}'`);
  return node;
}

/** Follows `$ref`s; returns the node and the name of the last definition reached (if any). */
function deref(defs: Definitions, node: SchemaNode, name?: string): { node: SchemaNode; name?: string } {
  let current = node;
  let currentName = name;
  while (current.$ref !== undefined) {
    currentName = refName(current.$ref);
    current = definition(defs, currentName);
  }
  return currentName === undefined ? { node: current } : { node: current, name: currentName };
}

/** Resolved object schemas by node and type name: the schema is constant, so each is resolved once. */
const RESOLVED = new WeakMap<SchemaNode, Map<string, ResolvedObject>>();

function resolveObject(defs: Definitions, node: SchemaNode, typeName: string): ResolvedObject {
  let byType = RESOLVED.get(node);
  if (byType === undefined) RESOLVED.set(node, (byType = new Map()));
  let resolved = byType.get(typeName);
  if (resolved === undefined) byType.set(typeName, (resolved = resolveObjectOnce(defs, node, typeName)));
  return resolved;
}

function resolveObjectOnce(defs: Definitions, node: SchemaNode, typeName: string): ResolvedObject {
  const parts = node.allOf ?? [node];
  const required: string[] = [];
  const properties: Record<string, SchemaNode> = {};
  let additionalProperties: SchemaNode | boolean | undefined;
  for (const part of parts) {
    const { node: p } = deref(defs, part);
    const optional = p['x-emulator-optional']?.fields ?? [];
    required.push(...(p.required ?? []).filter((f) => !optional.includes(f)));
    Object.assign(properties, p.properties ?? {});
    if (p.additionalProperties !== undefined) additionalProperties = p.additionalProperties;
  }
  return additionalProperties === undefined ? { typeName, required, properties } : { typeName, required, properties, additionalProperties };
}

const isObjectSchema = (n: SchemaNode): boolean => n.allOf !== undefined || n.properties !== undefined || (n.type === 'object' && n.additionalProperties === undefined);

/** Whether a required value counts as absent: missing, null, an empty string or an empty list ("required but missing or empty"). */
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function expectedName(node: SchemaNode): string {
  if (node.type === 'integer' || node.format === 'int32') return 'int32';
  if (node.type === 'object' || node.allOf !== undefined) return 'object';
  return node.type ?? 'object';
}

function checkScalar(value: unknown, node: SchemaNode, field: string, type: string, enumName?: string): SchemaViolation | undefined {
  const wrong = (expected: string): SchemaViolation => ({ kind: 'wrong-type', field, type, expected, actual: jsonTypeName(value) });
  switch (node.type) {
    case 'string': {
      if (node.enum !== undefined) {
        const numeric = enumName === undefined ? undefined : NUMERIC_ENUMS[enumName];
        if (typeof value === 'number' && numeric !== undefined) {
          return Number.isInteger(value) && value >= 0 && value < numeric ? undefined : { kind: 'not-in-enum', field, type, allowed: node.enum, actual: String(value) };
        }
        if (typeof value !== 'string') return wrong('string');
        return node.enum.includes(value) ? undefined : { kind: 'not-in-enum', field, type, allowed: node.enum, actual: value };
      }
      if (typeof value !== 'string') return wrong('string');
      if (node.maxLength !== undefined && value.length > node.maxLength) return { kind: 'too-long', field, type, maxLength: node.maxLength, length: value.length };
      if (node.format === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) return { kind: 'bad-date', field, type, actual: value };
      const format = node['x-emulator-format'];
      if (format !== undefined && !isDurationString(value, format === 'duration-or-timespan-g')) return { kind: 'bad-duration', field, type, actual: value };
      return undefined;
    }
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return wrong(expectedName(node));
      if ((node.type === 'integer' || node.format === 'int32') && !(Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX)) return wrong('int32');
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrong('boolean');
    default:
      return undefined;
  }
}

function checkMap(value: unknown, valueSchema: SchemaNode, field: string, type: string): SchemaViolation | undefined {
  if (!isPlainObject(value)) return { kind: 'wrong-type', field, type, expected: 'object', actual: jsonTypeName(value) };
  for (const [key, child] of Object.entries(value)) {
    const expected = valueSchema.type ?? 'object';
    const ok = expected === 'string' ? typeof child === 'string' : expected === 'number' ? typeof child === 'number' : true;
    if (!ok) return { kind: 'child-wrong-type', key, value: typeof child === 'string' ? child : JSON.stringify(child) ?? 'undefined', expected, actual: jsonTypeName(child) };
    if (valueSchema.maxLength !== undefined && typeof child === 'string' && child.length > valueSchema.maxLength) {
      return { kind: 'child-too-long', key, type: field, maxLength: valueSchema.maxLength, length: child.length };
    }
  }
  return undefined;
}

function checkValue(defs: Definitions, value: unknown, node: SchemaNode, field: string, type: string): SchemaViolation | undefined {
  const { node: target, name } = deref(defs, node);
  if (isObjectSchema(target)) {
    if (!isPlainObject(value)) return { kind: 'wrong-type', field, type, expected: 'object', actual: jsonTypeName(value) };
    return checkObject(defs, value, resolveObject(defs, target, messageTypeName(name ?? field)));
  }
  if (target.type === 'object' && typeof target.additionalProperties === 'object') return checkMap(value, target.additionalProperties, field, type);
  if (target.type === 'array') {
    if (!Array.isArray(value)) return { kind: 'wrong-type', field, type, expected: 'array', actual: jsonTypeName(value) };
    for (const element of value as unknown[]) {
      const problem = target.items === undefined ? undefined : checkValue(defs, element, target.items, field, type);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return checkScalar(value, target, field, type, name);
}

function checkObject(defs: Definitions, value: Record<string, unknown>, schema: ResolvedObject): SchemaViolation | undefined {
  for (const field of schema.required) {
    const property = schema.properties[field];
    // A required field whose spec names a default (`ver`, `success`) is taken as that default when absent.
    if (property?.default !== undefined && (value[field] === undefined || value[field] === null)) continue;
    if (isEmpty(value[field])) {
      const actual = value[field] === '' ? '' : jsonTypeName(value[field]);
      return { kind: 'missing', field, type: schema.typeName, expected: property ? expectedName(deref(defs, property).node) : 'value', actual };
    }
  }
  for (const [field, property] of Object.entries(schema.properties)) {
    const v = value[field];
    if (v === undefined || v === null) continue; // optional and absent; a JSON null reads as absent
    const problem = checkValue(defs, v, property, field, schema.typeName);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Checks a value against a definition of the track schema and returns the first violation (the
 * service reports one message per item), or undefined when the value conforms. Properties the
 * schema does not name are accepted: the spec's `Domain` says `additionalProperties: true`, and
 * swagger 2.0 objects allow extra properties unless they say otherwise.
 */
export function checkAgainstSchema(value: unknown, definitionName: string, defs: Definitions): SchemaViolation | undefined {
  const typeName = messageTypeName(definitionName);
  if (!isPlainObject(value)) return { kind: 'wrong-type', field: definitionName, type: typeName, expected: 'object', actual: jsonTypeName(value) };
  return checkObject(defs, value, resolveObject(defs, definition(defs, definitionName), typeName));
}
