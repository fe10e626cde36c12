import type { TokenCredential } from '@azure/core-auth';
import { parseAuthenticationString } from '@appinsights-otel/core';
import { createClientSecretCredential } from '../config/create-client-secret-credential';
import { credentialFromConfiguration, type IdentityVariables } from '../config/credential-from-configuration';
import type { AuthenticationBlock } from '../config/read-configuration-file';
import type { DoctorSettings } from './doctor-types';

/** The credential the doctor will try, and how to describe it. */
export interface ChosenCredential {
  readonly credential?: TokenCredential;
  /** e.g. `managed identity (system-assigned) from APPLICATIONINSIGHTS_AUTHENTICATION_STRING`. */
  readonly description: string;
}

/**
 * Chooses the credential like the distro does, plus the service principal variables:
 * auth string (managed identity) > tenant/client/secret (service principal) > configuration file
 * `authentication` block (built as the distro builds it, described with where each part came
 * from) > none. Constructing it makes no network call.
 *
 * @param variables - The standard Azure identity variables (a file credential of type
 *   `WORKLOADIDENTITY` or `CLIENTCERTIFICATE` may take its values from them).
 * @throws ConfigError for a malformed auth string, an incomplete service principal, or a file
 *   credential missing a value.
 */
export function chooseCredential(settings: DoctorSettings, fileBlock: AuthenticationBlock | undefined, variables: IdentityVariables = {}): ChosenCredential {
  if (settings.authenticationString !== undefined) {
    const auth = parseAuthenticationString(settings.authenticationString);
    const which = auth.managedIdentity.kind === 'user-assigned' ? `user-assigned, client id ${auth.managedIdentity.clientId}` : 'system-assigned';
    return { credential: auth.getCredential(), description: `managed identity (${which}) from the authentication string` };
  }
  const spParts = [settings.tenantId, settings.clientId, settings.clientSecret];
  // AZURE_TENANT_ID and AZURE_CLIENT_ID alone are also what workload identity and certificates use:
  // a configuration file credential that needs them is not an incomplete service principal
  const fileUsesIdentityVariables = fileBlock?.enabled === true && (fileBlock.type === 'WORKLOADIDENTITY' || fileBlock.type === 'CLIENTCERTIFICATE');
  if (spParts.some((p) => p !== undefined) && !(fileUsesIdentityVariables && settings.clientSecret === undefined)) {
    if (spParts.some((p) => p === undefined)) {
      return { description: 'incomplete service principal: tenant id, client id and client secret are all needed (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)' };
    }
    return {
      credential: createClientSecretCredential(settings.tenantId ?? '', settings.clientId ?? '', settings.clientSecret ?? '', settings.authorityHost),
      description: `service principal ${settings.clientId} in tenant ${settings.tenantId}${settings.authorityHost !== undefined ? ` via ${settings.authorityHost}` : ''}`,
    };
  }
  if (fileBlock?.enabled === true) {
    const configured = credentialFromConfiguration(fileBlock, settings.authorityHost, variables);
    return { credential: configured.credential, description: `${configured.description}, from the configuration file's "authentication" (type ${fileBlock.type})` };
  }
  return { description: 'none' };
}
