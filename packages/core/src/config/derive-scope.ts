import { normalizeAudience } from './normalize-audience';

/** The Azure cloud an endpoint belongs to. */
export type AzureCloud = 'public' | 'china' | 'usgov';

/** Default ingestion token scope (Azure public cloud). */
const DEFAULT_INGESTION_SCOPE = 'https://monitor.azure.com/.default';

const INGESTION_SCOPES: Readonly<Record<AzureCloud, string>> = {
  public: DEFAULT_INGESTION_SCOPE,
  china: 'https://monitor.azure.cn/.default',
  usgov: 'https://monitor.azure.us/.default',
};

const QUERY_SCOPES: Readonly<Record<AzureCloud, string>> = {
  public: 'https://api.applicationinsights.io/.default',
  china: 'https://api.applicationinsights.azure.cn/.default',
  usgov: 'https://api.applicationinsights.us/.default',
};

const CLOUD_HOST_SUFFIXES: ReadonlyArray<readonly [string, AzureCloud]> = [
  ['azure.cn', 'china'],
  ['chinacloudapi.cn', 'china'],
  ['azure.us', 'usgov'],
  ['usgovcloudapi.net', 'usgov'],
  ['applicationinsights.us', 'usgov'], // the US Government query API host
];

/**
 * Which Azure cloud an endpoint URL's host belongs to, from its domain:
 * `*.azure.cn`/`*.chinacloudapi.cn` -> china, `*.azure.us`/`*.usgovcloudapi.net` -> usgov, else public.
 *
 * @param endpoint - An absolute URL (or a bare host name); unparsable input counts as public.
 */
export function cloudOfEndpoint(endpoint: string | undefined): AzureCloud {
  if (endpoint === undefined) return 'public';
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    host = endpoint.trim().toLowerCase();
  }
  host = host.replace(/\.$/, '');
  for (const [suffix, cloud] of CLOUD_HOST_SUFFIXES) {
    if (host === suffix || host.endsWith(`.${suffix}`)) return cloud;
  }
  return 'public';
}

/** Input to {@link deriveScope}. */
export interface DeriveScopeInput {
  /** The `audience`/`scope` option (highest precedence). */
  readonly audience?: string;
  /** `AADAudience` from the connection string. */
  readonly aadAudience?: string;
  /** The normalised ingestion endpoint; its domain selects the cloud. */
  readonly ingestionEndpoint?: string;
}

/**
 * The Entra ID token scope for ingestion (DESIGN.md section 4), first match wins:
 * 1. the `audience` option, else the connection string's `AADAudience`, normalised to `<origin>/.default`;
 * 2. the ingestion host's cloud (China -> `https://monitor.azure.cn/.default`,
 *    US Government -> `https://monitor.azure.us/.default`);
 * 3. `https://monitor.azure.com/.default`.
 *
 * @throws ConfigError when an audience is given but is not a URL.
 */
export function deriveScope(input: DeriveScopeInput): string {
  if (input.audience !== undefined) return normalizeAudience(input.audience, 'the audience option');
  if (input.aadAudience !== undefined) return normalizeAudience(input.aadAudience, 'AADAudience in the connection string');
  return INGESTION_SCOPES[cloudOfEndpoint(input.ingestionEndpoint)];
}

/** Input to {@link deriveQueryScope}. */
export interface DeriveQueryScopeInput {
  /** An explicit audience/scope for the query API (highest precedence). */
  readonly audience?: string;
  /** The query API base URL (e.g. `https://api.applicationinsights.azure.cn`); its domain selects the cloud. */
  readonly queryEndpoint?: string;
  /** The ingestion endpoint, used for the cloud when no query endpoint says otherwise. */
  readonly ingestionEndpoint?: string;
}

/**
 * The Entra ID token scope for the Application Insights query API: an explicit audience
 * (normalised), else by cloud: `https://api.applicationinsights.io/.default`, China
 * `https://api.applicationinsights.azure.cn/.default`, US Government
 * `https://api.applicationinsights.us/.default`. The cloud comes from the query endpoint's host,
 * falling back to the ingestion endpoint's host.
 *
 * @throws ConfigError when an audience is given but is not a URL.
 */
export function deriveQueryScope(input: DeriveQueryScopeInput = {}): string {
  if (input.audience !== undefined) return normalizeAudience(input.audience, 'the query audience option');
  const fromQuery = cloudOfEndpoint(input.queryEndpoint);
  const cloud = fromQuery !== 'public' ? fromQuery : cloudOfEndpoint(input.ingestionEndpoint);
  return QUERY_SCOPES[cloud];
}
