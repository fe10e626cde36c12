/** The result of one availability test run (`availabilityResults` table). */
export interface AvailabilityData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Test run id. Max 64. */
  id: string;
  /** Test name. Max 1024. */
  name: string;
  /** `[d.]hh:mm:ss.fffffff`. */
  duration: string;
  success: boolean;
  /** Where the test ran. Max 1024. */
  runLocation?: string;
  /** Diagnostic message. Max 8192. */
  message?: string;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
