// The parse and parse-where operators (src/query/parse-operator.ts) against Kusto's parse page.
import { compilePattern, parseText, type ParseKind, type PatternElement } from '../src/query/parse-operator';
import { KqlError } from '../src/errors';
import { runOnSeed } from './helpers/run-kql';

const skip: PatternElement = { skip: true };
const text = (t: string): PatternElement => ({ text: t });
const col = (column: string, type = 'string'): PatternElement => ({ column, type });

describe('parseText', () => {
  const slices = [skip, text('totalSlices='), col('total', 'long'), text(', sliceNumber='), col('slice', 'long'), skip];
  it.each<[string, PatternElement[], ParseKind, string, unknown]>([
    ['a string column copies up to the next delimiter', [text('a='), col('a'), text(', b='), col('b')], 'simple', 'a=x y, b=z', ['x y', 'z']],
    ['a number column matches a number', slices, 'simple', 'e totalSlices=27, sliceNumber=23)', [27, 23]],
    ['a number after spaces still reads', [skip, text('got'), col('n', 'long'), text(' '), col('what'), text('for'), skip], 'simple', 'I got 2 socks for me', [2, 'socks ']],
    ['simple: a column that does not match its type fails the row', slices, 'simple', 'totalSlices=invalid, sliceNumber=23)', undefined],
    ['relaxed: only that column is null', slices, 'relaxed', 'totalSlices=invalid, sliceNumber=23)', [null, 23]],
    ['relaxed: a missing delimiter still fails the row', slices, 'relaxed', 'totalSlices=1; sliceNumber=23', undefined],
    ['a datetime column converts its text', [text('at '), col('t', 'datetime'), text(';')], 'simple', 'at 2016-02-17 08:40:01;', [Date.parse('2016-02-17T08:40:01Z')]],
    ['regex: delimiters are regular expressions', [text('[a-z]+='), col('v', 'long')], 'regex', 'abc=42', [42]],
    ['the pattern is matched from the start', [text('a='), col('a')], 'simple', 'xa=1', undefined],
  ])('%s', (_what, elements, kind, input, values) => {
    expect(parseText(input, compilePattern(elements, kind))).toEqual(values);
  });

  it('applies regex flags i, m, s and refuses others, naming the fix', () => {
    expect(parseText('ABC=1', compilePattern([text('abc='), col('v', 'long')], 'regex', 'i'))).toEqual([1]);
    expect(() => compilePattern([text('a')], 'regex', 'U')).toThrow(KqlError);
    expect(() => compilePattern([text('a')], 'regex', 'U')).toThrow('use i, m or s');
  });
});

describe('parse over the seed', () => {
  it.each([
    ['traces | parse message with "payment failed code=" code | where isnotempty(code) | project code', [['E42']]],
    ['traces | parse message with * "items=" items:long | project items', [[3], [null], [null]]],
    ['print s = "a=1, b=x, c=2" | parse s with "a=" a:long ", b=" b:long ", c=" c:long | project a, b, c', [[null, null, null]]],
    ['print s = "a=1, b=x, c=2" | parse kind=relaxed s with "a=" a:long ", b=" b:long ", c=" c:long | project a, b, c', [[1, null, 2]]],
    ['traces | parse-where message with * "code=" code | project code', [['E42']]],
    ['traces | parse-where kind=regex message with "[a-z]+ " verb " " * | project verb', [['loaded'], ['failed']]],
  ])('%s', (query, rows) => {
    expect(runOnSeed(query).rows).toEqual(rows);
  });
});
