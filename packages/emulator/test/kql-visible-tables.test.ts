// restrict access to (...) and wildcard table names in union (src/query/visible-tables.ts), on the
// corpus seed: requests 4 rows, exceptions 2, traces 3.
import { wildcardRegex } from '../src/query/visible-tables';
import { refusalOnSeed, runOnSeed } from './helpers/run-kql';

describe('wildcardRegex', () => {
  it.each([
    ['*', 'requests', true],
    ['req*', 'requests', true],
    ['req*', 'exceptions', false],
    ['*ions', 'exceptions', true],
    ['a.b*', 'axb', false],
  ])('%s against %s is %p', (pattern, name, matches) => {
    expect(wildcardRegex(pattern).test(name)).toBe(matches);
  });
});

describe('union with wildcards and restrict over the seed', () => {
  it.each([
    ['union withsource=T req*, exc* | summarize n = count() by T', [['requests', 4], ['exceptions', 2]]],
    ['union withsource=T *ces | summarize n = count() by T', [['traces', 3]]],
    ['let v = view () { requests | where success == "True" }; union withsource=T v*, ex* | summarize n = count() by T', [['v', 3], ['exceptions', 2]]],
    // a plain let is not matched by a wildcard (only a view is); the database tables still are
    ['let tr = requests | take 1; union withsource=T tr* | summarize n = count() by T', [['traces', 3]]],
    ['let e1 = requests | project name; let e2 = exceptions | project type; restrict access to (e1, e2); union withsource=T * | summarize n = count() by T', [['e1', 4], ['e2', 2]]],
    ['let e1 = requests | take 1; restrict access to (e1, exc*); union withsource=T * | summarize n = count() by T', [['exceptions', 2], ['e1', 1]]],
    ['let v = view () { requests | take 2 }; restrict access to (v); v | count', [[2]]],
  ])('%s', (query, rows) => {
    expect(runOnSeed(query).rows).toEqual(rows);
  });

  it('types a wildcard union from the tables it matched (the outer union of their columns)', () => {
    const result = runOnSeed('let e1 = requests | project name, client_City; let e2 = requests | project name, success; restrict access to (e1, e2); union * | take 1');
    expect(result.columns).toEqual(['name', 'client_City', 'success']);
  });

  it('refuses a table a restrict statement left out', () => {
    const e = refusalOnSeed('let e1 = requests; restrict access to (e1); exceptions | count');
    expect(e.message).toContain("Failed to resolve table expression named 'exceptions'");
    expect(e.detail['code']).toBe('SEM0100');
  });
});
