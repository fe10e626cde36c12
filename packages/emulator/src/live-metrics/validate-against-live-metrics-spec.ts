import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The data file holding the spec's definitions (shipped in `src/`, read from `src/` or `dist/`). */
const SCHEMA_FILE = join(__dirname, '..', '..', 'src', 'live-metrics', 'livemetrics-2024-04-01-preview.schema.json');
/** Problems reported per body, at most (the first ones name the fix). */
const MAX_PROBLEMS = 10;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** ISO 8601 duration, as the spec's description states it: `P[n]Y[n]M[n]DT[n]H[n]M[n]S` or `P[n]W`. */
const ISO_DURATION = /^P(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;
/** RFC 3339 date-time (swagger's `date-time`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A swagger 2.0 schema node, the subset the spec's definitions use. */
interface SchemaNode {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly format?: string;
  readonly 'x-emulator-format'?: 'iso8601-duration';
  readonly enum?: readonly string[];
  readonly maxLength?: number;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly $ref?: string;
  readonly allOf?: readonly SchemaNode[];
  readonly discriminator?: string;
  readonly 'x-ms-discriminator-value'?: string;
}

interface SpecFile {
  readonly apiVersions: readonly string[];
  readonly definitions: Readonly<Record<string, SchemaNode>>;
}

/** Names of the definitions callers validate against. */
export type LiveMetricsDefinition = 'MonitoringDataPoint' | 'CollectionConfigurationInfo';

let spec: SpecFile | undefined;

function loadSpec(): SpecFile {
  return (spec ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SpecFile);
}

/** The `api-version` values the spec defines (`2024-04-01-preview`). */
export function liveMetricsApiVersions(): readonly string[] {
  return loadSpec().apiVersions;
}

function definitionOf(ref: string): [string, SchemaNode] {
  const name = ref.replace('#/definitions/', '');
  const node = loadSpec().definitions[name];
  if (node === undefined) throw new Error(`the Live Metrics schema has no definition ${name}`);
  return [name, node];
}

function typeProblem(node: SchemaNode, value: unknown): string | undefined {
  switch (node.type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'must be an object';
    case 'array':
      return Array.isArray(value) ? undefined : 'must be an array';
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? undefined : 'must be a 32-bit integer';
    default:
      return undefined;
  }
}

function stringProblem(node: SchemaNode, value: string): string | undefined {
  if (node.enum !== undefined && !node.enum.includes(value)) return `must be one of ${node.enum.join(', ')} (got '${value.slice(0, 64)}')`;
  if (node.maxLength !== undefined && value.length > node.maxLength) return `is longer than ${node.maxLength} characters (${value.length})`;
  if (node['x-emulator-format'] === 'iso8601-duration' && !ISO_DURATION.test(value)) return `must be an ISO 8601 duration such as PT0.035S (got '${value.slice(0, 64)}')`;
  if (node.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) return `must be an RFC 3339 date-time (got '${value.slice(0, 64)}')`;
  return undefined;
}

/**
 * The definition a discriminated value really is (`DocumentType: Request` -> `Request`); the base
 * itself for a value of the enum without its own definition (`Unknown`); else the problem.
 */
function discriminated(base: SchemaNode, value: Record<string, unknown>): SchemaNode | string {
  const key = base.discriminator as string;
  const tag = value[key];
  const definitions = Object.values(loadSpec().definitions);
  const match = definitions.find((d) => d['x-ms-discriminator-value'] !== undefined && d['x-ms-discriminator-value'] === tag);
  if (match !== undefined) return match;
  if (tag === undefined) return `${key} is required`;
  const tagRef = base.properties?.[key]?.$ref;
  const allowed = tagRef !== undefined ? definitionOf(tagRef)[1].enum ?? [] : [];
  if (typeof tag === 'string' && allowed.includes(tag)) return base;
  return `${key} must be one of ${allowed.join(', ')} (got '${String(tag).slice(0, 64)}')`;
}

function check(node: SchemaNode, value: unknown, path: string, problems: string[], viaDiscriminator = false): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (node.$ref !== undefined) {
    check(definitionOf(node.$ref)[1], value, path, problems, viaDiscriminator);
    return;
  }
  const wrongType = typeProblem(node, value);
  if (wrongType !== undefined) {
    problems.push(`${path} ${wrongType}`);
    return;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(node, value);
    if (problem !== undefined) problems.push(`${path} ${problem}`);
    return;
  }
  if (Array.isArray(value)) {
    if (node.items !== undefined) value.forEach((item, i) => check(node.items as SchemaNode, item, `${path}[${i}]`, problems));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (node.discriminator !== undefined && !viaDiscriminator) {
    const concrete = discriminated(node, record);
    if (typeof concrete === 'string') problems.push(`${path}.${concrete}`);
    else check(concrete, value, path, problems, true);
    return;
  }
  for (const base of node.allOf ?? []) check(base, value, path, problems, true);
  for (const name of node.required ?? []) if (record[name] === undefined) problems.push(`${path}.${name} is required`);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (record[name] !== undefined && record[name] !== null) check(child, record[name], `${path}.${name}`, problems);
  }
}

/**
 * Checks a value against a definition of the Live Metrics `2024-04-01-preview` spec (the data file
 * beside this module names its source): types (`int32`, `double`, `boolean`...), required
 * fields, enums (`DocumentType`, `CollectionConfigurationErrorType`, `PredicateType`...), string
 * lengths, `date-time` and the ISO 8601 document `Duration`; documents by their `DocumentType`.
 * Unknown properties are allowed, as in the spec. Returns the problems (at most 10), each naming
 * the JSON path and the fix; empty when valid. Pure apart from reading the data file once.
 */
export function validateAgainstLiveMetricsSpec(value: unknown, definition: LiveMetricsDefinition, path = '$'): string[] {
  const problems: string[] = [];
  check(definitionOf(`#/definitions/${definition}`)[1], value, path, problems);
  return problems;
}
