import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Envelope } from '../../../src/contracts/envelope';
import { createMappingContext } from '../../../src/mapping/common/envelope/mapping-context';
import { spanToEnvelopes } from '../../../src/mapping/trace/span-to-envelopes';
import { buildSpan } from '../fixtures/build-span';
import type { SpanSpec } from '../fixtures/build-span';
import { CTX, DURATION, IKEY, PARENT_SPAN_ID, RESOURCE_TAGS, SPAN_ID, START_ISO, TRACE_ID } from '../fixtures/mapping-fixtures';

const OP = { 'ai.operation.id': TRACE_ID };
const CHILD = { ...OP, 'ai.operation.parentId': PARENT_SPAN_ID };

function request(tags: Record<string, string>, baseData: Record<string, unknown>): Envelope {
  return {
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Request',
    time: START_ISO,
    iKey: IKEY,
    tags: { ...RESOURCE_TAGS, ...tags },
    data: { baseType: 'RequestData', baseData: { ver: 2, id: SPAN_ID, duration: DURATION, ...baseData } as never },
  };
}

function dependency(tags: Record<string, string>, baseData: Record<string, unknown>): Envelope {
  return {
    ver: 1,
    name: 'Microsoft.ApplicationInsights.RemoteDependency',
    time: START_ISO,
    iKey: IKEY,
    tags: { ...RESOURCE_TAGS, ...tags },
    data: { baseType: 'RemoteDependencyData', baseData: { ver: 2, id: SPAN_ID, duration: DURATION, ...baseData } as never },
  };
}

