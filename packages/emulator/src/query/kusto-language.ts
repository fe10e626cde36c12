/**
 * Loads Microsoft's Kusto.Language parser (`@kusto/language-service-next`, the parser and binder
 * behind the Azure portal's query editor) and turns its syntax tree, with the semantic facts the
 * binder found (each expression's type, each operator's output columns, what each name refers
 * to), into plain {@link KqlNode} data that the evaluator walks.
 *
 * The package is a Bridge.NET build: `bridge.js` defines the .NET runtime (`Bridge`, `System`) on
 * the global object and `Kusto.Language.Bridge.js` adds the `Kusto` namespace. Both are loaded
 * once, on the first query.
 */
import type { ColumnSchema } from '../storage/table-schemas';

/** A column of a tabular result, as the binder types it. */
export interface KqlColumn {
  readonly name: string;
  /** Kusto scalar type name: `string`, `long`, `int`, `real`, `bool`, `datetime`, `timespan`, `dynamic`, `guid`, `decimal`. */
  readonly type: string;
}

/** One node of the syntax tree: a token (with `text`) or a syntax node (with children). */
export interface KqlNode {
  /** The `SyntaxKind` name, e.g. `FilterOperator`, `AddExpression`, `IdentifierToken`, `List`. */
  readonly kind: string;
  /** Token text (tokens only). */
  readonly text: string;
  /** Scalar result type name of an expression, when the binder knows it. */
  readonly type: string | undefined;
  /** Output columns of a tabular expression or query operator. */
  readonly columns: readonly KqlColumn[] | undefined;
  /** The symbol a name refers to: its name and kind (`Column`, `Table`, `Variable`, `Function`, `Parameter`...). */
  readonly symbol: { readonly name: string; readonly kind: string } | undefined;
  /** Children in source order; `null` for an absent optional part. Lists drop their separators. */
  readonly children: readonly (KqlNode | null)[];
  /** Offset of the node's first character in the query text. */
  readonly start: number;
}

/** A diagnostic reported by Kusto.Language. */
export interface KqlDiagnostic {
  /** Kusto.Language code, e.g. `KS142`. */
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  /** True for a parse (syntax) error, false for a binding (semantic) error. */
  readonly syntax: boolean;
}

/** The result of parsing and binding one query text. */
export interface AnalyzedQuery {
  readonly root: KqlNode;
  readonly diagnostics: readonly KqlDiagnostic[];
}

/* Minimal shapes of the Bridge.NET objects used here. */
interface BridgeList<T> { readonly Count: number; getItem(i: number): T }
interface BridgeType { readonly Name: string; readonly Columns?: BridgeList<{ readonly Name: string; readonly Type: BridgeType }> }
interface BridgeSymbol { readonly Name: string; readonly Kind: number }
interface BridgeElement {
  readonly Kind: number; readonly IsToken: boolean; readonly Text: string; readonly ChildCount: number; readonly TextStart: number;
  GetChild(i: number): BridgeElement | null;
  readonly ResultType?: BridgeType | null; readonly ReferencedSymbol?: BridgeSymbol | null;
}
interface BridgeDiagnostic { readonly Code: string; readonly Message: string; readonly Start: number; readonly Length: number; readonly Severity: string | number }
interface BridgeCode { readonly Syntax: BridgeElement; GetDiagnostics(): BridgeList<BridgeDiagnostic>; GetSyntaxDiagnostics(): BridgeList<BridgeDiagnostic> }
interface KustoRuntime {
  readonly enumName: (enumType: unknown, value: number) => string;
  readonly syntaxKind: unknown;
  readonly symbolKind: unknown;
  readonly parse: (text: string) => BridgeCode;
  readonly analyze: (text: string) => BridgeCode;
}

/** Scalar type names of the emulator's schema files mapped to Kusto.Language's `ScalarTypes`. */
const SCALAR_TYPES: Readonly<Record<string, string>> = {
  string: 'String', long: 'Long', int: 'Int', real: 'Real', bool: 'Bool', datetime: 'DateTime', timespan: 'TimeSpan', dynamic: 'Dynamic', guid: 'Guid', decimal: 'Decimal',
};

let runtime: KustoRuntime | undefined;
let runtimeTables: Readonly<Record<string, readonly ColumnSchema[]>> | undefined;

/** The parts of the `Kusto` and `System` globals that Bridge.NET defines and this module uses. */
interface KustoGlobals {
  readonly System: { readonly Enum: { toString(enumType: unknown, value: number): string } };
  readonly Kusto: {
    readonly Language: {
      readonly Symbols: {
        readonly DatabaseSymbol: { readonly $ctor1: new (name: string, tables: unknown[]) => unknown };
        readonly TableSymbol: { readonly $ctor4: new (name: string, columns: unknown[]) => unknown };
        readonly ColumnSymbol: new (name: string, type: unknown) => unknown;
        readonly ScalarTypes: Readonly<Record<string, unknown>>;
        readonly SymbolKind: unknown;
      };
      readonly GlobalState: { readonly Default: { WithDatabase(db: unknown): unknown } };
      readonly Syntax: { readonly SyntaxKind: unknown };
      readonly KustoCode: { Parse(text: string, globals: unknown): BridgeCode; ParseAndAnalyze(text: string, globals: unknown): BridgeCode };
    };
  };
}

