import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { Db } from './database.js';
import { schema } from './schema.js';

/**
 * Backup and restore of the whole database, the same portable format from PGlite and PostgreSQL:
 * a gzip'd file of JSON lines.
 *
 * 1. a header: `{ format: 'dystrack-backup', version: 1, createdAt, source, migrations, tables, sequences }`,
 *    where `tables` lists every table of {@link schema} in foreign-key-safe order with its columns, SQL types
 *    and row count, and `migrations` the applied drizzle migrations (`drizzle.__drizzle_migrations`);
 * 2. one line per row, `{ t: table, r: [values in column order] }`, tables in the header's order;
 * 3. a trailer `{ end: true, rows, sha256 }` with the SHA-256 of every line before it.
 *
 * Values are exact: timestamps as ISO 8601 UTC strings with microseconds, bytea as base64, bigint and
 * numeric as strings, integers and booleans as JSON, arrays as JSON arrays of element texts, json and
 * jsonb as their JSON text, everything else as PostgreSQL's text form (which round-trips losslessly).
 */
export const BACKUP_FORMAT = 'dystrack-backup';
export const BACKUP_VERSION = 1;

/** A table's place in a backup. */
export interface BackupTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: number;
}

/** The first line of a backup file. */
export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  source: { kind: 'pglite' | 'postgres' | 'unknown' };
  /** Applied migrations, oldest first: the hash and `when` of each drizzle migration. */
  migrations: { hash: string; createdAt: string }[];
  tables: BackupTable[];
  /** Next values of serial/identity sequences, so that restored ids are never handed out again. */
  sequences: { table: string; column: string; next: string }[];
}

/** What a backup or restore moved. */
export interface BackupSummary {
  header: BackupHeader;
  /** All rows of all tables. */
  rows: number;
}

const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  source: z.object({ kind: z.enum(['pglite', 'postgres', 'unknown']) }),
  migrations: z.array(z.object({ hash: z.string(), createdAt: z.string() })),
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.number().int().nonnegative(),
    }),
  ),
  sequences: z.array(z.object({ table: z.string(), column: z.string(), next: z.string().regex(/^-?\d+$/) })),
});

const trailerSchema = z.object({
  end: z.literal(true),
  rows: z.number().int().nonnegative(),
  sha256: z.string(),
});

type Executor = Pick<Db, 'execute'>;
type Kind = 'timestamptz' | 'timestamp' | 'bytea' | 'array' | 'json' | 'int' | 'bool' | 'text';
type FileValue = string | number | boolean | (string | null)[] | null;

/** Rows fetched per query while backing up, adapted so that one batch holds about this many bytes. */
const BATCH_BYTES = 8 * 1024 * 1024;
const MAX_BATCH_ROWS = 1000;

/**
 * The tables of {@link schema} in foreign-key-safe order (every table after the tables it references),
 * so that a table added to the schema later is backed up without touching this file.
 * @throws Error when the references form a cycle (the schema would then need deferred constraints)
 */
export function backupTables(): { name: string; table: PgTable; primaryKey: string[] }[] {
  const configs = Object.values(schema).map((table) => ({ table, config: getTableConfig(table) }));
  const byName = new Map(configs.map((entry) => [entry.config.name, entry]));
  const ordered: { name: string; table: PgTable; primaryKey: string[] }[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new Error(`foreign keys form a cycle: ${[...path, name].join(' → ')}`);
    state.set(name, 'visiting');
    const entry = byName.get(name)!;
    for (const fk of entry.config.foreignKeys) {
      const target = getTableConfig(fk.reference().foreignTable).name;
      if (target !== name && byName.has(target)) visit(target, [...path, name]);
    }
    state.set(name, 'done');
    const composite = entry.config.primaryKeys[0]?.columns.map((column) => column.name);
    const single = entry.config.columns.filter((column) => column.primary).map((column) => column.name);
    ordered.push({ name, table: entry.table, primaryKey: composite ?? single });
  };
  for (const name of [...byName.keys()].sort()) visit(name, []);
  return ordered;
}

