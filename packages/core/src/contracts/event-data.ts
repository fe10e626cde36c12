/** A custom event (`customEvents` table). */
export interface EventData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Event name. Max 512. */
  name: string;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
