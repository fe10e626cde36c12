import type { EmulatorHandle } from '../start-emulator';

/** The lines the CLI prints once the emulator is up: connection string and ready-to-paste env lines. */
export function formatBanner(emu: EmulatorHandle): string {
  const lines: string[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try { return f(); } catch { return undefined; }
  };
  const mi = attempt(() => emu.managedIdentityEnv());
  const sp = attempt(() => emu.servicePrincipal());
  const noRole = attempt(() => emu.servicePrincipal('no-role'));
  const noRoleMi = attempt(() => emu.identity('no-role-identity'));
  lines.push(`Application Insights emulator listening on ${emu.ingestionUrl} (token issuer ${emu.authorityHost})`);
  lines.push('');
  lines.push(`APPLICATIONINSIGHTS_CONNECTION_STRING="${emu.connectionString()}"`);
  lines.push(`NODE_EXTRA_CA_CERTS="${emu.caCertPath}"`);
  if (mi) {
    lines.push('');
    lines.push('# managed identity (App Service style; requests without client_id get this identity, which has the roles):');
    lines.push(`IDENTITY_ENDPOINT="${mi.IDENTITY_ENDPOINT}"`);
    lines.push(`IDENTITY_HEADER="${mi.IDENTITY_HEADER}"`);
    lines.push('# then: new ManagedIdentityCredential(), or APPLICATIONINSIGHTS_AUTHENTICATION_STRING="Authorization=AAD" for useAzureMonitor() and the doctor');
    if (noRoleMi?.kind === 'managedIdentity') {
      lines.push(`# user-assigned managed identity WITHOUT any role (expect 403): APPLICATIONINSIGHTS_AUTHENTICATION_STRING="Authorization=AAD;ClientId=${noRoleMi.clientId}"`);
    }
  }
  lines.push('');
  lines.push('# Service principals: use ClientSecretCredential(tenantId, clientId, secret, { authorityHost, disableInstanceDiscovery: true }).');
  lines.push('# EnvironmentCredential/DefaultAzureCredential cannot disable instance discovery and would contact login.microsoftonline.com.');
  if (sp) {
    lines.push('# service principal with Monitoring Metrics Publisher and Reader on the first resource:');
    lines.push(`AZURE_TENANT_ID="${sp.tenantId}"`);
    lines.push(`AZURE_CLIENT_ID="${sp.clientId}"`);
    lines.push(`AZURE_CLIENT_SECRET="${sp.clientSecret}"`);
    lines.push(`AZURE_AUTHORITY_HOST="${sp.authorityHost}"`);
  }
  if (noRole) {
    lines.push('');
    lines.push('# service principal WITHOUT any role (expect 403); commented out so that pasting this block keeps the one above:');
    lines.push(`# AZURE_TENANT_ID="${noRole.tenantId}"`);
    lines.push(`# AZURE_CLIENT_ID="${noRole.clientId}"`);
    lines.push(`# AZURE_CLIENT_SECRET="${noRole.clientSecret}"`);
    lines.push(`# AZURE_AUTHORITY_HOST="${noRole.authorityHost}"`);
  }
  lines.push('');
  lines.push(`Query API: POST ${emu.queryEndpoint}/v1/apps/${emu.resource().applicationId}/query (audience https://api.applicationinsights.io)`);
  lines.push(`Chaos: POST ${emu.ingestionUrl}/admin/chaos  {"count":1,"status":503}`);
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
