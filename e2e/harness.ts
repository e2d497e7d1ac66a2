import { afterAll, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/dist/main.js');

/** Chromium flags that work on a closed network (platform-findings 5). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Dystrack server process on its own data directory. */
export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed. */
  output(): string;
  /** Stops it with a signal and waits for the exit; returns the exit code (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A new empty data directory under the OS temp dir. */
export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'dystrack-e2e-'));
}

/**
 * Starts `dystrack serve` (the built CLI) and resolves once it printed its URL.
 * @param options.dataDir - embedded database directory (reuse it to restart on the same data)
 * @param options.port - fixed port (0 picks a free one)
 */
export async function startServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const dataDir = options.dataDir ?? newDataDir();
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DYSTRACK_DATA_DIR: dataDir,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Dystrack listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]!);
      }
    }, 25);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A fresh Chromium profile; close it after the test. */
export async function launchBrowser(): Promise<{
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}> {
  const profile = newBrowserProfile();
  const browser = await launchBrowserOn(profile);
  return {
    ...browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new empty Chromium profile directory (for {@link launchBrowserOn}; remove it after the test). */
export function newBrowserProfile(): string {
  return mkdtempSync(join(tmpdir(), 'dystrack-chromium-'));
}

/**
 * Chromium on the given profile directory, which `close` keeps: launched again on it, the browser has the
 * same cookies, IndexedDB, localStorage and service workers (a person closing and reopening the browser).
 */
export async function launchBrowserOn(profile: string): Promise<{
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

/** A free TCP port on loopback (for a server that must come back on the same origin after a restart). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Copies a data directory (to keep evidence of a state). */
export function copyDir(from: string): string {
  const to = newDataDir();
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
  return to;
}

/** The built server and a Chromium for the tests of one `describe` block (see {@link useServerAndBrowser}). */
export interface AppUnderTest {
  server: ServerProcess;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
  /** The server's URL on localhost (a secure context, as 127.0.0.1 is not for every API). */
  base: string;
}

/**
 * Starts the built server and Chromium before the tests of the calling `describe` block and closes them
 * after; the returned object is filled in `beforeAll`.
 */
export function useServerAndBrowser(): AppUnderTest {
  const app = {} as AppUnderTest;
  beforeAll(async () => {
    app.server = await startServer();
    app.base = app.server.url.replace('127.0.0.1', 'localhost');
    app.browser = await launchBrowser();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.server?.stop();
  });
  return app;
}
