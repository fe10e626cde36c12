import { CredentialAuthenticationError, CredentialUnavailableError } from '../errors';
import type { CredentialKind } from './describe-credential';
import {
  ENDPOINTS_RESOLUTION_ERROR, findUntrustedCertificateCode, untrustedCertificateFix, untrustedCertificateMessage,
} from '../diag/untrusted-certificate';

/** What the classifier needs to word its message. */
export interface CredentialErrorContext {
  /** The scope that was requested. */
  readonly scope: string;
  /** The kind of credential that failed (see `describeCredential`). */
  readonly credentialKind: CredentialKind;
}

const MAX_CAUSE_CHARS = 600;
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AADSTS_PATTERN = /\bAADSTS(\d{5,})\b/;

/** Fixes for the AADSTS codes people hit most when sending telemetry. */
const AADSTS_HINTS: Readonly<Record<string, string>> = {
  AADSTS7000215: 'the client secret is wrong: use the secret\'s value, not its secret ID',
  AADSTS7000222: 'the client secret has expired: create a new one for the app registration',
  AADSTS700016: 'no application with this client id exists in the tenant: check the client id and the tenant id',
  AADSTS700024: 'the client assertion is outside its validity window: check the clock and the federated token',
  AADSTS90002: 'the tenant was not found: check the tenant id and the cloud (authority host)',
  AADSTS900023: 'the tenant id is malformed: check the tenant id',
  AADSTS500011: 'the resource for the requested scope was not found in the tenant: the audience must match the Application Insights resource\'s cloud',
  AADSTS70011: 'the requested scope is invalid: it must be <audience>/.default',
  AADSTS53003: 'access was blocked by a Conditional Access policy',
};

const ENDPOINTS_RESOLUTION_HINT =
  'the credential could not read the authority\'s metadata: check the authority host (AZURE_AUTHORITY_HOST or authorityHost) '
  + 'and that it is reachable; if its TLS certificate is self-signed (the local emulator) or from a private CA, this process '
  + 'does not trust it';

const KIND_HINTS: Readonly<Record<CredentialKind, string>> = {
  'managed-identity':
    'check that a managed identity is assigned to this resource (system-assigned enabled, or the user-assigned identity attached), '
    + 'that the ClientId (APPLICATIONINSIGHTS_AUTHENTICATION_STRING or the clientId option) is that identity\'s client id, '
    + 'and that the identity endpoint is reachable (IDENTITY_ENDPOINT/IDENTITY_HEADER on App Service and Functions, IMDS on VMs)',
  'service-principal':
    'check the tenant id, the client id, and that the client secret or certificate has not expired',
  developer: 'sign in again (az login, azd auth login or Connect-AzAccount) and check the tenant',
  other: 'check the credential\'s configuration',
};

/**
 * Turns whatever a `TokenCredential` threw into one of our two typed errors:
 * - `CredentialUnavailableError` when the credential cannot be used here at all (`@azure/identity`'s
 *   `CredentialUnavailableError`, recognised by its `name`, or an `AggregateAuthenticationError`
 *   made only of those);
 * - `CredentialAuthenticationError` otherwise (`AuthenticationError` and anything else), keeping
 *   the `AADSTS` code when the message has one.
 *
 * Messages name the scope, include the cause's message (with anything token-shaped removed) and say
 * what to check for this kind of credential. A TLS failure because the certificate is not trusted
 * (found in the cause chain, e.g. the emulator's self-signed certificate without
 * NODE_EXTRA_CA_CERTS) says so and names NODE_EXTRA_CA_CERTS instead; MSAL's
 * `endpoints_resolution_error` (which is how `@azure/identity` reports that case, without the cause)
 * names it as a possible cause. Errors that are already ours pass through unchanged.
 *
 * @param error - What the credential threw.
 * @param context - Scope and credential kind for the message.
 */
export function classifyCredentialError(
  error: unknown,
  context: CredentialErrorContext,
): CredentialUnavailableError | CredentialAuthenticationError {
  if (error instanceof CredentialUnavailableError || error instanceof CredentialAuthenticationError) return error;
  const cause = describeCause(error);
  const tlsCode = findUntrustedCertificateCode(error);
  const hint = tlsCode !== undefined ? untrustedCertificateMessage(undefined, tlsCode)
    : cause.includes(ENDPOINTS_RESOLUTION_ERROR) ? `${ENDPOINTS_RESOLUTION_HINT}; ${untrustedCertificateFix()}`
      : KIND_HINTS[context.credentialKind];
  if (isUnavailable(error)) {
    return new CredentialUnavailableError(
      `credential unavailable for scope ${context.scope}: ${cause}; ${hint}`,
      { cause: error },
    );
  }
  const aadsts = AADSTS_PATTERN.exec(cause);
  const code = aadsts ? `AADSTS${aadsts[1]}` : undefined;
  const codeHint = code !== undefined ? AADSTS_HINTS[code] : undefined;
  return new CredentialAuthenticationError(
    `Microsoft Entra ID refused the credential for scope ${context.scope}${code !== undefined ? ` (${code})` : ''}: ${cause}; `
      + (codeHint !== undefined && tlsCode === undefined ? `${codeHint}; ` : '') + hint,
    code,
    { cause: error },
  );
}

function isUnavailable(error: unknown): boolean {
  const name = nameOf(error);
  if (name === 'CredentialUnavailableError') return true;
  if (name === 'AggregateAuthenticationError') {
    const inner = (error as { errors?: unknown }).errors;
    return Array.isArray(inner) && inner.length > 0 && inner.every((e) => nameOf(e) === 'CredentialUnavailableError');
  }
  return false;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** The cause's message, single-line, bounded, with anything that looks like a JWT removed. */
function describeCause(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message;
  else if (typeof error === 'string') text = error;
  else text = 'unknown error';
  text = text.replace(JWT_PATTERN, '[token]').replace(/\s+/g, ' ').trim();
  if (text === '') text = nameOf(error) ?? 'unknown error';
  return text.length > MAX_CAUSE_CHARS ? `${text.slice(0, MAX_CAUSE_CHARS)}...` : text;
}
