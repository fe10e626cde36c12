import { diag, DiagLogLevel, SpanKind, trace, metrics } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { shutdownAzureMonitor, useAzureMonitor } from '@appinsights-otel/distro';

/**
 * useAzureMonitor() with the real exporters, in-process, against the emulator: one token for all
 * three signals, beforeExport can rewrite and drop, and shutdown delivers everything.
 */
describe('useAzureMonitor with the real exporters (emulator, Entra-only resource)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => { emulator = await startEmulator(); });
  afterAll(async () => { await emulator.close(); });
  afterEach(async () => {
    await shutdownAzureMonitor(5_000);
    diag.disable();
  });

  /** A counting credential handing out the emulator's tokens for the managed identity. */
  function countingCredential(): TokenCredential & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      async getToken(scopes: string | string[]): Promise<AccessToken> {
        const scope = Array.isArray(scopes) ? scopes[0] ?? '' : scopes;
        calls.push(scope);
        return { token: emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName, audience: scope }), expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  }

  it('delivers spans, logs and metrics with one token request, applying beforeExport', async () => {
    diag.setLogger({ error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.ERROR);
    const credential = countingCredential();
    useAzureMonitor({
      connectionString: emulator.connectionString(),
      credential,
      disableOfflineStorage: true,
      instrumentationOptions: { http: { enabled: false } },
      beforeExport: (envelope) => {
        if (envelope.data.baseType === 'RequestData' && envelope.data.baseData.name === 'GET /drop-me') return false;
        envelope.tags['ai.cloud.role'] = 'rewritten-by-hook';
        return true;
      },
    });

    const tracer = trace.getTracer('e2e');
    for (const route of ['/keep', '/drop-me']) {
      tracer.startActiveSpan(`GET ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': route, 'http.response.status_code': 200 } }, (span) => {
        logs.getLogger('e2e').emit({ body: `handled ${route}`, severityNumber: SeverityNumber.INFO });
        span.end();
      });
    }
    metrics.getMeter('e2e').createCounter('e2e.handled').add(2);
    await shutdownAzureMonitor(10_000);

    const requests = emulator.items('requests');
    expect(requests.map((r) => r['name'])).toEqual(['GET /keep']);
    expect(requests[0]!['cloud_RoleName']).toBe('rewritten-by-hook');
    expect(emulator.items('traces').map((t) => t['message']).sort()).toEqual(['handled /drop-me', 'handled /keep']);
    expect(emulator.items('customMetrics').filter((m) => m['name'] === 'e2e.handled').map((m) => m['value'])).toEqual([2]);
    // one token for traces, metrics and logs: the exporters share the credential's token provider
    expect(credential.calls).toEqual(['https://monitor.azure.com/.default']);
  });
});
