import type { EmulatorHandle, ServicePrincipalDetails } from '../start-emulator';

/** First line of the block of `export` lines that the banner prints for pasting into a shell. */
export const PASTE_BLOCK_HEADING = '# Paste into a POSIX shell (bash, zsh) to point apps, the doctor and tests at this emulator:';

/** A value as a single-quoted POSIX shell word. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function exportLine(name: string, value: string): string {
  return `export ${name}=${shellQuote(value)}`;
}

function principalLines(label: string, sp: ServicePrincipalDetails): string[] {
  return [
    `  ${label}`,
    `    tenantId ${sp.tenantId}  clientId ${sp.clientId}  clientSecret ${sp.clientSecret}`,
    `    authorityHost ${sp.authorityHost}`,
  ];
}

/**
 * The lines the CLI prints once the emulator is up: where it listens, the certificate path, a block
 * of `export` lines to paste, and the service principals shown apart. The principals are never
 * exported: EnvironmentCredential and DefaultAzureCredential would take AZURE_CLIENT_ID/SECRET/TENANT_ID
 * to the public authority (login.microsoftonline.com), because they cannot turn instance discovery off.
 */
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
  lines.push(`Token issuer certificate (this instance only, removed on stop): ${emu.caCertPath}`);
  lines.push(`Inspector (open in a browser): ${emu.inspectorUrl}   scripted changes send X-Inspector-Secret: ${emu.inspectorSecret}`);
  lines.push('');
  lines.push(PASTE_BLOCK_HEADING);
  lines.push(exportLine('APPLICATIONINSIGHTS_CONNECTION_STRING', emu.connectionString()));
  lines.push(exportLine('NODE_EXTRA_CA_CERTS', emu.caCertPath));
  if (mi) {
    lines.push('# managed identity (App Service style); requests without client_id get this identity, which has the roles:');
    lines.push(exportLine('IDENTITY_ENDPOINT', mi.IDENTITY_ENDPOINT));
    lines.push(exportLine('IDENTITY_HEADER', mi.IDENTITY_HEADER));
    lines.push(exportLine('APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'Authorization=AAD'));
    if (noRoleMi?.kind === 'managedIdentity') {
      lines.push(`# user-assigned managed identity WITHOUT any role (expect 403): APPLICATIONINSIGHTS_AUTHENTICATION_STRING='Authorization=AAD;ClientId=${noRoleMi.clientId}'`);
    }
  }
  if (sp || noRole) {
    lines.push('');
    lines.push('Service principals (deliberately not exported: EnvironmentCredential and DefaultAzureCredential would send');
    lines.push('AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID to login.microsoftonline.com). Use them in code only as');
    lines.push('  new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost, disableInstanceDiscovery: true })');
    if (sp) lines.push(...principalLines('with Monitoring Metrics Publisher and Reader on the first resource:', sp));
    if (noRole) lines.push(...principalLines('WITHOUT any role (expect 403):', noRole));
  }
  lines.push('');
  lines.push(`Query API: POST ${emu.queryEndpoint}/v1/apps/${emu.resource().applicationId}/query (audience https://api.applicationinsights.io)`);
  lines.push(`Chaos: POST ${emu.ingestionUrl}/admin/chaos  {"count":1,"status":503}`);
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
