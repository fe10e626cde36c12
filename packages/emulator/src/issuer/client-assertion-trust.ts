import { constants, createHash, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';

/** The `client_assertion_type` of a signed JWT client assertion (RFC 7523). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The audience of a federated token exchanged with Microsoft Entra ID (AKS workload identity). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** A federated identity credential: tokens of `issuer` for `subject` may stand in for the app. */
export interface FederatedCredential {
  /** The federated token's `iss` (on AKS, the cluster's OIDC issuer URL). */
  readonly issuer: string;
  /** The federated token's `sub` (on AKS, `system:serviceaccount:<namespace>:<name>`). */
  readonly subject: string;
  /** The key the issuer signs with (PEM public key, or a certificate). */
  readonly publicKeyPem: string;
  /** The federated token's `aud`; default `api://AzureADTokenExchange`. */
  readonly audience?: string;
}

/** Why an assertion was refused: an AADSTS code and message, as Microsoft Entra ID words them. */
interface AssertionRefusal {
  readonly aadsts: number;
  readonly message: string;
}

/** Certificates and federated credentials registered on the emulator's identities, by client id. */
export interface ClientAssertionTrust {
  /** Registers a certificate (PEM) on the app `clientId`: assertions it signs authenticate the app. */
  addCertificate(clientId: string, certificatePem: string): void;
  /** Registers a federated identity credential on the app `clientId`. */
  addFederatedCredential(clientId: string, credential: FederatedCredential): void;
  /**
   * Checks a `client_assertion` for `clientId`: a certificate-signed assertion (`iss` = `sub` =
   * the client id, `aud` = one of `tokenEndpoints`, signed with a registered certificate named by
   * `x5t` or `x5t#S256`), or a federated token (signed by a trusted issuer, for its subject and
   * audience). Both must be within their time range (5 minutes of skew).
   *
   * @returns `undefined` when the assertion authenticates the app, else why not.
   */
  verify(clientId: string, assertion: string, tokenEndpoints: readonly string[], nowSeconds: number): AssertionRefusal | undefined;
}

interface RegisteredCertificate {
  readonly key: KeyObject;
  readonly sha1: string;
  readonly sha256: string;
}

interface ParsedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signedPart: string;
  readonly signature: Buffer;
}

const SKEW_SECONDS = 300;

/** Creates an empty trust store. */
export function createClientAssertionTrust(): ClientAssertionTrust {
  const certificates = new Map<string, RegisteredCertificate[]>();
  const federated = new Map<string, Array<FederatedCredential & { readonly key: KeyObject }>>();
  return {
    addCertificate(clientId, certificatePem) {
      const certificate = new X509Certificate(certificatePem);
      const list = certificates.get(clientId.toLowerCase()) ?? [];
      list.push({
        key: certificate.publicKey,
        sha1: createHash('sha1').update(certificate.raw).digest('base64url'),
        sha256: createHash('sha256').update(certificate.raw).digest('base64url'),
      });
      certificates.set(clientId.toLowerCase(), list);
    },
    addFederatedCredential(clientId, credential) {
      const list = federated.get(clientId.toLowerCase()) ?? [];
      list.push({ ...credential, key: publicKeyOf(credential.publicKeyPem) });
      federated.set(clientId.toLowerCase(), list);
    },
    verify(clientId, assertion, tokenEndpoints, nowSeconds) {
      const jwt = parseJwt(assertion);
      if (jwt === undefined) return { aadsts: 50027, message: 'JWT token is invalid or malformed.' };
      const id = clientId.toLowerCase();
      const issuer = jwt.payload['iss'];
      const trusted = federated.get(id)?.find((f) => f.issuer === issuer);
      if (trusted !== undefined) return verifyFederated(jwt, trusted, trusted.key, nowSeconds);
      if (typeof issuer === 'string' && issuer.toLowerCase() === id) return verifyCertificateAssertion(jwt, id, certificates.get(id) ?? [], tokenEndpoints, nowSeconds);
      return { aadsts: 70021, message: `No matching federated identity record found for presented assertion issuer '${String(issuer)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.` };
    },
  };
}

function publicKeyOf(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

function verifyFederated(jwt: ParsedJwt, trusted: FederatedCredential, key: KeyObject, nowSeconds: number): AssertionRefusal | undefined {
  if (!signatureValid(jwt, key)) return { aadsts: 700211, message: 'The federated token\'s signature could not be verified with the keys of its issuer.' };
  const audience = trusted.audience ?? TOKEN_EXCHANGE_AUDIENCE;
  if (!audiences(jwt.payload).includes(audience)) return { aadsts: 700212, message: `No matching federated identity record found for presented assertion audience '${audiences(jwt.payload).join(', ')}'.` };
  if (jwt.payload['sub'] !== trusted.subject) return { aadsts: 70021, message: `No matching federated identity record found for presented assertion subject '${String(jwt.payload['sub'])}'.` };
  return timeRange(jwt.payload, nowSeconds);
}

function verifyCertificateAssertion(
  jwt: ParsedJwt, clientId: string, registered: readonly RegisteredCertificate[], tokenEndpoints: readonly string[], nowSeconds: number,
): AssertionRefusal | undefined {
  const sha1 = jwt.header['x5t'];
  const sha256 = jwt.header['x5t#S256'];
  const certificate = registered.find((c) => c.sha1 === sha1 || c.sha256 === sha256);
  if (certificate === undefined) {
    return { aadsts: 700027, message: `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(sha256 ?? sha1)}']` };
  }
  if (!signatureValid(jwt, certificate.key)) return { aadsts: 700027, message: 'Client assertion failed signature validation.' };
  if (String(jwt.payload['sub']).toLowerCase() !== clientId) return { aadsts: 700023, message: 'Client assertion subject must be the application\'s client id.' };
  const endpoints = tokenEndpoints.map((e) => e.toLowerCase());
  if (!audiences(jwt.payload).some((a) => endpoints.includes(a.toLowerCase()))) {
    return { aadsts: 700212, message: `The audience of the client assertion must be the token endpoint, one of ${tokenEndpoints.join(', ')}.` };
  }
  return timeRange(jwt.payload, nowSeconds);
}

function timeRange(payload: Record<string, unknown>, nowSeconds: number): AssertionRefusal | undefined {
  const exp = payload['exp'];
  const nbf = payload['nbf'];
  if (typeof exp !== 'number' || exp + SKEW_SECONDS < nowSeconds || (typeof nbf === 'number' && nbf - SKEW_SECONDS > nowSeconds)) {
    return { aadsts: 700024, message: 'Client assertion is not within its valid time range.' };
  }
  return undefined;
}

function audiences(payload: Record<string, unknown>): string[] {
  const aud = payload['aud'];
  return typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function signatureValid(jwt: ParsedJwt, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signedPart);
  switch (jwt.header['alg']) {
    case 'RS256':
      return verify('sha256', data, key, jwt.signature);
    case 'PS256':
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jwt.signature);
    default:
      return false;
  }
}

function parseJwt(text: string): ParsedJwt | undefined {
  const parts = text.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signedPart: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2] as string, 'base64url') };
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
