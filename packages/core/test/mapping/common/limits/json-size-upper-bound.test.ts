import fc from 'fast-check';
import { jsonSizeUpperBound } from '../../../../src/mapping/common/limits/json-size-upper-bound';

const exactBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

describe('jsonSizeUpperBound', () => {
  it('is never below the exact UTF-8 JSON size of JSON-like values', () => {
    const text = fc.string({ unit: 'binary', maxLength: 60 }); // lone surrogates and control characters included
    const leaf = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(text, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(fc.property(value, (v) => {
      expect(jsonSizeUpperBound(v)).toBeGreaterThanOrEqual(exactBytes(v));
    }), { numRuns: 500 });
  });

  it('counts every code unit at 6 bytes, so escapes and lone surrogates stay covered', () => {
    expect(jsonSizeUpperBound('\u0001\ud800')).toBe(2 + 12);
    expect(exactBytes('\u0001\ud800')).toBe(14);
  });

  it('gives up (Infinity) on what it does not measure', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(jsonSizeUpperBound(cyclic)).toBe(Infinity);
    expect(jsonSizeUpperBound({ at: new Date(0) })).toBe(Infinity);
    expect(jsonSizeUpperBound({ n: 1n })).toBe(Infinity);
    expect(jsonSizeUpperBound({ toJSON: () => 'x'.repeat(100) })).toBe(Infinity);
    expect(jsonSizeUpperBound(Object.assign(Object.create(null) as object, { a: 'b' }))).toBeGreaterThanOrEqual(9);
  });
});
