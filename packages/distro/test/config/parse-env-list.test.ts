import { parseEnvList } from '../../src/config/parse-env-list';

describe('parseEnvList', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['  ,  , ', []],
    ['pg', ['pg']],
    [' PG , Express ,,redis ', ['pg', 'express', 'redis']],
    ['none', ['none']],
  ])('%j -> %j', (raw, expected) => {
    expect(parseEnvList(raw)).toEqual(expected);
  });
});
