import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { traceRoleChecks } from './auth/auth-trace';
import { createTokenSigner, type TokenSigner } from './auth/create-token-signer';
import { createChaos, type Chaos } from './chaos/create-chaos';
import { createRegistry, type Registry } from './config/create-registry';
import { createDefaultConfig, type EmulatorConfig, type IdentityConfig, type ResourceConfig, type RoleName } from './config/emulator-config';
import { EmulatorError } from './errors';
import { createIdentityApi, createResourceApi } from './handle/create-identity-api';
import { createQueryRunner, createTelemetryApi } from './handle/create-telemetry-api';
import { createManagedIdentityHeaders, type ManagedIdentityHeaders } from './handle/managed-identity-headers';
import { MAX_BODY_BYTES } from './ingestion/read-track-body';
import { checkAdminAccess, ownHosts } from './inspector/check-inspector-access';
import { createInspector, INSPECTOR_PATH, type Inspector } from './inspector/create-inspector';
import { INSPECTOR_ASSETS_DIR } from './inspector/serve-inspector-asset';
import { createClientAssertionTrust, type ClientAssertionTrust, type FederatedCredential } from './issuer/client-assertion-trust';
import { createTokenService, type TokenService } from './issuer/create-token-service';
import { handleIssuerRequest } from './issuer/handle-issuer-request';
import { createLiveMetricsService, type LiveMetricsControl, type LiveMetricsService } from './live-metrics/create-live-metrics-service';
import type { QueryResponse } from './query/format-result';
import { createIngestionServer } from './server/create-ingestion-server';
import { createRequestLog, type LoggedRequest, type RequestLog } from './server/create-request-log';
import { redactHeaders, sendJson } from './server/http-io';
import { createMemoryStore } from './storage/create-memory-store';
import { createSqliteStore } from './storage/create-sqlite-store';
import type { Store } from './storage/store';
import type { TableName } from './storage/table-schemas';
import { caCertFileName, createSelfSignedCert, writeCaCert, type SelfSignedCert } from './tls/create-self-signed-cert';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Port of the http server (ingestion, query API, managed identity endpoint); 0 picks one (default). */
  readonly port?: number;
  /** Port of the https token issuer; 0 picks one (default). */
  readonly tokenPort?: number;
  /** Directory for the SQLite database and this instance's certificate (default: a temp dir removed on close). */
  readonly dataDir?: string;
  /** Keep telemetry in memory instead of SQLite (default true). */
  readonly inMemory?: boolean;
  /** Tenant, resources, identities and role assignments (default {@link createDefaultConfig}). */
  readonly config?: EmulatorConfig;
  /** Lifetime of issued tokens in seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
  /** Cap on an ingestion body, compressed or not (default 10 MB). */
  readonly maxBodyBytes?: number;
  /** Clock in epoch ms (default Date.now), used for token times and `ago()`. */
  readonly now?: () => number;
  /** Let non-loopback clients use the inspector page (default false; it never answers a foreign `Host`). */
  readonly inspectorAllowRemote?: boolean;
}

/** Service principal details for ClientSecretCredential / AZURE_* variables. */
export interface ServicePrincipalDetails {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: string;
}

/** Environment of an App Service style managed identity. */
export interface ManagedIdentityEnv {
  readonly IDENTITY_ENDPOINT: string;
  readonly IDENTITY_HEADER: string;
}

/** Arguments of {@link EmulatorHandle.issueToken}. */
export interface IssueTokenRequest {
  /** Identity name. */
  readonly identity: string;
  /** Audience (default `https://monitor.azure.com`). Scopes ending in `/.default` are accepted. */
  readonly audience?: string;
  readonly lifetimeSeconds?: number;
  /** Issue an already expired token. */
  readonly expired?: boolean;
}

/** A stored item as returned by {@link EmulatorHandle.items}: query-API shaped values. */
export type StoredItem = Record<string, unknown>;

