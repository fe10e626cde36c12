import type { Attributes } from '@opentelemetry/api';
import { canonicalAttributesKey } from './attribute-keys';
import { emptyAggregate, OVERFLOW_ATTRIBUTES, SERIES_LIMIT, type AggregateCell } from './aggregate-cell';

const OVERFLOW_KEY = canonicalAttributesKey(OVERFLOW_ATTRIBUTES);

/** One series: its aggregate (with the attributes it was first recorded with) and its SDK identity. */
export interface SeriesCell extends AggregateCell {
  /** The SDK's identity of the series. */
  readonly canonical: string;
}

const newCell = (attributes: Attributes, canonical: string): SeriesCell => ({ ...emptyAggregate(attributes), canonical });

/**
 * A trie over attribute sets, in their key order: each level maps an attribute name to its values,
 * each value (a primitive as itself, any other value by its JSON, in a map of its own) to the next
 * level; the level after the last attribute holds the series. Finding a known attribute set costs
 * two map lookups per attribute on strings the instrumentation already holds, and builds nothing.
 * Two sets on one path have the same names in the same order and values JSON writes alike (Map keys
 * compare as SameValueZero: 0 and -0, NaN and NaN are one key, and JSON writes them alike too), so
 * they are one series of the SDK; the converse does not hold (another key order), which costs only a
 * second path to the same series.
 */
interface TrieNode {
  cell?: SeriesCell;
  primitives?: Map<string, Map<unknown, TrieNode>>;
  others?: Map<string, Map<string, TrieNode>>;
}

function childOf(node: TrieNode, name: string, value: unknown): TrieNode {
  let byName: Map<string, Map<unknown, TrieNode>>;
  let key: unknown = value;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined') {
    byName = node.primitives ??= new Map();
  } else {
    // arrays, null, and what JSON writes as null; a BigInt throws, as the SDK's hash does
    key = JSON.stringify(value) ?? 'null';
    byName = (node.others ??= new Map()) as Map<string, Map<unknown, TrieNode>>;
  }
  let values = byName.get(name);
  if (values === undefined) {
    values = new Map();
    byName.set(name, values);
  }
  let child = values.get(key);
  if (child === undefined) {
    child = {};
    values.set(key, child);
  }
  return child;
}

/**
 * The series of one instrument in the current interval, in first-recorded order (the SDK's), each
 * found through a trie of the attributes, or on its first sight by the SDK's canonical key (so any
 * two attribute sets the SDK counts as one series are one here too). The object a series was first
 * recorded with in the interval is the one reported, as in the SDK.
 */
export class IntervalSeries {
  private order: SeriesCell[] = [];
  private root: TrieNode = {};
  private byCanonical = new Map<string, SeriesCell>();

  /** The cell of `attributes`' series, created (or the overflow cell, past the limit) if new. */
  cell(attributes: Attributes): SeriesCell {
    let node = this.root;
    // past the limit, new attribute sets overflow: their paths are not kept (they would grow without bound)
    if (this.order.length >= SERIES_LIMIT) return this.knownCell(attributes) ?? this.canonicalCell(attributes);
    for (const name of Object.keys(attributes)) node = childOf(node, name, attributes[name]);
    return (node.cell ??= this.canonicalCell(attributes));
  }

  /** The interval's cells in first-recorded order, and a fresh interval. */
  drain(): SeriesCell[] {
    const cells = this.order;
    if (cells.length > 0) {
      this.order = [];
      this.root = {};
      this.byCanonical = new Map();
    }
    return cells;
  }

  /** The cell at `attributes`' path, if the path exists, without adding to the trie. */
  private knownCell(attributes: Attributes): SeriesCell | undefined {
    let node: TrieNode | undefined = this.root;
    for (const name of Object.keys(attributes)) {
      const value = attributes[name];
      const t = typeof value;
      node = t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined'
        ? node.primitives?.get(name)?.get(value)
        : node.others?.get(name)?.get(JSON.stringify(value) ?? 'null');
      if (node === undefined) return undefined;
    }
    return node.cell;
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
