import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';

/** One column of {@link insertByUnnest}: its value in every row, sent as one array parameter. */
export interface UnnestColumn {
  /** The column's SQL name. */
  name: string;
  /** The SQL type of the array parameter, e.g. `uuid[]`, `text[]`, `smallint[]`. */
  arrayType: string;
  /** One value per row (null for SQL NULL). */
  values: unknown[];
  /**
   * What is stored, as SQL over the unnested value (named `name`), when it is not the value itself:
   * e.g. `details::jsonb` for JSON text.
   */
  expression?: string;
}

/**
 * Inserts many rows with one statement of fixed text: each column goes as one array parameter and
 * `unnest` turns the arrays back into rows, in order. Building it costs the same for 1 row as for
 * thousands, unlike drizzle's multi-row `values` (about 50 µs a row of JavaScript on the request
 * thread), and it needs one parameter per column, not one per cell. All columns must have as many
 * values; columns left out get their defaults.
 * @param db - the database or a transaction
 * @param table - the table's SQL name
 * @param columns - the columns written
 */
export async function insertByUnnest(
  db: Pick<Db, 'execute'>,
  table: string,
  columns: UnnestColumn[],
): Promise<void> {
  const rows = columns[0]?.values.length ?? 0;
  if (rows === 0) return;
  if (columns.some((column) => column.values.length !== rows)) {
    throw new RangeError(`insertByUnnest into ${table}: the columns have different numbers of values`);
  }
  const names = columns.map((column) => column.name).join(', ');
  const selected = columns.map((column) => column.expression ?? column.name).join(', ');
  const arrays: SQL[] = columns.map(
    (column) => sql`${sql.param(column.values)}::${sql.raw(column.arrayType)}`,
  );
  await db.execute(
    sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(selected)} from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.raw(names)})`,
  );
}
