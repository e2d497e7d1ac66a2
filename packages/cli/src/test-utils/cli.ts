import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import { pgTemplateName } from '../../../server/src/test-utils/paths.js';
import { copyTemplate } from '../../../server/src/test-utils/test-database.js';
import { main } from '../cli.js';
import type { Io } from '../io.js';

/** What a command printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Raw stdout bytes (for `backup -`). */
  stdoutBytes: Buffer;
}

/**
 * Runs the CLI in-process with captured output.
 * @param argv - arguments after `dystrack`
 * @param options.env - the environment (nothing of the real one leaks in)
 * @param options.stdin - what standard input holds (text or bytes)
 */
export async function run(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string | Buffer; io?: Partial<Io> } = {},
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const code = await main(argv, {
    stdout,
    stderr,
    stdin,
    env: { LOG_LEVEL: 'silent', ...options.env },
    signals: [],
    ...options.io,
  });
  const stdoutBytes = Buffer.concat(out);
  return {
    code,
    stdout: stdoutBytes.toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    stdoutBytes,
  };
}

export type Kind = 'pglite' | 'postgres';
/** The database kinds to test: PostgreSQL too when TEST_DATABASE_URL is set. */
export const KINDS: Kind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh migrated database for a command: the environment that points at it, and a cleanup. */
export async function freshDatabase(
  kind: Kind,
): Promise<{ env: NodeJS.ProcessEnv; dataDir?: string; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = copyTemplate();
    return {
      env: { DYSTRACK_DATA_DIR: dataDir },
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `dystrack_t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}" template "${pgTemplateName(inject('migrationsDigest'))}"`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: target.toString() },
    drop: async () => {
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

// provided by the server's global setup, which the cli project shares (vitest.config.ts)
declare module 'vitest' {
  export interface ProvidedContext {
    migrationsDigest: string;
  }
}
