import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import { audienceFromScopeOrResource } from '../auth/audiences';
import { requestUrl, sendJson } from '../server/http-io';
import type { TokenService } from './create-token-service';

/** What the managed identity endpoint needs. */
export interface MsiContext {
  readonly registry: Registry;
  readonly tokens: TokenService;
  /**
   * Resolves an `X-IDENTITY-HEADER` value to the name of the identity it stands for when a request
   * names no client id (undefined when the header is not one the emulator handed out).
   */
  readonly identityForHeader: (header: string) => string | undefined;
}

/**
 * The App Service managed identity endpoint (API version 2019-08-01):
 * `GET /msi/token?resource=...&api-version=2019-08-01[&client_id=...]` with header `X-IDENTITY-HEADER`.
 */
export function handleMsiRequest(req: IncomingMessage, res: ServerResponse, ctx: MsiContext): void {
  const url = requestUrl(req);
  const headerValue = req.headers['x-identity-header'];
  const header = Array.isArray(headerValue) ? headerValue[0] : headerValue;
  const defaultIdentity = header === undefined ? undefined : ctx.identityForHeader(header);
  if (defaultIdentity === undefined) {
    sendJson(res, 401, { statusCode: 401, message: 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.', correlationId: '' });
    return;
  }
  if (req.method !== 'GET') {
    sendJson(res, 405, { statusCode: 405, message: 'Only GET is supported.' });
    return;
  }
  const resource = url.searchParams.get('resource');
  if (!resource) {
    sendJson(res, 400, { statusCode: 400, message: 'The resource query parameter is required.' });
    return;
  }
  const clientId = url.searchParams.get('client_id') ?? url.searchParams.get('clientid') ?? undefined;
  const resourceId = url.searchParams.get('mi_res_id') ?? url.searchParams.get('principal_id') ?? url.searchParams.get('object_id');
  if (resourceId) {
    sendJson(res, 400, { statusCode: 400, message: 'The emulator selects user-assigned identities by client_id only.' });
    return;
  }
  const identity = clientId === undefined ? ctx.registry.identity(defaultIdentity) : ctx.registry.managedIdentity(clientId);
  if (!identity || identity.kind !== 'managedIdentity') {
    sendJson(res, 400, { statusCode: 400, message: `No managed identity found for client_id '${clientId ?? ''}'.` });
    return;
  }
  const audience = audienceFromScopeOrResource(resource);
  const issued = ctx.tokens.issue(identity, audience);
  sendJson(res, 200, {
    access_token: issued.accessToken,
    expires_on: String(issued.expiresOn),
    resource: audience,
    token_type: 'Bearer',
    client_id: identity.clientId,
  });
}
