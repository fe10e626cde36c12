import { readFileSync } from 'node:fs';
import { ConfigError } from '@appinsights-otel/core';
import { isRecord } from './setting-parsers';

/**
 * Identity types of the configuration file's `authentication` block: the Java agent's three, plus
 * `WORKLOADIDENTITY` (AKS workload identity: a federated token file) and `CLIENTCERTIFICATE` (a
 * service principal with a certificate).
 */
type AuthenticationType = 'SAMI' | 'UAMI' | 'CLIENTSECRET' | 'WORKLOADIDENTITY' | 'CLIENTCERTIFICATE';

/** The configuration file's `authentication` block, validated. */
export interface AuthenticationBlock {
  readonly enabled: boolean;
  readonly type: AuthenticationType;
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly clientSecret?: string;
  /** `WORKLOADIDENTITY`: the federated token file (default `AZURE_FEDERATED_TOKEN_FILE`). */
  readonly tokenFilePath?: string;
  /** `CLIENTCERTIFICATE`: PEM file with the certificate and its private key (default `AZURE_CLIENT_CERTIFICATE_PATH`). */
  readonly certificatePath?: string;
}

/** The parts of the configuration file the doctor reads. */
export interface ConfigurationFile {
  /** Where it came from, for messages: the path, or `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`. */
  readonly source: string;
  readonly connectionString?: string;
  readonly authentication?: AuthenticationBlock;
}

/** Where the configuration file comes from: JSON text, or a path. */
export type ConfigurationFileLocation =
  | { readonly kind: 'content'; readonly text: string }
  | { readonly kind: 'path'; readonly path: string };

/** A configuration file read and parsed as a JSON object, not yet interpreted. */
export interface ConfigurationJson {
  /** Where it came from, for messages: `configuration file <path>`, or `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`. */
  readonly source: string;
  readonly json: Readonly<Record<string, unknown>>;
}

const CONTENT_VARIABLE = 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT';
const FILE_VARIABLE = 'APPLICATIONINSIGHTS_CONFIGURATION_FILE';

/** The variables that name the configuration file; `_CONTENT` wins. */
export const CONFIGURATION_FILE_VARIABLES = [CONTENT_VARIABLE, FILE_VARIABLE] as const;

/**
 * The configuration file's location from `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT` (JSON text,
 * wins) or `APPLICATIONINSIGHTS_CONFIGURATION_FILE` (a path); `undefined` when neither is set.
 *
 * @param values - The variables that are set (trimmed, non-blank).
 */
export function configurationFileLocation(values: Readonly<Record<string, string | undefined>>): ConfigurationFileLocation | undefined {
  const text = values[CONTENT_VARIABLE];
  if (text !== undefined && text.trim() !== '') return { kind: 'content', text };
  const path = values[FILE_VARIABLE]?.trim();
  return path !== undefined && path !== '' ? { kind: 'path', path } : undefined;
}

/**
 * Reads the configuration file, shaped like the Java agent's `applicationinsights.json`, as a
 * JSON object.
 *
 * @throws ConfigError when the file cannot be read, is not JSON or is not an object. Messages name
 *   the source, never a value.
 */
export function loadConfigurationFile(location: ConfigurationFileLocation): ConfigurationJson {
  if (location.kind === 'content') return parseConfigurationJson(location.text, CONTENT_VARIABLE);
  const source = `configuration file ${location.path}`;
  let text: string;
  try {
    text = readFileSync(location.path, 'utf8');
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(`${source} (${FILE_VARIABLE}) cannot be read (${code})`, { cause: error });
  }
  return parseConfigurationJson(text, source);
}

/**
 * Parses configuration file text as a JSON object.
 *
 * @throws ConfigError on invalid JSON or a value that is not an object.
 */
function parseConfigurationJson(text: string, source: string): ConfigurationJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
  if (!isRecord(json)) throw new ConfigError(`${source} must hold a JSON object`);
  return { source, json };
}

/**
 * Reads the configuration file the environment names and validates its `connectionString` and
 * `authentication` block (what the doctor checks):
 * `{ "connectionString": "...", "authentication": { "enabled": true, "type": "SAMI" | "UAMI" | "CLIENTSECRET", "clientId", "tenantId", "clientSecret" } }`.
 *
 * @param env - The environment.
 * @returns The parsed file, or `undefined` when neither variable is set.
 * @throws ConfigError when the file cannot be read, is not JSON, or has an invalid
 *   `connectionString` or `authentication`. Messages name the source and the key, never a value.
 */
export function readConfigurationFile(env: Readonly<Record<string, string | undefined>>): ConfigurationFile | undefined {
  const location = configurationFileLocation(env);
  if (location === undefined) return undefined;
  const { source, json } = loadConfigurationFile(location);
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

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES: readonly AuthenticationType[] = ['SAMI', 'UAMI', 'CLIENTSECRET', 'WORKLOADIDENTITY', 'CLIENTCERTIFICATE'];

/**
 * The configuration file's `authentication` block; `undefined` for a disabled block that names no
 * type (nothing to use).
 *
 * @throws ConfigError naming the source and the key at fault (never a value).
 */
export function parseAuthentication(value: unknown, source: string): AuthenticationBlock | undefined {
  const where = `${source}: "authentication"`;
  if (!isRecord(value)) throw new ConfigError(`${where} must be an object`);
  const enabled = value['enabled'] ?? false;
  if (typeof enabled !== 'boolean') throw new ConfigError(`${where}.enabled must be true or false`);
  const rawType = value['type'];
  const type = typeof rawType === 'string' ? rawType.trim().toUpperCase() : undefined;
  if (!enabled && rawType === undefined) return undefined;
  if (!TYPES.includes(type as AuthenticationType)) {
    throw new ConfigError(`${where}.type must be "SAMI" (system-assigned managed identity), "UAMI" (user-assigned), "CLIENTSECRET" (service principal), `
      + '"WORKLOADIDENTITY" (AKS workload identity) or "CLIENTCERTIFICATE" (service principal with a certificate)');
  }
  const block: { -readonly [K in keyof AuthenticationBlock]: AuthenticationBlock[K] } = { enabled, type: type as AuthenticationType };
  if (type === 'CLIENTCERTIFICATE' && value['certificatePassword'] !== undefined) {
    throw new ConfigError(`${where}.certificatePassword is not read from the file (it is a secret): set AZURE_CLIENT_CERTIFICATE_PASSWORD instead`);
  }
  for (const key of ['clientId', 'tenantId', 'clientSecret', 'tokenFilePath', 'certificatePath'] as const) {
    const v = value[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new ConfigError(`${where}.${key} must be a string`);
    block[key] = v.trim();
  }
  if (!enabled) return block;
  if (block.type === 'UAMI' || block.type === 'CLIENTSECRET') {
    if (block.clientId === undefined) throw new ConfigError(`${where}.clientId is required for type ${block.type}`);
  }
  // WORKLOADIDENTITY and CLIENTCERTIFICATE may take clientId from AZURE_CLIENT_ID (checked when the credential is built)
  if (block.type !== 'SAMI' && block.clientId !== undefined && !GUID_PATTERN.test(block.clientId)) throw new ConfigError(`${where}.clientId must be a GUID (the identity's client id)`);
  if (block.type === 'CLIENTSECRET') {
    if (block.tenantId === undefined) throw new ConfigError(`${where}.tenantId is required for type CLIENTSECRET`);
    if (block.clientSecret === undefined) throw new ConfigError(`${where}.clientSecret is required for type CLIENTSECRET`);
  }
  return block;
}