/** A running emulator. */
export interface EmulatorHandle {
  /** `http://127.0.0.1:<port>` (ingestion). */
  readonly ingestionUrl: string;
  /** Base URL of the query API (`POST {queryEndpoint}/v1/apps/{appId}/query`); the same http server. */
  readonly queryEndpoint: string;
  /** `https://localhost:<tokenPort>`: pass as `authorityHost` with `disableInstanceDiscovery: true`. */
  readonly authorityHost: string;
  /** Tenant id. */
  readonly tenantId: string;
  /** Port of the http server. */
  readonly port: number;
  /** The inspector page: `http://127.0.0.1:<port>/inspector/`. */
  readonly inspectorUrl: string;
  /** Per-instance secret that scripted inspector changes send as `X-Inspector-Secret` (the page itself uses same-origin checks). */
  readonly inspectorSecret: string;
  /** Port of the https token issuer. */
  readonly tokenPort: number;
  /**
   * Path of the issuer's self-signed certificate (for NODE_EXTRA_CA_CERTS), one per instance:
   * `<dataDir>/emulator-ca-<host>-<tokenPort>.pem`, removed on close.
   */
  readonly caCertPath: string;
  /** The same certificate, PEM. */
  readonly caCertPem: string;
  /** Data directory in use (the temp dir when none was given). */
  readonly dataDir: string;
  /** `InstrumentationKey=...;IngestionEndpoint=http://127.0.0.1:port/;ApplicationId=...` (default: the first resource). */
  connectionString(resourceName?: string): string;
  /** A resource (default: the first). */
  resource(resourceName?: string): ResourceConfig;
  /** An identity by name. */
  identity(name: string): IdentityConfig;
  /** IDENTITY_ENDPOINT/IDENTITY_HEADER for which requests without client_id get `identityName`'s token. */
  managedIdentityEnv(identityName?: string): ManagedIdentityEnv;
  /** Tenant, client id, secret and authority host of a service principal (default: the first with a role). */
  servicePrincipal(identityName?: string): ServicePrincipalDetails;
  /** Mints a token directly (tests). */
  issueToken(request: IssueTokenRequest): string;
  /** Adds a resource; ids default to random GUIDs, disableLocalAuth to true. */
  addResource(resource: Partial<ResourceConfig> & { name: string }): ResourceConfig;
  /** Adds an identity; ids default to random GUIDs (service principals get a random secret). */
  addIdentity(identity: Partial<IdentityConfig> & Pick<IdentityConfig, 'name' | 'kind'>): IdentityConfig;
  /** Registers a certificate (PEM) on an identity: client assertions signed with its key authenticate it (ClientCertificateCredential). */
  trustCertificate(identityName: string, certificatePem: string): void;
  /** Registers a federated identity credential on an identity: tokens of that issuer for that subject authenticate it (WorkloadIdentityCredential). */
  trustFederatedIssuer(identityName: string, credential: FederatedCredential): void;
  /** Grants a role (default resource: the first). */
  assignRole(identity: string, resource: string | undefined, role: RoleName): void;
  /** Revokes a role (default resource: the first). */
  removeRole(identity: string, resource: string | undefined, role: RoleName): void;
  /** Stored items of a table, as the query API would return them (datetime ISO strings, dynamic objects). */
  items(table: TableName, resourceName?: string): StoredItem[];
  /** Number of stored rows in a table (all resources unless named). */
  countItems(table: TableName, resourceName?: string): number;
  /** Runs a KQL query without auth (tests); throws KqlError on an unsupported query. */
  query(kql: string, options?: { resourceName?: string; timespan?: string }): QueryResponse;
  /** Chaos controls for ingestion requests. */
  readonly chaos: Chaos;
  /** Live Metrics endpoint: subscribe (so clients post), and read what was pinged and posted. */
  readonly liveMetrics: LiveMetricsControl;
  /** Requests received so far (authorization values redacted). */
  requests(): readonly LoggedRequest[];
  /** Forgets logged requests. */
  clearRequests(): void;
  /** Deletes all stored telemetry. */
  clearItems(): void;
  /** Stops both servers (hung requests are cut), closes storage, removes a temp data dir. */
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Removes this instance's certificate file unless another emulator has rewritten it since. */
function removeOwnCert(certPath: string, pem: string): void {
  try {
    if (fs.readFileSync(certPath, 'utf8') === pem) fs.rmSync(certPath, { force: true });
  } catch {
    // already gone
  }
}

function formatHostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The parts of one emulator instance, made before its servers. */
interface EmulatorParts {
  readonly options: EmulatorOptions;
  readonly host: string;
  readonly now: () => number;
  readonly registry: Registry;
  readonly dataDir: string;
  /** Whether `dataDir` is a temp dir of ours (removed on close). */
  readonly ownsDir: boolean;
  readonly signer: TokenSigner;
  readonly cert: SelfSignedCert;
  readonly store: Store;
  readonly tokens: TokenService;
  readonly chaos: Chaos;
  readonly log: RequestLog;
  readonly closing: AbortController;
  readonly miHeaders: ManagedIdentityHeaders;
  readonly assertions: ClientAssertionTrust;
  readonly inspectorSecret: string;
  /** Known once the servers listen. */
  readonly addresses: { port: number; authorityHost: string };
}

/** The servers of one instance and what they route to. */
interface EmulatorServers {
  readonly live: LiveMetricsService;
  readonly inspector: Inspector;
  readonly ingestion: http.Server;
  readonly issuer: https.Server;
  /** The issuer on ::1 too, when bound to 127.0.0.1 and ::1 is available. */
  issuerV6?: https.Server;
}

/** Makes the signing key, the TLS certificate and the store; removes a temp dir of ours if that fails. */
async function createParts(options: EmulatorOptions): Promise<EmulatorParts> {
  const now = options.now ?? Date.now;
  const registry = createRegistry(options.config ?? createDefaultConfig());
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-emulator-'));
  let signer: TokenSigner;
  let cert: SelfSignedCert;
  let store: Store;
  try {
    [signer, cert] = await Promise.all([createTokenSigner(), createSelfSignedCert()]);
    store = options.inMemory === false ? createSqliteStore(dataDir) : createMemoryStore();
  } catch (e) {
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true }); // do not leak the temp dir
    throw e;
  }
  return {
    options, host: options.host ?? '127.0.0.1', now, registry, dataDir, ownsDir, signer, cert, store,
    tokens: createTokenService(registry, signer, options.tokenLifetimeSeconds ?? 3600, now),
    chaos: createChaos(), log: createRequestLog(), closing: new AbortController(),
    miHeaders: createManagedIdentityHeaders(registry), assertions: createClientAssertionTrust(),
    inspectorSecret: randomBytes(18).toString('base64url'), addresses: { port: 0, authorityHost: '' },
  };
}

