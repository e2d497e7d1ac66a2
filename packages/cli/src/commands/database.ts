import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '@dystrack/core';
import { openDatabase, type Database } from '@dystrack/server';
import type { Io } from '../io.js';

/** The `--data-dir` option every database command takes. */
export const DATA_DIR_OPTION = { 'data-dir': { type: 'string' } } as const;

export const DATABASE_HELP = `Database:
  The embedded database in DYSTRACK_DATA_DIR (default ./data, or --data-dir DIR), owned by one
  process at a time: stop the server before running this command on it. With DATABASE_URL
  (postgres://…) the command runs against that PostgreSQL database directly.`;

/** Where the database is: DATABASE_URL wins, then --data-dir, then DYSTRACK_DATA_DIR, then ./data. */
export function databaseLocation(
  io: Io,
  dataDir: string | undefined,
): { databaseUrl: string | undefined; dataDir: string } {
  return {
    databaseUrl: io.env.DATABASE_URL || undefined,
    dataDir: dataDir ?? io.env.DYSTRACK_DATA_DIR ?? 'data',
  };
}

/**
 * Opens the database for one command, runs it and closes the database again (releasing the lock).
 * @param purpose - shown to a server that is refused while this command runs
 * @param options.migrate - apply migrations first (default true)
 * @param options.mustExist - refuse an embedded data directory that holds no database yet
 */
export async function withDatabase<T>(
  io: Io,
  dataDir: string | undefined,
  purpose: string,
  options: { migrate?: boolean; mustExist?: boolean },
  run: (database: Database) => Promise<T>,
): Promise<T> {
  const location = databaseLocation(io, dataDir);
  if (
    !location.databaseUrl &&
    options.mustExist &&
    !existsSync(join(location.dataDir, 'pglite', 'PG_VERSION'))
  ) {
    throw new CodedError(
      'E_NOT_FOUND',
      `There is no Dystrack database in ${location.dataDir}. Set DYSTRACK_DATA_DIR (or --data-dir), or DATABASE_URL for PostgreSQL.`,
    );
  }
  const database = await openDatabase({
    ...location,
    purpose,
    migrate: options.migrate ?? true,
    poolSize: 2,
  });
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}
