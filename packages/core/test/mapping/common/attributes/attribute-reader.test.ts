import { ATTR } from '../../../../src/mapping/common/attributes/attribute-keys';
import { createAttributeReader } from '../../../../src/mapping/common/attributes/attribute-reader';

describe('createAttributeReader', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['prefers the stable name', { 'http.request.method': 'GET', 'http.method': 'POST' }, 'GET'],
    ['falls back to the old name', { 'http.method': 'POST' }, 'POST'],
    ['skips an empty stable value', { 'http.request.method': '', 'http.method': 'PUT' }, 'PUT'],
    ['returns undefined when absent', { '': 'empty key' }, undefined],
  ])('string(): %s', (_title, attributes, expected) => {
    expect(createAttributeReader(attributes).string(['http.request.method', 'http.method'])).toBe(expected);
  });

  it.each<[string, unknown, number | undefined]>([
    ['a number', 443, 443],
    ['a numeric string', '8080', 8080],
    ['a non-numeric string', 'abc', undefined],
    ['a blank string', ' ', undefined],
    ['NaN', NaN, undefined],
  ])('number(): reads %s', (_title, value, expected) => {
    expect(createAttributeReader({ 'server.port': value }).number(['server.port'])).toBe(expected);
  });

  it('leaves only unconsumed attributes, all aliases of a read field consumed', () => {
    const reader = createAttributeReader({ 'http.request.method': 'GET', 'http.method': 'GET', tenant: 'x', 'server.port': 1 });
    reader.string(['http.request.method', 'http.method']);
    reader.consume(['server.port']);
    expect(reader.remaining()).toEqual([['tenant', 'x']]);
  });

  it('finds every mapped name among many other attributes (the lookup filter has no false negatives)', () => {
    const names = [...new Set(Object.values(ATTR).flat()), '', 'x', 'tenant.id'];
    const others = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`custom.${'k'.repeat(i)}`, i]));
    for (const name of names) {
      const reader = createAttributeReader({ ...others, [name]: 'v', after: 1 });
      expect([name, reader.has([name]), reader.string(['absent.name', name])]).toEqual([name, true, 'v']);
      expect(reader.remaining().map(([key]) => key)).not.toContain(name);
    }
  });
});
