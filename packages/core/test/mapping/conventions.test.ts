// Golden (whole-envelope) tests of the Microsoft attribute conventions (issue 14). Every title here
// is named by a row of the "Conventions" table in docs/mapping.md (checked at the end of this file).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import type { Envelope, EnvelopeName } from '../../src/contracts/envelope';
import { createMappingContext } from '../../src/mapping/common/envelope/mapping-context';
import type { RequestNameSource } from '../../src/mapping/common/envelope/mapping-context';
import { logRecordToEnvelope } from '../../src/mapping/logs/log-record-to-envelope';
import { spanToEnvelopes } from '../../src/mapping/trace/span-to-envelopes';
import { buildLogRecord } from './fixtures/build-log-record';
import { buildSpan } from './fixtures/build-span';
import type { SpanSpec } from './fixtures/build-span';
import { CTX, DURATION, IKEY, RESOURCE_TAGS, SPAN_ID, START_ISO, TRACE_ID } from './fixtures/mapping-fixtures';

const OP = { 'ai.operation.id': TRACE_ID };
const TRACE_TAGS = { 'ai.operation.id': TRACE_ID, 'ai.operation.parentId': SPAN_ID };
const EVENT_TIME: [number, number] = [1700000000, 500000000];
const EVENT_ISO = '2023-11-14T22:13:20.500Z';

function item(name: EnvelopeName, baseType: string, tags: Record<string, string>, baseData: Record<string, unknown>, time = START_ISO): Envelope {
  return { ver: 1, name, time, iKey: IKEY, tags: { ...RESOURCE_TAGS, ...tags }, data: { baseType, baseData: { ver: 2, ...baseData } } as never };
}
const request = (tags: Record<string, string>, baseData: Record<string, unknown>): Envelope =>
  item('Microsoft.ApplicationInsights.Request', 'RequestData', tags, { id: SPAN_ID, duration: DURATION, ...baseData });
const dependency = (tags: Record<string, string>, baseData: Record<string, unknown>): Envelope =>
  item('Microsoft.ApplicationInsights.RemoteDependency', 'RemoteDependencyData', tags, { id: SPAN_ID, duration: DURATION, ...baseData });
const message = (baseData: Record<string, unknown>, tags: Record<string, string> = {}, time?: string): Envelope =>
  item('Microsoft.ApplicationInsights.Message', 'MessageData', tags, baseData, time);
const exception = (baseData: Record<string, unknown>, tags: Record<string, string> = {}): Envelope =>
  item('Microsoft.ApplicationInsights.Exception', 'ExceptionData', tags, baseData);
const event = (baseData: Record<string, unknown>, tags: Record<string, string> = {}): Envelope =>
  item('Microsoft.ApplicationInsights.Event', 'EventData', tags, baseData);
const availability = (baseData: Record<string, unknown>, tags: Record<string, string> = {}, time?: string): Envelope =>
  item('Microsoft.ApplicationInsights.Availability', 'AvailabilityData', tags, baseData, time);
const pageView = (baseData: Record<string, unknown>): Envelope => item('Microsoft.ApplicationInsights.PageView', 'PageViewData', {}, baseData);

const MAIN_AGENT = {
  'microsoft.gen_ai.main_agent.name': 'TravelBot',
  'microsoft.gen_ai.main_agent.id': 'agent-7',
  'microsoft.gen_ai.main_agent.version': '3',
  'microsoft.gen_ai.main_agent.conversation_id': 'conv-42',
};
const HTTP_GET_A = { 'http.request.method': 'GET', 'url.path': '/a', 'http.response.status_code': 200 };
const LINK_TRACE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const link = (spanId: string, attributes?: Record<string, unknown>) =>
  ({ context: { traceId: LINK_TRACE, spanId, traceFlags: 1 }, ...(attributes ? { attributes } : {}) }) as never;
