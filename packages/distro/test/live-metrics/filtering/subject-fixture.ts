import { FILTER_COLUMNS, type FilterableTelemetryType, type FilterSubject } from '../../../src/live-metrics/filtering/item-to-filter-subject';

/** A subject with fixed columns and custom dimensions (what itemToFilterSubject gives for a real item). */
export function subjectOf(
  type: FilterableTelemetryType, columns: Record<string, string | number | boolean>, dimensions: Record<string, string> = {},
): FilterSubject {
  return {
    column: (name) => columns[name] ?? '',
    customDimension: (key) => dimensions[key],
    allText: () => [...FILTER_COLUMNS[type].map((name) => String(columns[name] ?? '')), ...Object.values(dimensions)],
  };
}
