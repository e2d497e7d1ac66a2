import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { acquireLock } from './lock.js';
import { schema } from './schema.js';

/** The drizzle database, the same type on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database with its kind and a close function. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where it lives: the data directory or the URL without password. */
  location: string;
  close(): Promise<void>;
}

/** The committed SQL migrations (../../drizzle from both src/ and dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface OpenOptions {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database (default ./data). */
  dataDir?: string | undefined;
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** Why the lock is taken, shown to a second process that is refused. */
  purpose?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** Skip the lock (only for test databases that no other process can see). */
  unlocked?: boolean;
}

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise PGlite in the data directory (owned by
 * this process alone, see {@link acquireLock}). Applies the committed migrations unless told not to.
 */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const migrations = { migrationsFolder: MIGRATIONS_DIR };
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on('error', () => {
      // an idle client lost its connection; the pool replaces it on the next query
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      if (options.migrate !== false) await migratePg(db as never, migrations);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { db, kind: 'postgres', location: redactUrl(options.databaseUrl), close: () => pool.end() };
  }
  const dataDir = options.dataDir ?? 'data';
  const release = options.unlocked ? () => {} : acquireLock(dataDir, options.purpose ?? 'serve');
  let client: PGlite | undefined;
  try {
    const pgDir = join(dataDir, 'pglite');
    mkdirSync(pgDir, { recursive: true });
    client = await PGlite.create(pgDir);
    const opened = client;
    const db = drizzlePglite(opened, { schema }) as unknown as Db;
    if (options.migrate !== false) await migratePglite(db as never, migrations);
    // PGlite runs no autovacuum: without statistics the planner misjudges the patient-led indexes (a
    // series query took 2 s instead of 3 ms on a year of data). The metrics job analyses again as data grows.
    await opened.exec('analyze');
    return {
      db,
      kind: 'pglite',
      location: dataDir,
      close: async () => {
        try {
          await opened.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    // a failed migration must not leave the database open while the lock is released
    await client?.close().catch(() => {});
    release();
    throw error;
  }
}

/** A database URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