/**
 * Writes a backup of the whole database, read in one consistent snapshot (a server on PostgreSQL may
 * keep running). A file is written next to its final name and renamed into place only when complete
 * and synced to disk, so a failed backup never leaves a half file under that name.
 * @param db - the database (PGlite or PostgreSQL)
 * @param target - a file path, or a writable stream (which is not ended)
 * @param options.overwrite - replace an existing file (default: refuse)
 * @param options.sourceKind - recorded in the header
 * @throws CodedError E_CONFLICT when the file exists, or when the database has a table the schema does not know
 */
export async function backupDatabase(
  db: Db,
  target: string | Writable,
  options: { overwrite?: boolean; sourceKind?: 'pglite' | 'postgres' } = {},
): Promise<BackupSummary> {
  if (typeof target !== 'string') return writeBackup(db, target, options.sourceKind);
  const path = resolve(target);
  if (!options.overwrite && existsSync(path)) {
    throw new CodedError(
      'E_CONFLICT',
      `${target} exists already; choose another file name (nothing was written).`,
    );
  }
  const partial = `${path}.partial-${process.pid}`;
  try {
    const out = createWriteStream(partial, { flags: 'wx' });
    await once(out, 'open');
    const summary = await writeBackup(db, out, options.sourceKind);
    out.end();
    await once(out, 'close');
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, path);
    await syncDirectory(dirname(path));
    return summary;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function writeBackup(
  db: Db,
  target: Writable,
  sourceKind?: 'pglite' | 'postgres',
): Promise<BackupSummary> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`set local timezone = 'UTC'`);
      const header = await readHeader(tx, sourceKind ?? 'unknown');
      const hash = createHash('sha256');
      let rows = 0;
      async function* lines(): AsyncGenerator<string> {
        const first = `${JSON.stringify(header)}\n`;
        hash.update(first);
        yield first;
        for (const table of backupTables()) {
          const columns = header.tables.find((t) => t.name === table.name)!.columns;
          for await (const row of readRows(tx, table.name, columns, table.primaryKey)) {
            const line = `${JSON.stringify({ t: table.name, r: row })}\n`;
            hash.update(line);
            rows++;
            yield line;
          }
        }
        yield `${JSON.stringify({ end: true, rows, sha256: hash.digest('hex') })}\n`;
      }
      await pipeline(lines, createGzip(), async (compressed: AsyncIterable<Buffer>) => {
        for await (const chunk of compressed) {
          if (!target.write(chunk)) await once(target, 'drain');
        }
      });
      const expected = header.tables.reduce((sum, table) => sum + table.rows, 0);
      if (rows !== expected) throw new Error(`backup read ${rows} rows but counted ${expected}`);
      return { header, rows };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function readHeader(tx: Executor, kind: 'pglite' | 'postgres' | 'unknown'): Promise<BackupHeader> {
  const migrations = await appliedMigrations(tx);
  const known = backupTables();
  const unknown = (await userTables(tx)).filter((name) => !known.some((table) => table.name === name));
  if (unknown.length > 0) {
    throw new CodedError(
      'E_CONFLICT',
      `The database has tables this version of Dystrack does not know (${unknown.join(', ')}); nothing was backed up.`,
    );
  }
  const tables: BackupTable[] = [];
  const sequences: BackupHeader['sequences'] = [];
  for (const { name } of known) {
    const columns = await tableColumns(tx, name);
    const count = await rowsOf<{ n: string }>(
      tx,
      sql`select count(*)::text as n from ${sql.identifier(name)}`,
    );
    tables.push({ name, columns, rows: Number(count[0]!.n) });
    for (const column of columns) {
      const sequence = await serialSequence(tx, name, column.name);
      if (!sequence) continue;
      const state = await rowsOf<{ last: string; called: boolean | string }>(
        tx,
        sql`select last_value::text as last, is_called as called from ${sql.raw(sequence)}`,
      );
      const { last, called } = state[0]!;
      const next = called === true || called === 't' || called === 'true' ? BigInt(last) + 1n : BigInt(last);
      sequences.push({ table: name, column: column.name, next: next.toString() });
    }
  }
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    source: { kind },
    migrations,
    tables,
    sequences,
  };
}

