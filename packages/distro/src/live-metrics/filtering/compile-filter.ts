import type { FilterInfo } from '../protocol/quick-pulse-contracts';
import { FILTER_COLUMNS, type FilterableTelemetryType, type FilterSubject } from './item-to-filter-subject';
import { LiveFilterError } from './live-filter-error';

/** Whether one item passes. */
export type FilterPredicate = (subject: FilterSubject) => boolean;

const CUSTOM_DIMENSION = 'CustomDimensions.';
const NUMERIC_PREDICATES = new Set(['LessThan', 'GreaterThan', 'LessThanOrEqual', 'GreaterThanOrEqual']);
const PREDICATES = new Set(['Equal', 'NotEqual', 'Contains', 'DoesNotContain', ...NUMERIC_PREDICATES]);
/** Columns compared as numbers (`Duration` in ms, result codes). */
const NUMBER_COLUMNS = new Set(['Duration', 'ResponseCode', 'ResultCode']);
/** A .NET TimeSpan comparand: `[d.]h:m:s[.f]` (the portal sends `0.0:0:0.2`-like values). */
const TIME_SPAN = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/;

const UNSUPPORTED_TYPES: Readonly<Record<string, string>> = {
  Event: 'the telemetry type Event was specified, but this SDK filters only Request, Dependency, Exception and Trace',
  Metric: 'the telemetry type Metric was specified, but this SDK does not send custom metrics to Live Metrics',
  PerformanceCounter: 'the telemetry type PerformanceCounter was specified, but this SDK does not send performance counters to Live Metrics',
};

/**
 * A configuration's telemetry type -> the filterable type.
 *
 * @throws LiveFilterError (`AI_LIVE_TELEMETRY_TYPE`) for Event, Metric, PerformanceCounter and unknown types.
 */
export function parseFilterableTelemetryType(name: string): FilterableTelemetryType {
  if (name in FILTER_COLUMNS) return name as FilterableTelemetryType;
  throw new LiveFilterError('AI_LIVE_TELEMETRY_TYPE', UNSUPPORTED_TYPES[name] ?? `'${name}' is not a valid telemetry type`);
}

/** A Duration comparand (`d.hh:mm:ss.fff`, or `hh:mm:ss`) in milliseconds; NaN when it is not one. */
export function timeSpanComparandToMillis(comparand: string): number {
  const match = TIME_SPAN.exec(comparand.trim());
  if (match === null) return Number.NaN;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1_000;
}

function compareText(predicate: string, comparand: string): (value: string) => boolean {
  const lower = comparand.toLowerCase();
  switch (predicate) {
    case 'Equal': return (value) => value === comparand;
    case 'NotEqual': return (value) => value !== comparand;
    case 'Contains': return (value) => value.toLowerCase().includes(lower);
    default: return (value) => !value.toLowerCase().includes(lower); // DoesNotContain
  }
}

function compareNumber(predicate: string, comparand: number): (value: number) => boolean {
  switch (predicate) {
    case 'Equal': return (value) => value === comparand;
    case 'NotEqual': return (value) => value !== comparand;
    case 'LessThan': return (value) => value < comparand;
    case 'GreaterThan': return (value) => value > comparand;
    case 'LessThanOrEqual': return (value) => value <= comparand;
    default: return (value) => value >= comparand; // GreaterThanOrEqual
  }
}

const invalid = (message: string): LiveFilterError => new LiveFilterError('AI_LIVE_FILTER', message);

function compileAnyField(predicate: string, comparand: string): FilterPredicate {
  if (predicate !== 'Contains' && predicate !== 'DoesNotContain') throw invalid(`the predicate '${predicate}' is not supported for the field name '*': use Contains or DoesNotContain`);
  const needle = comparand.toLowerCase();
  const anyContains = (subject: FilterSubject): boolean => subject.allText().some((text) => text.toLowerCase().includes(needle));
  return predicate === 'Contains' ? anyContains : (subject) => !anyContains(subject);
}

