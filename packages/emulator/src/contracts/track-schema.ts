/**
 * The published ingestion contract the emulator enforces on `/v2/track` and `/v2.1/track`.
 *
 * `definitions` is the `definitions` section of the Application Insights ingestion REST spec, kept
 * in swagger 2.0 syntax so it can be read side by side with the original (descriptions dropped,
 * except where a rule lives only in a description; `x-ms-*` client naming hints dropped; nothing
 * else changed). Keys starting `x-emulator-` are ours and each cites the text it comes from.
 * `ContextTagKeys` (an enum of tag names) is left out: tag keys are free strings on the wire.
 */
export const TRACK_SCHEMA_SOURCE = {
  repository: 'Azure/azure-rest-api-specs',
  path: 'specification/applicationinsights/data-plane/Monitor.Exporters/preview/v2.1/swagger.json',
  commit: '04c2cb7bb78946cf2fce656ee0ccff69bec99f5b',
} as const;

/** A swagger 2.0 schema object, the subset the spec uses. */
export interface SchemaNode {
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  readonly format?: 'int32' | 'double' | 'float' | 'date-time';
  readonly maxLength?: number;
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly allOf?: readonly SchemaNode[];
  readonly $ref?: string;
  readonly default?: unknown;
  readonly 'x-nullable'?: boolean;
  /** Ours: the value is an Application Insights duration string (rule stated only in the field's description). */
  readonly 'x-emulator-format'?: 'duration' | 'duration-or-timespan-g';
  /** Ours: the description the `x-emulator-*` key is taken from, verbatim. */
  readonly 'x-emulator-description'?: string;
  /** Ours: fields of `required` the service is known to take absent, and the evidence. */
  readonly 'x-emulator-optional'?: { readonly fields: readonly string[]; readonly evidence: string };
}

const DURATION_DESCRIPTION = 'Request duration in format: DD.HH:MM:SS.MMMMMM. Must be less than 1000 days.';
const duration = (description = DURATION_DESCRIPTION): SchemaNode => ({ type: 'string', 'x-emulator-format': 'duration', 'x-emulator-description': description });
const PROPERTIES: SchemaNode = { type: 'object', additionalProperties: { type: 'string', maxLength: 8192 } };

/** The fields PageViewPerfData inherits from PageViewData in the v2.1 spec (`allOf`). */
const PAGE_VIEW_FIELDS = {
    id: { type: 'string', maxLength: 512 },
    name: { type: 'string', maxLength: 1024 },
    url: { type: 'string', maxLength: 2048 },
    duration: duration('Request duration in format: DD.HH:MM:SS.MMMMMM. For a page view (PageViewData), this is the duration. For a page view with performance information (PageViewPerfData), this is the page load time. Must be less than 1000 days.'),
} as const;
const MEASUREMENTS: SchemaNode = { type: 'object', additionalProperties: { type: 'number', format: 'double' } };
const domain = (required: readonly string[], properties: Record<string, SchemaNode>, extra: Partial<SchemaNode> = {}): SchemaNode => ({
  allOf: [{ $ref: '#/definitions/Domain' }, { type: 'object', required, properties, ...extra }],
});
/** The timing fields of PageViewPerfData: their descriptions name TimeSpan's 'G' form; Microsoft's browser SDK sends the duration form, so both are taken. */
const timeSpanG = (what: string): SchemaNode => ({ type: 'string', 'x-emulator-format': 'duration-or-timespan-g', 'x-emulator-description': `${what} in TimeSpan 'G' (general long) format: d:hh:mm:ss.fffffff` });
/**
 * Why PageViewPerfData's `id` may be absent: Microsoft's browser SDK never sends one (its
 * PageViewPerformance contract has no `id` field), and the service stores those items in
 * `browserTimings`; the Bond contract marks the field `[ActAsRequired("Required field for correct
 * correlation.")]`, a hint for clients rather than a rule the service enforces.
 */
