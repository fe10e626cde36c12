/**
 * Which tables and `let` names a query can see, for `restrict access to (...)` and for wildcard
 * table names (`union *`, `union req*`), as Kusto documents them:
 *
 * - Without `restrict`, a wildcard matches the database's tables and the `let` views
 *   (`let v = view () { ... }`); a plain tabular `let` is not matched (the let statement page: only
 *   `view` is "included in queries with a union operator with wildcard selection").
 * - `restrict access to (e1, e2, T*)` leaves visible only the entities it lists (the restrict
 *   statement page): a table it does not list fails to resolve, and a wildcard matches only them.
 */
import { KqlError } from '../errors';
import { TABLE_NAMES } from '../storage/table-schemas';
import type { KqlNode } from './kusto-language';
import { listAfter, tokenText } from './kql-node';
import type { Context } from './kql-context';

/** A Kusto name pattern (`*` for any run of characters) as a regular expression. */
export function wildcardRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The entity names (or wildcards) a `RestrictStatement` lists. */
export function restrictedEntities(statement: KqlNode): string[] {
  return listAfter(statement).map((n) => tokenText(n).trim());
}

/** True for a `let` function declared `view` without parameters. */
const isView = (fn: KqlNode): boolean => fn.children[0]?.kind === 'ViewKeyword';

/** Names a wildcard may match: tables and `let` views, or, after `restrict`, the entities it allows. */
function candidates(ctx: Context): string[] {
  const lets = [...ctx.scope.entries()];
  if (ctx.restricted) {
    const all = [...TABLE_NAMES, ...lets.filter(([, v]) => 'table' in v || 'fn' in v).map(([k]) => k)];
    return all.filter((name) => ctx.restricted?.some((spec) => wildcardRegex(spec).test(name)));
  }
  return [...TABLE_NAMES, ...lets.filter(([, v]) => 'fn' in v && isView(v.fn)).map(([k]) => k)];
}

/** The visible tables and `let` names that match `pattern` (e.g. `*`, `req*`), in declaration order. */
export function matchWildcard(pattern: string, ctx: Context): string[] {
  const re = wildcardRegex(pattern);
  return candidates(ctx).filter((name) => re.test(name));
}

/** Refuses a database table that a `restrict` statement left out, as Kusto does (it no longer resolves). */
export function checkTableVisible(name: string, ctx: Context): void {
  if (!ctx.restricted || ctx.restricted.some((spec) => wildcardRegex(spec).test(name))) return;
  throw new KqlError(`Failed to resolve table expression named '${name}': a restrict statement left only (${ctx.restricted.join(', ')}) visible`, { code: 'SEM0100', kind: 'SemanticError', table: name });
}
