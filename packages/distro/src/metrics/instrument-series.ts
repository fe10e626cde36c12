import type { Attributes } from '@opentelemetry/api';
import { canonicalAttributesKey, fastAttributesKey } from './attribute-keys';

/**
 * Series per instrument and interval before new ones share one overflow series, as the metrics
 * SDK does with its default cardinality limit of 2,000 (1,999 series plus the overflow one).
 */
const SERIES_LIMIT = 1_999;
/** The overflow series' attributes (the SDK's). */
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const OVERFLOW_KEY = canonicalAttributesKey(OVERFLOW_ATTRIBUTES);

/** One series: the attributes it was first recorded with (the SDK reports those) and its aggregate. */
export interface SeriesCell {
  readonly attributes: Attributes;
  /** The SDK's identity of the series. */
  readonly canonical: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

const newCell = (attributes: Attributes, canonical: string): SeriesCell => ({ attributes, canonical, count: 0, sum: 0, min: Infinity, max: -Infinity });

/**
 * The series of one instrument in the current interval, in first-recorded order (the SDK's), each
 * found by the attributes' fast key, or on its first sight by the SDK's canonical key (so any two
 * attribute sets the SDK counts as one series are one here too). The object a series was first
 * recorded with in the interval is the one reported, as in the SDK.
 */
export class IntervalSeries {
  private order: SeriesCell[] = [];
  private byFast = new Map<string, SeriesCell>();
  private byCanonical = new Map<string, SeriesCell>();

  /** The cell of `attributes`' series, created (or the overflow cell, past the limit) if new. */
  cell(attributes: Attributes): SeriesCell {
    const fast = fastAttributesKey(attributes);
    const found = this.byFast.get(fast);
    if (found !== undefined) return found;
    const cell = this.canonicalCell(attributes);
    // past the limit every new attribute set overflows: remembering each would grow without bound
    if (this.order.length < SERIES_LIMIT) this.byFast.set(fast, cell);
    return cell;
  }

  /** The interval's cells in first-recorded order, and a fresh interval. */
  drain(): SeriesCell[] {
    const cells = this.order;
    if (cells.length > 0) {
      this.order = [];
      this.byFast = new Map();
      this.byCanonical = new Map();
    }
    return cells;
  }

  private canonicalCell(attributes: Attributes): SeriesCell {
    const canonical = canonicalAttributesKey(attributes);
    const found = this.byCanonical.get(canonical);
    if (found !== undefined) return found;
    const overflows = this.order.length >= SERIES_LIMIT;
    if (overflows && canonical !== OVERFLOW_KEY) return this.canonicalCell(OVERFLOW_ATTRIBUTES);
    const created = newCell(attributes, canonical);
    this.byCanonical.set(canonical, created);
    this.order.push(created);
    return created;
  }
}

/**
 * Totals of an up-down counter across intervals (cumulative temporality): each series keeps the
 * attributes it was first ever recorded with and its place in first-ever order, as the SDK's
 * cumulative merge does.
 */
export class CumulativeSeries {
  private readonly totals = new Map<string, SeriesCell>();

  /** Adds one interval's cells; returns every series' total so far. */
  merge(interval: readonly SeriesCell[]): SeriesCell[] {
    for (const cell of interval) {
      const total = this.totals.get(cell.canonical);
      if (total === undefined) this.totals.set(cell.canonical, { ...cell });
      else total.sum = total.sum + cell.sum;
    }
    return [...this.totals.values()];
  }
}
