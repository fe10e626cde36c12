// `instanceof` of our error classes across two installed copies of core (after undici's brands):
// jest.isolateModules loads a second, separate copy of the module, as npm does when it installs core twice.
import * as errors from '../src/errors';
import { MappingError } from '../src/export/mapping-error';
import { UnsafeDirectoryError } from '../src/delivery/verify-private-directory';

type Errors = typeof errors;
type ErrorName = Exclude<keyof Errors, 'brandError'>;

function secondCopy<T>(path: string): T {
  let copy: T | undefined;
  jest.isolateModules(() => { copy = require(path) as T; });
  return copy as T;
}

const other = secondCopy<Errors>('../src/errors');
const otherMapping = secondCopy<{ MappingError: typeof MappingError }>('../src/export/mapping-error');
const otherDirectory = secondCopy<{ UnsafeDirectoryError: typeof UnsafeDirectoryError }>('../src/delivery/verify-private-directory');

const NAMES: ErrorName[] = [
  'ConfigError', 'AuthError', 'CredentialUnavailableError', 'CredentialAuthenticationError',
  'TransportError', 'PartialExportError', 'ShutdownError', 'StorageError',
];

function make(copy: Errors, name: ErrorName): Error {
  const cls = copy[name] as unknown as new (message: string, ...rest: unknown[]) => Error;
  return name === 'PartialExportError' ? new cls('m', 1, 1, []) : new cls('m');
}

describe('error brands', () => {
  it('loads a distinct second copy of each class', () => {
    expect(other.ConfigError).not.toBe(errors.ConfigError);
    expect(otherMapping.MappingError).not.toBe(MappingError);
  });

  it.each(NAMES)('%s from either copy is an instance of the other copy\'s class, and of ExporterError and Error', (name) => {
    const mine = make(errors, name);
    const theirs = make(other, name);
    expect(theirs instanceof errors[name]).toBe(true);
    expect(mine instanceof other[name]).toBe(true);
    expect(theirs instanceof errors.ExporterError).toBe(true);
    expect(mine instanceof other.ExporterError).toBe(true);
    expect(theirs instanceof Error).toBe(true);
  });

  it.each(NAMES)('%s does not match any other error class of either copy', (name) => {
    for (const otherName of NAMES.filter((n) => n !== name)) {
      expect({ otherName, matches: make(other, name) instanceof errors[otherName] }).toEqual({ otherName, matches: false });
      expect({ otherName, matches: make(errors, name) instanceof other[otherName] }).toEqual({ otherName, matches: false });
    }
  });

  it('matches subclasses branded in other modules (MappingError, UnsafeDirectoryError) both ways', () => {
    expect(new otherMapping.MappingError('m', 1) instanceof MappingError).toBe(true);
    expect(new MappingError('m', 1) instanceof otherMapping.MappingError).toBe(true);
    expect(new otherDirectory.UnsafeDirectoryError('m') instanceof errors.StorageError).toBe(true);
    expect(new otherDirectory.UnsafeDirectoryError('m') instanceof UnsafeDirectoryError).toBe(true);
    expect(new errors.StorageError('m') instanceof UnsafeDirectoryError).toBe(false);
  });

  it('does not match errors that are not ours, nor non-objects', () => {
    for (const value of [new Error('m'), new TypeError('m'), { code: 'AI_CONFIG', name: 'ConfigError' }, null, undefined, 'ConfigError', 42]) {
      expect(value instanceof errors.ConfigError).toBe(false);
      expect(value instanceof errors.ExporterError).toBe(false);
    }
  });

  it('keeps the prototype-chain check for a subclass that was never branded', () => {
    class LocalError extends errors.StorageError {}
    expect(new LocalError('m') instanceof LocalError).toBe(true);
    expect(new LocalError('m') instanceof errors.StorageError).toBe(true);
    expect(new LocalError('m') instanceof other.StorageError).toBe(true);
    expect(new errors.StorageError('m') instanceof LocalError).toBe(false);
  });

  it('narrows as before: the fields of a matched error are there', () => {
    const error: unknown = new other.AuthError('refused', 403);
    expect(error instanceof errors.AuthError && error.statusCode).toBe(403);
    expect(error instanceof errors.AuthError && error.code).toBe('AI_AUTH');
  });
});