function compileColumn(column: string, predicate: string, comparand: string): FilterPredicate {
  if (column === 'Success') {
    if (predicate !== 'Equal' && predicate !== 'NotEqual') throw invalid(`the predicate '${predicate}' is not supported for the field name 'Success': use Equal or NotEqual`);
    const wanted = comparand.toLowerCase();
    if (wanted !== 'true' && wanted !== 'false') throw invalid(`the comparand '${comparand}' is not a valid boolean value for the field name Success`);
    const expected = wanted === 'true';
    return predicate === 'Equal' ? (s) => s.column('Success') === expected : (s) => s.column('Success') !== expected;
  }
  if (NUMBER_COLUMNS.has(column)) {
    if (predicate === 'Contains' || predicate === 'DoesNotContain') throw invalid(`the predicate '${predicate}' is not supported for the field name '${column}'`);
    const value = column === 'Duration' ? timeSpanComparandToMillis(comparand) : Number.parseFloat(comparand);
    if (Number.isNaN(value)) {
      throw invalid(column === 'Duration'
        ? `the comparand '${comparand}' is not a duration: use d.hh:mm:ss.fff`
        : `the comparand '${comparand}' can't be converted to a double`);
    }
    const test = compareNumber(predicate, value);
    return (s) => test(s.column(column) as number);
  }
  if (NUMERIC_PREDICATES.has(predicate)) throw invalid(`the predicate '${predicate}' is not supported for the field name '${column}': it is compared as text`);
  const test = compareText(predicate, comparand);
  return (s) => test(String(s.column(column)));
}

/**
 * One filter of a configuration -> its predicate, with the official client's rules: a field the
 * type exposes, `*` (Contains/DoesNotContain over every column and custom dimension) or
 * `CustomDimensions.<key>` (text; an item without the key never passes); Equal/NotEqual exact,
 * Contains/DoesNotContain ignoring case; `Duration` (ms, comparand `d.hh:mm:ss.fff`) and result
 * codes compared as numbers; `Success` with `true`/`false`. Exception fields may carry their
 * `Exception.` prefix. Pure.
 *
 * @throws LiveFilterError (`AI_LIVE_FILTER`) naming what the portal sent that this SDK cannot evaluate.
 */
export function compileFilter(filter: FilterInfo, type: FilterableTelemetryType): FilterPredicate {
  const { Predicate: predicate, Comparand: comparand } = filter;
  let field = filter.FieldName;
  if (typeof field !== 'string' || field === '') throw invalid('a filter must have a field name');
  if (typeof predicate !== 'string' || !PREDICATES.has(predicate)) throw invalid(`'${String(predicate)}' is not a valid predicate`);
  if (typeof comparand !== 'string' || comparand === '') {
    throw invalid(`a filter must have a comparand (field '${field}', predicate '${predicate}')`);
  }
  if (field.startsWith('CustomMetrics.')) throw invalid('filtering on a custom metric is not supported via OpenTelemetry');
  if (field === '*') return compileAnyField(predicate, comparand);
  if (field.startsWith(CUSTOM_DIMENSION)) {
    const key = field.slice(CUSTOM_DIMENSION.length);
    if (NUMERIC_PREDICATES.has(predicate)) throw invalid(`the predicate '${predicate}' is not supported for the field name '${field}': custom dimensions are compared as text`);
    const test = compareText(predicate, comparand);
    return (s) => {
      const value = s.customDimension(key);
      return value !== undefined && test(value);
    };
  }
  if (type === 'Exception' && field.startsWith('Exception.')) field = field.slice('Exception.'.length);
  else if (type === 'Exception') throw invalid(`'${field}' is not a valid field name for the telemetry type Exception: use Exception.Message or Exception.StackTrace`);
  if (!FILTER_COLUMNS[type].includes(field)) throw invalid(`'${filter.FieldName}' is not a valid field name for the telemetry type ${type}`);
  return compileColumn(field, predicate, comparand);
}
