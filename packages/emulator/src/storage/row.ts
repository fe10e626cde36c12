/** A cell value inside the emulator: datetimes are epoch milliseconds, dynamics are plain JSON values. */
export type CellValue = string | number | boolean | null | Record<string, unknown> | unknown[];

/** A stored row: column name -> value (missing columns read as null). */
export type Row = Record<string, CellValue>;