const linksJson = (...spanIds: string[]): string => JSON.stringify(spanIds.map((id) => ({ operation_Id: LINK_TRACE, id })));
/** START_TIME in epoch milliseconds is 1700000000123.456789. */
const START_MILLIS = 1700000000123;

const SPAN_CASES: [string, SpanSpec, Envelope[]][] = [
  [
    'span custom measurements: numbers kept, other values left out',
    { name: 'GET /a', kind: SpanKind.SERVER, attributes: { ...HTTP_GET_A, 'microsoft.custom_measurements': JSON.stringify({ itemsProcessed: 42, ratio: 0.5, label: 'x', flag: true, nested: { a: 1 } }) } },
    [request({ ...OP, 'ai.operation.name': 'GET /a' }, { name: 'GET /a', responseCode: '200', success: true, measurements: { itemsProcessed: 42, ratio: 0.5 } })],
  ],
  [
    'span custom measurements on a dependency',
    { name: 'compute', kind: SpanKind.INTERNAL, attributes: { 'microsoft.custom_measurements': '{"rows": 7}' } },
    [dependency(OP, { name: 'compute', type: 'InProc', resultCode: '0', success: true, measurements: { rows: 7 } })],
  ],
  [
    'span custom measurements that are not JSON are ignored',
    { name: 'call', kind: SpanKind.CLIENT, attributes: { 'microsoft.custom_measurements': '{oops', 'peer.service': 'svc' } },
    [dependency(OP, { name: 'call', type: 'Dependency', target: 'svc', resultCode: '0', success: true })],
  ],
  [
    'span internal attributes are not properties',
    {
      name: 'work', kind: SpanKind.INTERNAL,
      attributes: { 'microsoft.foo': 'x', '_MS.bar': 'y', '_MS.ProcessedByMetricExtractors': '(Name:X)', 'ms.keep': 'z', tenant: 't' },
    },
    [dependency(OP, { name: 'work', type: 'InProc', resultCode: '0', success: true, properties: { '_MS.ProcessedByMetricExtractors': '(Name:X)', 'ms.keep': 'z', tenant: 't' } })],
  ],
  [
    'span user_agent.synthetic.type sets the synthetic source',
    { name: 'GET /a', kind: SpanKind.SERVER, attributes: { ...HTTP_GET_A, 'user_agent.synthetic.type': 'bot' } },
    [request({ ...OP, 'ai.operation.name': 'GET /a', 'ai.operation.syntheticSource': 'True' }, { name: 'GET /a', responseCode: '200', success: true })],
  ],
  [
    'span microsoft.client.ip overrides client.address',
    { name: 'GET /a', kind: SpanKind.SERVER, attributes: { ...HTTP_GET_A, 'client.address': '10.0.0.1', 'microsoft.client.ip': '203.0.113.9' } },
    [request({ ...OP, 'ai.operation.name': 'GET /a', 'ai.location.ip': '203.0.113.9' }, { name: 'GET /a', responseCode: '200', success: true })],
  ],
  [
    'span microsoft.client.ip on a dependency',
    { name: 'call', kind: SpanKind.CLIENT, attributes: { 'microsoft.client.ip': '203.0.113.9' } },
    [dependency({ ...OP, 'ai.location.ip': '203.0.113.9' }, { name: 'call', type: 'Dependency', resultCode: '0', success: true })],
  ],
  [
    'span ai.operation.name attribute on a dependency',
    { name: 'step', kind: SpanKind.INTERNAL, attributes: { 'ai.operation.name': 'Checkout' } },
    [dependency({ ...OP, 'ai.operation.name': 'Checkout' }, { name: 'step', type: 'InProc', resultCode: '0', success: true })],
  ],
  [
    'span ai.operation.name attribute wins over the request name',
    { name: 'GET /a', kind: SpanKind.SERVER, attributes: { ...HTTP_GET_A, 'ai.operation.name': 'Home' } },
    [request({ ...OP, 'ai.operation.name': 'Home' }, { name: 'GET /a', responseCode: '200', success: true })],
  ],
  [
    'Event Hubs consumer: source and timeSinceEnqueued',
    {
      name: 'EventHubs.process', kind: SpanKind.CONSUMER,
      attributes: {
        'az.namespace': 'Microsoft.EventHub', 'messaging.system': 'eventhubs', 'messaging.destination.name': 'hub1',
        'messaging.operation.type': 'process', 'server.address': 'ns.servicebus.windows.net',
      },
      links: [link('0000000000000001', { enqueuedTime: START_MILLIS - 123 }), link('0000000000000002', { enqueuedTime: String(START_MILLIS - 23) }), link('0000000000000003')],
    },
    [
      request({ ...OP, 'ai.operation.name': 'process hub1' }, {
        name: 'process hub1', source: 'ns.servicebus.windows.net/hub1', responseCode: '0', success: true,
        properties: { 'messaging.system': 'eventhubs', '_MS.links': linksJson('0000000000000001', '0000000000000002', '0000000000000003') },
        measurements: { timeSinceEnqueued: expect.closeTo(73.456789, 3) },
      }),
    ],
  ],
  [
    'Event Hubs consumer: an enqueue time after the start counts as zero',
    {
      name: 'EventHubs.process', kind: SpanKind.CONSUMER,
      attributes: { 'az.namespace': 'Microsoft.EventHub', 'message_bus.destination': 'hub1', 'peer.address': 'sb://ns.servicebus.windows.net/' },
      links: [link('0000000000000001', { enqueuedTime: START_MILLIS + 5_000 })],
    },
    [
      request({ ...OP, 'ai.operation.name': 'EventHubs.process' }, {
        name: 'EventHubs.process', source: 'ns.servicebus.windows.net/hub1', responseCode: '0', success: true,
        properties: { '_MS.links': linksJson('0000000000000001') }, measurements: { timeSinceEnqueued: 0 },
      }),
    ],
  ],
  [
    'Service Bus consumer without enqueue times: source only',
    {
      name: 'ServiceBus.process', kind: SpanKind.CONSUMER,
      attributes: { 'az.namespace': 'Microsoft.ServiceBus', 'message_bus.destination': 'queue1', 'net.peer.name': 'sb.servicebus.windows.net' },
    },
    [request({ ...OP, 'ai.operation.name': 'ServiceBus.process' }, { name: 'ServiceBus.process', source: 'sb.servicebus.windows.net/queue1', responseCode: '0', success: true })],
  ],
  [
    'Service Bus client call: type Azure Service Bus',
    {
      name: 'ServiceBusReceiver.complete', kind: SpanKind.CLIENT,
      attributes: { 'az.namespace': 'Microsoft.ServiceBus', 'messaging.system': 'servicebus', 'messaging.destination.name': 'queue1', 'server.address': 'ns.servicebus.windows.net' },
    },
    [dependency(OP, { name: 'ServiceBusReceiver.complete', type: 'Azure Service Bus', target: 'ns.servicebus.windows.net/queue1', resultCode: '0', success: true })],
  ],
  [
    'span event user attributes win over the span',
    {
      name: 'GET /a', kind: SpanKind.SERVER,
      attributes: { ...HTTP_GET_A, 'enduser.id': 'alice', 'session.id': 's-1' },
      events: [
        { name: 'login', time: EVENT_TIME, attributes: { 'enduser.id': 'bob', 'enduser.pseudo.id': 'anon-9', 'session.id': 's-2', 'microsoft.client.ip': '198.51.100.1' } },
        { name: 'cache miss', time: EVENT_TIME },
      ],
    },
    [
      request({ ...OP, 'ai.operation.name': 'GET /a', 'ai.user.authUserId': 'alice', 'ai.session.id': 's-1' }, { name: 'GET /a', responseCode: '200', success: true }),
      message({ message: 'login' }, {
        ...TRACE_TAGS, 'ai.operation.name': 'GET /a', 'ai.user.authUserId': 'bob', 'ai.session.id': 's-2', 'ai.user.id': 'anon-9', 'ai.location.ip': '198.51.100.1',
      }, EVENT_ISO),
      message({ message: 'cache miss' }, { ...TRACE_TAGS, 'ai.operation.name': 'GET /a', 'ai.user.authUserId': 'alice', 'ai.session.id': 's-1' }, EVENT_ISO),
    ],
  ],
  [
    'span event custom measurements',
    {
      name: 'step', kind: SpanKind.INTERNAL,
      events: [{ name: 'batch done', time: EVENT_TIME, attributes: { 'microsoft.custom_measurements': '{"items": 3}', 'microsoft.other': 1, note: 'ok' } }],
    },
    [
      dependency(OP, { name: 'step', type: 'InProc', resultCode: '0', success: true }),
      message({ message: 'batch done', properties: { note: 'ok' }, measurements: { items: 3 } }, TRACE_TAGS, EVENT_ISO),
    ],
  ],
  [
    'span gen_ai main-agent attributes are properties of the request',
    { name: 'POST /chat', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': '/chat', 'http.response.status_code': 200, ...MAIN_AGENT, 'microsoft.gen_ai.other': 'x' } },
    [request({ ...OP, 'ai.operation.name': 'POST /chat' }, { name: 'POST /chat', responseCode: '200', success: true, properties: MAIN_AGENT })],
  ],
  [
    'span gen_ai main-agent attributes are properties of a dependency and of span events',
    {
      name: 'chat gpt-4o', kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat', ...MAIN_AGENT },
      events: [{ name: 'gen_ai.choice', time: EVENT_TIME, attributes: { 'microsoft.gen_ai.main_agent.id': 'agent-7', 'microsoft.sample_rate': 50 } }],
    },
    [
      dependency(OP, { name: 'chat gpt-4o', type: 'Dependency', resultCode: '0', success: true, properties: { 'gen_ai.operation.name': 'chat', ...MAIN_AGENT } }),
      message({ message: 'gen_ai.choice', properties: { 'microsoft.gen_ai.main_agent.id': 'agent-7' } }, TRACE_TAGS, EVENT_ISO),
    ],
  ],
];

type LogSpec = Omit<LogRecord, 'timestamp' | 'context'>;
const STACK_FRAME = { level: 0, method: 'handler', assembly: 'at handler (/app/a.js:3:5)', fileName: '/app/a.js', line: 3, sizeInBytes: 40 };

const LOG_CASES: [string, LogSpec, boolean, Envelope][] = [
  [
    'log custom measurements on a message',
    { body: 'hello', attributes: { 'microsoft.custom_measurements': JSON.stringify({ itemsProcessed: 42, queueDepth: 7, bad: 'x' }), key: 'value' } },
    false, message({ message: 'hello', properties: { key: 'value' }, measurements: { itemsProcessed: 42, queueDepth: 7 } }),
  ],
  [
    'log custom measurements as a map on an exception',
    { body: 'failed', attributes: { 'exception.type': 'E', 'microsoft.custom_measurements': { retries: 2, when: 'now' } } },
    false, exception({ exceptions: [{ typeName: 'E', message: 'failed' }], measurements: { retries: 2 } }),
  ],
  [
    'log event body measurements, under the attribute',
    { eventName: 'cart.checkout', body: { total: 3, measurements: { amount: 12.5, tax: 1, label: 'x' } }, attributes: { 'microsoft.custom_measurements': '{"amount": 13}' } },
    false, event({
      name: 'cart.checkout', properties: { 'log.body': '{"total":3,"measurements":{"amount":12.5,"tax":1,"label":"x"}}' }, measurements: { amount: 13, tax: 1 },
    }),
  ],
  [
    'log availability result from microsoft.availability attributes',
    {
      body: 'Homepage availability test completed.',
      attributes: {
        'microsoft.availability.id': 'availability-test-run-123', 'microsoft.availability.name': 'Homepage',
        'microsoft.availability.duration': '00:00:00.250', 'microsoft.availability.success': true,
        'microsoft.availability.runLocation': 'westus2', 'microsoft.availability.message': 'HTTP 200',
        'microsoft.availability.testTimestamp': '2023-11-14T22:13:19.500Z', 'microsoft.custom_measurements': '{"bytes": 1024}', region: 'eu',
      },
    },
    true, availability({
      id: 'availability-test-run-123', name: 'Homepage', duration: '00:00:00.2500000', success: true, runLocation: 'westus2', message: 'HTTP 200',
      properties: { region: 'eu', 'log.body': 'Homepage availability test completed.' }, measurements: { bytes: 1024 },
    }, TRACE_TAGS, '2023-11-14T22:13:19.500Z'),
  ],
  [
    'log availability result with .NET strings, body as message',
    {
      body: 'timed out',
      attributes: { 'microsoft.availability.id': 'r2', 'microsoft.availability.name': 'Login', 'microsoft.availability.duration': '00:00:05', 'microsoft.availability.success': 'False', 'microsoft.availability.testTimestamp': 'not a date' },
    },
    false, availability({ id: 'r2', name: 'Login', duration: '00:00:05.0000000', success: false, message: 'timed out' }),
  ],
  [
    'log incomplete availability attributes stay a message',
    { body: 'half', attributes: { 'microsoft.availability.id': 'r3', 'microsoft.availability.name': 'Login', 'microsoft.availability.duration': 'soon', 'microsoft.availability.success': true } },
    false, message({
      message: 'half',
      properties: { 'microsoft.availability.id': 'r3', 'microsoft.availability.name': 'Login', 'microsoft.availability.duration': 'soon', 'microsoft.availability.success': 'true' },
    }),
  ],
  [
    'log synthetic source, client ip and operation name tags',
    { body: 'hi', attributes: { 'user_agent.synthetic.type': 'test', 'microsoft.client.ip': '198.51.100.7', 'ai.operation.name': 'GET /cart', x: 1 } },
    true, message({ message: 'hi', properties: { x: '1' } }, { ...TRACE_TAGS, 'ai.operation.name': 'GET /cart', 'ai.operation.syntheticSource': 'True', 'ai.location.ip': '198.51.100.7' }),
  ],
  [
    'log internal attributes are not properties',
    { body: 'hi', attributes: { 'microsoft.foo': 1, '_MS.bar': 2, keep: 3 } },
    false, message({ message: 'hi', properties: { keep: '3' } }),
  ],
  [
    'legacy shim MessageData',
    { body: { message: 'testMessage', severityLevel: 'Verbose', measurements: { m: 1 }, version: 2 }, attributes: { '_MS.baseType': 'MessageData', 'extra.attribute': 'foo' } },
    false, message({ message: 'testMessage', severityLevel: 'Verbose', properties: { 'extra.attribute': 'foo' }, measurements: { m: 1 } }),
  ],
  [
    'legacy shim MessageData with a JSON string body',
    { body: JSON.stringify({ message: 'old', severityLevel: 'Warning', version: 2 }), attributes: { '_MS.baseType': 'MessageData' } },
    false, message({ message: 'old', severityLevel: 'Warning' }),
  ],
  [
    'legacy shim EventData',
    { body: { name: 'test event', measurements: { count: 2 }, version: 2 }, attributes: { '_MS.baseType': 'EventData', TargetingId: 't1' } },
    true, event({ name: 'test event', properties: { TargetingId: 't1' }, measurements: { count: 2 } }, TRACE_TAGS),
  ],
  [
    'legacy shim ExceptionData',
    {
      body: { severityLevel: 'Error', exceptions: [{ message: 'boom', typeName: 'TypeError', parsedStack: [STACK_FRAME], hasFullStack: true }], version: 2 },
      attributes: { '_MS.baseType': 'ExceptionData' },
    },
    false, exception({
      exceptions: [{ typeName: 'TypeError', message: 'boom', hasFullStack: true, parsedStack: [{ level: 0, method: 'handler', assembly: 'at handler (/app/a.js:3:5)', fileName: '/app/a.js', line: 3 }] }],
      severityLevel: 'Error',
    }),
  ],
  [
    'legacy shim AvailabilityData',
    {
      body: { id: 'run-1', name: 'Ping', duration: '00:00:02.000', success: true, runLocation: 'WestUS', message: 'ok', measurements: { latency: 2000 }, version: 2 },
      attributes: { '_MS.baseType': 'AvailabilityData' },
    },
    false, availability({ id: 'run-1', name: 'Ping', duration: '00:00:02.0000000', success: true, runLocation: 'WestUS', message: 'ok', measurements: { latency: 2000 } }),
  ],
  [
    'legacy shim PageViewData',
    {
      body: { id: 'pv1', name: 'Home', duration: '00:00:01.500', url: 'https://shop/', referredUri: 'https://ref/', measurements: {}, version: 2 },
      attributes: { '_MS.baseType': 'PageViewData' },
    },
    false, pageView({ id: 'pv1', name: 'Home', url: 'https://shop/', duration: '00:00:01.5000000', referredUri: 'https://ref/' }),
  ],
  [
    'log gen_ai main-agent attributes are not properties, as the official',
    { body: 'tool called', attributes: { ...MAIN_AGENT, tool: 'search' } },
    false, message({ message: 'tool called', properties: { tool: 'search' } }),
  ],
  [
    'legacy shim record with an unusable body is an ordinary message',
    { body: 'plain text', attributes: { '_MS.baseType': 'EventData' } },
    false, message({ message: 'plain text' }),
  ],
];

describe('Microsoft conventions: spans', () => {
  it.each(SPAN_CASES)('maps %s', (_title, spec, expected) => {
    expect(spanToEnvelopes(buildSpan(spec), CTX)).toEqual(expected);
  });
});

describe('Microsoft conventions: logs', () => {
  it.each(LOG_CASES)('maps %s', (_title, record, inTrace, expected) => {
    expect(logRecordToEnvelope(buildLogRecord(record, inTrace), CTX)).toEqual(expected);
  });
});

const REQUEST_NAME_CASES: [string, RequestNameSource | undefined, Record<string, unknown>, string][] = [
  ['request name without route: path by default', undefined, { 'url.path': '/users/42' }, 'GET /users/42'],
  ['request name without route: span name with requestNameSource spanName', 'spanName', { 'url.path': '/users/42' }, 'GET'],
  ['request name with a route: the route whatever the option', 'spanName', { 'url.path': '/users/42', 'http.route': '/users/:id' }, 'GET /users/:id'],
];

describe('Microsoft conventions: request names', () => {
  it.each(REQUEST_NAME_CASES)('maps %s', (_title, requestNameSource, attributes, name) => {
    const ctx = createMappingContext({ instrumentationKey: IKEY, sdkVersion: CTX.sdkVersion, ...(requestNameSource ? { requestNameSource } : {}) });
    const span = buildSpan({ name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', ...attributes } });
    expect(spanToEnvelopes(span, ctx)).toEqual([request({ ...OP, 'ai.operation.name': name }, { name, responseCode: '0', success: true })]);
  });
});

describe('docs/mapping.md Conventions table', () => {
  it('names only golden tests that exist in this file, and every one of them', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../../docs/mapping.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Conventions'), doc.indexOf('\n## ', doc.indexOf('## Conventions') + 1));
    const named = [...section.matchAll(/\| `maps ([^`]+)` \|$/gm)].map((m) => m[1] as string);
    const titles = [...SPAN_CASES, ...LOG_CASES, ...REQUEST_NAME_CASES].map((c) => c[0]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((title) => !titles.includes(title))).toEqual([]);
    expect(titles.filter((title) => !named.includes(title))).toEqual([]);
  });
});
