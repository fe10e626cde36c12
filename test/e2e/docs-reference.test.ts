// The reference docs against the code: every option and environment variable is documented, the
// status table follows STATUS_POLICY, the messages the troubleshooting tables quote are the ones
// the code produces, and the mapping's documented differences from the official exporter are what
// the mapper does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { classifyCredentialError, createMappingContext, logRecordToEnvelope, spanToEnvelopes, type Envelope } from '@appinsights-otel/core';
import { STATUS_POLICY } from '@appinsights-otel/core/internal';
import { entraOnlyResourceMessage, missingRoleMessage, tokenRejectedMessage } from '../../packages/core/src/diag/failure-messages';
import { classifyQueryFailure } from '../../packages/query/src/classify-query-failure';
import { SETTINGS, type SettingRow } from '../../packages/distro/src/config/settings-table';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** Field names of a TypeScript interface in a source file (`name?:` or `name:` at the start of a line). */
function fieldsOf(rel: string, interfaceName: string): string[] {
  const text = read(rel);
  const start = text.indexOf(`export interface ${interfaceName}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = text.slice(text.indexOf('{', start) + 1);
  const fields: string[] = [];
  let depth = 0;
  for (const line of body.split('\n')) {
    if (depth === 0 && /^\s*}/.test(line)) break;
    const m = depth === 0 ? /^\s{2}(?:readonly\s+)?([A-Za-z]\w*)\??:/.exec(line) : null;
    if (m) fields.push(m[1] as string);
    depth += (line.match(/{/g) ?? []).length - (line.match(/}/g) ?? []).length;
  }
  return fields;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

describe('docs/configuration.md', () => {
  const doc = read('docs/configuration.md');

  it.each([
    ['packages/distro/src/config/azure-monitor-options.ts', 'AzureMonitorOptions'],
    ['packages/core/src/config/azure-monitor-exporter-options.ts', 'AzureMonitorExporterOptions'],
    ['packages/core/src/export/signal-exporter-options.ts', 'SignalExporterOptions'],
  ])('has a table row for every field of %s (%s)', (file, name) => {
    const fields = fieldsOf(file, name);
    expect(fields.length).toBeGreaterThan(3);
    for (const field of fields) expect({ field, documented: doc.includes(`| \`${field}\` |`) }).toEqual({ field, documented: true });
  });

  describe('lists every row of the distro settings table', () => {
    const rows = Object.entries(SETTINGS) as Array<[string, SettingRow<unknown>]>;
    const section = (heading: string): string => {
      const start = doc.indexOf(heading);
      expect(start).toBeGreaterThanOrEqual(0);
      const end = doc.indexOf('\n## ', start + heading.length);
      return doc.slice(start, end === -1 ? undefined : end);
    };

    it.each(rows)('%s', (_key, row) => {
      const options = section('## `useAzureMonitor(options)`');
      const file = section('## The configuration file');
      for (const option of row.options ?? []) expect({ option, documented: options.includes(`| \`${option}\` |`) }).toEqual({ option, documented: true });
      for (const variable of row.env ?? []) expect({ variable, documented: doc.includes(`\`${variable}\``) }).toEqual({ variable, documented: true });
      for (const key of row.file ?? []) expect({ key, documented: file.includes(`\`${key}\``) }).toEqual({ key, documented: true });
    });

    it('and the table has a row for every useAzureMonitor() option', () => {
      const inTable = new Set(rows.flatMap(([, row]) => row.options ?? []));
      const fields = fieldsOf('packages/distro/src/config/azure-monitor-options.ts', 'AzureMonitorOptions');
      expect(fields.filter((field) => !inTable.has(field as never))).toEqual([]);
    });
  });

  it('names every environment variable the libraries read (the emulator reads none)', () => {
    const names = new Set<string>();
    for (const pkg of ['core', 'exporter-trace', 'exporter-metric', 'exporter-logs', 'browser-relay', 'query', 'distro']) {
      for (const file of sourceFiles(path.join(ROOT, 'packages', pkg, 'src'))) {
        const text = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/)/.test(l)).join('\n');
        for (const m of text.matchAll(/['"]((?:APPLICATIONINSIGHTS|OTEL|AZURE|HTTPS?|NO|IDENTITY|MSI)_[A-Za-z_]+)['"]/g)) {
          names.add((m[1] as string).toUpperCase());
        }
      }
    }
    expect(names.size).toBeGreaterThan(10);
    for (const name of names) expect({ name, documented: doc.includes(name) }).toEqual({ name, documented: true });
    const emulatorReadsEnv = sourceFiles(path.join(ROOT, 'packages', 'emulator', 'src')).some((f) => /process\.env/.test(fs.readFileSync(f, 'utf8')));
    expect(emulatorReadsEnv).toBe(false);
  });
});

