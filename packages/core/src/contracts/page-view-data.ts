/** A page view (`pageViews` table); produced only from the `applicationinsights` 3.x shim's records. */
export interface PageViewData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Page view id. Max 128. */
  id: string;
  /** Page name. Max 1024. */
  name: string;
  /** Page URL. Max 2048. */
  url?: string;
  /** `[d.]hh:mm:ss.fffffff`. */
  duration?: string;
  /** Referring URL. Max 2048. */
  referredUri?: string;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
