/** Small readers over {@link KqlNode} trees. */
import type { KqlNode } from './kusto-language';
import { decodeStringToken } from './kql-literals';

/** The child at `i` (a missing optional part is null). */
export const childAt = (n: KqlNode, i: number): KqlNode | null => n.children[i] ?? null;

/** The syntax-node children (no tokens, no missing parts). */
export const nodesOf = (n: KqlNode): KqlNode[] => n.children.filter((c): c is KqlNode => c !== null && c.text === '' && !c.kind.endsWith('Token') && !c.kind.endsWith('Keyword'));

/** The elements of the first `List` child after `from` (separators dropped). */
export function listAfter(n: KqlNode, from = 0): KqlNode[] {
  for (let i = from; i < n.children.length; i++) {
    const c = n.children[i];
    if (c && c.kind === 'List') return c.children.filter((x): x is KqlNode => x !== null);
  }
  return [];
}

/** Every `List` child's elements, in order. */
export const listsOf = (n: KqlNode): KqlNode[][] => n.children.filter((c): c is KqlNode => c !== null && c.kind === 'List').map((l) => l.children.filter((x): x is KqlNode => x !== null));

/** The first child of `kind`. */
export const childOf = (n: KqlNode, kind: string): KqlNode | undefined => n.children.find((c): c is KqlNode => c !== null && c.kind === kind);

/** The text of the first token under `n` (e.g. an operator's keyword: `mv-expand`, `evaluate`). */
export function firstToken(n: KqlNode): string {
  const stack: KqlNode[] = [n];
  while (stack.length > 0) {
    const x = stack.shift() as KqlNode;
    if (x.children.length === 0 && x.text !== '') return x.text;
    stack.unshift(...x.children.filter((c): c is KqlNode => c !== null));
  }
  return n.kind;
}

/** All token texts under `n`, concatenated (for literals such as `dynamic({...})`). */
export function tokenText(n: KqlNode): string {
  if (n.children.length === 0) return n.text;
  return n.children.map((c) => (c ? tokenText(c) : '')).join('');
}

/** The identifier of a `NameReference`, `NameDeclaration` or `TokenName`/`BracketedName` (`['a b']`). */
export function nameOf(n: KqlNode): string {
  if (n.kind === 'BracketedName' || n.kind === 'BracketedExpression') {
    const lit = n.children.find((c) => c && (c.kind === 'StringLiteralToken' || c.kind === 'StringLiteralExpression'));
    if (lit) return decodeStringToken(tokenText(lit));
  }
  if (n.children.length === 0) return n.text;
  for (const c of n.children) if (c && c.kind !== 'OpenBracketToken') return nameOf(c);
  return '';
}

/** Unwraps `name = expr` to `{ name, expr }` (name undefined when the expression is not named). */
export function named(n: KqlNode): { name: string | undefined; expr: KqlNode } {
  if (n.kind === 'SimpleNamedExpression') return { name: nameOf(childAt(n, 0) as KqlNode), expr: childAt(n, 2) as KqlNode };
  return { name: undefined, expr: n };
}

/** Expression nodes in a subtree (the work of evaluating it once). */
export function countExpressionNodes(n: KqlNode): number {
  let count = 0;
  const stack: KqlNode[] = [n];
  while (stack.length > 0) {
    const x = stack.pop() as KqlNode;
    if (x.kind.endsWith('Expression') || x.kind === 'NameReference') count++;
    for (const c of x.children) if (c) stack.push(c);
  }
  return count;
}