async function* readRows(
  tx: Executor,
  table: string,
  columns: BackupTable['columns'],
  primaryKey: string[],
): AsyncGenerator<FileValue[]> {
  const kinds = columns.map((column) => kindOf(column.type));
  const select = columns.map(
    (column, i) => sql`${selectExpression(column.name, kinds[i]!)} as ${sql.identifier(`c${i}`)}`,
  );
  const keyTypes = primaryKey.map((key) => columns.find((column) => column.name === key)!.type);
  const keys = primaryKey.map((key, i) => sql`${sql.identifier(key)}::text as ${sql.identifier(`k${i}`)}`);
  const order = primaryKey.length > 0 ? primaryKey.map((key) => sql.identifier(key)) : [sql.raw('ctid')];
  let limit = 100;
  let offset = 0;
  let last: string[] | null = null;
  for (;;) {
    const after: SQL =
      primaryKey.length > 0 && last
        ? sql`where (${sql.join(order, sql`, `)}) > (${sql.join(
            last.map((value, i) => sql`${value}::${sql.raw(keyTypes[i]!)}`),
            sql`, `,
          )})`
        : sql``;
    // without a primary key, rows are paged by position in the snapshot (stable inside the transaction)
    const page = primaryKey.length > 0 ? sql`` : sql`offset ${offset}`;
    const batch = await rowsOf<Record<string, string | null>>(
      tx,
      sql`select ${sql.join([...select, ...keys], sql`, `)} from ${sql.identifier(table)} ${after}
          order by ${sql.join(order, sql`, `)} limit ${limit} ${page}`,
    );
    let bytes = 0;
    for (const row of batch) {
      yield kinds.map((kind, i) => {
        const text = row[`c${i}`] ?? null;
        bytes += text?.length ?? 0;
        return toFileValue(kind, text);
      });
    }
    if (batch.length < limit) return;
    offset += batch.length;
    last = primaryKey.map((_, i) => batch[batch.length - 1]![`k${i}`]!);
    limit = Math.max(10, Math.min(MAX_BATCH_ROWS, Math.round((limit * BATCH_BYTES) / Math.max(bytes, 1))));
  }
}

/**
 * Restores a backup into an empty, migrated database, all in one transaction: either every row is
 * restored and checked, or nothing is. Sequences continue after the restored ids.
 * @param db - the target database (PGlite or PostgreSQL), migrated to the same migrations as the backup
 * @param source - a backup file path or a readable stream of one
 * @throws CodedError E_VALIDATION when the file is not a complete, intact backup; E_CONFLICT when the
 * database is not empty or its migrations differ from the backup's
 */
