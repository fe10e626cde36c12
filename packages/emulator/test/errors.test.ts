// `instanceof` of the emulator's errors across two installed copies of the emulator.
import * as errors from '../src/errors';

function secondCopy(): typeof errors {
  let copy: typeof errors | undefined;
  jest.isolateModules(() => { copy = require('../src/errors') as typeof errors; });
  return copy as typeof errors;
}

describe('emulator error brands', () => {
  const other = secondCopy();
  const mine = { kql: new errors.KqlError('bad'), limit: new errors.QueryLimitError('big', 400, 'BadArgumentError', 'RowsScanned'), base: new errors.EmulatorError('EMU_BODY', 'x') };
  const theirs = { kql: new other.KqlError('bad'), limit: new other.QueryLimitError('big', 400, 'BadArgumentError', 'RowsScanned'), base: new other.EmulatorError('EMU_BODY', 'x') };

  it('holds instanceof both ways across two copies', () => {
    expect(other.KqlError).not.toBe(errors.KqlError);
    expect(theirs.kql instanceof errors.KqlError).toBe(true);
    expect(mine.kql instanceof other.KqlError).toBe(true);
    expect(theirs.limit instanceof errors.QueryLimitError).toBe(true);
    expect(mine.limit instanceof other.QueryLimitError).toBe(true);
    expect(theirs.kql instanceof errors.EmulatorError).toBe(true);
    expect(theirs.base instanceof errors.EmulatorError).toBe(true);
  });

  it('does not match sibling classes, the base class as a subclass, or foreign errors', () => {
    expect(theirs.kql instanceof errors.QueryLimitError).toBe(false);
    expect(theirs.limit instanceof errors.KqlError).toBe(false);
    expect(theirs.base instanceof errors.KqlError).toBe(false);
    expect(new Error('x') instanceof errors.EmulatorError).toBe(false);
    expect({ code: 'EMU_KQL' } instanceof errors.KqlError).toBe(false);
  });
});