/** The https token issuer; every request it answers is logged for the inspector. */
function createIssuerServer(parts: EmulatorParts): https.Server {
  const { registry, signer, tokens, assertions, now, log, cert, addresses } = parts;
  const issuerCtx = { registry, signer, tokens, authorityHost: () => addresses.authorityHost, assertions, now };
  return https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    const entry = log.add({ timestamp: Date.now(), method: req.method ?? '', path: req.url ?? '/', headers: redactHeaders(req.headers), status: 0, issuer: true });
    res.once('close', () => { entry.status = res.statusCode; log.finish(entry); });
    handleIssuerRequest(req, res, issuerCtx).catch((e: unknown) => sendJson(res, 500, { error: 'server_error', error_description: e instanceof Error ? e.message : 'internal error' }));
  });
}

/** Creates the servers: Live Metrics, the inspector, the http server (role look-ups traced for the inspector) and the issuer. */
function createServers(parts: EmulatorParts): EmulatorServers {
  const { options, host, now, registry, store, signer, tokens, chaos, log, closing, miHeaders, addresses } = parts;
  const traced = traceRoleChecks(registry); // role look-ups recorded per request for the inspector
  const authorityHost = (): string => addresses.authorityHost;
  const live = createLiveMetricsService({ registry: traced, signer, authorityHost, now });
  const queryAs = createQueryRunner(store, registry, now);
  const inspector = createInspector({
    registry, store, log, live: live.control,
    query: (kql, resourceName, timespan) => queryAs(kql, { resourceName, ...(timespan ? { timespan } : {}) }, true), // as with Prefer: include-render=true
    policy: () => ({ hosts: ownHosts(addresses.port, host), secret: parts.inspectorSecret, allowRemote: options.inspectorAllowRemote === true }),
    assetsDir: INSPECTOR_ASSETS_DIR,
  });
  const ingestion = createIngestionServer({
    track: { registry: traced, store, signer, authorityHost, maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES, now },
    query: { registry: traced, store, signer, authorityHost, now },
    msi: { registry, tokens, identityForHeader: (h) => miHeaders.identityForHeader(h) },
    chaos, log, live,
    inspector: (req, res, pathname) => inspector.handle(req, res, pathname),
    guardAdmin: (req) => checkAdminAccess({ method: req.method ?? '', host: req.headers.host, origin: req.headers.origin }, ownHosts(addresses.port, host)),
  }, closing.signal);
  return { live, inspector, ingestion, issuer: createIssuerServer(parts) };
}