const CASES: [string, SpanSpec, Envelope[]][] = [
  [
    'HTTP server, stable semantic conventions',
    {
      name: 'GET /users/:id',
      kind: SpanKind.SERVER,
      parentSpanId: PARENT_SPAN_ID,
      attributes: {
        'http.request.method': 'GET', 'url.scheme': 'https', 'server.address': 'api.example.com', 'server.port': 443,
        'url.path': '/users/42', 'url.query': 'q=1', 'http.route': '/users/:id', 'http.response.status_code': 200,
        'client.address': '10.0.0.1', 'user_agent.original': 'curl/8.0', 'enduser.id': 'alice', 'enduser.pseudo.id': 'anon-7',
        'session.id': 's-1', tenant: 'contoso',
      },
    },
    [
      request(
        {
          ...CHILD, 'ai.operation.name': 'GET /users/:id', 'ai.user.authUserId': 'alice', 'ai.user.id': 'anon-7',
          'ai.session.id': 's-1', 'ai.user.userAgent': 'curl/8.0', 'ai.location.ip': '10.0.0.1',
        },
        { name: 'GET /users/:id', url: 'https://api.example.com/users/42?q=1', responseCode: '200', success: true, properties: { tenant: 'contoso' } },
      ),
    ],
  ],
  [
    'HTTP server, old semantic conventions, 500 without status',
    {
      name: 'POST',
      kind: SpanKind.SERVER,
      attributes: {
        'http.method': 'POST', 'http.scheme': 'http', 'http.host': 'localhost:8080', 'http.target': '/orders?id=7',
        'http.status_code': 500, 'http.client_ip': '10.0.0.2', 'http.user_agent': 'old-agent', 'http.flavor': '1.1',
      },
    },
    [
      request(
        { ...OP, 'ai.operation.name': 'POST /orders', 'ai.user.userAgent': 'old-agent', 'ai.location.ip': '10.0.0.2' },
        { name: 'POST /orders', url: 'http://localhost:8080/orders?id=7', responseCode: '500', success: false, properties: { 'http.flavor': '1.1' } },
      ),
    ],
  ],
  [
    'HTTP server without URL facts falls back to the span name and network.peer.address',
    { name: 'health', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'network.peer.address': '192.168.1.9' } },
    [request({ ...OP, 'ai.operation.name': 'health', 'ai.location.ip': '192.168.1.9' }, { name: 'health', responseCode: '0', success: true })],
  ],
  [
    // issue 25: the socket address, ports and protocol repeat what client_IP / target already say
    'HTTP server with connection details: client_IP from client.address, the connection attributes are not properties',
    {
      name: 'GET',
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET', 'url.full': 'http://shop/cart', 'http.response.status_code': 200, 'client.address': '10.0.0.3', 'client.port': 50412,
        'network.peer.address': '10.0.0.3', 'network.peer.port': 50412, 'network.local.address': '10.0.0.1', 'network.local.port': 8080,
        'network.protocol.name': 'http', 'network.protocol.version': '1.1', 'network.transport': 'tcp', tenant: 'contoso',
      },
    },
    [request({ ...OP, 'ai.operation.name': 'GET /cart', 'ai.location.ip': '10.0.0.3' }, { name: 'GET /cart', url: 'http://shop/cart', responseCode: '200', success: true, properties: { tenant: 'contoso' } })],
  ],
  [
    'HTTP client with connection details: only the target, no connection attributes as properties',
    {
      name: 'GET', kind: SpanKind.CLIENT, parentSpanId: PARENT_SPAN_ID,
      attributes: {
        'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:9000/price/17', 'server.address': '127.0.0.1', 'server.port': 9000, 'http.response.status_code': 200,
        'network.peer.address': '127.0.0.1', 'network.peer.port': 9000, 'network.protocol.version': '1.1',
      },
    },
    [dependency(CHILD, { name: 'GET /price/17', type: 'Http', data: 'http://127.0.0.1:9000/price/17', target: '127.0.0.1:9000', resultCode: '200', success: true })],
  ],
  [
    'HTTP client, stable semantic conventions, non-default port, 404',
    {
      name: 'GET',
      kind: SpanKind.CLIENT,
      parentSpanId: PARENT_SPAN_ID,
      attributes: {
        'http.request.method': 'GET', 'url.full': 'https://api.example.com:8443/v1/items?x=1', 'server.address': 'api.example.com',
        'server.port': 8443, 'http.response.status_code': 404,
      },
    },
    [
      dependency(CHILD, {
        name: 'GET /v1/items', type: 'Http', data: 'https://api.example.com:8443/v1/items?x=1', target: 'api.example.com:8443',
        resultCode: '404', success: false,
      }),
    ],
  ],
  [
    'HTTP client, old semantic conventions, default port left out',
    {
      name: 'HTTP GET',
      kind: SpanKind.CLIENT,
      parentSpanId: PARENT_SPAN_ID,
      attributes: { 'http.method': 'GET', 'http.url': 'http://example.com/a/b', 'http.scheme': 'http', 'net.peer.name': 'example.com', 'net.peer.port': 80, 'http.status_code': 200 },
    },
    [dependency(CHILD, { name: 'GET /a/b', type: 'Http', data: 'http://example.com/a/b', target: 'example.com', resultCode: '200', success: true })],
  ],
  [
    'HTTP client, stable names without url.scheme: the default port comes from url.full',
    {
      name: 'POST', kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': 'POST', 'url.full': 'https://login.example.com/token', 'server.address': 'login.example.com', 'server.port': 443, 'http.response.status_code': 200 },
    },
    [dependency(OP, { name: 'POST /token', type: 'Http', data: 'https://login.example.com/token', target: 'login.example.com', resultCode: '200', success: true })],
  ],
  [
    'HTTP client with only url.full',
    { name: 'GET', kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': 'http://10.1.2.3:9000/' } },
    [dependency(OP, { name: 'GET /', type: 'Http', data: 'http://10.1.2.3:9000/', target: '10.1.2.3:9000', resultCode: '0', success: true })],
  ],
  [
    'HTTP client with a method outside the known set (_OTHER)',
    {
      name: 'HTTP', kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE', 'url.full': 'http://cdn.local:8080/img.png', 'server.address': 'cdn.local', 'server.port': 8080 },
    },
    [dependency(OP, { name: 'PURGE /img.png', type: 'Http', data: 'http://cdn.local:8080/img.png', target: 'cdn.local:8080', resultCode: '0', success: true })],
  ],
  [
    'HTTP client: explicit OK status wins over a 503',
    {
      name: 'GET', kind: SpanKind.CLIENT, status: { code: SpanStatusCode.OK },
      attributes: { 'http.request.method': 'GET', 'url.full': 'https://h/x', 'http.response.status_code': 503 },
    },
    [dependency(OP, { name: 'GET /x', type: 'Http', data: 'https://h/x', target: 'h', resultCode: '503', success: true })],
  ],
  [
    'PostgreSQL, stable names',
    {
      name: 'SELECT shop.users', kind: SpanKind.CLIENT, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM users', 'db.namespace': 'shop', 'server.address': 'db.local', 'server.port': 5432 },
    },
    [dependency(CHILD, { name: 'SELECT shop.users', type: 'postgresql', data: 'SELECT * FROM users', target: 'db.local|shop', resultCode: '0', success: true, properties: { 'server.port': '5432' } })],
  ],
  [
    'MySQL, old names',
    {
      name: 'INSERT', kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'mysql', 'db.statement': 'INSERT INTO t VALUES (1)', 'db.name': 'app', 'net.peer.name': 'mysql.local' },
    },
    [dependency(OP, { name: 'INSERT', type: 'mysql', data: 'INSERT INTO t VALUES (1)', target: 'mysql.local|app', resultCode: '0', success: true })],
  ],
  [
    'SQL Server (mssql) becomes SQL',
    { name: 'exec', kind: SpanKind.CLIENT, attributes: { 'db.system': 'mssql', 'db.statement': 'EXEC p', 'db.name': 'crm', 'net.peer.name': 'sql1' } },
    [dependency(OP, { name: 'exec', type: 'SQL', data: 'EXEC p', target: 'sql1|crm', resultCode: '0', success: true })],
  ],
  [
    'SQL Server (microsoft.sql_server, stable) becomes SQL and keeps db.response.status_code',
    {
      name: 'SELECT', kind: SpanKind.CLIENT, status: { code: SpanStatusCode.ERROR },
      attributes: { 'db.system.name': 'microsoft.sql_server', 'db.query.text': 'SELECT 1', 'server.address': 'sql2', 'db.response.status_code': '208' },
    },
    [dependency(OP, { name: 'SELECT', type: 'SQL', data: 'SELECT 1', target: 'sql2', resultCode: '208', success: false })],
  ],
  [
    'Redis',
    { name: 'GET', kind: SpanKind.CLIENT, attributes: { 'db.system': 'redis', 'db.statement': 'GET session:1', 'net.peer.name': 'cache' } },
    [dependency(OP, { name: 'GET', type: 'redis', data: 'GET session:1', target: 'cache', resultCode: '0', success: true })],
  ],
  [
    'MongoDB without host: operation as data, namespace as target',
    { name: 'find shop.users', kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'mongodb', 'db.operation.name': 'find', 'db.namespace': 'shop' } },
    [dependency(OP, { name: 'find shop.users', type: 'mongodb', data: 'find', target: 'shop', resultCode: '0', success: true })],
  ],
  [
    'Cosmos DB without host or namespace: the system is the target',
    { name: 'ReadItem', kind: SpanKind.CLIENT, attributes: { 'db.system': 'cosmosdb' } },
    [dependency(OP, { name: 'ReadItem', type: 'cosmosdb', target: 'cosmosdb', resultCode: '0', success: true })],
  ],
  [
    'gRPC client',
    {
      name: 'helloworld.Greeter/SayHello', kind: SpanKind.CLIENT, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'rpc.system': 'grpc', 'rpc.service': 'helloworld.Greeter', 'rpc.method': 'SayHello', 'rpc.grpc.status_code': 0, 'server.address': 'grpc.local', 'server.port': 50051 },
    },
    [
      dependency(CHILD, {
        name: 'helloworld.Greeter/SayHello', type: 'GRPC', target: 'grpc.local:50051', resultCode: '0', success: true,
        properties: { 'rpc.service': 'helloworld.Greeter', 'rpc.method': 'SayHello' },
      }),
    ],
  ],
  [
    'gRPC server, failed',
    {
      name: 'helloworld.Greeter/SayHello', kind: SpanKind.SERVER, status: { code: SpanStatusCode.ERROR, message: 'not found' },
      attributes: { 'rpc.system': 'grpc', 'rpc.grpc.status_code': 5 },
    },
    [request({ ...OP, 'ai.operation.name': 'helloworld.Greeter/SayHello' }, { name: 'helloworld.Greeter/SayHello', responseCode: '5', success: false, properties: { 'rpc.system': 'grpc' } })],
  ],
  [
    'WCF client',
    { name: 'IService/Op', kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'dotnet_wcf' } },
    [dependency(OP, { name: 'IService/Op', type: 'WCF Service', target: 'dotnet_wcf', resultCode: '0', success: true })],
  ],
  [
    'Kafka producer',
    {
      name: 'send orders', kind: SpanKind.PRODUCER, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders', 'messaging.operation.type': 'send', 'server.address': 'broker' },
    },
    [dependency(CHILD, { name: 'send orders', type: 'Queue Message | kafka', target: 'broker/orders', resultCode: '0', success: true, properties: { 'messaging.operation.type': 'send' } })],
  ],
  [
    'Service Bus producer: the Azure namespace names the system',
    {
      name: 'send queue1', kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'servicebus', 'messaging.destination.name': 'queue1', 'server.address': 'ns.servicebus.windows.net', 'az.namespace': 'Microsoft.ServiceBus' },
    },
    [dependency(OP, { name: 'send queue1', type: 'Queue Message | Microsoft.ServiceBus', target: 'ns.servicebus.windows.net/queue1', resultCode: '0', success: true })],
  ],
  [
    'Kafka consumer (old operation name)',
    {
      name: 'orders process', kind: SpanKind.CONSUMER, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'messaging.system': 'kafka', 'messaging.operation': 'process', 'messaging.destination': 'orders' },
    },
    [request({ ...CHILD, 'ai.operation.name': 'process orders' }, { name: 'process orders', responseCode: '0', success: true, properties: { 'messaging.system': 'kafka' } })],
  ],
  [
    'Event Hubs producer described only by Azure SDK attributes',
    {
      name: 'EventHubs.send', kind: SpanKind.PRODUCER,
      attributes: { 'az.namespace': 'Microsoft.EventHub', 'peer.address': 'sb://ns.servicebus.windows.net/', 'message_bus.destination': 'hub1' },
    },
    // issue 14: the target is `namespace/entity`, without the `sb://` scheme of `peer.address`
    [dependency(OP, { name: 'EventHubs.send', type: 'Queue Message | Microsoft.EventHub', target: 'ns.servicebus.windows.net/hub1', resultCode: '0', success: true })],
  ],
  [
    'Event Hubs client call described only by Azure SDK attributes',
    { name: 'EventHubs.getProperties', kind: SpanKind.CLIENT, attributes: { 'az.namespace': 'Microsoft.EventHub', 'peer.address': 'ns.servicebus.windows.net' } },
    // issue 14: client calls of the Event Hubs SDK get the dependency type `Azure Event Hubs`
    [dependency(OP, { name: 'EventHubs.getProperties', type: 'Azure Event Hubs', target: 'ns.servicebus.windows.net', resultCode: '0', success: true })],
  ],
  [
    'Azure SDK internal span',
    { name: 'BlobClient.upload', kind: SpanKind.INTERNAL, parentSpanId: PARENT_SPAN_ID, attributes: { 'az.namespace': 'Microsoft.Storage' } },
    [dependency(CHILD, { name: 'BlobClient.upload', type: 'InProc | Microsoft.Storage', resultCode: '0', success: true })],
  ],
  [
    'internal root span: InProc, no parent',
    { name: 'compute', kind: SpanKind.INTERNAL, attributes: { step: 1 } },
    [dependency(OP, { name: 'compute', type: 'InProc', resultCode: '0', success: true, properties: { step: '1' } })],
  ],
  [
    'internal child span: InProc with parent',
    { name: 'compute', kind: SpanKind.INTERNAL, parentSpanId: PARENT_SPAN_ID },
    [dependency(CHILD, { name: 'compute', type: 'InProc', resultCode: '0', success: true })],
  ],
  [
    // A framework's span for handling a request inside the server (e.g. @fastify/otel's `request`
    // under the http SERVER span) carries HTTP attributes but is no outgoing call.
    'internal span with HTTP attributes: InProc, not an HTTP dependency',
    {
      name: 'request', kind: SpanKind.INTERNAL, parentSpanId: PARENT_SPAN_ID,
      attributes: { 'http.request.method': 'GET', 'url.path': '/orders/17', 'http.route': '/orders/:id', 'http.response.status_code': 200 },
    },
    // The method and route still name the operation, as on every span.
    [dependency({ ...CHILD, 'ai.operation.name': 'GET /orders/:id' }, {
      name: 'request', type: 'InProc', resultCode: '0', success: true,
      properties: { 'url.path': '/orders/17', 'http.response.status_code': '200' },
    })],
  ],
  [
    'failed generic client span',
    { name: 'call-legacy', kind: SpanKind.CLIENT, status: { code: SpanStatusCode.ERROR, message: 'timeout' }, attributes: { 'peer.service': 'legacy' } },
    [dependency(OP, { name: 'call-legacy', type: 'Dependency', target: 'legacy', resultCode: '0', success: false })],
  ],
  [
    'producer without messaging attributes',
    { name: 'enqueue', kind: SpanKind.PRODUCER, attributes: { 'server.address': 'q.local', 'server.port': 5672 } },
    [dependency(OP, { name: 'enqueue', type: 'Queue Message', target: 'q.local:5672', resultCode: '0', success: true })],
  ],
];

