import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { createLazyCredential } from '../../src/auth/create-lazy-credential';
import { describeCredential } from '../../src/auth/describe-credential';

const TOKEN: AccessToken = { token: 't', expiresOnTimestamp: 4_102_444_800_000 };

describe('createLazyCredential', () => {
  it('builds the credential on the first getToken(), once, and forwards scopes and options', async () => {
    const inner = { getToken: jest.fn(async () => TOKEN) };
    const factory = jest.fn(() => inner);
    const lazy = createLazyCredential(factory, 'managed-identity');
    expect(factory).not.toHaveBeenCalled();
    await expect(lazy.getToken('scope-a', { claims: 'c' })).resolves.toBe(TOKEN);
    await lazy.getToken(['scope-b']);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(inner.getToken).toHaveBeenNthCalledWith(1, 'scope-a', { claims: 'c' });
    expect(inner.getToken).toHaveBeenNthCalledWith(2, ['scope-b'], undefined);
  });

  it('surfaces a factory error from getToken() and tries again next time', async () => {
    const factory = jest.fn<TokenCredential, []>()
      .mockImplementationOnce(() => { throw new Error('bad options'); })
      .mockImplementation(() => ({ getToken: async () => TOKEN }));
    const lazy = createLazyCredential(factory, 'other');
    await expect(lazy.getToken('s')).rejects.toThrow('bad options');
    await expect(lazy.getToken('s')).resolves.toBe(TOKEN);
    expect(factory).toHaveBeenCalledTimes(2);
  });
});

describe('describeCredential', () => {
  it.each<[string, () => TokenCredential, string]>([
    // Constructing these contacts nothing; getToken is never called here.
    ['ManagedIdentityCredential', () => new ManagedIdentityCredential({ clientId: '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b' }), 'managed-identity'],
    ['ClientSecretCredential', () => new ClientSecretCredential('72f988bf-86f1-41af-91ab-2d7cd011db47', '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b', 'not-a-real-secret'), 'service-principal'],
    ['a lazy managed identity', () => createLazyCredential(() => ({ getToken: async () => TOKEN }), 'managed-identity'), 'managed-identity'],
    ['a lazy service principal', () => createLazyCredential(() => ({ getToken: async () => TOKEN }), 'service-principal'), 'service-principal'],
    ['a plain object', () => ({ getToken: async () => TOKEN }), 'other'],
    ['a class named AzureCliCredential', () => new (class AzureCliCredential { async getToken() { return TOKEN; } })(), 'developer'],
  ])('%s is %s', (_name, make, kind) => {
    expect(describeCredential(make())).toBe(kind);
  });
});
