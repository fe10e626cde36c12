import type { IncomingMessage } from 'node:http';
import { INGESTION_AUDIENCES } from '../auth/audiences';
import { bearerChallenge, verifyBearer } from '../auth/verify-bearer';
import type { ResourceConfig } from '../config/emulator-config';
import { AUTH_NOT_SUPPORTED_MESSAGE } from '../ingestion/handle-track';
import type { LiveMetricsContext } from './create-live-metrics-service';

/** Whether a ping or post may go on (with the caller's object id when it sent a token), or its refusal. */
export type LiveMetricsVerdict = { ok: true; objectId?: string } | { ok: false; status: number; message: string; headers?: Record<string, string> };

/**
 * Judges a Live Metrics request as ingestion does: no token on a resource with local authentication
 * disabled -> 400; a bad token (signature, tenant, audience, expiry) -> 401 with a
 * `WWW-Authenticate` challenge; an identity without Monitoring Metrics Publisher -> 403.
 */
export function authorizeLiveMetrics(req: IncomingMessage, resource: ResourceConfig, ctx: LiveMetricsContext): LiveMetricsVerdict {
  const header = req.headers.authorization;
  if (header === undefined) {
    return resource.disableLocalAuth ? { ok: false, status: 400, message: AUTH_NOT_SUPPORTED_MESSAGE } : { ok: true };
  }
  const check = verifyBearer(header, { signer: ctx.signer, tenantId: ctx.registry.tenantId, audiences: INGESTION_AUDIENCES, nowSeconds: Math.floor(ctx.now() / 1000) });
  if (!check.ok) {
    return {
      ok: false, status: 401, message: `Unauthorized - please provide the valid authorization token: ${check.description}`,
      headers: { 'www-authenticate': bearerChallenge(`${ctx.authorityHost()}/${ctx.registry.tenantId}`, check.description, !check.missing) },
    };
  }
  if (!ctx.registry.hasRole(check.claims.oid, resource.name, 'Monitoring Metrics Publisher')) {
    return {
      ok: false, status: 403,
      message: `Forbidden - identity (oid ${check.claims.oid}, appid ${check.claims.appid}) lacks the Monitoring Metrics Publisher role on Application Insights resource '${resource.name}'.`,
    };
  }
  return { ok: true, objectId: check.claims.oid };
}
