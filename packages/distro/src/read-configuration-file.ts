import { readFileSync } from 'node:fs';
import { ConfigError } from '@appinsights-otel/core';

/** Identity types of the configuration file's `authentication` block (as in the Java agent). */
export type AuthenticationType = 'SAMI' | 'UAMI' | 'CLIENTSECRET';

/** The configuration file's `authentication` block, validated. */
export interface AuthenticationBlock {
  readonly enabled: boolean;
  readonly type: AuthenticationType;
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
}

/** The parts of the configuration file the distro reads. Unknown keys are ignored. */
export interface ConfigurationFile {
  /** Where it came from, for messages: the path, or `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`. */
  readonly source: string;
  readonly connectionString?: string;
  readonly authentication?: AuthenticationBlock;
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES: readonly AuthenticationType[] = ['SAMI', 'UAMI', 'CLIENTSECRET'];

/**
 * Reads the configuration file named by `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT` (JSON text, wins)
 * or `APPLICATIONINSIGHTS_CONFIGURATION_FILE` (a path), shaped like the Java agent's
 * `applicationinsights.json`:
 * `{ "connectionString": "...", "authentication": { "enabled": true, "type": "SAMI" | "UAMI" | "CLIENTSECRET", "clientId", "tenantId", "clientSecret" } }`.
 *
 * @param env - The environment to read (default `process.env`).
 * @returns The parsed file, or `undefined` when neither variable is set.
 * @throws ConfigError when the file cannot be read, is not JSON, or has an invalid
 *   `authentication` block. Messages name the source and the key, never a value.
 */
export function readConfigurationFile(env: NodeJS.ProcessEnv = process.env): ConfigurationFile | undefined {
  const content = env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'];
  const path = env['APPLICATIONINSIGHTS_CONFIGURATION_FILE'];
  let text: string;
  let source: string;
  if (content !== undefined && content.trim() !== '') {
    text = content;
    source = 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT';
  } else if (path !== undefined && path.trim() !== '') {
    source = `configuration file ${path.trim()}`;
    try {
      text = readFileSync(path.trim(), 'utf8');
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new ConfigError(`${source} (APPLICATIONINSIGHTS_CONFIGURATION_FILE) cannot be read (${code})`, { cause: error });
    }
  } else {
    return undefined;
  }
  return parseConfigurationText(text, source);
}

/**
 * Parses configuration file text (see {@link readConfigurationFile}).
 *
 * @throws ConfigError on invalid JSON or an invalid `authentication` block.
 */
export function parseConfigurationText(text: string, source: string): ConfigurationFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
  if (!isRecord(json)) throw new ConfigError(`${source} must hold a JSON object`);
  const connectionString = json['connectionString'];
  if (connectionString !== undefined && typeof connectionString !== 'string') {
    throw new ConfigError(`${source}: "connectionString" must be a string`);
  }
  const authentication = json['authentication'] === undefined ? undefined : parseAuthentication(json['authentication'], source);
  return {
    source,
    ...(typeof connectionString === 'string' && connectionString.trim() !== '' ? { connectionString } : {}),
    ...(authentication !== undefined ? { authentication } : {}),
  };
}

/** The authentication block; `undefined` for a disabled block that names no type (nothing to use). */
function parseAuthentication(value: unknown, source: string): AuthenticationBlock | undefined {
  const where = `${source}: "authentication"`;
  if (!isRecord(value)) throw new ConfigError(`${where} must be an object`);
  const enabled = value['enabled'] ?? false;
  if (typeof enabled !== 'boolean') throw new ConfigError(`${where}.enabled must be true or false`);
  const rawType = value['type'];
  const type = typeof rawType === 'string' ? rawType.trim().toUpperCase() : undefined;
  if (!enabled && rawType === undefined) return undefined;
  if (!TYPES.includes(type as AuthenticationType)) {
    throw new ConfigError(`${where}.type must be "SAMI" (system-assigned managed identity), "UAMI" (user-assigned) or "CLIENTSECRET" (service principal)`);
  }
  const block: { -readonly [K in keyof AuthenticationBlock]: AuthenticationBlock[K] } = { enabled, type: type as AuthenticationType };
  for (const key of ['clientId', 'tenantId', 'clientSecret'] as const) {
    const v = value[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new ConfigError(`${where}.${key} must be a string`);
    block[key] = v.trim();
  }
  if (!enabled) return block;
  if (block.type === 'UAMI' || block.type === 'CLIENTSECRET') {
    if (block.clientId === undefined) throw new ConfigError(`${where}.clientId is required for type ${block.type}`);
    if (!GUID_PATTERN.test(block.clientId)) throw new ConfigError(`${where}.clientId must be a GUID (the identity's client id)`);
  }
  if (block.type === 'CLIENTSECRET') {
    if (block.tenantId === undefined) throw new ConfigError(`${where}.tenantId is required for type CLIENTSECRET`);
    if (block.clientSecret === undefined) throw new ConfigError(`${where}.clientSecret is required for type CLIENTSECRET`);
  }
  return block;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