/** Closes every server, the store, and a temp dir of ours (a failed start, or close()). */
async function shutDown(parts: EmulatorParts, servers: EmulatorServers): Promise<void> {
  await Promise.all([closeServer(servers.ingestion), closeServer(servers.issuer), ...(servers.issuerV6 ? [closeServer(servers.issuerV6)] : [])]);
  parts.store.close();
  if (parts.ownsDir) fs.rmSync(parts.dataDir, { recursive: true, force: true });
}

/**
 * Listens: the http server and the issuer on `host`, and the issuer on ::1 too when bound to
 * 127.0.0.1 (`localhost` may resolve to ::1 first; best effort). Sets the instance's addresses.
 * @throws EmulatorError EMU_LISTEN (everything closed again)
 */
async function listenServers(parts: EmulatorParts, servers: EmulatorServers): Promise<number> {
  const { options, host, cert } = parts;
  let tokenPort: number;
  try {
    parts.addresses.port = await listen(servers.ingestion, options.port ?? 0, host);
    tokenPort = await listen(servers.issuer, options.tokenPort ?? 0, host);
  } catch (e) {
    await shutDown(parts, servers);
    throw new EmulatorError('EMU_LISTEN', `cannot listen on ${host}: ${(e as Error).message}`, { cause: e });
  }
  if (host === '127.0.0.1') {
    const issuerV6 = https.createServer({ key: cert.keyPem, cert: cert.certPem }, servers.issuer.listeners('request')[0] as http.RequestListener);
    await listen(issuerV6, tokenPort, '::1').then(() => { servers.issuerV6 = issuerV6; }, () => undefined);
  }
  parts.addresses.authorityHost = `https://localhost:${tokenPort}`;
  return tokenPort;
}

/** Writes this instance's CA certificate into the data dir. @throws EmulatorError EMU_STORAGE (everything closed again) */
async function writeInstanceCert(parts: EmulatorParts, servers: EmulatorServers, tokenPort: number): Promise<string> {
  try {
    return writeCaCert(parts.dataDir, caCertFileName(parts.host, tokenPort), parts.cert.certPem);
  } catch (e) {
    await shutDown(parts, servers);
    throw new EmulatorError('EMU_STORAGE', `cannot write the certificate to ${parts.dataDir}: ${(e as Error).message}`, { cause: e });
  }
}

/** Starts an emulator: an http server (ingestion, query API, managed identity, admin) and an https token issuer. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const parts = await createParts(options);
  const { host, registry, store, chaos, log, cert, addresses } = parts;
  const servers = createServers(parts);
  const tokenPort = await listenServers(parts, servers);
  const caCertPath = await writeInstanceCert(parts, servers, tokenPort);
  const ingestionUrl = `http://${formatHostForUrl(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${addresses.port}`;
  const apiParts = { registry, tokens: parts.tokens, assertions: parts.assertions, miHeaders: parts.miHeaders, ingestionUrl, authorityHost: addresses.authorityHost };
  let closed = false;
  return {
    ingestionUrl,
    queryEndpoint: ingestionUrl,
    authorityHost: addresses.authorityHost,
    tenantId: registry.tenantId,
    port: addresses.port,
    inspectorUrl: `${ingestionUrl}${INSPECTOR_PATH}`,
    inspectorSecret: parts.inspectorSecret,
    tokenPort,
    caCertPath,
    caCertPem: cert.certPem,
    dataDir: parts.dataDir,
    ...createResourceApi(apiParts),
    ...createIdentityApi(apiParts),
    ...createTelemetryApi(store, registry, createQueryRunner(store, registry, parts.now)),
    chaos,
    liveMetrics: servers.live.control,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    async close() {
      if (closed) return;
      closed = true;
      parts.closing.abort();
      chaos.clear();
      servers.inspector.close();
      await shutDown(parts, servers);
      if (!parts.ownsDir) removeOwnCert(caCertPath, cert.certPem);
    },
  };
}