function loadRuntime(tables: Readonly<Record<string, readonly ColumnSchema[]>>): KustoRuntime {
  if (runtime && runtimeTables === tables) return runtime;
  /* eslint-disable @typescript-eslint/no-require-imports -- the Bridge.NET scripts define globals when loaded; they export nothing */
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const g = globalThis as unknown as KustoGlobals;
  const L = g.Kusto.Language;
  const S = L.Symbols;
  const db = new S.DatabaseSymbol.$ctor1('appinsights', Object.entries(tables).map(([name, columns]) =>
    new S.TableSymbol.$ctor4(name, columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes[SCALAR_TYPES[c.type] ?? 'String'])))));
  const globals = L.GlobalState.Default.WithDatabase(db);
  runtime = {
    enumName: (enumType, value) => String(g.System.Enum.toString(enumType, value)),
    syntaxKind: L.Syntax.SyntaxKind,
    symbolKind: S.SymbolKind,
    parse: (text) => L.KustoCode.Parse(text, globals),
    analyze: (text) => L.KustoCode.ParseAndAnalyze(text, globals),
  };
  runtimeTables = tables;
  return runtime;
}

function listOf<T>(list: BridgeList<T> | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}

/**
 * Depth of the syntax tree, measured without recursion (a hostile query may nest thousands deep).
 * A pipeline step does not count: a long pipeline is refused by the query budget, not as nesting.
 */
function treeDepth(root: BridgeElement, limit: number): number {
  const stack: [BridgeElement, number][] = [[root, 1]];
  let max = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [BridgeElement, number];
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (let i = 0; i < node.ChildCount; i++) {
      const c = node.GetChild(i);
      if (c && !c.IsToken) stack.push([c, node.Kind === c.Kind ? depth : depth + 1]);
    }
  }
  return max;
}

/**
 * Converts one element. Inside a `dynamic(...)` literal (`inLiteral`) the commas stay, so the
 * literal's tokens still read as its JSON text.
 */
function convert(rt: KustoRuntime, e: BridgeElement, inLiteral = false): KqlNode {
  const kind = rt.enumName(rt.syntaxKind, e.Kind);
  if (e.IsToken) return { kind, text: e.Text, type: undefined, columns: undefined, symbol: undefined, children: [], start: e.TextStart };
  const literal = inLiteral || kind === 'DynamicExpression';
  const children: (KqlNode | null)[] = [];
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (!c) { children.push(null); continue; }
    if (!literal && kind === 'List' && c.IsToken && rt.enumName(rt.syntaxKind, c.Kind) === 'CommaToken') continue;
    const node = convert(rt, c, literal);
    // A separated element holds one element and its trailing comma: keep the element only.
    children.push(!literal && node.kind === 'SeparatedElement' ? (node.children.find((x) => x && x.kind !== 'CommaToken') ?? null) : node);
  }
  const resultType = e.ResultType ?? undefined;
  const symbol = e.ReferencedSymbol ?? undefined;
  const columns = resultType?.Columns ? listOf(resultType.Columns).map((c) => ({ name: c.Name, type: c.Type.Name })) : undefined;
  return {
    kind, text: '', children, start: e.TextStart,
    type: resultType && !columns ? resultType.Name : undefined,
    columns,
    symbol: symbol ? { name: symbol.Name, kind: rt.enumName(rt.symbolKind, symbol.Kind) } : undefined,
  };
}

function diagnosticsOf(list: BridgeList<BridgeDiagnostic>, syntax: boolean): KqlDiagnostic[] {
  return listOf(list)
    .filter((d) => String(d.Severity) === 'Error' || d.Severity === 0)
    .map((d) => ({ code: d.Code, message: d.Message, start: d.Start, length: d.Length, syntax }));
}

/** Thrown when the query's syntax tree is deeper than the limit. */
export class TreeTooDeepError extends Error {
  override name = 'TreeTooDeepError';
}

/**
 * Parses and binds `text` against `tables` with Kusto.Language. Refuses (with
 * {@link TreeTooDeepError}) a tree deeper than `maxDepth` before binding or converting it.
 */
export function analyzeKql(text: string, tables: Readonly<Record<string, readonly ColumnSchema[]>>, maxDepth: number): AnalyzedQuery {
  const rt = loadRuntime(tables);
  const parsed = rt.parse(text);
  if (treeDepth(parsed.Syntax, maxDepth) > maxDepth) throw new TreeTooDeepError(`The query's syntax tree is deeper than ${maxDepth}`);
  const syntaxErrors = diagnosticsOf(parsed.GetSyntaxDiagnostics(), true);
  const code = syntaxErrors.length > 0 ? parsed : rt.analyze(text);
  const diagnostics = syntaxErrors.length > 0 ? syntaxErrors : diagnosticsOf(code.GetDiagnostics(), false);
  return { root: convert(rt, code.Syntax), diagnostics };
}