export async function restoreDatabase(db: Db, source: string | Readable): Promise<BackupSummary> {
  const name = typeof source === 'string' ? source : 'the backup';
  if (typeof source === 'string' && !existsSync(source))
    throw new CodedError('E_NOT_FOUND', `There is no file ${source}.`);
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const gunzip = createGunzip();
  const piping = pipeline(input, gunzip).catch((error: unknown) => {
    gunzip.destroy(error as Error);
  });
  const reader = createInterface({ input: gunzip, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  try {
    const first = await nextLine(lines, name);
    if (first === null) throw invalid(name, 'it is empty');
    const header = parseHeader(first, name);
    await checkTarget(db, header);
    const hash = createHash('sha256').update(`${first}\n`);
    const result = await db.transaction(async (tx) => {
      const tables = await Promise.all(
        header.tables.map(async (table) => ({ ...table, target: await tableColumns(tx, table.name) })),
      );
      await tx.execute(
        sql`lock table ${sql.join(
          tables.map((table) => sql.identifier(table.name)),
          sql`, `,
        )} in exclusive mode`,
      );
      await checkEmpty(tx);
      const inserters = new Map(
        tables.map((table) => [table.name, new Inserter(tx, table.name, table.columns, table.target)]),
      );
      const seen = new Map<string, number>();
      /** Throws when the file holds another number of rows of `table` than its header says. */
      const checkCount = (table: { name: string; rows: number }) => {
        if ((seen.get(table.name) ?? 0) !== table.rows)
          throw invalid(
            name,
            `its header counts ${table.rows} rows of ${table.name} but it holds ${seen.get(table.name) ?? 0}`,
          );
      };
      let current = -1;
      let rows = 0;
      try {
        for (;;) {
          const line = await nextLine(lines, name);
          if (line === null) throw invalid(name, 'it ends early (no end line); it may have been cut off');
          const parsed = parseLine(line, name);
          if ('end' in parsed) {
            const trailer = trailerSchema.safeParse(parsed);
            if (!trailer.success) throw invalid(name, 'its end line is malformed');
            if (trailer.data.sha256 !== hash.digest('hex'))
              throw invalid(name, 'its checksum does not match its content');
            if (trailer.data.rows !== rows)
              throw invalid(name, `it says ${trailer.data.rows} rows but holds ${rows}`);
            break;
          }
          hash.update(`${line}\n`);
          const index = tables.findIndex((table) => table.name === parsed.t);
          if (index < 0) throw invalid(name, `it has rows of an unknown table ${JSON.stringify(parsed.t)}`);
          if (index < current) throw invalid(name, `the rows of ${parsed.t} are out of order`);
          if (index > current) {
            // a table is complete when the next one starts: its count is checked before any table that
            // references it is written (a missing row is a damaged file, not a foreign-key error)
            for (const table of tables.slice(Math.max(current, 0), index)) {
              checkCount(table);
              await inserters.get(table.name)!.flush();
            }
            current = index;
          }
          if (parsed.r.length !== tables[index]!.columns.length)
            throw invalid(name, `a row of ${parsed.t} has the wrong length`);
          await inserters.get(parsed.t)!.add(parsed.r);
          seen.set(parsed.t, (seen.get(parsed.t) ?? 0) + 1);
          rows++;
        }
        for (const table of tables) await inserters.get(table.name)!.flush();
      } catch (error) {
        if (error instanceof CodedError) throw error;
        // The database refused a row. A damaged file (a flipped bit the gzip check finds only at its end)
        // can make a value the database rejects: read on, and report the damage rather than the refusal.
        throw (await damageFurtherOn(lines, name, hash)) ?? error;
      }
      if ((await nextLine(lines, name)) !== null) throw invalid(name, 'it has lines after its end line');
      for (const table of tables) {
        checkCount(table);
        const count = await rowsOf<{ n: string }>(
          tx,
          sql`select count(*)::text as n from ${sql.identifier(table.name)}`,
        );
        if (Number(count[0]!.n) !== table.rows)
          throw new Error(`restored ${count[0]!.n} rows of ${table.name}, expected ${table.rows}`);
      }
      await resetSequences(tx, tables, header.sequences);
      return { header, rows };
    });
    return result;
  } finally {
    reader.close();
    input.destroy();
    await piping;
  }
}

/** Collects rows of one table and inserts them in batches of about {@link BATCH_BYTES}. */
class Inserter {
  private batch: FileValue[][] = [];
  private bytes = 0;
  private readonly statement: (json: string) => SQL;

  constructor(
    private readonly tx: Executor,
    table: string,
    fileColumns: BackupTable['columns'],
    targetColumns: BackupTable['columns'],
  ) {
    // SQL is built from the target's own catalogue (names and types), never from the file
    const expressions = targetColumns.map((column) => {
      const index = fileColumns.findIndex((c) => c.name === column.name);
      return insertExpression(index, column.type);
    });
    const names = sql.join(
      targetColumns.map((column) => sql.identifier(column.name)),
      sql`, `,
    );
    this.statement = (json) =>
      sql`insert into ${sql.identifier(table)} (${names})
          select ${sql.join(expressions, sql`, `)} from json_array_elements(${json}::json) as r(v)`;
  }

  async add(row: FileValue[]): Promise<void> {
    this.batch.push(row);
    this.bytes += row.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length : 8), 0);
    if (this.batch.length >= MAX_BATCH_ROWS || this.bytes >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const json = JSON.stringify(this.batch);
    this.batch = [];
    this.bytes = 0;
    await this.tx.execute(this.statement(json));
  }
}

function parseHeader(line: string, name: string): BackupHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw invalid(name, 'it does not start with a Dystrack backup header');
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== BACKUP_FORMAT) throw invalid(name, 'it does not start with a Dystrack backup header');
  const version = (value as { version?: unknown }).version;
  if (version !== BACKUP_VERSION) {
    throw invalid(
      name,
      `it has backup format version ${String(version)}; this Dystrack reads version ${BACKUP_VERSION}`,
    );
  }
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) throw invalid(name, 'its header is malformed');
  return parsed.data as BackupHeader;
}

