/** Application Insights severity levels. */
export type SeverityLevel = 'Verbose' | 'Information' | 'Warning' | 'Error' | 'Critical';

/** A trace / log message (`traces` table). */
export interface MessageData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Message text, never empty. Max 32768. */
  message: string;
  severityLevel?: SeverityLevel;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
