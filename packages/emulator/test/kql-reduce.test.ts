// The reduce operator (src/query/reduce-operator.ts) against Kusto's reduce page.
import { reducePatterns, separatorTest, splitTerms } from '../src/query/reduce-operator';
import { runOnSeed } from './helpers/run-kql';

describe('splitTerms', () => {
  it.each([
    ['x is undefined', { terms: ['x', 'is', 'undefined'], separators: ['', ' ', ' ', ''] }],
    [' a-b ', { terms: ['a', 'b'], separators: [' ', '-', ' '] }],
    ['', { terms: [], separators: [''] }],
  ])('%p', (text, split) => {
    expect(splitTerms(text, separatorTest(undefined))).toEqual(split);
  });

  it('splits at the given characters only', () => {
    expect(splitTerms('MachineLearningX4', separatorTest('X'))).toEqual({ terms: ['MachineLearning', '4'], separators: ['', 'X', ''] });
  });
});

describe('reducePatterns', () => {
  const tenDigits = Array.from({ length: 100 }, (_, i) => `MachineLearningX${i % 10}`);
  it.each([
    ['unrelated messages stay apart', ['boom', 'x is undefined'], 0.1, undefined, ['boom', 'x is undefined']],
    ['values of one shape with no common term stay themselves', ['a b', 'c d'], 0.1, undefined, ['a b', 'c d']],
    ['a varying term becomes * when rare among values of the same shape', ['user 1 failed', 'user 2 failed', 'user 3 failed'], 0.1, undefined, ['user * failed', 'user * failed', 'user * failed']],
    ['a term shared by (1 - threshold) of them stays', ['user 1 failed', 'user 1 failed', 'user 2 failed'], 0.5, undefined, ['user 1 failed', 'user 1 failed', 'user * failed']],
    ['the page example: a small threshold groups all', tenDigits, 0.001, 'X', tenDigits.map(() => 'MachineLearningX*')],
    ['the page example: a large threshold keeps values of 10% or more', tenDigits, 0.9, 'X', tenDigits],
  ])('%s', (_what, values, threshold, characters, patterns) => {
    expect(reducePatterns(values, threshold, separatorTest(characters))).toEqual(patterns);
  });
});

describe('reduce over the seed', () => {
  it.each([
    ['exceptions | reduce by outerMessage', ['Pattern', 'Count', 'Representative'], [['boom', 1, 'boom'], ['x is undefined', 1, 'x is undefined']]],
    ['traces | where message has "=" | reduce by message', ['Pattern', 'Count', 'Representative'], [['cart loaded items=3', 1, 'cart loaded items=3'], ['payment failed code=E42', 1, 'payment failed code=E42']]],
    ['exceptions | reduce kind=source by outerMessage | project Pattern', ['Pattern'], [['boom'], ['x is undefined']]],
  ])('%s', (query, columns, rows) => {
    const result = runOnSeed(query);
    expect(result.columns).toEqual(columns);
    expect(result.rows).toEqual(rows);
  });
});
