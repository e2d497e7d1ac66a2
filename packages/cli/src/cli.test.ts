import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, openDatabase, users } from '@dystrack/server';
import { verifyPassword } from '../../server/src/auth/passwords.js';
import { COMMANDS, VERSION, main } from './cli.js';
import { KINDS, freshDatabase, run } from './test-utils/cli.js';

const PASSWORD = 'correct horse battery staple';
const MIGRATIONS = (
  JSON.parse(readFileSync(new URL('../../server/drizzle/meta/_journal.json', import.meta.url), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'dystrack-cli-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function database(kind: (typeof KINDS)[number] = 'pglite') {
  const fresh = await freshDatabase(kind);
  cleanups.push(fresh.drop);
  return fresh;
}

/** The rows of the users table of an embedded data directory (opened after the command released it). */
async function usersIn(env: NodeJS.ProcessEnv) {
  const opened = await openDatabase({
    dataDir: env.DYSTRACK_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    migrate: false,
    purpose: 'test',
  });
  try {
    return await opened.db.select().from(users);
  } finally {
    await opened.close();
  }
}

/** A live process that is not this one, to own a lock (it waits on its stdin until killed). */
async function otherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  await once(child, 'spawn');
  return child;
}

describe('help and usage', () => {
  it('dystrack --help lists every command and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.name}`);
    expect(result.stdout).toContain('Usage: dystrack <command>');
  });

  it('dystrack without a command prints the help to stderr and exits 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: dystrack <command>');
    expect(result.stdout).toBe('');
  });

  it.each(COMMANDS.map((command) => command.name))(
    'dystrack %s --help shows that command’s usage and exits 0',
    async (name) => {
      const result = await run([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: dystrack ${name}\\b`));
      expect((await run(['help', name])).stdout).toBe(result.stdout);
    },
  );

  it('dystrack --version prints the package version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"', "'dystrack --help'"],
    [['backup'], 'missing FILE', "'dystrack backup --help'"],
    [['backup', 'a', 'b'], 'unexpected argument "b"', "'dystrack backup --help'"],
    [['restore', 'a', '--nope'], "Unknown option '--nope'", "'dystrack restore --help'"],
    [['admin'], 'Usage: dystrack admin create', ''],
    [['admin', 'delete'], 'unknown admin command "delete"', "'dystrack admin --help'"],
    [['admin', 'create'], 'missing --username NAME', "'dystrack admin create --help'"],
    [['serve', '--port', 'eighty'], 'invalid PORT: eighty', "'dystrack serve --help'"],
  ])('dystrack %j is a usage error: exit 2 with a pointer to the help', async (argv, message, pointer) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(pointer);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a password given as an argument, where others could read it, and creates nothing', async () => {
    const { env } = await database();
    const result = await run(['admin', 'create', '--username', 'root', '--password', PASSWORD], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('never given as an argument');
    expect(await usersIn(env)).toEqual([]);
  });
});

describe.each(KINDS)('commands on %s', (kind) => {
  it('migrate applies the migrations and reports them', async () => {
    const { env } = await database(kind);
    const result = await run(['migrate'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`up to date: ${MIGRATIONS} migrations applied`);
  });

  it('admin create makes an approved admin with the password from stdin, and refuses the same name twice', async () => {
    const { env } = await database(kind);
    const created = await run(
      ['admin', 'create', '--username', 'Root', '--display-name', 'The Admin', '--password-stdin'],
      {
        env,
        stdin: `${PASSWORD}\n`,
      },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('"root"');
    const rows = await usersIn(env);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'root', displayName: 'The Admin', role: 'admin' });
    expect(rows[0]!.roleApprovedAt).toBeInstanceOf(Date);
    expect(await verifyPassword(rows[0]!.passwordHash!, PASSWORD)).toBe(true);

    const again = await run(['admin', 'create', '--username', 'root'], { env, stdin: PASSWORD });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^dystrack: E_USERNAME_TAKEN: .+\n$/);
  });

  it('admin create refuses a weak or missing password with a coded error', async () => {
    const { env } = await database(kind);
    const weak = await run(['admin', 'create', '--username', 'root'], { env, stdin: 'short\n' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^dystrack: E_WEAK_PASSWORD: /);
    const none = await run(['admin', 'create', '--username', 'root'], { env, stdin: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^dystrack: E_WEAK_PASSWORD: /);
    expect(await usersIn(env)).toEqual([]);
  });

  it('backup then restore into a fresh database brings back the data; a second restore is refused', async () => {
    const source = await database(kind);
    expect(
      (await run(['admin', 'create', '--username', 'root'], { env: source.env, stdin: PASSWORD })).code,
    ).toBe(0);
    const file = join(scratch, `${kind}-round-trip.gz`);
    const backup = await run(['backup', file], { env: source.env });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/written to .*: \d+ rows \(.*\busers 1\b.*\), \d+ bytes\./);

    const target = await database(kind);
    const restore = await run(['restore', file], { env: target.env });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored \d+ rows \(.*\busers 1\b/);
    expect(await usersIn(target.env)).toEqual(await usersIn(source.env));

    const again = await run(['restore', file], { env: target.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^dystrack: E_CONFLICT: A backup is restored only into an empty database/);
  });

  it('backup never replaces an existing file unless told to with --force', async () => {
    const { env } = await database(kind);
    const file = join(scratch, `${kind}-exists.gz`);
    writeFileSync(file, 'keep me');
    const refused = await run(['backup', file], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^dystrack: E_CONFLICT: /);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect((await run(['backup', file, '--force'], { env })).code).toBe(0);
    expect(gunzipSync(readFileSync(file)).toString('utf8')).toMatch(/^\{"format":"dystrack-backup"/);
  });

  it('backup - writes the backup to stdout and restore - reads it from stdin', async () => {
    const source = await database(kind);
    expect(
      (await run(['admin', 'create', '--username', 'root'], { env: source.env, stdin: PASSWORD })).code,
    ).toBe(0);
    const backup = await run(['backup', '-'], { env: source.env });
    expect(backup.code).toBe(0);
    expect(backup.stderr).toMatch(/written to -: \d+ rows \(.*\busers 1\b/);
    const target = await database(kind);
    const restore = await run(['restore', '-'], { env: target.env, stdin: backup.stdoutBytes });
    expect(restore.code).toBe(0);
    expect((await usersIn(target.env)).map((user) => user.username)).toEqual(['root']);
  });
});

describe('the embedded database has one owner', () => {
  it.each([
    [['migrate']],
    [['admin', 'create', '--username', 'root']],
    [['backup', 'never-written.gz']],
    [['restore', 'package.json']],
  ])(
    'dystrack %j refuses while a server owns the data directory, and says to stop the server first',
    async (argv) => {
      const { env, dataDir } = await database();
      const server = await otherProcess();
      writeFileSync(
        join(dataDir!, LOCK_FILE),
        JSON.stringify({
          pid: server.pid,
          hostname: hostname(),
          startedAt: new Date().toISOString(),
          purpose: 'serve',
        }),
      );
      const result = await run(argv, { env, stdin: PASSWORD });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^dystrack: E_DATABASE_LOCKED: /);
      expect(result.stderr).toContain(`process ${server.pid}`);
      expect(result.stderr).toContain('Stop the server first');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync('never-written.gz')).toBe(false);
    },
  );

  it('restore of a missing file says so before creating any database', async () => {
    const dataDir = join(scratch, 'not-created');
    const result = await run(['restore', join(scratch, 'missing.gz')], {
      env: { DYSTRACK_DATA_DIR: dataDir },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: E_NOT_FOUND: There is no file /);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('backup of a data directory without a database says so and creates nothing', async () => {
    const dataDir = join(scratch, 'no-such-dir');
    const result = await run(['backup', join(scratch, 'x.gz')], { env: { DYSTRACK_DATA_DIR: dataDir } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: E_NOT_FOUND: There is no Dystrack database in /);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('serve', () => {
  it('listens, answers, and on the stop signal closes everything, releases the lock and exits 0', async () => {
    const { env, dataDir } = await database();
    const stdout = new PassThrough();
    let printed = '';
    const listening = new Promise<string>((resolve) => {
      stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /Dystrack listening on (http:\/\/\S+)/.exec(printed);
        if (match) resolve(match[1]!);
      });
    });
    let stop!: (reason: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = main(['serve'], {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: { ...env, PORT: '0', LOG_LEVEL: 'silent' },
      signals: [],
      stopped,
    });
    const url = await Promise.race([
      listening,
      exit.then((code) => Promise.reject(new Error(`exited ${code}`))),
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed).toBe(`Dystrack listening on ${url}\n`);
    const health = await fetch(`${url}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: 'pglite' });
    expect(existsSync(join(dataDir!, LOCK_FILE))).toBe(true);

    stop('test');
    expect(await exit).toBe(0);
    expect(printed).toContain('Dystrack stopped (test).');
    expect(existsSync(join(dataDir!, LOCK_FILE))).toBe(false);
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });

  it('refuses a port in use with one coded line, and releases the database again', async () => {
    const { env, dataDir } = await database();
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as AddressInfo).port;
    const result = await run(['serve'], { env: { ...env, PORT: String(port) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `dystrack: E_PORT_IN_USE: Cannot listen: port ${port} on 127.0.0.1 is in use by another program. Stop it or set PORT to another port.\n`,
    );
    expect(existsSync(join(dataDir!, LOCK_FILE))).toBe(false);
  });

  it('reports an unreachable PostgreSQL with one coded line that hides the password', async () => {
    const result = await run(['migrate'], {
      env: { DATABASE_URL: 'postgres://dystrack:s3cret@127.0.0.1:1/dystrack' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^dystrack: E_DATABASE_UNREACHABLE: Cannot reach the PostgreSQL database at postgres:\/\/dystrack:\*\*\*@127\.0\.0\.1:1\/dystrack: /,
    );
    expect(result.stderr).not.toContain('s3cret');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
