import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, openDatabase, readLock, users } from '@dystrack/server';
import { copyTemplate } from '../../server/src/test-utils/test-database.js';

// These tests run the built `dystrack` (packages/cli/dist/main.js) as real processes, the way people
// and the e2e suite start it. The build runs first, so a fresh clone needs nothing but npm install.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/dist/main.js');
const LOCK_JS = join(ROOT, 'packages/server/dist/db/lock.js');
const PASSWORD = 'correct horse battery staple';

/** A running `dystrack` process with everything it printed. */
interface Proc {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of the pattern in stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function dystrack(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.push(child);
  child.stdin!.end(stdin ?? '');
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) resolve(match);
        };
        waiters.push(check);
        check();
        void exited.then((code) =>
          reject(new Error(`dystrack exited with ${code} before printing ${pattern}:\n${out}\n${err}`)),
        );
      }),
  };
}

async function listening(proc: Proc): Promise<string> {
  return (await proc.waitFor(/^Dystrack listening on (http:\/\/127\.0\.0\.1:\d+)$/m))[1]!;
}

/** Signs up through the HTTP API as the web app does (CSRF cookie echoed in the header); returns the status. */
async function signUp(url: string, username: string): Promise<number> {
  const first = await fetch(`${url}/api/v1/health`);
  const csrf = /dystrack_csrf=([^;]+)/.exec(first.headers.getSetCookie().join('\n'))![1]!;
  const response = await fetch(`${url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `dystrack_csrf=${csrf}`, 'x-csrf-token': csrf },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  return response.status;
}

let buildMs = 0;
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'dystrack-process-test-'));
  const began = performance.now();
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const build = spawn(process.execPath, [tsc, '-b', 'packages/cli/tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  build.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  build.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(build, 'close')) as [number];
  buildMs = performance.now() - began;
  if (code !== 0) throw new Error(`the build failed:\n${output}`);
}, 300_000);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  console.info(`process tests: build ${Math.round(buildMs)} ms`);
});

describe('dystrack as a process', () => {
  it('is an executable script that prints help with exit 0 and usage errors with exit 2, without a stack trace', async () => {
    expect(readFileSync(MAIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const help = dystrack(['--help'], {});
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Usage: dystrack <command>');
    const wrong = dystrack(['frobnicate'], {});
    expect(await wrong.exited).toBe(2);
    expect(wrong.stderr()).toBe(`dystrack: unknown command "frobnicate"\nRun 'dystrack --help' for usage.\n`);
  });

  it('a second server on the same data directory is refused naming the first one’s pid; after a SIGKILL a new server takes over and the data is still there', async () => {
    const dataDir = copyTemplate();
    const env = { DYSTRACK_DATA_DIR: dataDir };
    try {
      const admin = dystrack(
        ['admin', 'create', '--username', 'keeper', '--password-stdin'],
        env,
        `${PASSWORD}\n`,
      );
      expect(await admin.exited).toBe(0);

      const first = dystrack(['serve'], env);
      const url = await listening(first);
      expect(await signUp(url, 'patient-one')).toBe(201); // stored by the server that is about to be killed
      expect(readLock(dataDir)).toMatchObject({ pid: first.pid, purpose: 'serve' });

      const second = dystrack(['serve'], env);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toMatch(/^dystrack: E_DATABASE_LOCKED: .*\n$/);
      expect(second.stderr()).toContain(`in use by process ${first.pid} (dystrack serve`);
      expect(second.stderr()).toContain('Stop the server first');
      expect(second.stdout()).toBe('');

      const backup = dystrack(['backup', join(scratch, 'while-serving.gz')], env);
      expect(await backup.exited).toBe(1);
      expect(backup.stderr()).toMatch(/^dystrack: E_DATABASE_LOCKED: .*Stop the server first/);

      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();
      expect(readLock(dataDir)?.pid).toBe(first.pid); // left behind by the killed server

      const third = dystrack(['serve'], env);
      const thirdUrl = await listening(third);
      expect((await fetch(`${thirdUrl}/api/v1/health`)).status).toBe(200);
      expect(readLock(dataDir)?.pid).toBe(third.pid);
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
      expect(third.stdout()).toContain('Dystrack stopped (SIGTERM).');
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

      const database = await openDatabase({ dataDir, migrate: false, purpose: 'test' });
      try {
        const rows = await database.db.select().from(users);
        expect(rows.map((row) => [row.username, row.role]).sort()).toEqual([
          ['keeper', 'admin'],
          ['patient-one', 'patient'],
        ]);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('stops on Ctrl-C (SIGINT) with exit code 0 and releases the data directory', async () => {
    const dataDir = copyTemplate();
    try {
      const server = dystrack(['serve'], { DYSTRACK_DATA_DIR: dataDir });
      await listening(server);
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toContain('Dystrack stopped (SIGINT).');
      expect(server.stderr()).not.toMatch(/dystrack: |\n\s+at /);
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('of several processes that find the same stale lock at the same moment, exactly one takes it', async () => {
    // Each round: six processes load the lock code, then all try at once on a lock left by a dead
    // process. Removing the stale file naively lets two of them win in about a third of the rounds.
    for (let round = 0; round < 10; round++) {
      const dir = mkdtempSync(join(scratch, 'race-'));
      const dead = spawn(process.execPath, ['-e', '0']);
      await once(dead, 'exit');
      const stale = {
        pid: dead.pid,
        hostname: hostname(),
        startedAt: '2024-01-01T00:00:00Z',
        purpose: 'serve',
      };
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify(stale));
      const script = `
        import { acquireLock } from ${JSON.stringify(pathToFileURL(LOCK_JS).href)};
        console.log('ready');
        process.stdin.once('data', () => {
          let result;
          try { acquireLock(${JSON.stringify(dir)}, 'race'); result = 'acquired'; } catch (error) { result = error.code ?? String(error); }
          console.log(result); // and hold the lock until killed
        });
      `;
      const children = Array.from({ length: 6 }, () => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        started.push(child);
        return child;
      });
      await Promise.all(children.map((child) => once(child.stdout!, 'data')));
      const answers = children.map(async (child) => {
        const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
        return { pid: child.pid!, result: chunk.toString().trim() };
      });
      for (const child of children) child.stdin!.write('go\n');
      const results = await Promise.all(answers);
      const winners = results.filter((entry) => entry.result === 'acquired');
      expect(winners, `round ${round}: ${results.map((entry) => entry.result).join(', ')}`).toHaveLength(1);
      expect(results.filter((entry) => entry.result === 'E_DATABASE_LOCKED')).toHaveLength(
        children.length - 1,
      );
      expect(readLock(dir)?.pid).toBe(winners[0]!.pid);
      for (const child of started.splice(0)) child.kill('SIGKILL');
    }
  }, 120_000);
});