function parseLine(line: string, name: string): { t: string; r: FileValue[] } | { end: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw invalid(name, 'a line is not valid JSON');
  }
  if (value && typeof value === 'object' && 'end' in value) return value as { end: unknown };
  const row = value as { t?: unknown; r?: unknown };
  if (!row || typeof row.t !== 'string' || !Array.isArray(row.r))
    throw invalid(name, 'a line is neither a row nor the end');
  return row as { t: string; r: FileValue[] };
}

/** Checks that the target has the backup's migrations and tables (before anything is written). */
async function checkTarget(db: Db, header: BackupHeader): Promise<void> {
  const applied = await appliedMigrations(db);
  const same =
    applied.length === header.migrations.length &&
    applied.every((m, i) => m.hash === header.migrations[i]!.hash);
  if (!same) {
    throw new CodedError(
      'E_CONFLICT',
      `The backup was made at database migration ${header.migrations.length} and this database is at migration ` +
        `${applied.length}, or their migrations differ. Restore with the Dystrack version that made the backup.`,
      { backupMigrations: header.migrations.length, databaseMigrations: applied.length },
    );
  }
  const known = backupTables().map((table) => table.name);
  const listed = header.tables.map((table) => table.name);
  if (known.length !== listed.length || known.some((table, i) => listed[i] !== table)) {
    throw new CodedError('E_CONFLICT', 'The backup lists other tables than this database has.', {
      backup: listed,
      database: known,
    });
  }
  for (const table of header.tables) {
    const target = (await tableColumns(db, table.name)).map((column) => column.name).sort();
    const file = table.columns.map((column) => column.name).sort();
    if (target.join(',') !== file.join(',')) {
      throw new CodedError(
        'E_CONFLICT',
        `The columns of ${table.name} in the backup differ from this database's.`,
        {
          backup: file,
          database: target,
        },
      );
    }
  }
}

async function checkEmpty(tx: Executor): Promise<void> {
  const filled: string[] = [];
  for (const { name } of backupTables()) {
    const rows = await rowsOf(tx, sql`select 1 from ${sql.identifier(name)} limit 1`);
    if (rows.length > 0) filled.push(name);
  }
  if (filled.length > 0) {
    throw new CodedError(
      'E_CONFLICT',
      `A backup is restored only into an empty database, and this one has data (${filled.join(', ')}). ` +
        'Nothing was changed; restore into a new data directory or database.',
      { tables: filled },
    );
  }
}

async function resetSequences(
  tx: Executor,
  tables: BackupTable[],
  saved: BackupHeader['sequences'],
): Promise<void> {
  for (const table of tables) {
    for (const column of table.columns) {
      const sequence = await serialSequence(tx, table.name, column.name);
      if (!sequence) continue;
      const next = saved.find((s) => s.table === table.name && s.column === column.name)?.next ?? '1';
      await tx.execute(
        sql`select setval(${sequence}::regclass, greatest(${next}::bigint,
              coalesce((select max(${sql.identifier(column.name)}) from ${sql.identifier(table.name)}), 0) + 1), false)`,
      );
    }
  }
}

/** The drizzle migrations applied to a database, oldest first. */
export async function appliedMigrations(tx: Executor): Promise<BackupHeader['migrations']> {
  const exists = await rowsOf<{ t: string | null }>(
    tx,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists[0]?.t) {
    throw new CodedError(
      'E_CONFLICT',
      'This database has no Dystrack migrations applied; run `dystrack migrate` first.',
    );
  }
  const rows = await rowsOf<{ hash: string; created_at: string }>(
    tx,
    sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by id`,
  );
  return rows.map((row) => ({ hash: row.hash, createdAt: row.created_at }));
}

/** Tables of the public schema (where the migrations create them). */
async function userTables(tx: Executor): Promise<string[]> {
  const rows = await rowsOf<{ name: string }>(
    tx,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  return rows.map((row) => row.name);
}

/** A table's columns and SQL types as the database itself has them, in column order. */
async function tableColumns(tx: Executor, table: string): Promise<BackupTable['columns']> {
  const rows = await rowsOf<{ name: string; type: string }>(
    tx,
    sql`select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
  );
  if (rows.length === 0)
    throw new CodedError(
      'E_CONFLICT',
      `This database has no table ${table}; run \`dystrack migrate\` first.`,
    );
  return rows;
}

