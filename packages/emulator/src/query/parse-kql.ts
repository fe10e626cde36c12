import { KqlError } from '../errors';
import type { Aggregate, KqlExpr, KqlOperator, KqlQuery, NamedExpr, SortKey } from './kql-ast';
import { checkQueryLength, MAX_EXPRESSION_DEPTH } from './query-budget';
import { tokenizeKql, type KqlToken } from './tokenize-kql';

/** Tabular operators the emulator supports (named in errors). */
export const SUPPORTED_OPERATORS = ['where', 'project', 'extend', 'take', 'limit', 'top', 'order by', 'sort by', 'summarize', 'count'] as const;
/** Scalar functions the emulator supports. */
export const SUPPORTED_FUNCTIONS = ['ago', 'now', 'datetime', 'bin', 'floor', 'tostring', 'tolong', 'toint', 'todouble', 'toreal', 'tobool', 'isempty', 'isnotempty', 'isnull', 'isnotnull', 'strlen', 'tolower', 'toupper', 'not'] as const;
const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'dcount'] as const;
const COMPARISONS = ['==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'contains', '!contains', 'startswith', '!startswith', 'has', '!has', 'endswith'];

function unsupportedOperator(name: string, pos: number): KqlError {
  return new KqlError(
    `Query operator '${name}' is not supported by the appinsights emulator (position ${pos}). Supported operators: ${SUPPORTED_OPERATORS.join(', ')}.`,
    { code: 'UnsupportedOperator', operator: name, position: String(pos) },
  );
}

function tooDeep(pos: number): KqlError {
  return new KqlError(`The expression at position ${pos} nests deeper than ${MAX_EXPRESSION_DEPTH} levels, the emulator's limit: split it or use fewer chained operators`, { code: 'ExpressionTooDeep', position: String(pos), limit: String(MAX_EXPRESSION_DEPTH) });
}

class Parser {
  private _i = 0;
  private readonly _tokens: KqlToken[];
  /** Parser recursion (parentheses, arguments, unary minus) under way. */
  private _nesting = 0;
  /** Depth of each built expression node (absent: a leaf, depth 1). */
  private readonly _depths = new WeakMap<KqlExpr, number>();

  constructor(text: string) {
    checkQueryLength(text);
    this._tokens = tokenizeKql(text);
  }

  /** Records a node's depth (1 + its deepest child), refusing trees deeper than the limit. */
  private _node<T extends KqlExpr>(node: T, children: readonly KqlExpr[]): T {
    let depth = 1;
    for (const c of children) depth = Math.max(depth, (this._depths.get(c) ?? 1) + 1);
    if (depth > MAX_EXPRESSION_DEPTH) throw tooDeep(this._peek().pos);
    this._depths.set(node, depth);
    return node;
  }

  /** Runs a recursive step of the parser, refusing nesting deeper than the limit before the stack runs out. */
  private _nested<T>(step: () => T): T {
    if (++this._nesting > MAX_EXPRESSION_DEPTH) throw tooDeep(this._peek().pos);
    try {
      return step();
    } finally {
      this._nesting--;
    }
  }

  private _peek(offset = 0): KqlToken {
    return this._tokens[Math.min(this._i + offset, this._tokens.length - 1)] as KqlToken;
  }

  private _next(): KqlToken {
    const t = this._peek();
    if (this._i < this._tokens.length - 1) this._i++;
    return t;
  }

  private _isOp(text: string): boolean {
    const t = this._peek();
    return t.kind === 'op' && t.text === text;
  }

  private _isWord(word: string, offset = 0): boolean {
    const t = this._peek(offset);
    return t.kind === 'ident' && t.text === word;
  }

  private _expectOp(text: string): void {
    const t = this._next();
    if (t.kind !== 'op' || t.text !== text) throw this._syntax(`expected '${text}'`, t);
  }

  private _expectWord(word: string): void {
    const t = this._next();
    if (t.kind !== 'ident' || t.text !== word) throw this._syntax(`expected '${word}'`, t);
  }

  private _ident(): string {
    const t = this._next();
    if (t.kind !== 'ident') throw this._syntax('expected a name', t);
    return t.text;
  }

  private _syntax(what: string, t: KqlToken): KqlError {
    return new KqlError(`Syntax error: ${what} at position ${t.pos}, found '${t.text || 'end of query'}'`, { code: 'SYN0002', position: String(t.pos) });
  }

  private _integer(): number {
    const t = this._next();
    if (t.kind !== 'number' || !Number.isInteger(t.value) || t.value < 0) throw this._syntax('expected a non-negative integer', t);
    return t.value;
  }

  parseQuery(): KqlQuery {
    const table = this._ident();
    const operators: KqlOperator[] = [];
    while (this._isOp('|')) {
      this._next();
      operators.push(this._operator());
    }
    if (this._isOp(';')) this._next();
    const t = this._peek();
    if (t.kind !== 'eof') throw this._syntax("expected '|' or the end of the query", t);
    return { table, operators };
  }

  private _operator(): KqlOperator {
    const t = this._next();
    if (t.kind !== 'ident') throw this._syntax('expected a query operator', t);
    switch (t.text) {
      case 'where':
        return { op: 'where', predicate: this._expr() };
      case 'project':
        return { op: 'project', columns: this._namedList(false) };
      case 'extend':
        return { op: 'extend', columns: this._namedList(true) };
      case 'take':
      case 'limit':
        return { op: 'take', count: this._integer() };
      case 'top': {
        const count = this._integer();
        this._expectWord('by');
        return { op: 'top', count, key: this._sortKey() };
      }
      case 'order':
      case 'sort': {
        this._expectWord('by');
        const keys = [this._sortKey()];
        while (this._isOp(',')) { this._next(); keys.push(this._sortKey()); }
        return { op: 'sort', keys };
      }
      case 'summarize':
        return this._summarize();
      case 'count':
        return { op: 'count' };
      default:
        throw unsupportedOperator(t.text === 'mv' || t.text === 'make' ? `${t.text}-${this._peek(1).kind === 'ident' ? (this._peek(1).text) : ''}` : t.text, t.pos);
    }
  }

  private _sortKey(): SortKey {
    const expr = this._expr();
    let descending = true;
    if (this._isWord('asc')) { this._next(); descending = false; } else if (this._isWord('desc')) { this._next(); }
    if (this._isWord('nulls')) { this._next(); this._ident(); }
    return { expr, descending };
  }

  private _namedList(requireName: boolean): NamedExpr[] {
    const out: NamedExpr[] = [];
    let n = 0;
    do {
      if (out.length > 0) this._next();
      if (this._peek().kind === 'ident' && this._peek(1).kind === 'op' && this._peek(1).text === '=') {
        const name = this._ident();
        this._next();
        out.push({ name, expr: this._expr() });
      } else {
        const start = this._peek();
        const expr = this._expr();
        if (requireName && expr.kind !== 'column') throw this._syntax('extend needs name = expression', start);
        out.push({ name: expr.kind === 'column' ? expr.name : expr.kind === 'member' ? expr.key : `Column${++n}`, expr });
      }
    } while (this._isOp(','));
    return out;
  }

  private _summarize(): KqlOperator {
    const aggregates: Aggregate[] = [];
    if (!this._isWord('by')) {
      do {
        if (aggregates.length > 0) this._next();
        let name: string | undefined;
        if (this._peek().kind === 'ident' && this._peek(1).kind === 'op' && this._peek(1).text === '=') {
          name = this._ident();
          this._next();
        }
        const fnTok = this._next();
        if (fnTok.kind !== 'ident' || !this._isOp('(')) throw this._syntax('expected an aggregation function such as count()', fnTok);
        if (!(AGGREGATES as readonly string[]).includes(fnTok.text)) {
          throw new KqlError(`Aggregation function '${fnTok.text}' is not supported by the appinsights emulator (position ${fnTok.pos}). Supported: ${AGGREGATES.join(', ')}.`, { code: 'UnsupportedFunction', function: fnTok.text });
        }
        const fn = fnTok.text as Aggregate['fn'];
        this._expectOp('(');
        let arg: KqlExpr | undefined;
        if (!this._isOp(')')) arg = this._expr();
        this._expectOp(')');
        if (fn !== 'count' && !arg) throw this._syntax(`${fn}() needs an argument`, fnTok);
        const argName = arg?.kind === 'column' ? arg.name : arg?.kind === 'member' ? arg.key : '';
        aggregates.push({ name: name ?? (fn === 'count' ? 'count_' : `${fn}_${argName}`), fn, ...(arg ? { arg } : {}) });
      } while (this._isOp(','));
    }
    let by: NamedExpr[] = [];
    if (this._isWord('by')) {
      this._next();
      by = this._namedList(false).map((b) => (b.expr.kind === 'call' && b.expr.name === 'bin' && b.expr.args[0]?.kind === 'column' && b.name.startsWith('Column') ? { ...b, name: b.expr.args[0].name } : b));
    }
    return { op: 'summarize', aggregates, by };
  }

  private _expr(): KqlExpr {
    return this._nested(() => this._or());
  }

  private _or(): KqlExpr {
    let left = this._and();
    while (this._isWord('or')) { this._next(); const right = this._and(); left = this._node({ kind: 'binary', op: 'or', left, right }, [left, right]); }
    return left;
  }

  private _and(): KqlExpr {
    let left = this._comparison();
    while (this._isWord('and')) { this._next(); const right = this._comparison(); left = this._node({ kind: 'binary', op: 'and', left, right }, [left, right]); }
    return left;
  }

  private _comparison(): KqlExpr {
    const left = this._additive();
    const t = this._peek();
    const op = (t.kind === 'op' || t.kind === 'ident') && COMPARISONS.includes(t.text) ? t.text : undefined;
    if (op === undefined) {
      if (t.kind === 'ident' && /^(in|between|matches|has_any|has_all|contains_cs|startswith_cs|endswith_cs|hasprefix|hassuffix|has_cs)$/.test(t.text)) {
        throw new KqlError(`Operator '${t.text}' is not supported by the appinsights emulator (position ${t.pos}). Supported comparisons: ${COMPARISONS.join(', ')}.`, { code: 'UnsupportedOperator', operator: t.text });
      }
      return left;
    }
    this._next();
    const right = this._additive();
    return this._node({ kind: 'binary', op, left, right }, [left, right]);
  }

  private _additive(): KqlExpr {
    let left = this._multiplicative();
    while (this._isOp('+') || this._isOp('-')) {
      const op = this._next().text;
      const right = this._multiplicative();
      left = this._node({ kind: 'binary', op, left, right }, [left, right]);
    }
    return left;
  }

  private _multiplicative(): KqlExpr {
    let left = this._unary();
    while (this._isOp('*') || this._isOp('/') || this._isOp('%')) {
      const op = this._next().text;
      const right = this._unary();
      left = this._node({ kind: 'binary', op, left, right }, [left, right]);
    }
    return left;
  }

  private _unary(): KqlExpr {
    if (this._isOp('-')) {
      this._next();
      const operand = this._nested(() => this._unary());
      return this._node({ kind: 'unary', op: '-', operand }, [operand]);
    }
    return this._postfix(this._primary());
  }

  private _postfix(expr: KqlExpr): KqlExpr {
    let e = expr;
    for (;;) {
      if (this._isOp('.') && this._peek(1).kind === 'ident') { this._next(); const object = e; e = this._node({ kind: 'member', object, key: this._ident() }, [object]); continue; }
      if (this._isOp('[')) {
        this._next();
        const k = this._next();
        if (k.kind !== 'string') throw this._syntax('expected a quoted key', k);
        this._expectOp(']');
        const object = e;
        e = this._node({ kind: 'member', object, key: k.value }, [object]);
        continue;
      }
      return e;
    }
  }

  private _primary(): KqlExpr {
    const t = this._next();
    switch (t.kind) {
      case 'number': return { kind: 'literal', value: t.value, type: Number.isInteger(t.value) && !t.text.includes('.') ? 'long' : 'real' };
      case 'string': return { kind: 'literal', value: t.value, type: 'string' };
      case 'timespan': return { kind: 'literal', value: t.millis, type: 'timespan' };
      case 'datetime': return { kind: 'literal', value: t.millis, type: 'datetime' };
      case 'op':
        if (t.text === '(') { const e = this._expr(); this._expectOp(')'); return e; }
        throw this._syntax('expected an expression', t);
      case 'eof': throw this._syntax('expected an expression', t);
      case 'ident': break;
    }
    if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', type: 'bool' };
    if (t.text === 'null') return { kind: 'literal', value: null, type: 'null' };
    if (!this._isOp('(')) return { kind: 'column', name: t.text };
    if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(t.text)) {
      throw new KqlError(`Function '${t.text}' is not supported by the appinsights emulator (position ${t.pos}). Supported functions: ${SUPPORTED_FUNCTIONS.join(', ')}.`, { code: 'UnsupportedFunction', function: t.text });
    }
    this._expectOp('(');
    const args: KqlExpr[] = [];
    if (!this._isOp(')')) {
      args.push(this._expr());
      while (this._isOp(',')) { this._next(); args.push(this._expr()); }
    }
    this._expectOp(')');
    return this._node({ kind: 'call', name: t.text, args }, args);
  }
}

/** Parses the supported KQL subset; throws {@link KqlError} naming what is unsupported or malformed. */
export function parseKql(text: string): KqlQuery {
  return new Parser(text).parseQuery();
}
