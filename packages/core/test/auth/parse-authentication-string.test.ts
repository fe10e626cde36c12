import { ManagedIdentityCredential } from '@azure/identity';
import { ConfigError } from '../../src/errors';
import { parseAuthenticationString } from '../../src/auth/parse-authentication-string';

jest.mock('@azure/identity', () => ({
  ManagedIdentityCredential: jest.fn().mockImplementation(() => ({ getToken: jest.fn() })),
}));

const ManagedIdentityCredentialMock = ManagedIdentityCredential as unknown as jest.Mock;
const CLIENT_ID = '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b';

describe('parseAuthenticationString', () => {
  beforeEach(() => ManagedIdentityCredentialMock.mockClear());

  it.each<[string, string, unknown]>([
    ['system-assigned', 'Authorization=AAD', { kind: 'system-assigned' }],
    ['system-assigned, any case and spacing', ' authorization = aad ;', { kind: 'system-assigned' }],
    ['user-assigned', `Authorization=AAD;ClientId=${CLIENT_ID}`, { kind: 'user-assigned', clientId: CLIENT_ID }],
    ['user-assigned, keys in any order and case', `CLIENTID=${CLIENT_ID.toUpperCase()};;AUTHORIZATION=AAD`, { kind: 'user-assigned', clientId: CLIENT_ID }],
  ])('parses %s', (_name, raw, identity) => {
    expect(parseAuthenticationString(raw).managedIdentity).toEqual(identity);
  });

  it.each([
    ['empty', '', /is empty/],
    ['blank', '  ', /is empty/],
    ['no Authorization', `ClientId=${CLIENT_ID}`, /has no Authorization/],
    ['unsupported Authorization', 'Authorization=Basic', /unsupported Authorization value/],
    ['empty Authorization', 'Authorization=', /unsupported Authorization value/],
    ['ClientId not a GUID', 'Authorization=AAD;ClientId=my-identity', /ClientId that is not a GUID/],
    ['empty ClientId', 'Authorization=AAD;ClientId=', /ClientId that is not a GUID/],
    ['unknown key', 'Authorization=AAD;TenantId=abc', /segment 2 has an unsupported key/],
    ['client secret form (not supported here)', `Authorization=AAD;ClientId=${CLIENT_ID};ClientSecret=hunter2hunter2`, /segment 3 has an unsupported key/],
    ['no =', 'AAD', /segment 1 is not key=value/],
    ['repeated Authorization', 'Authorization=AAD;Authorization=AAD', /segment 2 repeats Authorization/],
    ['repeated ClientId', `Authorization=AAD;ClientId=${CLIENT_ID};ClientId=${CLIENT_ID}`, /segment 3 repeats ClientId/],
  ])('rejects %s with a ConfigError saying what is accepted', (_name, raw, message) => {
    let thrown: unknown;
    try {
      parseAuthenticationString(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
    expect(text).toContain('"Authorization=AAD"');
    expect(text).toContain('"Authorization=AAD;ClientId=<client id GUID>"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(CLIENT_ID);
    expect(text).not.toContain('my-identity');
  });

  it('creates no credential at parse time', () => {
    parseAuthenticationString('Authorization=AAD');
    parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID}`);
    expect(ManagedIdentityCredentialMock).not.toHaveBeenCalled();
  });

  it('creates a system-assigned ManagedIdentityCredential once, on first use', () => {
    const auth = parseAuthenticationString('Authorization=AAD');
    const first = auth.getCredential();
    const second = auth.getCredential();
    expect(first).toBe(second);
    expect(ManagedIdentityCredentialMock).toHaveBeenCalledTimes(1);
    expect(ManagedIdentityCredentialMock).toHaveBeenCalledWith();
  });

  it('creates a user-assigned ManagedIdentityCredential with the client id', () => {
    const auth = parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID.toUpperCase()}`);
    auth.getCredential();
    auth.getCredential();
    expect(ManagedIdentityCredentialMock).toHaveBeenCalledTimes(1);
    expect(ManagedIdentityCredentialMock).toHaveBeenCalledWith({ clientId: CLIENT_ID });
  });
});
