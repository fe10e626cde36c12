import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { IdentityConfig } from '../config/emulator-config';
import type { TokenSigner } from '../auth/create-token-signer';
import { audienceFromScopeOrResource, issuerFor } from '../auth/audiences';
import { readSmallBody, requestUrl, sendJson } from '../server/http-io';
import { aadstsError } from './aadsts-error';
import { JWT_BEARER_ASSERTION, type ClientAssertionTrust } from './client-assertion-trust';
import type { TokenService } from './create-token-service';

/** What the issuer's request handler needs. */
export interface IssuerContext {
  readonly registry: Registry;
  readonly signer: TokenSigner;
  readonly tokens: TokenService;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: () => string;
  /** Certificates and federated credentials registered on identities (client assertions). */
  readonly assertions: ClientAssertionTrust;
  /** Milliseconds since epoch. */
  readonly now: () => number;
}

const TENANT_ALIASES = new Set(['common', 'organizations']);

function openIdConfiguration(base: string, tenantId: string, v2: boolean): Record<string, unknown> {
  const t = `${base}/${tenantId}`;
  return {
    token_endpoint: v2 ? `${t}/oauth2/v2.0/token` : `${t}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${t}/discovery/v2.0/keys` : `${t}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${t}/v2.0` : issuerFor(tenantId),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${t}/openid/userinfo`,
    authorization_endpoint: v2 ? `${t}/oauth2/v2.0/authorize` : `${t}/oauth2/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: v2 ? `${t}/oauth2/v2.0/logout` : `${t}/oauth2/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'appid'],
    tenant_region_scope: 'WW',
    cloud_instance_name: 'localhost',
    cloud_graph_host_name: 'localhost',
    msgraph_host: 'localhost',
  };
}

function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(text.slice(0, i)), secret: decodeURIComponent(text.slice(i + 1)) };
  } catch {
    return { id: text.slice(0, i), secret: text.slice(i + 1) }; // not form-encoded: take it as it is
  }
}

/** A token request refused: the status and the AADSTS error body Entra ID answers. */
interface TokenRefusal {
  readonly refused: true;
  readonly status: number;
  readonly body: unknown;
}

const refuse = (status: number, body: unknown): TokenRefusal => ({ refused: true, status, body });
const isRefusal = (v: object): v is TokenRefusal => 'refused' in v;

/**
 * Finds the client and checks its proof: a client assertion (certificate or federated credential,
 * any identity) or a client secret (service principals). Returns the principal or the refusal.
 */
function authenticateClient(req: IncomingMessage, form: URLSearchParams, ctx: IssuerContext, tenant: string, clientId: string): IdentityConfig | TokenRefusal {
  const { registry } = ctx;
  const assertion = form.get('client_assertion');
  const principal = assertion === null ? registry.servicePrincipal(clientId) : registry.identities().find((i) => i.clientId.toLowerCase() === clientId.toLowerCase());
  if (!principal) {
    return refuse(400, aadstsError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${registry.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`));
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION) return refuse(400, aadstsError('invalid_request', 700025, `client_assertion_type must be '${JWT_BEARER_ASSERTION}'.`));
    const endpoints = [tenant, registry.tenantId].flatMap((t) => [`${ctx.authorityHost()}/${t}/oauth2/v2.0/token`, `${ctx.authorityHost()}/${t}/oauth2/token`]);
    const refusal = ctx.assertions.verify(principal.clientId, assertion, endpoints, Math.floor(ctx.now() / 1000));
    return refusal === undefined ? principal : refuse(401, aadstsError('invalid_client', refusal.aadsts, refusal.message));
  }
  const secret = form.get('client_secret') ?? basicAuth(req)?.secret;
  if (secret === undefined || secret === null) return refuse(401, aadstsError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
  if (secret !== principal.clientSecret) {
    return refuse(401, aadstsError('invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${principal.clientId}'.`));
  }
  return principal;
}

/** The token's audience: from `scope` (v2, which must end in `/.default`) or `resource` (v1). */
function requestedAudience(form: URLSearchParams, v2: boolean): string | TokenRefusal {
  const requested = v2 ? form.get('scope') : form.get('resource');
  const audience = requested ? audienceFromScopeOrResource(requested) : '';
  if (audience && (!v2 || /\/\.default(\s|$)/.test(requested ?? ''))) return audience;
  return v2
    ? refuse(400, aadstsError('invalid_scope', 1002012, `The provided value for scope '${requested ?? ''}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`))
    : refuse(400, aadstsError('invalid_request', 900144, "The request body must contain the following parameter: 'resource'."));
}

/** The token response body: v2 numbers, v1 strings with `expires_on`, `not_before` and `resource`. */
function tokenResponse(issued: ReturnType<TokenService['issue']>, audience: string, v2: boolean): Record<string, unknown> {
  if (v2) return { token_type: 'Bearer', expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken };
  return {
    token_type: 'Bearer',
    expires_in: String(issued.expiresIn),
    ext_expires_in: String(issued.expiresIn),
    expires_on: String(issued.expiresOn),
    not_before: String(issued.notBefore),
    resource: audience,
    access_token: issued.accessToken,
  };
}

/** Decides a client-credentials form: the grant, the client's proof, then the audience. */
function decideToken(req: IncomingMessage, form: URLSearchParams, ctx: IssuerContext, tenant: string, v2: boolean): { principal: IdentityConfig; audience: string } | TokenRefusal {
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') return refuse(400, aadstsError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'. The emulator supports client_credentials only.`));
  const clientId = form.get('client_id') ?? basicAuth(req)?.id;
  if (!clientId) return refuse(400, aadstsError('invalid_request', 900144, "The request body must contain the following parameter: 'client_id'."));
  const principal = authenticateClient(req, form, ctx, tenant, clientId);
  if (isRefusal(principal)) return principal;
  const audience = requestedAudience(form, v2);
  return typeof audience === 'string' ? { principal, audience } : audience;
}

/** A token request: the tenant, the body, the decision, then the token. */
async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, ctx: IssuerContext, tenant: string, v2: boolean): Promise<void> {
  if (tenant !== ctx.registry.tenantId && !TENANT_ALIASES.has(tenant)) {
    sendJson(res, 400, aadstsError('invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`));
    return;
  }
  const body = await readSmallBody(req, 64 * 1024);
  if (body === undefined) {
    sendJson(res, 400, aadstsError('invalid_request', 900144, 'The request body is too large.'));
    return;
  }
  const decision = decideToken(req, new URLSearchParams(body), ctx, tenant, v2);
  if (isRefusal(decision)) sendJson(res, decision.status, decision.body);
  else sendJson(res, 200, tokenResponse(ctx.tokens.issue(decision.principal, decision.audience), decision.audience, v2));
}

/** Handles one request to the https token issuer (OpenID configuration, JWKS, token endpoints). */
export async function handleIssuerRequest(req: IncomingMessage, res: ServerResponse, ctx: IssuerContext): Promise<void> {
  const url = requestUrl(req);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const tenant = parts[0] ?? '';
  const rest = parts.slice(1).join('/');
  const known = tenant === ctx.registry.tenantId || TENANT_ALIASES.has(tenant);
  if (req.method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')) {
    if (!known) {
      sendJson(res, 400, aadstsError('invalid_tenant', 90002, `Tenant '${tenant}' not found.`));
      return;
    }
    sendJson(res, 200, openIdConfiguration(ctx.authorityHost(), ctx.registry.tenantId, rest.startsWith('v2.0')));
    return;
  }
  if (req.method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')) {
    sendJson(res, 200, ctx.signer.jwks());
    return;
  }
  if (req.method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
    await handleTokenRequest(req, res, ctx, tenant, rest === 'oauth2/v2.0/token');
    return;
  }
  sendJson(res, 404, { error: 'not_found', error_description: `The emulator's token issuer has no endpoint ${req.method ?? ''} ${url.pathname}` });
}
