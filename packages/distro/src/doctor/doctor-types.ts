/** Outcome of one doctor step. */
export type StepStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** The name of each doctor step, in the order they run. */
type StepName = 'config' | 'credential' | 'token' | 'audience' | 'ingestion' | 'live-metrics' | 'relay' | 'relay-stored';

/** What one step found, and how to fix it when it is not `ok`. */
export interface StepResult {
  readonly step: StepName;
  readonly status: StepStatus;
  /** One line: what was checked and what was found. Never contains a token or secret. */
  readonly summary: string;
  /** What to do about it (for `warn` and `fail`). */
  readonly fix?: string;
}

/** Settings the doctor checks; flags win over the environment. */
export interface DoctorSettings {
  readonly connectionString?: string;
  /** `Authorization=AAD[;ClientId=...]` */
  readonly authenticationString?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authorityHost?: string;
  /** Override the ingestion token audience/scope (normally from AADAudience or the endpoint's cloud). */
  readonly audience?: string;
  /** Skip sending the test item. */
  readonly noSend: boolean;
  /** Print JSON instead of text. */
  readonly json: boolean;
  /** Limit for the token request and the test send (ms). */
  readonly timeoutMillis: number;
  /** A browser relay's endpoint (the page's IngestionEndpoint): post one synthetic page view to it. */
  readonly relayUrl?: string;
  /** The page origin the relay check claims (`Origin`); default the relay's own origin. */
  readonly origin?: string;
}
