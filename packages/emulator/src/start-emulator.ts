import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createChaos, type Chaos } from './chaos/create-chaos';
import { createRegistry } from './config/create-registry';
import { createDefaultConfig, type EmulatorConfig, type IdentityConfig, type ResourceConfig, type RoleName } from './config/emulator-config';
import { INGESTION_AUDIENCES } from './auth/audiences';
import { traceRoleChecks } from './auth/auth-trace';
import { createTokenSigner } from './auth/create-token-signer';
import { EmulatorError } from './errors';
import { createInspector, INSPECTOR_PATH } from './inspector/create-inspector';
import { checkAdminAccess, ownHosts } from './inspector/check-inspector-access';
import { INSPECTOR_ASSETS_DIR } from './inspector/serve-inspector-asset';
import { createTokenService } from './issuer/create-token-service';
import { createClientAssertionTrust, type FederatedCredential } from './issuer/client-assertion-trust';
import { handleIssuerRequest } from './issuer/handle-issuer-request';
import { runQuery } from './query/handle-query';
import { formatResult, type QueryResponse } from './query/format-result';
import { parseTimespan } from './query/parse-timespan';
import { createRequestLog, type LoggedRequest } from './server/create-request-log';
import { createIngestionServer } from './server/create-ingestion-server';
import { createLiveMetricsService, type LiveMetricsControl } from './live-metrics/create-live-metrics-service';
import { redactHeaders, sendJson } from './server/http-io';
import { createMemoryStore } from './storage/create-memory-store';
import { createSqliteStore } from './storage/create-sqlite-store';
import { MAX_BODY_BYTES } from './ingestion/read-track-body';
import type { Store } from './storage/store';
import { TABLE_SCHEMAS, type TableName } from './storage/table-schemas';
import { caCertFileName, createSelfSignedCert, writeCaCert } from './tls/create-self-signed-cert';

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

