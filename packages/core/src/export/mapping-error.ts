import { brandError } from '../error-brand';
import { ExporterError } from '../errors';

/** Items could not be mapped to envelopes or serialized; they are dropped and reported, never thrown into the SDK. */
export class MappingError extends ExporterError {
  override name = 'MappingError';
  override readonly code = 'AI_MAPPING';
  constructor(message: string, readonly itemCount: number, options?: ErrorOptions) {
    super(message, options);
  }
}

brandError(MappingError, 'MappingError');
