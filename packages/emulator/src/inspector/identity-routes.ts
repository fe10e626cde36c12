import type { Registry } from '../config/create-registry';
import type { RoleName } from '../config/emulator-config';
import { InspectorBadRequest, readJsonBody, sendInspectorJson, stringField, type InspectorRoutes } from './inspector-io';

/** The roles the page shows and switches. */
export const INSPECTOR_ROLES: readonly RoleName[] = ['Monitoring Metrics Publisher', 'Reader'];

/** The identities the issuer knows (never their secrets) and the roles each holds on each resource. */
function describeIdentities(registry: Registry): unknown {
  return {
    tenantId: registry.tenantId,
    resources: registry.resources().map((r) => ({ name: r.name, applicationId: r.applicationId, instrumentationKey: r.instrumentationKey, disableLocalAuth: r.disableLocalAuth })),
    identities: registry.identities().map((i) => ({
      name: i.name,
      kind: i.kind,
      clientId: i.clientId,
      objectId: i.objectId,
      ...(i.systemAssigned ? { systemAssigned: true } : {}),
      roles: Object.fromEntries(registry.resources().map((r) => [r.name, INSPECTOR_ROLES.filter((role) => registry.hasRole(i.objectId, r.name, role))])),
    })),
    roles: INSPECTOR_ROLES,
  };
}

/** `GET identities` and `POST roles` (grant or remove a role: `{ identity, resource, role, granted }`). */
export function identityRoutes(registry: Registry): InspectorRoutes {
  return {
    'GET identities': (_req, res) => sendInspectorJson(res, 200, describeIdentities(registry)),
    'POST roles': async (req, res) => {
      const body = await readJsonBody(req);
      const role = stringField(body, 'role');
      if (!INSPECTOR_ROLES.includes(role as RoleName)) throw new InspectorBadRequest(`"role" must be one of ${INSPECTOR_ROLES.join(', ')}`);
      if (typeof body['granted'] !== 'boolean') throw new InspectorBadRequest('"granted" must be true or false');
      const change = body['granted'] ? registry.assignRole : registry.removeRole;
      change(stringField(body, 'identity'), stringField(body, 'resource'), role as RoleName);
      sendInspectorJson(res, 200, describeIdentities(registry));
    },
  };
}
