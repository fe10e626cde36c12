import { StorageError } from '../errors';

/**
 * The offline-store directory itself cannot be used (not writable, not readable, unsafe): thrown by
 * the file store so that {@link withMemoryFallback} switches to memory. A bad entry never causes it.
 */
export class StoreUnusableError extends StorageError {
  override name = 'StoreUnusableError';
}
