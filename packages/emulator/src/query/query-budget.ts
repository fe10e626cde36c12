import { KqlError, QueryLimitError } from '../errors';

/** Longest query text the emulator parses, in characters. */
export const MAX_QUERY_CHARS = 32_768;
/** Deepest expression tree (and parenthesis nesting) the emulator parses. */
export const MAX_EXPRESSION_DEPTH = 100;
/** Most rows one query may read from a table (after the app and timespan filter). */
const MAX_ROWS_SCANNED = 100_000;
/**
 * Most work units per query: rows times the expression nodes evaluated on each (plus the
 * comparisons of a sort), counted before the query runs with each operator's input as large as
 * it can be. About a second of work on a small machine.
 */
const MAX_QUERY_COST = 10_000_000;
/**
 * Most cells (rows times columns) the operators of one query may compute and keep (`project`,
 * `extend`, `summarize`; filters, sorts and the table itself share the stored rows). With the rows
 * a query may scan, this bounds the memory a query takes; the result is streamed.
 */
const MAX_COMPUTED_CELLS = 500_000;
/** Wall-clock limit of one query (the service answers 504 after its own, longer, timeout). */
const QUERY_TIMEOUT_MILLIS = 5_000;

/** Limits of one query run (tests lower them). */
export interface QueryLimits {
  readonly maxRowsScanned: number;
  readonly maxCost: number;
  /** Cells the query's operators may compute in all. */
  readonly maxCells: number;
  readonly timeoutMillis: number;
}

/** The emulator's limits. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxRowsScanned: MAX_ROWS_SCANNED, maxCost: MAX_QUERY_COST, maxCells: MAX_COMPUTED_CELLS, timeoutMillis: QUERY_TIMEOUT_MILLIS,
});

/** How often (in rows) the evaluation loops look at the clock. */
const CLOCK_EVERY = 1024;

/** The cost account of one query; every method throws {@link QueryLimitError} once a limit is passed. */
export interface QueryBudget {
  /** The most rows a table read may return (one more means too many). */
  readonly maxRowsScanned: number;
  /** Refuses a table read that returned more than `maxRowsScanned` rows. */
  scanned(rows: number, table: string): void;
  /** Charges work before it is done, so an over-budget query is refused before it runs. */
  charge(units: number, operator: string): void;
  /** Counts `rows` x `columns` computed cells before they are built, refusing once the query's total is over the cap. */
  cells(rows: number, columns: number, operator: string): void;
  /** Called once per row (or comparison) in the loops; looks at the clock every 1024 calls. */
  tick(): void;
}

/** Starts the account of one query. `clock` is epoch ms (tests pass a fake). */
export function createQueryBudget(limits: QueryLimits = DEFAULT_QUERY_LIMITS, clock: () => number = Date.now): QueryBudget {
  const deadline = clock() + limits.timeoutMillis;
  let cost = 0;
  let cells = 0;
  let ticks = 0;
  return {
    maxRowsScanned: limits.maxRowsScanned,
    scanned(rows, table) {
      if (rows > limits.maxRowsScanned) {
        throw new QueryLimitError(`The query reads more than ${limits.maxRowsScanned} rows of '${table}', the emulator's limit: narrow the timespan or the table`, 400, 'BadArgumentError', 'RowsScanned');
      }
    },
    charge(units, operator) {
      cost += units;
      if (cost > limits.maxCost) {
        throw new QueryLimitError(`The query needs more than ${limits.maxCost} units of work (rows x expression nodes, counted before it runs with every operator's input as large as the table) by its '${operator}', the emulator's limit: narrow the timespan, take fewer rows, or simplify the expressions`, 400, 'BadArgumentError', 'QueryCost');
      }
    },
    cells(rows, columns, operator) {
      cells += rows * columns;
      if (cells > limits.maxCells) {
        throw new QueryLimitError(`The '${operator}' would bring the cells the query computes (rows x columns) over the emulator's ${limits.maxCells}: filter or take rows first, compute fewer columns, or summarize`, 400, 'BadArgumentError', 'ComputedCells');
      }
    },
    tick() {
      if (++ticks % CLOCK_EVERY === 0 && clock() > deadline) {
        throw new QueryLimitError(`The query ran longer than ${limits.timeoutMillis} ms, the emulator's limit, and was cancelled`, 504, 'GatewayTimeout', 'Timeout');
      }
    },
  };
}

/** Refuses a query text over {@link MAX_QUERY_CHARS} before it is tokenized. */
export function checkQueryLength(text: string): void {
  if (text.length > MAX_QUERY_CHARS) {
    throw new KqlError(`The query is ${text.length} characters long; the emulator parses at most ${MAX_QUERY_CHARS}`, { code: 'QueryTooLong', limit: String(MAX_QUERY_CHARS) });
  }
}
