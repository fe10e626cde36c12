import { diag, DiagLogLevel, SpanKind } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { DEFAULT_IDS, startEmulator } from '@appinsights-otel/emulator';
import type { EmulatorHandle } from '@appinsights-otel/emulator';

// The product's promise, end to end: our exporter against a local resource with local auth
// disabled. Each misconfiguration a user meets gives one visible line that names the fix, the
// batch is kept (queued: SUCCESS, as for any queued batch, without the SDK's per-export error
// line), and the right configuration delivers.

function captureDiag(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const push = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
  const logger: DiagLogger = { error: push, warn: push, info: push, debug: () => undefined, verbose: () => undefined };
  diag.setLogger(logger, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  return { lines, restore: () => diag.disable() };
}

function someSpans(count = 2): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('auth-e2e');
  for (let i = 0; i < count; i++) {
    tracer.startSpan(`GET /items/${i}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': `/items/${i}`, 'http.response.status_code': 200 } }).end();
  }
  return memory.getFinishedSpans() as ReadableSpan[];
}

function exportOnce(exporter: AzureMonitorTraceExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** A credential that mints emulator tokens directly: lets a test pick audience and identity. */
function emulatorCredential(emulator: EmulatorHandle, identity: string, audience?: string): TokenCredential {
  return {
    async getToken() {
      return { token: emulator.issueToken({ identity, ...(audience ? { audience } : {}) }), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

describe('exporter against an Entra-only resource (emulator)', () => {
  let emulator: EmulatorHandle;
  let log: ReturnType<typeof captureDiag>;
  const exporters: AzureMonitorTraceExporter[] = [];
  const make = (options: ConstructorParameters<typeof AzureMonitorTraceExporter>[0]) => {
    const e = new AzureMonitorTraceExporter({ connectionString: emulator.connectionString(), disableOfflineStorage: true, exportTimeoutMillis: 5_000, ...options });
    exporters.push(e);
    return e;
  };
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    emulator = await startEmulator();
    Object.assign(process.env, emulator.managedIdentityEnv());
  });
  afterAll(async () => {
    process.env = savedEnv;
    await emulator.close();
  });
  beforeEach(() => { log = captureDiag(); emulator.clearItems(); });
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.shutdown(/* persist nothing: memory queue */)));
    if (process.env.AI_SHOW_DIAG) process.stdout.write(log.lines.join('\n') + '\n');
    log.restore();
  });

  it('delivers with the real ManagedIdentityCredential that has Monitoring Metrics Publisher', async () => {
    const exporter = make({ credential: new ManagedIdentityCredential() });
    const result = await exportOnce(exporter, someSpans(3));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(emulator.countItems('requests')).toBe(3);
    const received = emulator.requests().filter((r) => r.path.includes('/track'));
    expect(received.every((r) => r.path.endsWith('/v2.1/track'))).toBe(true);
  });

  it('no credential: 400 from v2/track becomes one line saying the resource needs Entra ID and how to pass it; the batch is not stored as accepted', async () => {
    const exporter = make({});
    const result = await exportOnce(exporter, someSpans());
    expect(result.code).toBe(ExportResultCode.SUCCESS); // kept (queued), not delivered
    const text = log.lines.join('\n');
    expect(text).toMatch(/accepts only Microsoft Entra ID authenticated telemetry/);
    expect(text).toMatch(/credential|APPLICATIONINSIGHTS_AUTHENTICATION_STRING/);
    expect(text).toContain('11111111'); // masked ikey...
    expect(text).not.toContain(DEFAULT_IDS.instrumentationKey); // ...never the whole key
    expect(emulator.countItems('requests')).toBe(0);
  });

  it('an identity without the role: 403 names Monitoring Metrics Publisher and the identity, never the token; the batch is delivered once the role is granted', async () => {
    const credential = emulatorCredential(emulator, DEFAULT_IDS.noRoleName);
    const token = (await credential.getToken('x'))?.token ?? '';
    const exporter = make({ credential });
    const result = await exportOnce(exporter, someSpans());
    expect(result.code).toBe(ExportResultCode.SUCCESS); // kept (queued), not delivered
    const text = log.lines.join('\n');
    expect(text).toContain('Monitoring Metrics Publisher');
    expect(text).toContain(DEFAULT_IDS.noRoleObjectId);
    expect(text).not.toContain(token.split('.')[2] ?? 'no-signature');
    expect(emulator.countItems('requests')).toBe(0);

    // The batch was kept: once the role is granted, a flush delivers it.
    emulator.assignRole(DEFAULT_IDS.noRoleName, undefined, 'Monitoring Metrics Publisher');
    try {
      await exporter.forceFlush();
      expect(emulator.countItems('requests')).toBe(2);
    } finally {
      emulator.removeRole(DEFAULT_IDS.noRoleName, undefined, 'Monitoring Metrics Publisher');
    }
  });

  it('a token for the wrong audience: 401 says which scope was used and that it must match the cloud', async () => {
    const exporter = make({ credential: emulatorCredential(emulator, DEFAULT_IDS.managedIdentityName, 'https://management.azure.com') });
    const result = await exportOnce(exporter, someSpans());
    expect(result.code).toBe(ExportResultCode.SUCCESS); // kept (queued), not delivered
    const text = log.lines.join('\n');
    expect(text).toMatch(/401/);
    expect(text).toContain('https://monitor.azure.com/.default');
    expect(emulator.countItems('requests')).toBe(0);
  });

  it('logs a repeated cause once, not once per batch', async () => {
    const exporter = make({});
    for (let i = 0; i < 5; i++) await exportOnce(exporter, someSpans(1));
    const causeLines = log.lines.filter((l) => /accepts only Microsoft Entra ID/.test(l));
    expect(causeLines).toHaveLength(1);
  });
});
