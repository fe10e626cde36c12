import { StorageError } from '../../src/errors';
import { StoreUnusableError } from '../../src/delivery/store-unusable-error';
import { UnsafeDirectoryError } from '../../src/delivery/verify-private-directory';

// Both are storage errors a user may see in a log line: the name says which one.
describe.each([
  ['StoreUnusableError', (m: string) => new StoreUnusableError(m)],
  ['UnsafeDirectoryError', (m: string) => new UnsafeDirectoryError(m)],
])('%s', (name, make) => {
  it('is a StorageError with its own name, the storage code and the message', () => {
    const error = make('offline storage /x is not usable');
    expect(error).toBeInstanceOf(StorageError);
    expect(error.name).toBe(name);
    expect(error.code).toBe('AI_STORAGE');
    expect(error.message).toBe('offline storage /x is not usable');
    expect(String(error)).toBe(`${name}: offline storage /x is not usable`);
  });
});