describe('docs/errors-and-retries.md', () => {
  it('lists the status policy rows in the order of STATUS_POLICY', () => {
    const doc = read('docs/errors-and-retries.md');
    const section = doc.slice(doc.indexOf('## Status policy'), doc.indexOf('### How'));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| response') && !l.startsWith('|---'));
    expect(rows.map((r) => (r.split('|')[1] as string).trim())).toEqual(STATUS_POLICY.map((r) => r.response));
  });
});

describe('docs/entra-auth.md troubleshooting quotes the real messages', () => {
  const doc = read('docs/entra-auth.md');
  const identity = { appid: 'app', oid: 'obj', tid: 'ten', aud: 'https://monitor.azure.us' };

  it.each([
    ['400 / 401 without a token', entraOnlyResourceMessage(), 'this resource accepts only Microsoft Entra ID authenticated telemetry: pass `credential` or set APPLICATIONINSIGHTS_AUTHENTICATION_STRING'],
    ['401 token rejected', tokenRejectedMessage('https://monitor.azure.com/.default', identity), 'token rejected (401) even after a fresh token was acquired: it was requested for scope '],
    ['403 missing role', missingRoleMessage(identity), 'lacks the Monitoring Metrics Publisher role on this Application Insights resource (403)'],
    ['credential unavailable', classifyCredentialError(Object.assign(new Error('x'), { name: 'CredentialUnavailableError' }), { scope: 's', credentialKind: 'managed-identity' }).message, 'credential unavailable for scope '],
    ['credential refused', classifyCredentialError(new Error('AADSTS7000215: Invalid client secret'), { scope: 's', credentialKind: 'service-principal' }).message, 'Microsoft Entra ID refused the credential for scope '],
    ['query 401', classifyQueryFailure({ statusCode: 401, body: undefined, appId: 'a', scope: 's' }).message, 'query API rejected the token (401) requested for scope '],
    ['query 403', classifyQueryFailure({ statusCode: 403, body: undefined, appId: 'a', scope: 's', identity: { appid: 'x' } }).message, 'query API refused access (403): identity'],
  ])('%s', (_case, actual, quoted) => {
    expect(actual).toContain(quoted);
    expect(doc).toContain(quoted);
  });

  it('quotes the token timeout message as the token provider words it', () => {
    const quoted = 'the credential did not return a token for scope';
    expect(read('packages/core/src/auth/request-credential-token.ts')).toContain(quoted);
    expect(doc).toContain(quoted);
  });
});

