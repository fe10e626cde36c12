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

/** Maximum length (characters) of each context tag value, from the Application Insights schema. */
export const CONTEXT_TAG_MAX_LENGTH: Readonly<Record<ContextTagKey, number>> = {
  'ai.application.ver': 1024,
  'ai.cloud.role': 256,
  'ai.cloud.roleInstance': 256,
  'ai.internal.sdkVersion': 64,
  'ai.operation.id': 128,
  'ai.operation.parentId': 128,
  'ai.operation.name': 1024,
  'ai.operation.syntheticSource': 1024,
  'ai.user.id': 128,
  'ai.user.authUserId': 1024,
  'ai.user.userAgent': 1024,
  'ai.session.id': 64,
  'ai.location.ip': 46,
};