async function serialSequence(tx: Executor, table: string, column: string): Promise<string | null> {
  const rows = await rowsOf<{ s: string | null }>(
    tx,
    sql`select pg_get_serial_sequence(${`public.${quoteIdent(table)}`}, ${column}) as s`,
  );
  return rows[0]?.s ?? null;
}

function kindOf(type: string): Kind {
  if (/^timestamp(\(\d+\))? with time zone$/.test(type)) return 'timestamptz';
  if (/^timestamp(\(\d+\))? without time zone$/.test(type)) return 'timestamp';
  if (type.endsWith('[]')) return 'array';
  if (type === 'bytea') return 'bytea';
  if (type === 'json' || type === 'jsonb') return 'json';
  if (type === 'smallint' || type === 'integer') return 'int';
  if (type === 'boolean') return 'bool';
  return 'text';
}

/** The SQL that reads a column as exact text for the file. */
function selectExpression(column: string, kind: Kind): SQL {
  const c = sql.identifier(column);
  switch (kind) {
    case 'timestamptz':
      return sql`case when ${c} is null then null when isfinite(${c})
        then to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') else ${c}::text end`;
    case 'timestamp':
      return sql`case when ${c} is null then null when isfinite(${c})
        then to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US') else ${c}::text end`;
    case 'bytea':
      return sql`replace(encode(${c}, 'base64'), chr(10), '')`;
    case 'array':
      // element texts: exact for every element type, unlike JSON numbers
      return sql`to_json(${c}::text[])::text`;
    default:
      return sql`${c}::text`;
  }
}

function toFileValue(kind: Kind, text: string | null): FileValue {
  if (text === null) return null;
  switch (kind) {
    case 'int':
      return Number(text);
    case 'bool':
      return text === 'true' || text === 't';
    case 'array':
      return JSON.parse(text) as (string | null)[];
    default:
      return text;
  }
}

/** The SQL that turns element `index` of a file row (`r.v`) back into a value of the column's type. */
function insertExpression(index: number, type: string): SQL {
  const value = sql`(r.v->>${sql.raw(String(index))})`;
  const cast = sql.raw(type);
  switch (kindOf(type)) {
    case 'bytea':
      return sql`decode(${value}, 'base64')`;
    case 'array':
      return sql`case when json_typeof(r.v->${sql.raw(String(index))}) = 'array'
        then array(select json_array_elements_text(r.v->${sql.raw(String(index))}))::${cast} end`;
    default:
      return sql`${value}::${cast}`;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function rowsOf<T = Record<string, unknown>>(tx: Executor, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Reads the rest of a backup whose rows the database refused: the damage that explains it (the gzip check,
 * a malformed line, a missing end line, a checksum that does not match), or null when the rest is intact.
 */
async function damageFurtherOn(
  lines: AsyncIterator<string>,
  name: string,
  hash: ReturnType<typeof createHash>,
): Promise<CodedError | null> {
  try {
    for (;;) {
      const line = await nextLine(lines, name);
      if (line === null) return invalid(name, 'it ends early (no end line); it may have been cut off');
      const parsed = parseLine(line, name);
      if ('end' in parsed) {
        const trailer = trailerSchema.safeParse(parsed);
        if (!trailer.success) return invalid(name, 'its end line is malformed');
        return trailer.data.sha256 === hash.digest('hex')
          ? null
          : invalid(name, 'its checksum does not match its content');
      }
      hash.update(`${line}\n`);
    }
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
}

async function nextLine(lines: AsyncIterator<string>, name: string): Promise<string | null> {
  try {
    const next = await lines.next();
    return next.done ? null : next.value;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CodedError('E_NOT_FOUND', `There is no file ${name}.`);
    if (code?.startsWith('Z_'))
      throw invalid(name, `it is not a gzip file or is damaged (${(error as Error).message})`);
    throw error;
  }
}

function invalid(name: string, why: string): CodedError {
  return new CodedError(
    'E_VALIDATION',
    `${name} is not a valid Dystrack backup: ${why}. Nothing was restored.`,
  );
}

async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // some file systems cannot sync a directory; the file itself is synced
  }
}
