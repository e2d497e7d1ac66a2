import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { testConfig, type ServerConfig } from './config.js';
import { LOCK_FILE, acquireLock } from './db/lock.js';
import { DEFAULT_WEB_DIR, runServer, startServer } from './serve.js';
import { pgTemplateName } from './test-utils/paths.js';
import { copyTemplate } from './test-utils/test-database.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A configuration on a fresh copy of the migrated template data directory. */
function embedded(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = copyTemplate();
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return testConfig({ dataDir, host: '127.0.0.1', port: 0, webDir: null, ...overrides });
}

/** A configuration on a fresh PostgreSQL database cloned from the template. */
async function postgres(): Promise<ServerConfig> {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `dystrack_t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}" template "${pgTemplateName(inject('migrationsDigest'))}"`);
  await admin.end();
  cleanups.push(async () => {
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    await dropper.query(`drop database if exists "${name}" with (force)`);
    await dropper.end();
  });
  const target = new URL(url);
  target.pathname = `/${name}`;
  return testConfig({ databaseUrl: target.toString(), host: '127.0.0.1', port: 0, webDir: null });
}

const KINDS = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(KINDS)('startServer on %s', (kind) => {
  it('listens on the bound port, prints exactly one line with its URL, and closes (idempotently)', async () => {
    const config = kind === 'pglite' ? embedded() : await postgres();
    const lines: string[] = [];
    const server = await startServer(config, { log: (line) => lines.push(line) });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(lines).toEqual([`Dystrack listening on ${server.url}`]);
    const health = await fetch(`${server.url}/api/v1/health`);
    expect(await health.json()).toMatchObject({ ok: true, database: kind });
    if (kind === 'pglite') expect(existsSync(join(config.dataDir, LOCK_FILE))).toBe(true);

    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/api/v1/health`)).rejects.toThrow();
    if (kind === 'pglite') expect(existsSync(join(config.dataDir, LOCK_FILE))).toBe(false);
  });
});

describe('startServer', () => {
  it('on a port in use throws the listen error, prints nothing, and releases the database', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const config = embedded({ port: (blocker.address() as AddressInfo).port });
    const lines: string[] = [];
    await expect(startServer(config, { log: (line) => lines.push(line) })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(lines).toEqual([]);
    acquireLock(config.dataDir, 'test')(); // free again
  });

  it('refuses a data directory another owner holds, before opening anything', async () => {
    const config = embedded();
    const server = await startServer(config, { log: () => {} });
    cleanups.push(() => server.close());
    await expect(startServer(config, { log: () => {} })).rejects.toMatchObject({ code: 'E_DATABASE_LOCKED' });
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });

  it('serves the web app from webDir, with index.html for app routes', async () => {
    const webDir = mkdtempSync(join(tmpdir(), 'dystrack-web-'));
    cleanups.push(() => rmSync(webDir, { recursive: true, force: true }));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Dystrack test page</title>');
    const server = await startServer(embedded({ webDir }), { log: () => {} });
    cleanups.push(() => server.close());
    for (const path of ['/', '/some/app/route']) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Dystrack test page');
    }
  });

  it('looks for the built web app in packages/web/dist by default', () => {
    expect(DEFAULT_WEB_DIR).toBe(fileURLToPath(new URL('../../web/dist', import.meta.url)));
    expect(DEFAULT_WEB_DIR.endsWith(join('packages', 'web', 'dist'))).toBe(true);
  });
});

describe('runServer', () => {
  it('runs until stopped, then closes the app and the database and returns the reason', async () => {
    const config = embedded();
    let printed!: (line: string) => void;
    const listening = new Promise<string>((resolve) => (printed = resolve));
    let stop!: (reason: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const running = runServer(config, { log: (line) => printed(line), signals: [], stopped });
    const url = (await listening).replace('Dystrack listening on ', '');
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    stop('SIGTERM');
    expect(await running).toBe('SIGTERM');
    expect(existsSync(join(config.dataDir, LOCK_FILE))).toBe(false);
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });
});
