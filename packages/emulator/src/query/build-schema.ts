/**
 * The `buildschema()` aggregation (Kusto's buildschema page): the minimal schema that admits every
 * value. A primitive is named by its type (`long`, `double`, `string`, `bool`), an object is a
 * container of its properties' schemas, an array is a container with one `` `indexer` `` property
 * (the schema of its items), and a property seen with several schemas gets the list of them, in
 * the order first seen: `{"x":["long","string"],"z":{"`indexer`":"long"}}`.
 */
import type { CellValue } from '../storage/row';

/** A schema node: a type name, a container of named schemas, or a union (list) of them. */
export type Schema = string | { [name: string]: Schema } | Schema[];

/** The property that stands for an array's items. */
const INDEXER = '`indexer`';

const isContainer = (s: Schema): s is { [name: string]: Schema } => typeof s === 'object' && !Array.isArray(s);

function primitiveName(v: CellValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** The schema of one value (undefined for null: a null admits no type). */
export function schemaOf(v: CellValue): Schema | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) {
    const items = v.reduce<Schema | undefined>((acc, item) => mergeSchemas(acc, schemaOf(item as CellValue)), undefined);
    return items === undefined ? {} : { [INDEXER]: items };
  }
  if (typeof v === 'object') {
    const out: { [name: string]: Schema } = {};
    for (const [k, x] of Object.entries(v)) {
      const s = schemaOf(x as CellValue);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return primitiveName(v);
}

/** The alternatives of a schema (a union's members, or the schema itself). */
const alternatives = (s: Schema): Schema[] => (Array.isArray(s) ? s : [s]);

/** Merges two schemas: containers merge property by property, other kinds join a union. */
export function mergeSchemas(a: Schema | undefined, b: Schema | undefined): Schema | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const out: Schema[] = [...alternatives(a)];
  for (const alt of alternatives(b)) {
    const containerAt = out.findIndex(isContainer);
    if (isContainer(alt) && containerAt >= 0) {
      const merged: { [name: string]: Schema } = { ...(out[containerAt] as { [name: string]: Schema }) };
      for (const [k, s] of Object.entries(alt)) merged[k] = mergeSchemas(merged[k], s) as Schema;
      out[containerAt] = merged;
    } else if (!out.some((x) => x === alt)) out.push(alt);
  }
  return out.length === 1 ? out[0] : out;
}

/** `buildschema()` over the values of a group (null when no value has a type). */
export function buildSchema(values: readonly CellValue[]): CellValue {
  const schema = values.reduce<Schema | undefined>((acc, v) => mergeSchemas(acc, schemaOf(v)), undefined);
  return (schema ?? null) as CellValue;
}
