import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { ConfigError } from '../../src/errors';
import { resolveConfig } from '../../src/config/resolve-config';

jest.mock('@azure/identity', () => ({
  ManagedIdentityCredential: jest.fn().mockImplementation(() => ({
    getToken: jest.fn(async () => ({ token: 'mi-token', expiresOnTimestamp: Date.now() + 3_600_000 })),
  })),
}));

const ManagedIdentityCredentialMock = ManagedIdentityCredential as unknown as jest.Mock;
const IKEY = '3a5b9c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d';
const OTHER_IKEY = '11111111-2222-4333-8444-555555555555';
const CS = `InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`;
const CLIENT_ID = '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b';

function fakeCredential(): TokenCredential {
  return { getToken: jest.fn(async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 })) };
}

function isDeepFrozen(value: unknown, skip: ReadonlySet<unknown>): boolean {
  if (typeof value !== 'object' || value === null || skip.has(value)) return true;
  return Object.isFrozen(value) && Object.values(value).every((v) => isDeepFrozen(v, skip));
}

describe('resolveConfig', () => {
  beforeEach(() => ManagedIdentityCredentialMock.mockClear());

  it('applies every default', () => {
    const config = resolveConfig({ connectionString: CS }, {});
    expect(config).toEqual({
      connectionString: { instrumentationKey: IKEY, ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com' },
      instrumentationKey: IKEY,
      ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com',
      scope: 'https://monitor.azure.com/.default',
      storage: {
        disabled: false,
        directory: join(tmpdir(), `appinsights-otel-${process.getuid?.() ?? ''}`.replace(/-$/, ''),
          createHash('sha256').update(`${IKEY}https://westeurope-5.in.applicationinsights.azure.com`).digest('hex')),
        requirePrivate: true,
        maxBytes: 50 * 1024 * 1024,
        maxAgeMillis: 48 * 3_600_000,
      },
      exportTimeoutMillis: 30_000,
      requestTimeoutMillis: 30_000,
      gzip: true,
      persistBeforeSend: false,
    });
  });

  it('returns a deeply frozen result but leaves the caller\'s credential alone', () => {
    const credential = fakeCredential();
    const config = resolveConfig({ connectionString: CS, credential }, {});
    expect(isDeepFrozen(config, new Set([credential]))).toBe(true);
    expect(config.credential).toBe(credential);
    expect(Object.isFrozen(credential)).toBe(false);
  });

  it('takes every option over the defaults', () => {
    const config = resolveConfig({
      connectionString: CS, audience: 'https://monitor.azure.us/', storageDirectory: 'relative/dir', disableOfflineStorage: true,
      storageMaxBytes: 1024, storageMaxAgeMillis: 60_000, exportTimeoutMillis: 5_000, requestTimeoutMillis: 2_000, gzip: false,
      persistBeforeSend: true,
    }, {});
    expect(config).toMatchObject({
      scope: 'https://monitor.azure.us/.default',
      storage: { disabled: true, maxBytes: 1024, maxAgeMillis: 60_000, requirePrivate: false },
      exportTimeoutMillis: 5_000, requestTimeoutMillis: 2_000, gzip: false, persistBeforeSend: true,
    });
    expect(isAbsolute(config.storage.directory)).toBe(true);
    expect(config.storage.directory.endsWith(join('relative', 'dir'))).toBe(true);
  });

  it.each(['path', 'spanName'] as const)('keeps requestNameSource %s', (requestNameSource) => {
    expect(resolveConfig({ connectionString: CS, requestNameSource }, {}).requestNameSource).toBe(requestNameSource);
  });

  it('uses a different default storage directory per instrumentation key and endpoint', () => {
    const a = resolveConfig({ connectionString: CS }, {}).storage.directory;
    const b = resolveConfig({ connectionString: `InstrumentationKey=${OTHER_IKEY}` }, {}).storage.directory;
    const c = resolveConfig({ connectionString: `InstrumentationKey=${IKEY}` }, {}).storage.directory;
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).not.toContain(IKEY);
  });

  describe('connection string', () => {
    it('prefers the option over the environment', () => {
      const config = resolveConfig({ connectionString: CS }, { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${OTHER_IKEY}` });
      expect(config.instrumentationKey).toBe(IKEY);
    });

    it('falls back to APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
      expect(resolveConfig({}, { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${OTHER_IKEY}` }).instrumentationKey).toBe(OTHER_IKEY);
    });

    it('treats a blank option as absent', () => {
      expect(resolveConfig({ connectionString: '  ' }, { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${OTHER_IKEY}` }).instrumentationKey).toBe(OTHER_IKEY);
    });

    it.each([
      ['no option and no variable', {}, {}],
      ['a blank variable', {}, { APPLICATIONINSIGHTS_CONNECTION_STRING: '' }],
    ])('with %s throws a ConfigError naming the option and the variable', (_name, options, env) => {
      expect(() => resolveConfig(options, env)).toThrow(ConfigError);
      expect(() => resolveConfig(options, env)).toThrow(/connectionString option.*APPLICATIONINSIGHTS_CONNECTION_STRING/);
    });

    it.each([
      ['the option', { connectionString: 'InstrumentationKey=S3CR3T-not-a-guid' }, {}, /^the connectionString option: connection string segment 1 \(InstrumentationKey\) is not a GUID$/],
      ['the variable', {}, { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=S3CR3T-not-a-guid' }, /^APPLICATIONINSIGHTS_CONNECTION_STRING: connection string segment 1/],
    ])('says a malformed string came from %s, without echoing it', (_name, options, env, message) => {
      let thrown: unknown;
      try {
        resolveConfig(options, env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain('S3CR3T');
    });
  });

  describe('credential', () => {
    it('has none without the option or the authentication string', () => {
      const config = resolveConfig({ connectionString: CS }, {});
      expect(config.credential).toBeUndefined();
      expect(config.credentialSource).toBeUndefined();
    });

    it('prefers the credential option over the authentication string (which is then not parsed)', () => {
      const credential = fakeCredential();
      const config = resolveConfig({ connectionString: CS, credential }, { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'garbage' });
      expect(config.credential).toBe(credential);
      expect(config.credentialSource).toBe('option');
      expect(ManagedIdentityCredentialMock).not.toHaveBeenCalled();
    });

    it('rejects a credential option without getToken', () => {
      expect(() => resolveConfig({ connectionString: CS, credential: {} as TokenCredential }, {})).toThrow(/TokenCredential/);
    });

    it('uses the system-assigned identity from the authentication string, created lazily and shared', async () => {
      const env = { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' };
      const a = resolveConfig({ connectionString: CS }, env);
      const b = resolveConfig({ connectionString: `InstrumentationKey=${OTHER_IKEY}` }, env);
      expect(a.credentialSource).toBe('authentication-string');
      expect(a.managedIdentity).toEqual({ kind: 'system-assigned' });
      expect(a.credential).toBe(b.credential); // one credential object -> one shared token provider
      expect(ManagedIdentityCredentialMock).not.toHaveBeenCalled();
      await expect(a.credential?.getToken('https://monitor.azure.com/.default')).resolves.toMatchObject({ token: 'mi-token' });
      await b.credential?.getToken('https://monitor.azure.com/.default');
      expect(ManagedIdentityCredentialMock).toHaveBeenCalledTimes(1);
      expect(ManagedIdentityCredentialMock).toHaveBeenCalledWith();
    });

    it('uses the user-assigned identity from the authentication string', async () => {
      const config = resolveConfig({ connectionString: CS }, { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${CLIENT_ID}` });
      expect(config.managedIdentity).toEqual({ kind: 'user-assigned', clientId: CLIENT_ID });
      const system = resolveConfig({ connectionString: CS }, { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' });
      expect(config.credential).not.toBe(system.credential);
      await config.credential?.getToken('https://monitor.azure.com/.default');
      expect(ManagedIdentityCredentialMock).toHaveBeenCalledWith({ clientId: CLIENT_ID });
    });

    it('rejects a malformed authentication string', () => {
      expect(() => resolveConfig({ connectionString: CS }, { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Basic' }))
        .toThrow(ConfigError);
    });
  });

  describe('scope', () => {
    it.each<[string, Parameters<typeof resolveConfig>[0], string]>([
      ['public default', { connectionString: CS }, 'https://monitor.azure.com/.default'],
      ['AADAudience', { connectionString: `${CS};AADAudience=https://monitor.azure.us/` }, 'https://monitor.azure.us/.default'],
      ['China ingestion', { connectionString: `InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn` }, 'https://monitor.azure.cn/.default'],
      ['audience option over AADAudience', { connectionString: `${CS};AADAudience=https://monitor.azure.us/`, audience: 'https://monitor.azure.cn' }, 'https://monitor.azure.cn/.default'],
      ['scope option', { connectionString: CS, scope: 'https://monitor.azure.us/.default' }, 'https://monitor.azure.us/.default'],
      ['agreeing audience and scope', { connectionString: CS, scope: 'https://monitor.azure.us/.default', audience: 'https://monitor.azure.us' }, 'https://monitor.azure.us/.default'],
    ])('%s', (_name, options, scope) => {
      expect(resolveConfig(options, {}).scope).toBe(scope);
    });

    it.each<[string, Parameters<typeof resolveConfig>[0], RegExp]>([
      ['non-URL audience', { connectionString: CS, audience: 'monitor' }, /the audience option is not an absolute URL/],
      ['empty scope', { connectionString: CS, scope: '' }, /the scope option must be a non-empty string/],
      ['disagreeing audience and scope', { connectionString: CS, audience: 'https://monitor.azure.com', scope: 'https://monitor.azure.us/.default' }, /different resources/],
    ])('rejects a %s', (_name, options, message) => {
      expect(() => resolveConfig(options, {})).toThrow(message);
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['storageMaxBytes zero', { storageMaxBytes: 0 }],
    ['storageMaxBytes NaN', { storageMaxBytes: Number.NaN }],
    ['storageMaxAgeMillis negative', { storageMaxAgeMillis: -1 }],
    ['exportTimeoutMillis infinite', { exportTimeoutMillis: Number.POSITIVE_INFINITY }],
    ['requestTimeoutMillis a string', { requestTimeoutMillis: '30000' }],
    ['gzip a string', { gzip: 'yes' }],
    ['persistBeforeSend a string', { persistBeforeSend: 'yes' }],
    ['disableOfflineStorage a number', { disableOfflineStorage: 1 }],
    ['storageDirectory empty', { storageDirectory: '' }],
    ['requestNameSource unknown', { requestNameSource: 'route' }],
    ['connectionString not a string', { connectionString: 42 }],
  ])('rejects %s with a ConfigError naming the option', (name, bad) => {
    const option = name.split(' ')[0] as string;
    expect(() => resolveConfig({ connectionString: CS, ...bad } as Parameters<typeof resolveConfig>[0], {}))
      .toThrow(new RegExp(`the ${option} option`));
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveConfig(null as unknown as Parameters<typeof resolveConfig>[0], {})).toThrow(ConfigError);
  });

  it('reads process.env by default', () => {
    const saved = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = `InstrumentationKey=${OTHER_IKEY}`;
    try {
      expect(resolveConfig().instrumentationKey).toBe(OTHER_IKEY);
    } finally {
      if (saved === undefined) delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
      else process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = saved;
    }
  });
});
