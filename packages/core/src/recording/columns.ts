import { z } from 'zod';

/**
 * Unit suffixes that numeric column names end with, so that a column's unit is in its name
 * (`timeStampMs`, `xPx`, `pressureNorm`, `accXMPerS2`). `Norm` is a dimensionless 0–1 value,
 * `Count`, `Index`, `Id` and `Byte` are dimensionless integers.
 */
export const UNIT_SUFFIXES = [
  'Ms',
  'S',
  'Hz',
  'Bpm',
  'Px',
  'Mm',
  'Cm',
  'Deg',
  'Rad',
  'MPerS2',
  'DegPerS',
  'RadPerS',
  'Norm',
  'Count',
  'Index',
  'Id',
  'Byte',
  'Velocity',
] as const;

const unitPattern = new RegExp(`^[a-z][A-Za-z0-9]*(${UNIT_SUFFIXES.join('|')})$`);
const namePattern = /^[a-z][A-Za-z0-9]*$/;

/** Whether a numeric column name carries a unit suffix from {@link UNIT_SUFFIXES}. */
export function hasUnitSuffix(name: string): boolean {
  return unitPattern.test(name);
}

/** Largest number of rows one stream may have (a 10-minute pen trial at 240 Hz is 144,000). */
export const MAX_STREAM_ROWS = 500_000;
/** Longest string cell: a MIDI system-exclusive message in hex, a key name, an event type. */
export const MAX_STRING_CELL = 4096;

/**
 * A typed column: `f64` numbers (null where the platform gave no value), `i32` integers,
 * `str` strings and `bool` flags. All columns of one stream have the same length.
 */
export const columnSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('f64'), values: z.array(z.number().nullable()).max(MAX_STREAM_ROWS) }),
  z.strictObject({
    type: z.literal('i32'),
    values: z.array(z.number().int().min(-2147483648).max(2147483647)).max(MAX_STREAM_ROWS),
  }),
  z.strictObject({
    type: z.literal('str'),
    values: z.array(z.string().max(MAX_STRING_CELL)).max(MAX_STREAM_ROWS),
  }),
  z.strictObject({ type: z.literal('bool'), values: z.array(z.boolean()).max(MAX_STREAM_ROWS) }),
]);
export type Column = z.infer<typeof columnSchema>;
export type ColumnType = Column['type'];

/** One raw event stream: named columns of equal length, numeric names carrying their unit. */
export const streamSchema = z
  .strictObject({
    columns: z.record(z.string().regex(namePattern).max(64), columnSchema),
  })
  .superRefine((stream, ctx) => {
    let rows: number | undefined;
    for (const [name, column] of Object.entries(stream.columns)) {
      if ((column.type === 'f64' || column.type === 'i32') && !hasUnitSuffix(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `numeric column "${name}" must end with a unit suffix (${UNIT_SUFFIXES.join(', ')})`,
        });
      }
      if (rows === undefined) rows = column.values.length;
      else if (column.values.length !== rows) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `column "${name}" has ${column.values.length} rows, the stream has ${rows}`,
        });
      }
    }
  });
export type Stream = z.infer<typeof streamSchema>;

/** Number of rows of a stream (0 for a stream without columns). */
export function streamRows(stream: Stream): number {
  for (const column of Object.values(stream.columns)) return column.values.length;
  return 0;
}
