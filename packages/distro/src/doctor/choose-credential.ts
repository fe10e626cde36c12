import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { parseAuthenticationString } from '@appinsights-otel/core';
import { createClientSecretCredential } from '../config/create-client-secret-credential';
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
 * `authentication` block > none. Constructing it makes no network call.
 *
 * @throws ConfigError for a malformed auth string or an incomplete service principal.
 */
export function chooseCredential(settings: DoctorSettings, fileBlock: AuthenticationBlock | undefined): ChosenCredential {
  if (settings.authenticationString !== undefined) {
    const auth = parseAuthenticationString(settings.authenticationString);
    const which = auth.managedIdentity.kind === 'user-assigned' ? `user-assigned, client id ${auth.managedIdentity.clientId}` : 'system-assigned';
    return { credential: auth.getCredential(), description: `managed identity (${which}) from the authentication string` };
  }
  const spParts = [settings.tenantId, settings.clientId, settings.clientSecret];
  if (spParts.some((p) => p !== undefined)) {
    if (spParts.some((p) => p === undefined)) {
      return { description: 'incomplete service principal: tenant id, client id and client secret are all needed (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)' };
    }
    return {
      credential: createClientSecretCredential(settings.tenantId ?? '', settings.clientId ?? '', settings.clientSecret ?? '', settings.authorityHost),
      description: `service principal ${settings.clientId} in tenant ${settings.tenantId}${settings.authorityHost !== undefined ? ` via ${settings.authorityHost}` : ''}`,
    };
  }
  if (fileBlock?.enabled === true) {
    switch (fileBlock.type) {
      case 'SAMI':
        return { credential: new ManagedIdentityCredential(), description: 'managed identity (system-assigned) from the configuration file' };
      case 'UAMI':
        return { credential: new ManagedIdentityCredential({ clientId: fileBlock.clientId ?? '' }), description: `managed identity (user-assigned, client id ${fileBlock.clientId}) from the configuration file` };
      case 'CLIENTSECRET':
        return {
          credential: createClientSecretCredential(fileBlock.tenantId ?? '', fileBlock.clientId ?? '', fileBlock.clientSecret ?? '', settings.authorityHost),
          description: `service principal ${fileBlock.clientId} from the configuration file`,
        };
    }
  }
  return { description: 'none' };
}