describe('links between README.md and docs/', () => {
  const anchorsOf = (text: string): Set<string> => new Set(text.split('\n').filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));

  it('point at files and headings that exist', () => {
    const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    for (const file of files) {
      for (const m of read(file).matchAll(/\]\(([^)#\s]+\.md)(?:#([^)\s]+))?\)/g)) {
        const target = path.join(path.dirname(file), m[1] as string);
        const exists = fs.existsSync(path.join(ROOT, target));
        expect({ file, link: m[0], exists }).toEqual({ file, link: m[0], exists: true });
        if (m[2] !== undefined) {
          expect({ file, link: m[0], anchor: anchorsOf(read(target)).has(m[2]) }).toEqual({ file, link: m[0], anchor: true });
        }
      }
    }
  });
});

describe('docs/mapping.md "Choices that differ from the official exporter" says what the mapper does', () => {
  const doc = read('docs/mapping.md');
  const section = doc.slice(doc.indexOf('## Choices that differ from the official exporter'));
  /** The cells of the table row whose topic starts with `topic` (escaped `\|` kept inside cells). */
  const row = (topic: string): { official: string; here: string } => {
    const line = section.split('\n').find((l) => l.startsWith(`| ${topic}`));
    expect({ topic, found: line !== undefined }).toEqual({ topic, found: true });
    const cells = line!.split(/(?<!\\)\|/).map((c) => c.trim());
    return { official: cells[2] as string, here: cells[3] as string };
  };

  const ctx = createMappingContext({ instrumentationKey: '00000000-0000-4000-8000-000000000001', sdkVersion: 'test' });
  const PARENT = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  function mapSpan(kind: SpanKind, attributes: Attributes, parent = PARENT): Envelope {
    const exporter = new InMemorySpanExporter();
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('docs').startSpan('span', { kind, attributes }, parent).end();
    return spanToEnvelopes(exporter.getFinishedSpans()[0]!, ctx)[0]!;
  }
  function mapLog(record: LogRecord, operationName?: string): Envelope {
    const emitted: ReadableLogRecord[] = [];
    new LoggerProvider({ processors: [{ onEmit: (r) => void emitted.push(r), forceFlush: async () => {}, shutdown: async () => {} }] }).getLogger('docs').emit(record);
    const logCtx = operationName === undefined ? ctx : createMappingContext({ instrumentationKey: ctx.instrumentationKey, sdkVersion: 'test', operationNameOf: () => operationName });
    return logRecordToEnvelope(emitted[0]!, logCtx);
  }
  const dependencyType = (e: Envelope): unknown => (e.data.baseData as { type?: unknown }).type;

  it.each<[string, () => unknown, string, unknown]>([
    ['INTERNAL span with HTTP attributes', () => dependencyType(mapSpan(SpanKind.INTERNAL, { 'http.request.method': 'GET', 'url.full': 'http://h/x' })), '`InProc`', 'InProc'],
    ['`ai.operation.name` attribute on a SERVER span', () => mapSpan(SpanKind.SERVER, { 'http.request.method': 'GET', 'http.route': '/a', 'ai.operation.name': 'Custom' }).tags['ai.operation.name'], 'takes the attribute', 'Custom'],
    ['`ai.operation.name` on dependencies, logs', () => mapLog({ body: 'x' }, 'GET /orders/:id').tags['ai.operation.name'], "the request's operation name", 'GET /orders/:id'],
    ['log record with an OpenTelemetry event name', () => {
      const e = mapLog({ eventName: 'cart.checkout', severityNumber: 9 });
      return [e.data.baseType, 'severityLevel' in e.data.baseData];
    }, 'a custom event', ['EventData', false]],
    ['database type for the stable', () => ['microsoft.sql_server', 'oracle.db', 'ibm.db2', 'h2database'].map((system) => dependencyType(mapSpan(SpanKind.CLIENT, { 'db.system.name': system }))), '`SQL`', ['SQL', 'SQL', 'SQL', 'SQL']],
    ['RPC type when', () => dependencyType(mapSpan(SpanKind.CLIENT, { 'rpc.system': 'apache_dubbo' })), '`apache_dubbo`', 'apache_dubbo'],
    ['messaging spans', () => dependencyType(mapSpan(SpanKind.PRODUCER, { 'messaging.system': 'kafka' })), '`Queue Message \\| <system>`', 'Queue Message | kafka'],
    ['Service Bus spans', () => dependencyType(mapSpan(SpanKind.CLIENT, { 'az.namespace': 'Microsoft.ServiceBus' })), '`Azure Service Bus`', 'Azure Service Bus'],
    ['Event Hubs CLIENT span type', () => dependencyType(mapSpan(SpanKind.CLIENT, { 'az.namespace': 'Microsoft.EventHub' })), '`Azure Event Hubs`', 'Azure Event Hubs'],
    ['root INTERNAL span type', () => dependencyType(mapSpan(SpanKind.INTERNAL, {}, ROOT_CONTEXT)), '`InProc`', 'InProc'],
  ])('%s', (topic, actual, quoted, expected) => {
    expect(row(topic).here).toContain(quoted);
    expect(actual()).toEqual(expected);
  });

  it('HTTP dependencies are Http, the official value, so the type is no longer a difference', () => {
    expect(dependencyType(mapSpan(SpanKind.CLIENT, { 'http.request.method': 'GET', 'url.full': 'http://h/x' }))).toBe('Http');
    expect(section).not.toContain('HTTP dependency type');
    expect(section).toContain('`Http`');
  });

  it('keeps the official exporter facts the issue corrected', () => {
    expect(section).toContain('The official exporter reads `microsoft.custom_measurements` on span events');
    expect(section).toContain('sends a structured\n(object) log body whole as JSON');
    expect(row('Service Bus spans').official).toContain('maps Event Hubs only');
  });
});
