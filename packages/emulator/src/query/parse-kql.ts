/**
 * Parses a query with Microsoft's Kusto.Language parser, bound to the emulator's table schemas,
 * and turns its diagnostics into {@link KqlError}s that read like the service's.
 */
import { KqlError } from '../errors';
import { TABLE_SCHEMAS } from '../storage/table-schemas';
import { analyzeKql, TreeTooDeepError, type KqlDiagnostic, type KqlNode } from './kusto-language';
import { checkQueryLength, MAX_EXPRESSION_DEPTH } from './query-budget';

/** A parsed and bound query. */
export interface ParsedQuery {
  readonly text: string;
  readonly root: KqlNode;
}

/**
 * Deepest syntax tree accepted. Every level of expression nesting adds one to four syntax levels
 * (a call adds its argument list), so this admits {@link MAX_EXPRESSION_DEPTH} levels of any kind.
 */
const MAX_SYNTAX_DEPTH = 4 * MAX_EXPRESSION_DEPTH + 32;

function lineAndColumn(text: string, offset: number): { line: number; pos: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, pos: (before[before.length - 1] ?? '').length };
}

function diagnosticError(text: string, d: KqlDiagnostic): KqlError {
  const { line, pos } = lineAndColumn(text, d.start);
  const token = text.slice(d.start, d.start + Math.max(d.length, 1)).trim();
  if (d.syntax) {
    return new KqlError(`Query could not be parsed at '${token}' on line [${line},${pos}]: ${d.message}`, {
      code: 'SYN0002', kind: 'SyntaxError', kustoCode: d.code, line: String(line), pos: String(pos), token,
    });
  }
  return new KqlError(d.message, { code: 'SEM0100', kind: 'SemanticError', kustoCode: d.code, line: String(line), pos: String(pos), token });
}

const OPERATOR_WORDS = /^(and|or|not)\b/;

/**
 * Refuses, before Kusto.Language sees it, a text whose nesting (brackets) or operator chain (the
 * operators of one pipeline step, each of which may nest one level) is deeper than
 * {@link MAX_EXPRESSION_DEPTH}: the parser is recursive and takes seconds, or overflows, on
 * thousands of levels. String literals and comments are skipped.
 */
function checkNesting(text: string): void {
  let depth = 0;
  let operators = 0;
  const tooDeep = (): KqlError => new KqlError(`The query nests expressions deeper than ${MAX_EXPRESSION_DEPTH} levels, the emulator's limit`, { code: 'ExpressionTooDeep', kind: 'Limit', limit: String(MAX_EXPRESSION_DEPTH) });
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"' || c === "'") {
      const verbatim = text.charAt(i - 1) === '@';
      for (i++; i < text.length && text.charAt(i) !== c; i++) if (!verbatim && text.charAt(i) === '\\') i++;
      continue;
    }
    if (c === '/' && text.charAt(i + 1) === '/') { while (i < text.length && text.charAt(i) !== '\n') i++; continue; }
    if (c === '(' || c === '[' || c === '{') { if (++depth > MAX_EXPRESSION_DEPTH) throw tooDeep(); continue; }
    if (c === ')' || c === ']' || c === '}') { depth--; continue; }
    if (c === '|' || c === ';') { operators = 0; continue; }
    const word = /[a-z]/.test(c) && !/[\w]/.test(text.charAt(i - 1)) ? OPERATOR_WORDS.exec(text.slice(i, i + 4)) : null;
    const assignment = c === '=' && !'=!<>'.includes(text.charAt(i - 1)) && !'=~'.includes(text.charAt(i + 1));
    const symbol = ('+-*/%<>=!'.includes(c) && !assignment) || (c === '.' && !/\d/.test(text.charAt(i + 1)) && text.charAt(i + 1) !== '.' && text.charAt(i - 1) !== '.');
    if ((word || symbol) && ++operators > MAX_EXPRESSION_DEPTH) throw tooDeep();
  }
}

/**
 * Parses and binds `text`. Throws {@link KqlError} for a query longer than the limit, deeper than
 * the limit (`ExpressionTooDeep`), or with a syntax or semantic error (the first one Kusto reports).
 */
export function parseKql(text: string): ParsedQuery {
  checkQueryLength(text);
  checkNesting(text);
  let analyzed;
  try {
    analyzed = analyzeKql(text, TABLE_SCHEMAS, MAX_SYNTAX_DEPTH);
  } catch (e) {
    if (e instanceof TreeTooDeepError || e instanceof RangeError) {
      throw new KqlError(`The query nests expressions deeper than ${MAX_EXPRESSION_DEPTH} levels, the emulator's limit`, { code: 'ExpressionTooDeep', kind: 'Limit', limit: String(MAX_EXPRESSION_DEPTH) });
    }
    throw e;
  }
  const first = analyzed.diagnostics[0];
  if (first) throw diagnosticError(text, first);
  return { text, root: analyzed.root };
}

