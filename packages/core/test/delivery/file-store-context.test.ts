import type { StorageConfig } from '../../src/config/resolved-config';
import { createFileStoreContext, DEFAULT_LEASE_MILLIS, storeUnusable, type FileStoreOptions } from '../../src/delivery/file-store-context';
import { StoreUnusableError } from '../../src/delivery/store-unusable-error';
import { UnsafeDirectoryError } from '../../src/delivery/verify-private-directory';

const DIR = '/nonexistent/ai-store';
const MIB = 1024 * 1024;
const storage = (maxBytes: number): StorageConfig => ({ disabled: false, directory: DIR, maxBytes, maxAgeMillis: 3_600_000 });

describe('createFileStoreContext', () => {
  it.each<[string, number, FileStoreOptions, number, number]>([
    ['defaults under a large store cap', 50 * MIB, {}, DEFAULT_LEASE_MILLIS, 16 * MIB],
    ['the entry bound never exceeds the store cap', 1_000, {}, DEFAULT_LEASE_MILLIS, 1_000],
    ['a smaller entry bound is kept', 1_000, { maxEntryBytes: 500 }, DEFAULT_LEASE_MILLIS, 500],
    ['a larger entry bound is capped', 1_000, { maxEntryBytes: 5_000 }, DEFAULT_LEASE_MILLIS, 1_000],
    ['a lease length of its own', 50 * MIB, { leaseMillis: 5_000 }, 5_000, 16 * MIB],
  ])('%s', (_label, maxBytes, options, leaseMillis, maxEntryBytes) => {
    const context = createFileStoreContext(storage(maxBytes), options);
    expect(context.leaseMillis).toBe(leaseMillis);
    expect(context.maxEntryBytes).toBe(maxEntryBytes);
    expect(context.held.size + context.skipped.size).toBe(0);
    expect(context.directory.dir).toBe(DIR);
  });

  it('uses the clock it is given', () => {
    expect(createFileStoreContext(storage(1_000), { now: () => 42 }).now()).toBe(42);
  });
});

describe('storeUnusable', () => {
  const context = createFileStoreContext(storage(1_000), {});
  const unsafe = new UnsafeDirectoryError(`offline storage directory ${DIR} is not private: it is a symbolic link`);
  it.each<[string, unknown, string, string]>([
    ['an unsafe directory keeps its own message', unsafe, 'list', unsafe.message],
    ['a file-system error is named by its code', Object.assign(new Error('read-only'), { code: 'EROFS' }), 'write', `offline storage ${DIR} is not usable (EROFS on write)`],
    ['an error without a code by its message', new Error('boom'), 'list', `offline storage ${DIR} is not usable (boom on list)`],
    ['anything else as "error"', 'weird', 'write', `offline storage ${DIR} is not usable (error on write)`],
  ])('%s', (_label, cause, operation, message) => {
    const error = storeUnusable(context, cause, operation);
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
  });
});
