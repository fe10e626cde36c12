import type { ExceptionDetails } from '../../../contracts/exception-data';
import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { parseStackFrames } from './parse-stack-frames';
import { truncateString } from '../limits/truncate-string';

/** `typeName` used when `exception.type` is missing: the generic JavaScript error type. */
export const DEFAULT_EXCEPTION_TYPE = 'Error';

/** The exception facts read from `exception.*` attributes (any may be missing). */
export interface ExceptionFacts {
  type?: string;
  message?: string;
  stack?: string;
}

/**
 * Exception facts -> one ExceptionDetails. A missing type becomes `Error`; a missing message
 * becomes `fallbackMessage`, else the type name. `stack`, `parsedStack` and `hasFullStack: true`
 * appear only when a stack was given; nothing is ever the string "undefined".
 */
export function createExceptionDetails(facts: ExceptionFacts, fallbackMessage?: string): ExceptionDetails {
  const typeName = truncateString(facts.type || DEFAULT_EXCEPTION_TYPE, SERVICE_LIMITS.NAME_MAX_CHARS);
  const message = truncateString(facts.message || fallbackMessage || typeName, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
  const details: ExceptionDetails = { typeName, message };
  if (facts.stack) {
    details.hasFullStack = true;
    details.stack = truncateString(facts.stack, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
    const frames = parseStackFrames(facts.stack);
    if (frames.length > 0) details.parsedStack = frames;
  }
  return details;
}
