import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RemoteDependencyData } from '../../contracts/remote-dependency-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { hrTimeToDuration } from '../common/time/hr-time-to-duration';
import type { MappingContext } from '../common/envelope/mapping-context';
import { truncateString } from '../common/limits/truncate-string';
import { azureMessagingDependency } from './dependency/azure-messaging-dependency';
import { azureSdkDependency, azureSdkInProcDependency } from './dependency/azure-sdk-dependency';
import { dbDependency } from './dependency/db-dependency';
import type { DependencyFields, DependencyMapper } from './dependency/dependency-fields';
import { fallbackDependency } from './dependency/fallback-dependency';
import { httpDependency } from './dependency/http-dependency';
import { messagingDependency } from './dependency/messaging-dependency';
import { rpcDependency } from './dependency/rpc-dependency';
import { spanSuccess } from './span-success';

/** Dependency kinds, most specific first; the first that recognises the span decides. */
const DEPENDENCY_MAPPERS: readonly DependencyMapper[] = [
  azureSdkInProcDependency,
  httpDependency,
  dbDependency,
  rpcDependency,
  azureMessagingDependency,
  messagingDependency,
  azureSdkDependency,
];

/** The fields the first dependency kind that recognises the span decides (the fallback else). */
export function dependencyFields(span: ReadableSpan, reader: AttributeReader): DependencyFields {
  for (const mapper of DEPENDENCY_MAPPERS) {
    const fields = mapper(span, reader);
    if (fields) return fields;
  }
  return fallbackDependency(span, reader);
}

/** The result code, type, target and success of a dependency, as RemoteDependencyData holds them. */
export interface DependencyOutcome {
  resultCode: string;
  type: string;
  target?: string;
  success: boolean;
}

/** {@link DependencyOutcome} of `fields` (truncated to the schema limits; result code "0" when none). */
export function dependencyOutcome(span: ReadableSpan, fields: DependencyFields, ctx: MappingContext): DependencyOutcome {
  const outcome: DependencyOutcome = {
    resultCode: truncateString(fields.resultCode ?? '0', SERVICE_LIMITS.NAME_MAX_CHARS),
    type: truncateString(fields.type, SERVICE_LIMITS.NAME_MAX_CHARS),
    success: spanSuccess(span, fields.httpStatusCode, ctx),
  };
  if (fields.target !== undefined) outcome.target = truncateString(fields.target, SERVICE_LIMITS.NAME_MAX_CHARS);
  return outcome;
}

/** CLIENT, PRODUCER and INTERNAL spans -> RemoteDependencyData (without properties). */
export function spanToDependencyData(span: ReadableSpan, reader: AttributeReader, ctx: MappingContext): RemoteDependencyData {
  const fields = dependencyFields(span, reader);
  const outcome = dependencyOutcome(span, fields, ctx);
  const data: RemoteDependencyData = {
    ver: 2,
    id: truncateString(span.spanContext().spanId, SERVICE_LIMITS.ID_MAX_CHARS),
    name: truncateString(fields.name || span.name || fields.type, SERVICE_LIMITS.NAME_MAX_CHARS),
    resultCode: outcome.resultCode,
    type: outcome.type,
    duration: hrTimeToDuration(span.duration),
    success: outcome.success,
  };
  if (fields.data !== undefined) data.data = truncateString(fields.data, SERVICE_LIMITS.DEPENDENCY_DATA_MAX_CHARS);
  if (outcome.target !== undefined) data.target = outcome.target;
  return data;
}
