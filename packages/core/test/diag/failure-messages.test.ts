import {
  describeIdentity, disallowedRedirectMessage, entraOnlyResourceMessage, insecureBearerMessage, missingRoleMessage,
  redirectLimitMessage, tokenRejectedMessage,
} from '../../src/diag/failure-messages';

describe('failure messages', () => {
  it('400-auth / 401 without token: says how to send Entra-authenticated telemetry', () => {
    expect(entraOnlyResourceMessage()).toContain(
      'this resource accepts only Microsoft Entra ID authenticated telemetry: pass `credential` or set APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
  });

  it('401: names the scope and audience used and the cloud rule', () => {
    const message = tokenRejectedMessage('https://monitor.azure.com/.default', { aud: 'https://monitor.azure.com' });
    expect(message).toContain('scope https://monitor.azure.com/.default (token audience https://monitor.azure.com)');
    expect(message).toContain('must match the cloud');
    expect(message).toContain('AADAudience');
    expect(tokenRejectedMessage(undefined, undefined)).toContain('scope (unknown)');
  });

  it('403: names the identity and the missing role', () => {
    expect(missingRoleMessage({ appid: 'a1', oid: 'o1', tid: 't1', aud: 'x' })).toMatch(
      /^identity appid=a1 oid=o1 tid=t1 lacks the Monitoring Metrics Publisher role on this Application Insights resource/);
    expect(missingRoleMessage(undefined)).toMatch(/^the identity \(token payload unreadable\) lacks the Monitoring Metrics Publisher role/);
    expect(describeIdentity({ oid: 'o' })).toBe('identity oid=o');
  });

  it('security and redirect messages say what to check', () => {
    expect(insecureBearerMessage('http://x.example')).toContain('use an https ingestion endpoint');
    expect(disallowedRedirectMessage(308, 'https://evil.example')).toContain('redirected (308) to https://evil.example');
    expect(disallowedRedirectMessage(308, 'https://evil.example')).toContain('no token sent');
    expect(redirectLimitMessage(10)).toContain('more than 10 times');
  });
});
