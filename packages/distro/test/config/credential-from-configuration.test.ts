import { describeCredential } from '@appinsights-otel/core';
import { credentialFromConfiguration } from '../../src/config/credential-from-configuration';
import { parseAuthentication, type AuthenticationBlock } from '../../src/config/read-configuration-file';
import { resolveExportTarget } from '../../src/config/resolve-export-target';
import { resolveSettings } from '../../src/config/resolve-settings';
import { chooseCredential } from '../../src/doctor/choose-credential';
import type { DoctorSettings } from '../../src/doctor/doctor-types';

const CLIENT = '0c0c0c0c-0000-4000-8000-0000000000aa';
const TENANT = '72f988bf-0000-4000-8000-00000000e0e0';
const AKS = { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT, AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' };
const block = (value: Record<string, unknown>): AuthenticationBlock => {
  const parsed = parseAuthentication({ enabled: true, ...value }, 'test file');
  if (parsed === undefined) throw new Error('no block');
  return parsed;
};

describe('configuration file authentication: WORKLOADIDENTITY and CLIENTCERTIFICATE', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
    ['workload identity from the AKS variables alone', { type: 'WORKLOADIDENTITY' }, AKS,
      `workload identity (client id ${CLIENT} from AZURE_CLIENT_ID, tenant ${TENANT} from AZURE_TENANT_ID, federated token file ${AKS.AZURE_FEDERATED_TOKEN_FILE} from AZURE_FEDERATED_TOKEN_FILE)`],
    ['workload identity: block values win over the variables', { type: 'workloadidentity', tokenFilePath: '/tokens/t' }, AKS,
      `workload identity (client id ${CLIENT} from AZURE_CLIENT_ID, tenant ${TENANT} from AZURE_TENANT_ID, federated token file /tokens/t from the configuration file's "authentication".tokenFilePath)`],
    ['certificate from the block, password from the variable (never shown)', { type: 'CLIENTCERTIFICATE', clientId: CLIENT, tenantId: TENANT, certificatePath: '/etc/sp.pem' },
      { AZURE_CLIENT_CERTIFICATE_PASSWORD: 's3cret' },
      `service principal ${CLIENT} (from the configuration file's "authentication".clientId) in tenant ${TENANT} (from the configuration file's "authentication".tenantId) with the certificate /etc/sp.pem (from the configuration file's "authentication".certificatePath), password from AZURE_CLIENT_CERTIFICATE_PASSWORD`],
  ])('%s', (_name, value, variables, description) => {
    const configured = credentialFromConfiguration(block(value), undefined, variables);
    expect(configured.description).toBe(description);
    expect(configured.description).not.toContain('s3cret');
    expect(describeCredential(configured.credential)).toBe('service-principal');
  });

  it('names the authority host when it is set', () => {
    expect(credentialFromConfiguration(block({ type: 'WORKLOADIDENTITY' }), 'https://localhost:4443', AKS).description).toMatch(/ via https:\/\/localhost:4443$/);
  });

  it.each<[Record<string, unknown>, Record<string, string>, string]>([
    [{ type: 'WORKLOADIDENTITY' }, { AZURE_CLIENT_ID: CLIENT, AZURE_TENANT_ID: TENANT },
      '"authentication" of type WORKLOADIDENTITY needs tokenFilePath: set "authentication".tokenFilePath in the configuration file or the AZURE_FEDERATED_TOKEN_FILE environment variable'],
    [{ type: 'CLIENTCERTIFICATE', certificatePath: '/etc/sp.pem' }, { AZURE_TENANT_ID: TENANT },
      '"authentication" of type CLIENTCERTIFICATE needs clientId: set "authentication".clientId in the configuration file or the AZURE_CLIENT_ID environment variable'],
  ])('a missing value names the key and the variable: %j', (value, variables, message) => {
    expect(() => credentialFromConfiguration(block(value), undefined, variables)).toThrow(message);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [{ type: 'CLIENTCERTIFICATE', certificatePassword: 'x' }, /certificatePassword is not read from the file .* AZURE_CLIENT_CERTIFICATE_PASSWORD/],
    [{ type: 'WORKLOADIDENTITY', clientId: 'not-a-guid' }, /clientId must be a GUID/],
    [{ type: 'KERBEROS' }, /"WORKLOADIDENTITY" \(AKS workload identity\) or "CLIENTCERTIFICATE"/],
  ])('the file is refused, naming the key: %j', (value, message) => {
    expect(() => parseAuthentication({ enabled: true, ...value }, 'test file')).toThrow(message);
  });

  it('useAzureMonitor()\'s resolution: the file and the AKS variables give a lazy credential, described; a missing value turns export off', () => {
    const content = JSON.stringify({ connectionString: 'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=http://127.0.0.1:9/', authentication: { enabled: true, type: 'WORKLOADIDENTITY' } });
    const target = resolveExportTarget(resolveSettings({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: content, ...AKS }));
    expect(target).toMatchObject({ exportEnabled: true, credentialSource: 'configuration file', credentialDescription: expect.stringContaining('workload identity') });
    const missing = resolveExportTarget(resolveSettings({}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: content }));
    expect(missing).toEqual({ exportEnabled: false, reason: expect.stringMatching(/needs clientId: .* AZURE_CLIENT_ID environment variable; telemetry export is off$/) });
  });

  describe('the doctor', () => {
    const settings: DoctorSettings = { noSend: false, json: false, timeoutMillis: 1_000, tenantId: TENANT, clientId: CLIENT };

    it('explains the credential it built from the file and where each part came from (AKS variables are not an incomplete service principal)', () => {
      const chosen = chooseCredential(settings, block({ type: 'WORKLOADIDENTITY' }), AKS);
      expect(chosen.credential).toBeDefined();
      expect(chosen.description).toBe(`workload identity (client id ${CLIENT} from AZURE_CLIENT_ID, tenant ${TENANT} from AZURE_TENANT_ID, `
        + `federated token file ${AKS.AZURE_FEDERATED_TOKEN_FILE} from AZURE_FEDERATED_TOKEN_FILE), from the configuration file's "authentication" (type WORKLOADIDENTITY)`);
    });

    it('without a file credential, tenant and client alone are still an incomplete service principal', () => {
      expect(chooseCredential(settings, undefined).description).toMatch(/^incomplete service principal/);
    });
  });
});
