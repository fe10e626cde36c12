import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { SeverityLevel } from '../../contracts/message-data';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import { isSyntheticItem } from '../common/tags/convention-tags';
import { readAvailabilityFields } from './availability-data';
import { customEventName, isExceptionRecord, isLegacyRecord } from './log-record-to-envelope';
import { severityToLevel } from './severity-level';

/** The kind of item a log record becomes (records of the legacy shim aside). */
type LogItemKind = 'exception' | 'event' | 'availability' | 'message';

/** What counters and rates need of a log record's item, without building it. */
export interface LogItemFacts {
  readonly kind: LogItemKind;
  /** From `severityNumber`, else `severityText`; undefined when neither says. */
  readonly severityLevel: SeverityLevel | undefined;
  /** Whether the item gets `ai.operation.syntheticSource`. */
  readonly synthetic: boolean;
}

/**
 * One log record -> the kind, severity and synthetic flag of the item `logRecordToEnvelope` makes
 * of it, decided by the mapper's own functions, without building the item. `undefined` for records
 * of the legacy shim (`_MS.baseType`), whose kind depends on their body: map those whole. Pure.
 */
export function logRecordToItemFacts(record: ReadableLogRecord): LogItemFacts | undefined {
  const reader = createAttributeReader(record.attributes);
  if (isLegacyRecord(reader)) return undefined;
  const synthetic = isSyntheticItem(reader);
  const severityLevel = severityToLevel(record.severityNumber, record.severityText);
  const kind: LogItemKind = isExceptionRecord(reader)
    ? 'exception'
    : customEventName(record, reader) !== undefined
      ? 'event'
      : readAvailabilityFields(reader, record.attributes) !== undefined ? 'availability' : 'message';
  return { kind, severityLevel, synthetic };
}
