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
 * The `values` of a column: the rules, and the errors, of `z.array(cell).max(MAX_STREAM_ROWS)`, but
 * checked by a tight loop, `accepts`, which holds exactly for the arrays that schema accepts (a
 * recording has up to millions of cells; zod's per-cell parsing was most of the validation time).
 * Only an array the loop refuses is parsed by the per-cell schema, whose issues are reported as they
 * were: same messages and paths, and, as before, a wrong type stops the stream's own checks while a
 * value out of range does not. The array is passed through as it is, not copied. The documentation
 * (JSON Schema, OpenAPI) is that of the per-cell schema.
 */
function columnValues<T>(cell: z.ZodType<T>, accepts: (values: unknown[]) => boolean) {
  const perCell = z.array(cell).max(MAX_STREAM_ROWS);
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(perCell, { io: 'input' });
  return z
    .custom<T[]>()
    .superRefine((values, ctx) => {
      if (Array.isArray(values) && values.length <= MAX_STREAM_ROWS && accepts(values)) return;
      const result = perCell.safeParse(values);
      if (result.success) return;
      for (const issue of result.error.issues) {
        // zod's invalid_type issues (a wrong type, a fraction in an int) stop later checks; range issues do not
        ctx.addIssue({ ...issue, continue: issue.code !== 'invalid_type' });
      }
    })
    .meta(jsonSchema);
}

/** Finite numbers and nulls (zod's `number()` refuses NaN and ±Infinity). */
function f64Cells(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) continue;
    if (typeof value !== 'number' || value - value !== 0) return false;
  }
  return true;
}

/** Integers from -2^31 to 2^31-1: exactly the numbers that `| 0` leaves unchanged. */
function i32Cells(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || (value | 0) !== value) return false;
  }
  return true;
}

/**
 * Strings of at most MAX_STRING_CELL code points (what zod's string `max` counts: a surrogate pair is
 * one, a lone surrogate one). A string within that many UTF-16 units needs no counting.
 */
function strCells(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'string') return false;
    if (value.length > MAX_STRING_CELL && codePoints(value) > MAX_STRING_CELL) return false;
  }
  return true;
}

/** Code points of a string: UTF-16 units less one per surrogate pair. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

function boolCells(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'boolean') return false;
  }
  return true;
}

/**
 * A typed column: `f64` numbers (null where the platform gave no value), `i32` integers,
 * `str` strings and `bool` flags. All columns of one stream have the same length.
 */
export const columnSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('f64'), values: columnValues(z.number().nullable(), f64Cells) }),
  z.strictObject({
    type: z.literal('i32'),
    values: columnValues(z.number().int().min(-2147483648).max(2147483647), i32Cells),
  }),
  z.strictObject({ type: z.literal('str'), values: columnValues(z.string().max(MAX_STRING_CELL), strCells) }),
  z.strictObject({ type: z.literal('bool'), values: columnValues(z.boolean(), boolCells) }),
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
