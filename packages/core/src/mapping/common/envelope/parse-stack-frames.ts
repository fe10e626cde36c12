import type { StackFrame } from '../../../contracts/exception-data';
import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { truncateString } from '../limits/truncate-string';

/** Frames kept in `parsedStack`; the raw `stack` text always carries the rest. */
export const MAX_PARSED_STACK_FRAMES = 100;

const ANONYMOUS_METHOD = '<anonymous>';
// "    at method (file:line:col)" or "    at file:line:col"
const V8_FRAME = /^\s*at\s+(?:(.+?)\s+\()?(.+?):(\d+):\d+\)?\s*$/;

/**
 * Parses a V8 (Node.js) stack trace into frames, innermost first (`level` 0). Lines that are not
 * frames (the `Type: message` header, `... N more`) are skipped; an unrecognised format yields [].
 */
export function parseStackFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    if (frames.length >= MAX_PARSED_STACK_FRAMES) break;
    const match = V8_FRAME.exec(line);
    if (!match) continue;
    const [, method, fileName, lineNumber] = match;
    frames.push({
      level: frames.length,
      method: truncateString(method ?? ANONYMOUS_METHOD, SERVICE_LIMITS.NAME_MAX_CHARS),
      fileName: truncateString(fileName ?? '', SERVICE_LIMITS.NAME_MAX_CHARS),
      line: Number(lineNumber),
    });
  }
  return frames;
}
