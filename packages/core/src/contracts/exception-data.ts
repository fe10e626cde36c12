import type { SeverityLevel } from './message-data';

/** One frame of a parsed stack. */
export interface StackFrame {
  /** 0 for the innermost frame. */
  level: number;
  /** Function name. Max 1024. */
  method: string;
  /** Module / assembly. Max 1024. */
  assembly?: string;
  /** File or URL. Max 1024. */
  fileName?: string;
  line?: number;
}

/** One exception of a chain. */
export interface ExceptionDetails {
  id?: number;
  outerId?: number;
  /** Exception type name. Max 1024. */
  typeName: string;
  /** Exception message. Max 32768. */
  message: string;
  /** Present (true) only when a stack was provided. */
  hasFullStack?: boolean;
  /** Raw stack text. Max 32768. */
  stack?: string;
  parsedStack?: StackFrame[];
}

/** A handled or unhandled exception (`exceptions` table). */
export interface ExceptionData {
  /** Base data schema version, always 2. */
  ver: 2;
  exceptions: ExceptionDetails[];
  severityLevel?: SeverityLevel;
  /** Grouping id. Max 1024. */
  problemId?: string;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
