/**
 * The `parse` and `parse-where` operators (Kusto's parse page). The pattern is matched from the
 * start of the text: `*` skips the fewest characters up to what follows, a string constant must
 * appear (in `kind=regex` it is a regular expression), a column without a type copies the fewest
 * characters up to what follows (the last element: to the end of the text).
 *
 * - `simple` (the default) and `regex`: typed columns must match their type. A number column
 *   matches a number (after optional spaces, which Kusto's conversions skip too); other typed
 *   columns copy like a string and must then convert. If anything fails, every column of the row is
 *   null (empty for strings); `parse-where` drops the row instead.
 * - `relaxed`: the delimiters must still appear; a typed column takes its type's form where the
 *   text has it, else copies like a string and is null; the other columns keep their values.
 */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { childAt, listsOf, nameOf, nodesOf } from './kql-node';
import { toText } from './kql-values';
import { convertTo } from './scalar-functions';
import { evalScalar, literal } from './evaluate-scalar';
import { namedParameter } from './join-operators';
import { columnsOf, type Context, type ResultColumn, type ResultTable } from './kql-context';

/** `simple`, `regex` or `relaxed`. */
export type ParseKind = 'simple' | 'regex' | 'relaxed';

/** One element of a parse pattern: `*`, a string constant, or a column with its type. */
export type PatternElement = { readonly skip: true } | { readonly text: string } | { readonly column: string; readonly type: string };

/** A compiled pattern: the regular expression and the columns its groups fill, in order. */
export interface CompiledPattern {
  readonly regex: RegExp;
  readonly columns: readonly { readonly column: string; readonly type: string }[];
  readonly kind: ParseKind;
}

const INTEGER = '\\s*[-+]?\\d+';
const REAL = '\\s*[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
/** What a typed column must look like in `simple` and `regex` parsing; other types copy like strings and must convert. */
const TYPED_PATTERNS: Readonly<Record<string, string>> = { long: INTEGER, int: INTEGER, real: REAL, decimal: REAL };

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a pattern; `flags` are Kusto regex flags (`i`, `m`, `s`), for `kind=regex` only. */
export function compilePattern(elements: readonly PatternElement[], kind: ParseKind, flags = ''): CompiledPattern {
  const unknown = [...flags].find((f) => !'ims'.includes(f));
  if (unknown !== undefined) throw new KqlError(`parse: regex flag '${unknown}' is not supported by the appinsights emulator (use i, m or s)`, { code: 'UnsupportedByEmulator', kind: 'SemanticError', operator: 'parse' });
  let source = '^';
  const columns: { column: string; type: string }[] = [];
  elements.forEach((e, i) => {
    const last = i === elements.length - 1;
    if ('skip' in e) source += last ? '[\\s\\S]*' : '[\\s\\S]*?';
    else if ('text' in e) source += kind === 'regex' ? `(?:${e.text})` : escapeRegex(e.text);
    else {
      columns.push(e);
      const typed = TYPED_PATTERNS[e.type];
      const any = last ? '[\\s\\S]*' : '[\\s\\S]*?';
      // relaxed: the type's own form first, else any text (which then reads as null)
      source += typed === undefined ? `(${any})` : kind === 'relaxed' ? `((?:${typed})|${any})` : `(${typed})`;
    }
  });
  return { regex: new RegExp(source, flags), columns, kind };
}

/** The column values `text` parses to, or undefined when it does not match (strictly, unless relaxed). */
export function parseText(text: string, pattern: CompiledPattern): CellValue[] | undefined {
  const m = pattern.regex.exec(text);
  if (!m) return undefined;
  const values = pattern.columns.map((c, i) => {
    const captured = m[i + 1] ?? '';
    return c.type === 'string' ? captured : captured.trim() === '' ? null : convertTo(captured, c.type);
  });
  if (pattern.kind !== 'relaxed' && values.some((v, i) => v === null && pattern.columns[i]?.type !== 'string')) return undefined;
  return values;
}

function patternOf(op: KqlNode, columns: readonly ResultColumn[]): CompiledPattern {
  const kind = (namedParameter(op, 'kind') ?? 'simple').toLowerCase() as ParseKind;
  const typeOf = (name: string): string => columns.find((c) => c.name === name)?.type ?? 'string';
  const elements = (listsOf(op)[1] ?? []).map((p): PatternElement => {
    if (p.kind === 'StarExpression') return { skip: true };
    if (p.kind === 'StringLiteralExpression') return { text: String(literal(p)) };
    const name = nameOf(p.kind === 'NameAndTypeDeclaration' ? (childAt(p, 0) as KqlNode) : p);
    return { column: name, type: typeOf(name) };
  });
  return compilePattern(elements, kind, (namedParameter(op, 'flags') ?? '').replace(/^["']|["']$/g, ''));
}

/** Evaluates `parse` (`dropUnmatched` false) or `parse-where` (true). */
export function parseOperator(table: ResultTable, op: KqlNode, ctx: Context, dropUnmatched = false): ResultTable {
  const source = nodesOf(op).find((c) => c.kind !== 'List') as KqlNode;
  const columns = columnsOf(op);
  const pattern = patternOf(op, columns);
  ctx.budget.cells(table.rows.length, pattern.columns.length, dropUnmatched ? 'parse-where' : 'parse');
  const rows: Row[] = [];
  for (const row of table.rows) {
    ctx.budget.tick();
    const values = parseText(toText(evalScalar(source, { row, group: undefined }, ctx), source.type), pattern);
    if (!values && dropUnmatched) continue;
    const out: Row = { ...row };
    pattern.columns.forEach((c, i) => (out[c.column] = values ? (values[i] ?? null) : c.type === 'string' ? '' : null));
    rows.push(out);
  }
  return { columns, rows };
}
