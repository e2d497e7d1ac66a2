import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { TEMPLATE_ROOT, pgTemplateName } from './paths.js';

/**
 * A fresh, migrated database for one test: a copy of the PGlite template directory, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database cloned from the template database.
 * `close()` drops it again.
 */
export async function createTestDatabase(): Promise<Database & { dataDir?: string }> {
  const digest = inject('migrationsDigest');
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `dystrack_t_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database "${name}" template "${pgTemplateName(digest)}"`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: target.toString(), migrate: false, poolSize: 4 });
    return {
      ...database,
      close: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`drop database if exists "${name}" with (force)`);
        await dropper.end();
      },
    };
  }
  const dataDir = copyTemplate();
  const database = await openDatabase({ dataDir, migrate: false, purpose: 'test' });
  return {
    ...database,
    dataDir,
    close: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Copies the migrated PGlite template into a new temporary data directory and returns its path. */
export function copyTemplate(): string {
  const digest = inject('migrationsDigest');
  const dataDir = mkdtempSync(join(TEMPLATE_ROOT, 'db-'));
  cpSync(join(TEMPLATE_ROOT, `pglite-${digest}`), dataDir, { recursive: true });
  rmSync(join(dataDir, 'ready'), { recursive: true, force: true });
  return dataDir;
}