const PAGE_VIEW_PERF_ID_EVIDENCE = '@microsoft/applicationinsights-web 3.4.4: PageViewPerformance.aiDataContract lists ver, name, url, duration, perfTotal, networkConnect, sentRequest, receivedResponse, domProcessing, properties, measurements (no id); ApplicationInsights-Home EndpointSpecs/Schemas/Bond/PageViewPerfData.bond: [ActAsRequired] on id';

/** The spec's `definitions`, by name. */
export const TRACK_DEFINITIONS: Readonly<Record<string, SchemaNode>> = {
  AvailabilityData: domain(['id', 'name', 'duration', 'success'], {
    id: { type: 'string', maxLength: 512 },
    name: { type: 'string', maxLength: 1024 },
    duration: duration('Duration in format: DD.HH:MM:SS.MMMMMM. Must be less than 1000 days.'),
    success: { type: 'boolean', 'x-nullable': false },
    runLocation: { type: 'string', maxLength: 1024 },
    message: { type: 'string', maxLength: 8192 },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  Base: {
    type: 'object',
    properties: {
      baseType: { type: 'string' },
      baseData: { $ref: '#/definitions/Domain' },
    },
  },
  DataPoint: {
    type: 'object',
    required: ['name', 'value'],
    properties: {
      ns: { type: 'string', maxLength: 256 },
      name: { type: 'string', maxLength: 1024 },
      kind: { $ref: '#/definitions/DataPointType' },
      value: { type: 'number', format: 'double' },
      count: { type: 'number', format: 'int32', 'x-nullable': true },
      min: { type: 'number', format: 'double', 'x-nullable': true },
      max: { type: 'number', format: 'double', 'x-nullable': true },
      stdDev: { type: 'number', format: 'double', 'x-nullable': true },
    },
  },
  DataPointType: { type: 'string', enum: ['Measurement', 'Aggregation'] },
  Domain: {
    type: 'object',
    required: ['ver'],
    additionalProperties: true,
    properties: { ver: { type: 'integer', format: 'int32', default: 2 } },
  },
  EventData: domain(['name'], {
    name: { type: 'string', maxLength: 512 },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  ExceptionData: domain(['exceptions'], {
    exceptions: { type: 'array', items: { $ref: '#/definitions/ExceptionDetails' } },
    severityLevel: { $ref: '#/definitions/SeverityLevel', 'x-nullable': true },
    problemId: { type: 'string', maxLength: 1024 },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  ExceptionDetails: {
    type: 'object',
    required: ['message'],
    properties: {
      id: { type: 'number', format: 'int32' },
      outerId: { type: 'number', format: 'int32' },
      typeName: { type: 'string', maxLength: 1024 },
      message: { type: 'string', maxLength: 32768 },
      hasFullStack: { type: 'boolean', default: true },
      stack: { type: 'string', maxLength: 32768 },
      parsedStack: { type: 'array', items: { $ref: '#/definitions/StackFrame' } },
    },
  },
  MessageData: domain(['message'], {
    message: { type: 'string', maxLength: 32768 },
    severityLevel: { $ref: '#/definitions/SeverityLevel' },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  MetricsData: domain(['metrics'], {
    metrics: { type: 'array', items: { $ref: '#/definitions/DataPoint' } },
    properties: PROPERTIES,
  }),
  PageViewData: domain(['id', 'name'], {
    ...PAGE_VIEW_FIELDS,
    referredUri: { type: 'string', maxLength: 2048 },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  PageViewPerfData: domain(['id', 'name'], {
    ...PAGE_VIEW_FIELDS,
    perfTotal: timeSpanG('Performance total'),
    networkConnect: timeSpanG('Network connection time'),
    sentRequest: timeSpanG('Sent request time'),
    receivedResponse: timeSpanG('Received response time'),
    domProcessing: timeSpanG('DOM processing time'),
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }, { 'x-emulator-optional': { fields: ['id'], evidence: PAGE_VIEW_PERF_ID_EVIDENCE } }),
  RemoteDependencyData: domain(['name', 'duration'], {
    id: { type: 'string', maxLength: 512 },
    name: { type: 'string', maxLength: 1024 },
    resultCode: { type: 'string', maxLength: 1024 },
    data: { type: 'string', maxLength: 8192 },
    type: { type: 'string', maxLength: 1024 },
    target: { type: 'string', maxLength: 1024 },
    duration: duration(),
    success: { type: 'boolean', default: true },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  RequestData: domain(['id', 'duration', 'responseCode', 'success'], {
    id: { type: 'string', maxLength: 512 },
    name: { type: 'string', maxLength: 1024 },
    duration: duration(),
    success: { type: 'boolean', default: true },
    responseCode: { type: 'string', maxLength: 1024 },
    source: { type: 'string', maxLength: 1024 },
    url: { type: 'string', maxLength: 2048 },
    properties: PROPERTIES,
    measurements: MEASUREMENTS,
  }),
  SeverityLevel: { type: 'string', enum: ['Verbose', 'Information', 'Warning', 'Error', 'Critical'] },
  StackFrame: {
    type: 'object',
    required: ['level', 'method'],
    properties: {
      level: { type: 'number', format: 'int32' },
      method: { type: 'string', maxLength: 1024 },
      assembly: { type: 'string', maxLength: 1024 },
      fileName: { type: 'string', maxLength: 1024 },
      line: { type: 'number', format: 'int32' },
    },
  },
  TelemetryEnvelope: {
    type: 'object',
    required: ['name', 'time'],
    properties: {
      ver: { type: 'number', format: 'int32', default: 1 },
      name: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      sampleRate: { type: 'number', format: 'float', default: 100.0 },
      seq: { type: 'string', maxLength: 64 },
      iKey: { type: 'string' },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      data: { $ref: '#/definitions/Base' },
    },
  },
};

/**
 * Where the wire names of page view types come from: the service's Bond contract gives each type
 * its aliases, `[Alias("PageviewData;PageEventData")]` on PageViewData and
 * `[Alias("PageViewPerformanceData;PageviewPerformanceData")]` on PageViewPerfData; Microsoft's
 * browser SDK sends `PageviewData` and `PageviewPerformanceData`.
 */
export const BASE_TYPE_ALIASES_SOURCE = {
  repository: 'microsoft/ApplicationInsights-Home',
  paths: ['EndpointSpecs/Schemas/Bond/PageViewData.bond', 'EndpointSpecs/Schemas/Bond/PageViewPerfData.bond'],
  readFrom: 'MohanGsk/ApplicationInsights-Home (fork; PageViewData.bond@23e0baa9c3cc3b60e765da3ccfcd111b918d5e69, PageViewPerfData.bond@8132a28d865301db99df08e6753c5d229e4a4291)',
} as const;

/**
 * Wire `baseType` -> definition. The spec names the metric definition `MetricsData`; the wire name
 * (and the Bond type name the service's messages use) is `MetricData`. The page view types also
 * go by their Bond aliases (see {@link BASE_TYPE_ALIASES_SOURCE}).
 */
export const BASE_TYPE_DEFINITIONS: Readonly<Record<string, string>> = {
  AvailabilityData: 'AvailabilityData',
  EventData: 'EventData',
  ExceptionData: 'ExceptionData',
  MessageData: 'MessageData',
  MetricData: 'MetricsData',
  PageViewData: 'PageViewData',
  PageviewData: 'PageViewData',
  PageEventData: 'PageViewData',
  PageViewPerfData: 'PageViewPerfData',
  PageViewPerformanceData: 'PageViewPerfData',
  PageviewPerformanceData: 'PageViewPerfData',
  RemoteDependencyData: 'RemoteDependencyData',
  RequestData: 'RequestData',
};

/** The type name the service's error messages use for a definition (its Bond name). */
export const MESSAGE_TYPE_NAMES: Readonly<Record<string, string>> = {
  TelemetryEnvelope: 'Envelope',
  Base: 'Data',
  MetricsData: 'MetricData',
};
