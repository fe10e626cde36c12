/**
 * Longest value of each context tag (`tags` of an envelope). The ingestion REST spec
 * (track-schema.ts) types tags as free strings; the limits come from the service's Bond contract,
 * `ContextTagKeys.bond` (`[MaxStringLength]` of each key), and the service enforces them: real
 * answers read `100: Field 'ai.operation.name' on type 'ContextTagKeys' is too long. Expected: 1024
 * characters, Actual: 1169` (microsoft/ApplicationInsights-JS#1107) and `100: Field 'ai.session.id'
 * on type 'ContextTagKeys' is too long. Expected: 64 characters, Actual: 66`
 * (microsoft/ApplicationInsights-Java#1180). Tags not listed here have no limit the emulator checks.
 */
export const CONTEXT_TAG_LIMITS_SOURCE = {
  repository: 'microsoft/ApplicationInsights-Home',
  path: 'EndpointSpecs/Schemas/Bond/ContextTagKeys.bond',
  /** The copy read: the fork MohanGsk/ApplicationInsights-Home at this commit (the upstream file is not in the index searched). */
  readFrom: 'MohanGsk/ApplicationInsights-Home@7521ed47e2725b049d436e14647826293975302c',
} as const;

/** Tag key -> most characters. */
export const CONTEXT_TAG_MAX_LENGTHS: Readonly<Record<string, number>> = {
  'ai.application.ver': 1024,
  'ai.device.id': 1024,
  'ai.device.locale': 64,
  'ai.device.model': 256,
  'ai.device.oemName': 256,
  'ai.device.osVersion': 256,
  'ai.device.type': 64,
  'ai.location.ip': 45,
  'ai.operation.id': 128,
  'ai.operation.name': 1024,
  'ai.operation.parentId': 128,
  'ai.operation.syntheticSource': 1024,
  'ai.operation.correlationVector': 64,
  'ai.session.id': 64,
  'ai.session.isFirst': 5,
  'ai.user.accountId': 1024,
  'ai.user.userAgent': 2048,
  'ai.user.id': 128,
  'ai.user.authUserId': 1024,
  'ai.cloud.role': 256,
  'ai.cloud.roleInstance': 256,
  'ai.internal.sdkVersion': 64,
  'ai.internal.agentVersion': 64,
};
