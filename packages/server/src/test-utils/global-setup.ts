import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_DIR, openDatabase } from '../db/database.js';
import { TEMPLATE_ROOT, pgTemplateName } from './paths.js';

/**
 * Prepares one migrated database template per test run: a PGlite directory that each test copies
 * (initdb per test would cost ~5 s and ~700 MB), and with TEST_DATABASE_URL a PostgreSQL template
 * database that each test clones with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject): Promise<void> {
  const digest = migrationsDigest();
  project.provide('migrationsDigest', digest);
  const dir = join(TEMPLATE_ROOT, `pglite-${digest}`);
  if (!existsSync(join(dir, 'ready'))) {
    mkdirSync(TEMPLATE_ROOT, { recursive: true });
    const building = `${dir}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: building, unlocked: true });
    await database.close();
    mkdirSync(join(building, 'ready'));
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
  }
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = pgTemplateName(digest);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building_${process.pid}`;
        await admin.query(`create database "${building}"`);
        const target = new URL(url);
        target.pathname = `/${building}`;
        const database = await openDatabase({ databaseUrl: target.toString(), poolSize: 1 });
        await database.close();
        await admin.query(`alter database "${building}" rename to "${name}"`);
      }
    } finally {
      await admin.end();
    }
  }
}

function migrationsDigest(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR, { recursive: true }).map(String).sort()) {
    const path = join(MIGRATIONS_DIR, file);
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 16);
}

declare module 'vitest' {
  export interface ProvidedContext {
    migrationsDigest: string;
  }
}
