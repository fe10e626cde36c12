/** The `ai.*` context tag keys this project writes. */
export const CONTEXT_TAG = {
  APPLICATION_VER: 'ai.application.ver',
  CLOUD_ROLE: 'ai.cloud.role',
  CLOUD_ROLE_INSTANCE: 'ai.cloud.roleInstance',
  INTERNAL_SDK_VERSION: 'ai.internal.sdkVersion',
  OPERATION_ID: 'ai.operation.id',
  OPERATION_PARENT_ID: 'ai.operation.parentId',
  OPERATION_NAME: 'ai.operation.name',
  OPERATION_SYNTHETIC_SOURCE: 'ai.operation.syntheticSource',
  USER_ID: 'ai.user.id',
  USER_AUTH_USER_ID: 'ai.user.authUserId',
  USER_AGENT: 'ai.user.userAgent',
  SESSION_ID: 'ai.session.id',
  LOCATION_IP: 'ai.location.ip',
} as const;

/** One of the `ai.*` keys in `CONTEXT_TAG`. */
export type ContextTagKey = (typeof CONTEXT_TAG)[keyof typeof CONTEXT_TAG];

/**
 * Longest value (characters) of every context tag the service's Bond contract bounds:
 * `[MaxStringLength]` of each key of `ContextTagKeys.bond` (microsoft/ApplicationInsights-Home,
 * `EndpointSpecs/Schemas/Bond/ContextTagKeys.bond`; read from the fork
 * MohanGsk/ApplicationInsights-Home@7521ed47e2725b049d436e14647826293975302c). The service refuses a
 * longer value (`100: Field 'ai.session.id' on type 'ContextTagKeys' is too long`), so mapping
 * truncates to these. The emulator keeps its own copy as the judge
 * (packages/emulator/src/contracts/context-tag-limits.ts); test/e2e/context-tag-limits.test.ts
 * checks that both are the same table.
 */
export const CONTEXT_TAG_SCHEMA_MAX_LENGTH: Readonly<Record<string, number>> = {
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

/** Maximum length (characters) of each context tag this project writes: {@link CONTEXT_TAG_SCHEMA_MAX_LENGTH} for its keys. */
export const CONTEXT_TAG_MAX_LENGTH: Readonly<Record<ContextTagKey, number>> = Object.fromEntries(
  Object.values(CONTEXT_TAG).map((key) => [key, CONTEXT_TAG_SCHEMA_MAX_LENGTH[key] as number]),
) as Record<ContextTagKey, number>;
