import type { Envelope } from '@appinsights-otel/core';
import type { TappedItem } from '../create-telemetry-tap';

/** The telemetry types a filter configuration can name that this SDK filters (as the official client). */
export type FilterableTelemetryType = 'Request' | 'Dependency' | 'Exception' | 'Trace';

/** The columns each type exposes to filters (exception columns without their `Exception.` prefix). */
export const FILTER_COLUMNS: Readonly<Record<FilterableTelemetryType, readonly string[]>> = Object.freeze({
  Request: ['Url', 'Duration', 'ResponseCode', 'Success', 'Name'],
  Dependency: ['Target', 'Duration', 'Success', 'Name', 'ResultCode', 'Type', 'Data'],
  Exception: ['Message', 'StackTrace'],
  Trace: ['Message'],
});

/** What a filter or projection reads of one item. */
export interface FilterSubject {
  /** A column's value: text, a number (`Duration` in ms, result codes) or `Success`. */
  column(name: string): string | number | boolean;
  /** A custom dimension (the item's property), or `undefined` when the item has none of that key. */
  customDimension(key: string): string | undefined;
  /** Every column and custom dimension value as text (the `*` field). */
  allText(): string[];
}

/** A result code as the official client compares it: a number, 0 when none or not numeric. */
function numericCode(code: string): number {
  const n = Number.parseFloat(code);
  return Number.isNaN(n) ? 0 : n;
}

/** The envelope's text columns (only these need the whole item mapped). */
function envelopeColumn(envelope: Envelope | undefined, name: string): string {
  if (envelope === undefined) return '';
  const { data } = envelope;
  switch (data.baseType) {
    case 'RequestData':
      return name === 'Url' ? data.baseData.url ?? '' : name === 'Name' ? data.baseData.name : '';
    case 'RemoteDependencyData':
      return name === 'Data' ? data.baseData.data ?? '' : name === 'Name' ? data.baseData.name : '';
    case 'ExceptionData': {
      const first = data.baseData.exceptions[0];
      return name === 'Message' ? first?.message ?? '' : name === 'StackTrace' ? first?.stack ?? '' : '';
    }
    case 'MessageData':
      return name === 'Message' ? data.baseData.message : '';
    default:
      return '';
  }
}

function propertiesOf(envelope: Envelope | undefined): Record<string, string> | undefined {
  if (envelope === undefined || envelope.data.baseType === 'MetricData') return undefined;
  return envelope.data.baseData.properties;
}

/**
 * One tapped item as filters see it. Duration, success, result code, dependency type and target
 * come from the item's facts (no mapping); the other columns and custom dimensions map the item
 * whole, once, on first use (shared with its sample document). Custom dimensions are the stored
 * item's properties without the `_MS.*` ones.
 */
export function itemToFilterSubject(item: TappedItem, type: FilterableTelemetryType): FilterSubject {
  let mapped = false;
  let envelope: Envelope | undefined;
  const whole = (): Envelope | undefined => {
    if (!mapped) {
      envelope = item.envelope();
      mapped = true;
    }
    return envelope;
  };
  const subject: FilterSubject = {
    column(name) {
      switch (name) {
        case 'Duration': return item.durationMillis;
        case 'Success': return item.success;
        case 'ResponseCode':
        case 'ResultCode': return numericCode(item.resultCode);
        case 'Type': return item.dependencyType;
        case 'Target': return item.dependencyTarget;
        default: return envelopeColumn(whole(), name);
      }
    },
    customDimension(key) {
      if (key.startsWith('_MS.')) return undefined;
      return propertiesOf(whole())?.[key];
    },
    allText() {
      const texts = FILTER_COLUMNS[type].map((name) => String(subject.column(name)));
      for (const [key, value] of Object.entries(propertiesOf(whole()) ?? {})) if (!key.startsWith('_MS.')) texts.push(value);
      return texts;
    },
  };
  return subject;
}
