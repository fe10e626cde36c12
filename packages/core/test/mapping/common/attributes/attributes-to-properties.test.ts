import { attributesToProperties } from '../../../../src/mapping/common/attributes/attributes-to-properties';
import { attributeValueToString } from '../../../../src/mapping/common/attributes/attribute-value-to-string';

const cyclic: Record<string, unknown> = { a: 1 };
cyclic['self'] = cyclic;

describe('attributeValueToString', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a string as is', 'héllo', 'héllo'],
    ['an empty string', '', ''],
    ['an integer', 42, '42'],
    ['a float', 1.5, '1.5'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a boolean', false, 'false'],
    ['a bigint', 10n, '10'],
    ['an array as JSON', ['a', 1, true, null], '["a",1,true,null]'],
    ['a nested object as JSON', { a: { b: [1] } }, '{"a":{"b":[1]}}'],
    ['bytes as base64', new Uint8Array([1, 2, 3]), 'AQID'],
    ['a cycle as a marker', cyclic, '[unserializable value]'],
    ['undefined as nothing', undefined, undefined],
    ['null as nothing', null, undefined],
  ])('serialises %s', (_title, value, expected) => {
    expect(attributeValueToString(value)).toBe(expected);
  });
});

describe('attributesToProperties', () => {
  it('serialises values, skips null and undefined, and truncates keys and values', () => {
    const longKey = 'k'.repeat(200);
    expect(
      attributesToProperties([
        ['s', 'v'], ['n', 3], ['nan', NaN], ['u', undefined], ['z', null], ['arr', [1, 2]],
        [longKey, 'x'], ['big', 'y'.repeat(9000)],
      ]),
    ).toEqual({ s: 'v', n: '3', nan: 'NaN', arr: '[1,2]', ['k'.repeat(150)]: 'x', big: 'y'.repeat(8192) });
  });

  it('never splits a surrogate pair when truncating', () => {
    const value = 'a'.repeat(8191) + '😀';
    expect(attributesToProperties([['emoji', value]])).toEqual({ emoji: 'a'.repeat(8191) });
  });
});
