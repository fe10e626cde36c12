import { randomUUID } from 'node:crypto';
import { EmulatorError } from '../errors';
import { createDefaultConfig, type EmulatorConfig, type IdentityConfig, type ResourceConfig, type RoleAssignment, type RoleName } from './emulator-config';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES: readonly RoleName[] = ['Monitoring Metrics Publisher', 'Reader'];

function fail(where: string, what: string): never {
  throw new EmulatorError('EMU_CONFIG', `emulator config: ${where}: ${what}`);
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be an object');
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, where: string, fallback?: string): string {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || v.trim() === '') fail(where, `"${key}" must be a non-empty string`);
  return v.trim();
}

function guid(o: Record<string, unknown>, key: string, where: string, fallback?: string): string {
  const v = str(o, key, where, fallback);
  if (!GUID.test(v)) fail(where, `"${key}" must be a GUID`);
  return v.toLowerCase();
}

function list(o: Record<string, unknown>, key: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) fail(key, 'must be an array');
  return v;
}

function parseResource(v: unknown, i: number): ResourceConfig {
  const where = `resources[${i}]`;
  const o = asObject(v, where);
  const disable = o['disableLocalAuth'];
  if (disable !== undefined && typeof disable !== 'boolean') fail(where, '"disableLocalAuth" must be a boolean');
  return {
    name: str(o, 'name', where),
    instrumentationKey: guid(o, 'instrumentationKey', where),
    applicationId: guid(o, 'applicationId', where, randomUUID()),
    disableLocalAuth: disable ?? true,
  };
}

function parseIdentity(v: unknown, i: number): IdentityConfig {
  const where = `identities[${i}]`;
  const o = asObject(v, where);
  const kind = o['kind'];
  if (kind !== 'managedIdentity' && kind !== 'servicePrincipal') fail(where, '"kind" must be "managedIdentity" or "servicePrincipal"');
  const base = { name: str(o, 'name', where), kind, clientId: guid(o, 'clientId', where, randomUUID()), objectId: guid(o, 'objectId', where, randomUUID()) } as const;
  if (kind === 'servicePrincipal') return { ...base, clientSecret: str(o, 'clientSecret', where) };
  const sys = o['systemAssigned'];
  if (sys !== undefined && typeof sys !== 'boolean') fail(where, '"systemAssigned" must be a boolean');
  return { ...base, systemAssigned: sys ?? false };
}

function parseAssignment(v: unknown, i: number): RoleAssignment {
  const where = `roleAssignments[${i}]`;
  const o = asObject(v, where);
  const role = str(o, 'role', where) as RoleName;
  if (!ROLES.includes(role)) fail(where, `"role" must be one of ${ROLES.join(', ')}`);
  return { identity: str(o, 'identity', where), resource: str(o, 'resource', where), role };
}

/** Checks names are unique and assignments refer to known identities and resources. */
export function validateConfig(config: EmulatorConfig): EmulatorConfig {
  const names = (xs: readonly { name: string }[], what: string): Set<string> => {
    const seen = new Set<string>();
    for (const x of xs) {
      if (seen.has(x.name)) fail(what, `duplicate name "${x.name}"`);
      seen.add(x.name);
    }
    return seen;
  };
  const resources = names(config.resources, 'resources');
  const identities = names(config.identities, 'identities');
  // Ids are how requests find resources and identities (and role assignments follow object ids): no two may share one.
  const unique = <T>(xs: readonly T[], what: string, key: string, id: (x: T) => string | undefined): void => {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
      const v = id(x)?.toLowerCase();
      if (v === undefined) return;
      if (seen.has(v)) fail(`${what}[${i}]`, `"${key}" is already used by another entry`);
      seen.add(v);
    });
  };
  unique(config.resources, 'resources', 'instrumentationKey', (r) => r.instrumentationKey);
  unique(config.resources, 'resources', 'applicationId', (r) => r.applicationId);
  unique(config.identities, 'identities', 'clientId', (x) => x.clientId);
  unique(config.identities, 'identities', 'objectId', (x) => x.objectId);
  if (config.identities.filter((x) => x.systemAssigned).length > 1) fail('identities', 'at most one managed identity may be systemAssigned');
  config.roleAssignments.forEach((a, i) => {
    if (!identities.has(a.identity)) fail(`roleAssignments[${i}]`, `unknown identity "${a.identity}"`);
    if (!resources.has(a.resource)) fail(`roleAssignments[${i}]`, `unknown resource "${a.resource}"`);
  });
  return config;
}

/**
 * Parses the JSON config file format (see docs/emulator.md). Sections that are absent keep the
 * default configuration's. Throws an {@link EmulatorError} with code `EMU_CONFIG` naming the bad field.
 */
export function parseConfig(json: string): EmulatorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new EmulatorError('EMU_CONFIG', 'emulator config: not valid JSON', { cause: e });
  }
  const o = asObject(raw, 'config');
  const defaults = createDefaultConfig();
  const resources = list(o, 'resources')?.map(parseResource) ?? defaults.resources;
  if (resources.length === 0) fail('resources', 'must hold at least one resource');
  const identities = list(o, 'identities')?.map(parseIdentity) ?? defaults.identities;
  // Without roleAssignments, the default identities that still exist get their default roles on every resource.
  const defaultAssignments: RoleAssignment[] = defaults.roleAssignments
    .filter((a) => identities.some((i) => i.name === a.identity))
    .flatMap((a) => resources.map((r) => ({ ...a, resource: r.name })));
  return validateConfig({
    tenantId: guid(o, 'tenantId', 'config', defaults.tenantId),
    resources,
    identities,
    roleAssignments: list(o, 'roleAssignments')?.map(parseAssignment) ?? defaultAssignments,
  });
}
