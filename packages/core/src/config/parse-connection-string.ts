import type { ConnectionString } from './resolved-config';
import { ConfigError } from '../errors';
import { normalizeAudience } from './normalize-audience';
import { normalizeEndpoint } from './normalize-endpoint';

/** Ingestion endpoint used when the connection string names none. */
export const DEFAULT_INGESTION_ENDPOINT = 'https://dc.services.visualstudio.com';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCATION_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/i;
const HOST_SUFFIX_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Canonical spelling of every key we read, by lower-case key. */
const KNOWN_KEYS = {
  instrumentationkey: 'InstrumentationKey',
  ingestionendpoint: 'IngestionEndpoint',
  liveendpoint: 'LiveEndpoint',
  aadaudience: 'AADAudience',
  applicationid: 'ApplicationId',
  authorization: 'Authorization',
  endpointsuffix: 'EndpointSuffix',
  location: 'Location',
} as const;

type KnownKey = (typeof KNOWN_KEYS)[keyof typeof KNOWN_KEYS];

interface Field {
  readonly value: string;
  /** 1-based position of the segment in the raw string (empty segments count). */
  readonly segment: number;
}

/**
 * Parses an Application Insights connection string (DESIGN.md section 3): `;`-separated
 * `key=value` segments, keys case-insensitive and trimmed, a value is everything after the first
 * `=`; empty segments and a trailing `;` are fine, unknown keys are ignored.
 *
 * - `InstrumentationKey` is required and must be a GUID (stored lower-case).
 * - `IngestionEndpoint`/`LiveEndpoint` must be absolute https URLs (http only for loopback hosts);
 *   trailing slashes are removed.
 * - Without `IngestionEndpoint`, `EndpointSuffix` (with optional `Location`) builds
 *   `https://{location.}dc.{suffix}` (and `https://{location.}live.{suffix}` for live metrics);
 *   otherwise the ingestion endpoint is `https://dc.services.visualstudio.com`.
 * - `AADAudience` must be a URL; `ApplicationId` a GUID (stored lower-case).
 *
 * @param raw - The connection string.
 * @returns A frozen {@link ConnectionString}.
 * @throws ConfigError naming the segment number and key at fault. Messages never contain any
 *   value from the string (not the instrumentation key, not the string itself), and name only
 *   recognised keys.
 */
export function parseConnectionString(raw: string): ConnectionString {
  if (typeof raw !== 'string') throw new ConfigError('connection string must be a string');
  const fields = splitSegments(raw);
  return Object.freeze(toConnectionString(fields));
}

function splitSegments(raw: string): Map<KnownKey, Field> {
  const fields = new Map<KnownKey, Field>();
  const seen = new Map<string, number>();
  const segments = raw.split(';');
  segments.forEach((text, index) => {
    const segment = index + 1;
    if (text.trim() === '') return;
    const eq = text.indexOf('=');
    if (eq < 0) {
      const hint = GUID_PATTERN.test(text.trim()) ? ' (a bare instrumentation key must be written InstrumentationKey=<guid>)' : '';
      throw new ConfigError(`connection string segment ${segment} is not key=value${hint}`);
    }
    const lowerKey = text.slice(0, eq).trim().toLowerCase();
    if (lowerKey === '') throw new ConfigError(`connection string segment ${segment} has an empty key`);
    const first = seen.get(lowerKey);
    const known = Object.prototype.hasOwnProperty.call(KNOWN_KEYS, lowerKey)
      ? KNOWN_KEYS[lowerKey as keyof typeof KNOWN_KEYS]
      : undefined;
    if (first !== undefined) {
      const name = known ?? 'a key';
      throw new ConfigError(`connection string segment ${segment} repeats ${name} (first given in segment ${first})`);
    }
    seen.set(lowerKey, segment);
    if (known === undefined) return; // unknown keys are ignored (forward compatibility)
    const value = text.slice(eq + 1).trim();
    if (value === '') throw new ConfigError(`connection string segment ${segment} (${known}) has an empty value`);
    fields.set(known, { value, segment });
  });
  return fields;
}

function where(field: Field, key: KnownKey): string {
  return `connection string segment ${field.segment} (${key})`;
}

function toConnectionString(fields: Map<KnownKey, Field>): ConnectionString {
  const ikey = fields.get('InstrumentationKey');
  if (ikey === undefined) throw new ConfigError('connection string has no InstrumentationKey');
  if (!GUID_PATTERN.test(ikey.value)) throw new ConfigError(`${where(ikey, 'InstrumentationKey')} is not a GUID`);

  const suffix = fields.get('EndpointSuffix');
  const location = fields.get('Location');
  const suffixHost = suffix === undefined ? undefined : validSuffix(suffix);
  const locationPrefix = suffix !== undefined && location !== undefined ? `${validLocation(location)}.` : '';

  const ingestion = fields.get('IngestionEndpoint');
  const ingestionEndpoint = ingestion !== undefined
    ? normalizeEndpoint(ingestion.value, where(ingestion, 'IngestionEndpoint'))
    : suffixHost !== undefined ? `https://${locationPrefix}dc.${suffixHost}` : DEFAULT_INGESTION_ENDPOINT;

  const live = fields.get('LiveEndpoint');
  const liveEndpoint = live !== undefined
    ? normalizeEndpoint(live.value, where(live, 'LiveEndpoint'))
    : suffixHost !== undefined ? `https://${locationPrefix}live.${suffixHost}` : undefined;

  const audience = fields.get('AADAudience');
  if (audience !== undefined) normalizeAudience(audience.value, where(audience, 'AADAudience'));

  const appId = fields.get('ApplicationId');
  if (appId !== undefined && !GUID_PATTERN.test(appId.value)) {
    throw new ConfigError(`${where(appId, 'ApplicationId')} is not a GUID`);
  }

  const authorization = fields.get('Authorization');
  return {
    instrumentationKey: ikey.value.toLowerCase(),
    ingestionEndpoint,
    ...(liveEndpoint !== undefined && { liveEndpoint }),
    ...(audience !== undefined && { aadAudience: audience.value }),
    ...(appId !== undefined && { applicationId: appId.value.toLowerCase() }),
    ...(authorization !== undefined && { authorization: authorization.value }),
  };
}

function validSuffix(field: Field): string {
  const host = field.value.replace(/^\.+/, '').replace(/\/+$/, '').toLowerCase();
  if (!HOST_SUFFIX_PATTERN.test(host) || !host.includes('.')) {
    throw new ConfigError(`${where(field, 'EndpointSuffix')} is not a DNS suffix (expected e.g. applicationinsights.azure.cn)`);
  }
  return host;
}

function validLocation(field: Field): string {
  if (!LOCATION_PATTERN.test(field.value)) {
    throw new ConfigError(`${where(field, 'Location')} is not a region name (letters, digits and '-')`);
  }
  return field.value.toLowerCase();
}
