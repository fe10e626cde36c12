export { startEmulator } from './start-emulator';
export type { FederatedCredential } from './issuer/client-assertion-trust';
export type {
  EmulatorHandle, EmulatorOptions, IssueTokenRequest, ManagedIdentityEnv, ServicePrincipalDetails, StoredItem,
} from './start-emulator';
export { createDefaultConfig, DEFAULT_IDS } from './config/emulator-config';
export type { EmulatorConfig, IdentityConfig, IdentityKind, ResourceConfig, RoleAssignment, RoleName } from './config/emulator-config';
export { parseConfig } from './config/parse-config';
export { EmulatorError, KqlError, QueryLimitError } from './errors';
export type { EmulatorErrorCode } from './errors';
export type { Chaos, ChaosAction } from './chaos/create-chaos';
export type { LoggedRequest } from './server/create-request-log';
export type {
  LiveMetricsControl, LiveMetricsRecord, LiveDataPoint, LiveMetricPoint, LiveCollectionConfiguration, LiveFilterInfo,
} from './live-metrics/create-live-metrics-service';
export type { QueryResponse } from './query/format-result';
export type { TrackResponse, TrackError } from './ingestion/handle-track';
export { AUTH_NOT_SUPPORTED_MESSAGE } from './ingestion/handle-track';
export { TABLE_NAMES, TABLE_SCHEMAS } from './storage/table-schemas';
export type { TableName, ColumnSchema, KustoType } from './storage/table-schemas';
