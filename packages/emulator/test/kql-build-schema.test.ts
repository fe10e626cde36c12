// The buildschema() aggregation (src/query/build-schema.ts) against Kusto's buildschema page.
import { buildSchema, mergeSchemas, schemaOf } from '../src/query/build-schema';
import { runOnSeed } from './helpers/run-kql';

describe('schemaOf', () => {
  it.each([
    [1, 'long'],
    [3.5, 'double'],
    ['a', 'string'],
    [true, 'bool'],
    [null, undefined],
    [{ a: 1, b: null }, { a: 'long' }],
    [[1, 'x'], { '`indexer`': ['long', 'string'] }],
    [[], {}],
  ])('%p has schema %p', (value, schema) => {
    expect(schemaOf(value)).toEqual(schema);
  });
});

describe('mergeSchemas', () => {
  it.each([
    ['long', 'long', 'long'],
    ['long', 'string', ['long', 'string']],
    [{ w: 'string' }, 'double', [{ w: 'string' }, 'double']],
    [{ a: 'long' }, { a: 'string', b: 'bool' }, { a: ['long', 'string'], b: 'bool' }],
    [['long', { a: 'long' }], { b: 'long' }, ['long', { a: 'long', b: 'long' }]],
  ])('%p with %p is %p', (a, b, merged) => {
    expect(mergeSchemas(a, b)).toEqual(merged);
  });
});

describe('buildSchema', () => {
  it("gives the page's example schema", () => {
    expect(buildSchema([{ x: 1, y: 3.5 }, { x: 'somevalue', z: [1, 2, 3] }, { y: { w: 'zzz' }, t: ['aa', 'bb'], z: ['foo'] }])).toEqual({
      x: ['long', 'string'], y: ['double', { w: 'string' }], z: { '`indexer`': ['long', 'string'] }, t: { '`indexer`': 'string' },
    });
  });

  it('is null over nulls only', () => {
    expect(buildSchema([null, null])).toBeNull();
  });
});

describe('buildschema over the seed', () => {
  it.each([
    ['exceptions | summarize buildschema(details)', ['schema_details'], [[{ '`indexer`': { message: 'string', type: 'string' } }]]],
    ['requests | summarize s = buildschema(customDimensions) by cloud_RoleName | order by cloud_RoleName asc', ['cloud_RoleName', 's'], [['api', { game: 'string' }], ['web', { game: 'string' }]]],
    [
      'datatable(value: dynamic) [dynamic({"x":1, "y":3.5}), dynamic({"x":"somevalue", "z":[1, 2, 3]}), dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})] | summarize buildschema(value)',
      ['schema_value'],
      [[{ x: ['long', 'string'], y: ['double', { w: 'string' }], z: { '`indexer`': ['long', 'string'] }, t: { '`indexer`': 'string' } }]],
    ],
  ])('%s', (query, columns, rows) => {
    const result = runOnSeed(query);
    expect(result.columns).toEqual(columns);
    expect(result.rows.map((r) => r.map((v) => (typeof v === 'string' && v.startsWith('{') ? JSON.parse(v) as unknown : v)))).toEqual(rows);
  });
});