describe('spanToEnvelopes', () => {
  it.each(CASES)('maps %s', (_title, spec, expected) => {
    expect(spanToEnvelopes(buildSpan(spec), CTX)).toEqual(expected);
  });

  it('maps exception events (with and without type or stack) and other events, after the span', () => {
    const stack = 'TypeError: bad\n    at handler (/app/src/handler.js:10:5)\n    at /app/src/index.js:3:1';
    const span = buildSpan({
      name: 'GET /x',
      kind: SpanKind.SERVER,
      parentSpanId: PARENT_SPAN_ID,
      status: { code: SpanStatusCode.ERROR },
      attributes: { 'http.request.method': 'GET', 'http.route': '/x', 'enduser.id': 'bob' },
      events: [
        { name: 'exception', time: [1700000000, 500000000], attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad', 'exception.stacktrace': stack, 'exception.escaped': true } },
        { name: 'exception', time: [1700000000, 600000000], attributes: { 'exception.message': 'boom' } },
        { name: 'exception', time: [1700000000, 700000000] },
        { name: 'cache miss', time: [1700000000, 800000000], attributes: { key: 'k1' } },
      ],
    });
    const eventTags = { ...RESOURCE_TAGS, ...OP, 'ai.operation.parentId': SPAN_ID, 'ai.operation.name': 'GET /x', 'ai.user.authUserId': 'bob' };
    const event = (time: string, data: Envelope['data'], name: Envelope['name']): Envelope => ({ ver: 1, name, time, iKey: IKEY, tags: eventTags, data });
    expect(spanToEnvelopes(span, CTX)).toEqual([
      request({ ...CHILD, 'ai.operation.name': 'GET /x', 'ai.user.authUserId': 'bob' }, { name: 'GET /x', responseCode: '0', success: false }),
      event('2023-11-14T22:13:20.500Z', {
        baseType: 'ExceptionData',
        baseData: {
          ver: 2,
          exceptions: [{
            typeName: 'TypeError', message: 'bad', hasFullStack: true, stack,
            parsedStack: [
              { level: 0, method: 'handler', fileName: '/app/src/handler.js', line: 10 },
              { level: 1, method: '<anonymous>', fileName: '/app/src/index.js', line: 3 },
            ],
          }],
          properties: { 'exception.escaped': 'true' },
        },
      }, 'Microsoft.ApplicationInsights.Exception'),
      event('2023-11-14T22:13:20.600Z', { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [{ typeName: 'Error', message: 'boom' }] } }, 'Microsoft.ApplicationInsights.Exception'),
      event('2023-11-14T22:13:20.700Z', { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [{ typeName: 'Error', message: 'Error' }] } }, 'Microsoft.ApplicationInsights.Exception'),
      event('2023-11-14T22:13:20.800Z', { baseType: 'MessageData', baseData: { ver: 2, message: 'cache miss', properties: { key: 'k1' } } }, 'Microsoft.ApplicationInsights.Message'),
    ]);
  });

  it('maps an exception event on a dependency span too', () => {
    const span = buildSpan({
      name: 'q', kind: SpanKind.CLIENT,
      events: [{ name: 'exception', time: [1700000000, 900000000], attributes: { 'exception.type': 'ETIMEDOUT' } }],
    });
    const [, exception] = spanToEnvelopes(span, CTX);
    expect(exception).toEqual({
      ver: 1, name: 'Microsoft.ApplicationInsights.Exception', time: '2023-11-14T22:13:20.900Z', iKey: IKEY,
      tags: { ...RESOURCE_TAGS, ...OP, 'ai.operation.parentId': SPAN_ID },
      data: { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [{ typeName: 'ETIMEDOUT', message: 'ETIMEDOUT' }] } },
    });
  });

  it('writes links as _MS.links', () => {
    const links = [
      { context: { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', traceFlags: 1 } },
      { context: { traceId: 'cccccccccccccccccccccccccccccccc', spanId: 'dddddddddddddddd', traceFlags: 1 } },
    ];
    expect(spanToEnvelopes(buildSpan({ name: 'batch', kind: SpanKind.INTERNAL, links }), CTX)).toEqual([
      dependency(OP, {
        name: 'batch', type: 'InProc', resultCode: '0', success: true,
        properties: { '_MS.links': '[{"operation_Id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","id":"bbbbbbbbbbbbbbbb"},{"operation_Id":"cccccccccccccccccccccccccccccccc","id":"dddddddddddddddd"}]' },
      }),
    ]);
  });

  it('turns microsoft.sample_rate into sampleRate on the span and its events, not a property', () => {
    const span = buildSpan({
      name: 'work', kind: SpanKind.INTERNAL, attributes: { 'microsoft.sample_rate': 25 },
      events: [{ name: 'note', time: [1700000000, 0] }],
    });
    expect(spanToEnvelopes(span, CTX)).toEqual([
      { ...dependency(OP, { name: 'work', type: 'InProc', resultCode: '0', success: true }), sampleRate: 25 },
      {
        ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: '2023-11-14T22:13:20.000Z', sampleRate: 25, iKey: IKEY,
        tags: { ...RESOURCE_TAGS, ...OP, 'ai.operation.parentId': SPAN_ID },
        data: { baseType: 'MessageData', baseData: { ver: 2, message: 'note' } },
      },
    ]);
  });

  it.each([
    ['forces failure', () => false, false],
    ['forces success', () => true, true],
    ['keeps the computed value', (_span: unknown, computed: boolean) => computed, false],
  ])('lets successOverride decide: %s', (_title, successOverride, expected) => {
    const ctx = createMappingContext({ instrumentationKey: IKEY, sdkVersion: CTX.sdkVersion, successOverride });
    const span = buildSpan({ name: 'GET', kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/a', 'http.response.status_code': 404 } });
    expect(spanToEnvelopes(span, ctx)).toEqual([
      request({ ...OP, 'ai.operation.name': 'GET /a' }, { name: 'GET /a', responseCode: '404', success: expected }),
    ]);
  });

  it.each([[0], [-10], [150], ['250']])('never sends microsoft.sample_rate %p (outside (0, 100]): the item counts once, and the attribute is no property', (rate) => {
    const span = buildSpan({ name: 'w', kind: SpanKind.INTERNAL, attributes: { 'microsoft.sample_rate': rate } });
    expect(spanToEnvelopes(span, CTX)).toEqual([dependency(OP, { name: 'w', type: 'InProc', resultCode: '0', success: true })]);
  });

  it('uses the context sample rate when the span carries none', () => {
    const ctx = createMappingContext({ instrumentationKey: IKEY, sdkVersion: CTX.sdkVersion, sampleRate: () => 50 });
    expect(spanToEnvelopes(buildSpan({ name: 'w', kind: SpanKind.INTERNAL }), ctx)).toEqual([
      { ...dependency(OP, { name: 'w', type: 'InProc', resultCode: '0', success: true }), sampleRate: 50 },
    ]);
  });
});
