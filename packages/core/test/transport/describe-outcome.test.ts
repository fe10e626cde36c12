import { AuthError, ConfigError, CredentialAuthenticationError, TransportError } from '../../src/errors';
import { describeOutcome, type DiagnosticContext } from '../../src/transport/describe-outcome';
import { urlForLog } from '../../src/diag/diagnostic-event';
import { maskInstrumentationKey } from '../../src/diag/mask-instrumentation-key';
import { redactSecrets } from '../../src/diag/redact-secrets';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ctx: DiagnosticContext = {
  signal: 'metrics', instrumentationKey: IKEY, configuredEndpoint: 'https://westus2-1.in.applicationinsights.azure.com/',
  actualUrl: 'https://eastus-8.in.applicationinsights.azure.com/v2.1/track?sig=abc', statusCode: 403, itemCount: 12,
};

describe('describeOutcome', () => {
  it('returns nothing for success', () => {
    expect(describeOutcome({ status: 'success', itemCount: 1 }, ctx)).toBeUndefined();
  });

  it('names signal, status, masked ikey, configured and actual endpoint, and what happened to the items', () => {
    const event = describeOutcome({ status: 'auth-failed', error: new AuthError('identity appid=a lacks the role', 403) }, ctx);
    expect(event).toEqual({
      causeKey: 'metrics:AI_AUTH:403:',
      level: 'error',
      message: '[metrics] identity appid=a lacks the role | status 403, ikey 0f1e2d3c..., endpoint https://westus2-1.in.applicationinsights.azure.com/ ' +
        '(sent to https://eastus-8.in.applicationinsights.azure.com/v2.1/track) | 12 item(s) kept (queued), retried with slow backoff',
    });
    expect(event?.message).not.toContain(IKEY);
    expect(event?.message).not.toContain('sig=abc');
  });

  it.each<[string, Parameters<typeof describeOutcome>[0], string, string]>([
    ['retryable', { status: 'retryable', error: new TransportError('ingestion answered 503', { statusCode: 503 }) }, 'metrics:retryable:403', '12 item(s) queued: retried from the offline queue with backoff'],
    ['pause', { status: 'retryable', pause: true, retryAfterMillis: 300_000, error: new TransportError('quota', { statusCode: 439 }) }, 'metrics:paused:403', '12 item(s) queued; sending paused for 300 s'],
    ['failure', { status: 'failure', error: new TransportError('refused', { statusCode: 400 }) }, 'metrics:failure:403', '12 item(s) dropped'],
    ['partial', { status: 'partial', accepted: 9, retryIndexes: [1, 2], dropped: 1, reasons: ['400: bad field'] }, 'metrics:partial', '9 accepted, 2 queued for retry, 1 dropped'],
  ])('describes %s', (_name, outcome, causeKey, items) => {
    const event = describeOutcome(outcome, ctx);
    expect(event?.causeKey).toBe(causeKey);
    expect(event?.message.endsWith(items)).toBe(true);
  });

  it('uses the error status when no response status is known, and says when no request was sent', () => {
    const noResponse: DiagnosticContext = { signal: ctx.signal, instrumentationKey: IKEY, configuredEndpoint: ctx.configuredEndpoint, itemCount: 12 };
    const event = describeOutcome({ status: 'auth-failed', error: new CredentialAuthenticationError('refused (AADSTS7000215)', 'AADSTS7000215') }, noResponse);
    expect(event?.causeKey).toBe('metrics:AI_CREDENTIAL_FAILED::AADSTS7000215');
    expect(event?.message).toContain('status none');
    expect(event?.message).toContain('(no request sent)');
    const config = describeOutcome({ status: 'auth-failed', error: new ConfigError('plain http') }, noResponse);
    expect(config?.causeKey).toBe('metrics:AI_CONFIG::');
  });

  it('redacts anything token-shaped that slipped into a message', () => {
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';
    const event = describeOutcome({ status: 'failure', error: new TransportError(`bad ${jwt} Bearer abc.def client_secret=hunter2`) }, ctx);
    expect(event?.message).not.toContain(jwt);
    expect(event?.message).not.toContain('hunter2');
    expect(event?.message).not.toContain('abc.def');
  });
});

describe('helpers', () => {
  it('masks an ikey to its first 8 characters', () => {
    expect(maskInstrumentationKey(IKEY)).toBe('0f1e2d3c...');
  });
  it('logs URLs without query', () => {
    expect(urlForLog('https://h/p?q=secret')).toBe('https://h/p');
    expect(urlForLog('::')).toBe('(invalid url)');
  });
  it('redactSecrets flattens lines and keeps ordinary text', () => {
    expect(redactSecrets('line one\r\n  line two password: pw123 Authorization=AAD')).toBe('line one line two password:[redacted] Authorization=AAD');
  });
});
