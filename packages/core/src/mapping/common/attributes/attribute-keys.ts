/**
 * Span (and log) attribute carrying the sampling percentage; becomes `envelope.sampleRate`, never a
 * property. Written by the samplers and trace-based log sampling; read through `ATTR.SAMPLE_RATE`.
 */
export const SAMPLE_RATE_ATTRIBUTE = 'microsoft.sample_rate';

/**
 * OpenTelemetry attribute names read by the mappers: stable semantic-convention names first,
 * then the older names they replaced. Readers always try them in the listed order.
 */
export const ATTR = {
  HTTP_METHOD: ['http.request.method', 'http.method'],
  HTTP_METHOD_ORIGINAL: ['http.request.method_original'],
  HTTP_STATUS_CODE: ['http.response.status_code', 'http.status_code'],
  HTTP_ROUTE: ['http.route'],
  URL_FULL: ['url.full', 'http.url'],
  URL_PATH: ['url.path'],
  URL_QUERY: ['url.query'],
  HTTP_TARGET: ['http.target'],
  URL_SCHEME: ['url.scheme', 'http.scheme'],
  HTTP_HOST: ['http.host'],
  SERVER_ADDRESS: ['server.address', 'net.peer.name', 'net.host.name'],
  SERVER_PORT: ['server.port', 'net.peer.port', 'net.host.port'],
  PEER_SERVICE: ['peer.service'],
  CLIENT_ADDRESS: ['client.address', 'http.client_ip'],
  NETWORK_PEER_ADDRESS: ['network.peer.address', 'net.sock.peer.addr', 'net.peer.ip'],
  USER_AGENT: ['user_agent.original', 'http.user_agent'],
  DB_SYSTEM: ['db.system.name', 'db.system'],
  DB_QUERY_TEXT: ['db.query.text', 'db.statement'],
  DB_OPERATION: ['db.operation.name', 'db.operation'],
  DB_NAMESPACE: ['db.namespace', 'db.name'],
  RPC_SYSTEM: ['rpc.system'],
  RPC_GRPC_STATUS_CODE: ['rpc.grpc.status_code'],
  MESSAGING_SYSTEM: ['messaging.system'],
  MESSAGING_DESTINATION: ['messaging.destination.name', 'messaging.destination'],
  MESSAGING_OPERATION: ['messaging.operation.type', 'messaging.operation'],
  AZ_NAMESPACE: ['az.namespace'],
  AZ_PEER_ADDRESS: ['peer.address'],
  AZ_DESTINATION: ['message_bus.destination'],
  DB_RESPONSE_STATUS_CODE: ['db.response.status_code'],
  ENDUSER_ID: ['enduser.id'],
  ENDUSER_PSEUDO_ID: ['enduser.pseudo.id'],
  SESSION_ID: ['session.id'],
  EXCEPTION_TYPE: ['exception.type'],
  EXCEPTION_MESSAGE: ['exception.message'],
  EXCEPTION_STACKTRACE: ['exception.stacktrace'],
  SAMPLE_RATE: [SAMPLE_RATE_ATTRIBUTE],
  CUSTOM_EVENT_NAME: ['microsoft.custom_event.name'],
  CUSTOM_MEASUREMENTS: ['microsoft.custom_measurements'],
  CLIENT_IP_OVERRIDE: ['microsoft.client.ip'],
  SYNTHETIC_TYPE: ['user_agent.synthetic.type'],
  OPERATION_NAME_OVERRIDE: ['microsoft.operation_name', 'ai.operation.name'],
  LEGACY_BASE_TYPE: ['_MS.baseType'],
  AVAILABILITY_ID: ['microsoft.availability.id'],
  AVAILABILITY_NAME: ['microsoft.availability.name'],
  AVAILABILITY_DURATION: ['microsoft.availability.duration'],
  AVAILABILITY_SUCCESS: ['microsoft.availability.success'],
  AVAILABILITY_RUN_LOCATION: ['microsoft.availability.runLocation'],
  AVAILABILITY_MESSAGE: ['microsoft.availability.message'],
  AVAILABILITY_TEST_TIMESTAMP: ['microsoft.availability.testTimestamp'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Connection details of a request or dependency span (socket addresses and ports, protocol,
 * transport): consumed by the span mapper and never sent as properties. The item's own fields
 * already say where it came from or went (`client_IP`, `target`, `url`); as properties they were
 * the same address written a second time, billed on every item. The official exporter drops them too.
 */
export const CONNECTION_ATTRIBUTES: readonly string[] = [
  'network.peer.address', 'network.peer.port', 'network.local.address', 'network.local.port',
  'network.protocol.name', 'network.protocol.version', 'network.transport', 'client.port',
];

/** Property holding a span's links as JSON `[{"operation_Id":..., "id":...}]`. */
export const LINKS_PROPERTY = '_MS.links';

/**
 * Attribute name prefixes of the Microsoft conventions (`microsoft.*`, `_MS.*`): instructions to the
 * exporter, never sent as properties, except {@link PUBLIC_INTERNAL_ATTRIBUTES}.
 */
export const INTERNAL_ATTRIBUTE_PREFIXES = ['microsoft.', '_MS.'] as const;

/**
 * Internal attributes that are sent as properties all the same: the portal reads
 * `_MS.ProcessedByMetricExtractors` to avoid counting an item twice in standard metrics.
 * (`_MS.links` is written by the span mapper itself, from the span's links.)
 */
export const PUBLIC_INTERNAL_ATTRIBUTES: readonly string[] = ['_MS.ProcessedByMetricExtractors'];

/**
 * Agent attribution of generative-AI spans (which agent and conversation a span served): kept as
 * properties of span items (the request or dependency, and span-event items) as the official
 * exporter keeps them, although they are `microsoft.*`. Log records drop them, as the official does.
 */
export const GEN_AI_MAIN_AGENT_ATTRIBUTES: readonly string[] = [
  'microsoft.gen_ai.main_agent.name',
  'microsoft.gen_ai.main_agent.id',
  'microsoft.gen_ai.main_agent.version',
  'microsoft.gen_ai.main_agent.conversation_id',
];

/**
 * Attribute (and property) telling ingestion's metric extractors that the SDK's standard metrics
 * already counted the item. Set on a span, it is inherited by the items of the span's events.
 */
export const PROCESSED_BY_METRIC_EXTRACTORS = '_MS.ProcessedByMetricExtractors';

/** Resource attribute names used for the cloud tags. */
export const RESOURCE_ATTR = {
  SERVICE_NAME: 'service.name',
  SERVICE_NAMESPACE: 'service.namespace',
  SERVICE_INSTANCE_ID: 'service.instance.id',
  SERVICE_VERSION: 'service.version',
  HOST_NAME: 'host.name',
} as const;

/**
 * Kubernetes workload name attributes, in the order they stand in for a missing `service.name`
 * (`ai.cloud.role`): the first one set wins.
 */
export const K8S_WORKLOAD_ATTRIBUTES = [
  'k8s.deployment.name', 'k8s.replicaset.name', 'k8s.statefulset.name', 'k8s.daemonset.name', 'k8s.job.name', 'k8s.cronjob.name',
] as const;
