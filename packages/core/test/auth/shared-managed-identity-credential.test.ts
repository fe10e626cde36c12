import { ManagedIdentityCredential } from '@azure/identity';
import { parseAuthenticationString } from '../../src/auth/parse-authentication-string';
import { sharedManagedIdentityCredential } from '../../src/auth/shared-managed-identity-credential';
import { describeCredential } from '../../src/auth/describe-credential';

jest.mock('@azure/identity', () => ({
  ManagedIdentityCredential: jest.fn().mockImplementation(() => ({
    getToken: jest.fn(async () => ({ token: 'mi', expiresOnTimestamp: Date.now() + 3_600_000 })),
  })),
}));

const ManagedIdentityCredentialMock = ManagedIdentityCredential as unknown as jest.Mock;
const CLIENT_ID = '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b';

describe('sharedManagedIdentityCredential', () => {
  it('returns one lazy credential per identity, across separate parses', async () => {
    const system1 = sharedManagedIdentityCredential(parseAuthenticationString('Authorization=AAD'));
    const system2 = sharedManagedIdentityCredential(parseAuthenticationString(' authorization=aad ;'));
    const user1 = sharedManagedIdentityCredential(parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID}`));
    const user2 = sharedManagedIdentityCredential(parseAuthenticationString(`Authorization=AAD;ClientId=${CLIENT_ID.toUpperCase()}`));
    expect(system1).toBe(system2);
    expect(user1).toBe(user2);
    expect(user1).not.toBe(system1);
    expect(describeCredential(system1)).toBe('managed-identity');
    expect(ManagedIdentityCredentialMock).not.toHaveBeenCalled();
    await system1.getToken('https://monitor.azure.com/.default');
    await system2.getToken('https://monitor.azure.com/.default');
    await user2.getToken('https://monitor.azure.com/.default');
    expect(ManagedIdentityCredentialMock.mock.calls).toEqual([[], [{ clientId: CLIENT_ID }]]);
  });
});