/** Starts an emulator: an http server (ingestion, query API, managed identity, admin) and an https token issuer. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const registry = createRegistry(options.config ?? createDefaultConfig());
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-emulator-'));
  let signer: Awaited<ReturnType<typeof createTokenSigner>>;
  let cert: Awaited<ReturnType<typeof createSelfSignedCert>>;
  let store: Store;
  try {
    [signer, cert] = await Promise.all([createTokenSigner(), createSelfSignedCert()]);
    store = options.inMemory === false ? createSqliteStore(dataDir) : createMemoryStore();
  } catch (e) {
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true }); // do not leak the temp dir
    throw e;
  }
  const tokens = createTokenService(registry, signer, options.tokenLifetimeSeconds ?? 3600, now);
  const chaos = createChaos();
  const log = createRequestLog();
  const closing = new AbortController();
  const miHeaders = new Map<string, string>();
  const headerFor = (name: string): string => {
    let h = miHeaders.get(name);
    if (!h) miHeaders.set(name, (h = randomBytes(16).toString('hex')));
    return h;
  };
  for (const i of registry.identities()) if (i.kind === 'managedIdentity') headerFor(i.name);
  let authorityHost = '';
  const traced = traceRoleChecks(registry); // role look-ups recorded per request for the inspector
  const inspectorSecret = randomBytes(18).toString('base64url');
  let port = 0;
  const live = createLiveMetricsService({ registry: traced, signer, authorityHost: () => authorityHost, now });
  const queryAs = (kql: string, queryOptions: { resourceName?: string; timespan?: string }, includeRender: boolean): QueryResponse => {
    const nowMillis = now();
    const range = queryOptions.timespan ? parseTimespan(queryOptions.timespan, nowMillis) : undefined;
    const appId = (queryOptions.resourceName === undefined ? firstResource() : registry.resource(queryOptions.resourceName)).applicationId;
    return formatResult(runQuery(store, appId, kql, range, nowMillis), { includeRender });
  };
  const inspector = createInspector({
    registry,
    store,
    log,
    live: live.control,
    query: (kql, resourceName, timespan) => queryAs(kql, { resourceName, ...(timespan ? { timespan } : {}) }, true), // as with Prefer: include-render=true
    policy: () => ({ hosts: ownHosts(port, host), secret: inspectorSecret, allowRemote: options.inspectorAllowRemote === true }),
    assetsDir: INSPECTOR_ASSETS_DIR,
  });
  const ingestion = createIngestionServer({
    track: { registry: traced, store, signer, authorityHost: () => authorityHost, maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES, now },
    query: { registry: traced, store, signer, authorityHost: () => authorityHost, now },
    msi: { registry, tokens, identityForHeader: (h) => [...miHeaders].find(([, v]) => v === h)?.[0] },
    chaos,
    log,
    live,
    inspector: (req, res, pathname) => inspector.handle(req, res, pathname),
    guardAdmin: (req) => checkAdminAccess({ method: req.method ?? '', host: req.headers.host, origin: req.headers.origin }, ownHosts(port, host)),
  }, closing.signal);
  const assertions = createClientAssertionTrust();
  const issuerCtx = { registry, signer, tokens, authorityHost: () => authorityHost, assertions, now };
  const issuer = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    const entry = log.add({ timestamp: Date.now(), method: req.method ?? '', path: req.url ?? '/', headers: redactHeaders(req.headers), status: 0, issuer: true });
    res.once('close', () => { entry.status = res.statusCode; log.finish(entry); });
    handleIssuerRequest(req, res, issuerCtx).catch((e: unknown) => sendJson(res, 500, { error: 'server_error', error_description: e instanceof Error ? e.message : 'internal error' }));
  });
  let tokenPort: number;
  try {
    port = await listen(ingestion, options.port ?? 0, host);
    tokenPort = await listen(issuer, options.tokenPort ?? 0, host);
  } catch (e) {
    await Promise.all([closeServer(ingestion), closeServer(issuer)]);
    store.close();
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new EmulatorError('EMU_LISTEN', `cannot listen on ${host}: ${(e as Error).message}`, { cause: e });
  }
  // `localhost` may resolve to ::1 first: answer there too when bound to IPv4 loopback (best effort).
  let issuerV6: https.Server | undefined;
  if (host === '127.0.0.1') {
    issuerV6 = https.createServer({ key: cert.keyPem, cert: cert.certPem }, issuer.listeners('request')[0] as http.RequestListener);
    await listen(issuerV6, tokenPort, '::1').catch(() => { issuerV6 = undefined; });
  }
  authorityHost = `https://localhost:${tokenPort}`;
  let caCertPath: string;
  try {
    caCertPath = writeCaCert(dataDir, caCertFileName(host, tokenPort), cert.certPem);
  } catch (e) {
    await Promise.all([closeServer(ingestion), closeServer(issuer), ...(issuerV6 ? [closeServer(issuerV6)] : [])]);
    store.close();
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new EmulatorError('EMU_STORAGE', `cannot write the certificate to ${dataDir}: ${(e as Error).message}`, { cause: e });
  }
  const ingestionUrl = `http://${formatHostForUrl(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${port}`;
  const firstResource = (): ResourceConfig => {
    const r = registry.resources()[0];
    if (!r) throw new EmulatorError('EMU_UNKNOWN_RESOURCE', 'the emulator has no resources');
    return r;
  };
  const resourceOf = (name?: string): ResourceConfig => (name === undefined ? firstResource() : registry.resource(name));
  const toItem = (table: TableName, row: Record<string, unknown>): StoredItem => {
    const out: StoredItem = {};
    for (const c of TABLE_SCHEMAS[table]) {
      const v = row[c.name] ?? null;
      out[c.name] = c.type === 'datetime' && typeof v === 'number' ? new Date(v).toISOString() : v;
    }
    return out;
  };
  let closed = false;

  const handle: EmulatorHandle = {
    ingestionUrl,
    queryEndpoint: ingestionUrl,
    authorityHost,
    tenantId: registry.tenantId,
    port,
    inspectorUrl: `${ingestionUrl}${INSPECTOR_PATH}`,
    inspectorSecret,
    tokenPort,
    caCertPath,
    caCertPem: cert.certPem,
    dataDir,
    connectionString(resourceName) {
      const r = resourceOf(resourceName);
      return `InstrumentationKey=${r.instrumentationKey};IngestionEndpoint=${ingestionUrl}/;ApplicationId=${r.applicationId}`;
    },
    resource: resourceOf,
    identity: (name) => registry.identity(name),
    managedIdentityEnv(identityName) {
      const i = identityName === undefined ? registry.managedIdentity(undefined) ?? registry.identities().find((x) => x.kind === 'managedIdentity') : registry.identity(identityName);
      if (!i || i.kind !== 'managedIdentity') throw new EmulatorError('EMU_UNKNOWN_IDENTITY', `"${identityName ?? '(default)'}" is not a managed identity`);
      return { IDENTITY_ENDPOINT: `${ingestionUrl}/msi/token`, IDENTITY_HEADER: headerFor(i.name) };
    },
    servicePrincipal(identityName) {
      const first = firstResource();
      const i = identityName === undefined
        ? registry.identities().find((x) => x.kind === 'servicePrincipal' && registry.hasRole(x.objectId, first.name, 'Monitoring Metrics Publisher'))
        : registry.identity(identityName);
      if (!i || i.kind !== 'servicePrincipal' || i.clientSecret === undefined) throw new EmulatorError('EMU_UNKNOWN_IDENTITY', `"${identityName ?? '(default)'}" is not a service principal`);
      return { tenantId: registry.tenantId, clientId: i.clientId, clientSecret: i.clientSecret, authorityHost };
    },
    issueToken(request) {
      const identity = registry.identity(request.identity);
      const raw = request.audience ?? INGESTION_AUDIENCES[0] as string;
      const audience = raw.endsWith('/.default') ? raw.slice(0, -'/.default'.length) : raw;
      return tokens.issue(identity, audience, {
        ...(request.lifetimeSeconds !== undefined ? { lifetimeSeconds: request.lifetimeSeconds } : {}),
        ...(request.expired !== undefined ? { expired: request.expired } : {}),
      }).accessToken;
    },
    addResource(resource) {
      const full: ResourceConfig = {
        name: resource.name,
        instrumentationKey: resource.instrumentationKey ?? randomUUID(),
        applicationId: resource.applicationId ?? randomUUID(),
        disableLocalAuth: resource.disableLocalAuth ?? true,
      };
      registry.addResource(full);
      return registry.resource(full.name);
    },
    addIdentity(identity) {
      const full: IdentityConfig = {
        name: identity.name,
        kind: identity.kind,
        clientId: identity.clientId ?? randomUUID(),
        objectId: identity.objectId ?? randomUUID(),
        ...(identity.kind === 'servicePrincipal' ? { clientSecret: identity.clientSecret ?? randomBytes(18).toString('base64url') } : {}),
        ...(identity.systemAssigned !== undefined ? { systemAssigned: identity.systemAssigned } : {}),
      };
      registry.addIdentity(full);
      if (full.kind === 'managedIdentity') headerFor(full.name);
      return registry.identity(full.name);
    },
    trustCertificate: (identityName, certificatePem) => assertions.addCertificate(registry.identity(identityName).clientId, certificatePem),
    trustFederatedIssuer: (identityName, credential) => assertions.addFederatedCredential(registry.identity(identityName).clientId, credential),
    assignRole: (identity, resource, role) => registry.assignRole(identity, resource ?? firstResource().name, role),
    removeRole: (identity, resource, role) => registry.removeRole(identity, resource ?? firstResource().name, role),
    items: (table, resourceName) =>
      store.read(table, resourceName === undefined ? {} : { appId: registry.resource(resourceName).applicationId }).map((r) => toItem(table, r)),
    countItems: (table, resourceName) => store.count(table, resourceName === undefined ? {} : { appId: registry.resource(resourceName).applicationId }),
    query: (kql, queryOptions = {}) => queryAs(kql, queryOptions, false),
    chaos,
    liveMetrics: live.control,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    clearItems: () => store.clear(),
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      chaos.clear();
      inspector.close();
      await Promise.all([closeServer(ingestion), closeServer(issuer), ...(issuerV6 ? [closeServer(issuerV6)] : [])]);
      store.close();
      if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
      else removeOwnCert(caCertPath, cert.certPem);
    },
  };
  return handle;
}
