import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';

/** The built web app (`packages/web/dist`), the same path from `src/` and from `dist/`. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** A listening Dystrack server. */
export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  /** The address it listens on, e.g. `http://127.0.0.1:8080` (the bound port when PORT=0). */
  url: string;
  port: number;
  /** Stops taking requests, closes the app, then the database (which releases the lock). Idempotent. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Where the `Dystrack listening on …` line goes (default: stdout). */
  log?: (line: string) => void;
}

/**
 * Opens the database (migrating it), builds the app and listens on HOST:PORT; then prints
 * `Dystrack listening on http://HOST:PORT`. On any startup failure (database locked or unreachable,
 * port in use) whatever was opened is closed again, the lock released, and the error thrown.
 * @param config - the server configuration, e.g. from {@link configFromEnv}
 * @param options - where to print the listening line
 * @example
 * const server = await startServer(configFromEnv());
 * process.once('SIGTERM', () => void server.close());
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    purpose: 'serve',
    poolSize: config.poolSize,
  });
  let app: FastifyInstance | undefined;
  try {
    const webDir =
      config.webDir ?? (existsSync(join(DEFAULT_WEB_DIR, 'index.html')) ? DEFAULT_WEB_DIR : null);
    app = await buildApp({ db: database.db, config: { ...config, webDir }, databaseKind: database.kind });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close().catch(() => {});
    await database.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const url = `http://${formatHost(config.host)}:${address.port}`;
  log(`Dystrack listening on ${url}`);
  let closing: Promise<void> | undefined;
  const running = app;
  return {
    app: running,
    database,
    url,
    port: address.port,
    close: () =>
      (closing ??= (async () => {
        try {
          await running.close();
        } finally {
          await database.close();
        }
      })()),
  };
}

/**
 * Runs a server until one of the signals arrives, then shuts it down gracefully (in-flight requests
 * finish, the database is closed and its lock released). A second signal during shutdown is not
 * waited for: the caller may exit at once (the embedded database is crash-consistent).
 * @param config - the server configuration
 * @param options.signals - the signals that stop the server (default SIGINT and SIGTERM)
 * @param options.stopped - an alternative stop trigger (tests)
 * @returns the signal (or reason) that stopped it
 */
export async function runServer(
  config: ServerConfig,
  options: StartServerOptions & { signals?: NodeJS.Signals[]; stopped?: Promise<string> } = {},
): Promise<string> {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  // The listeners are installed before the server starts and stay until it is closed: a signal that
  // arrives while it starts stops it as soon as it is up, and a repeated signal during shutdown cannot
  // terminate the process half-way (Node restores the default action when the last listener goes).
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<string>((resolve) => {
    onSignal = (signal) => resolve(signal);
  });
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const server = await startServer(config, options);
    const reason = await Promise.race([signalled, ...(options.stopped ? [options.stopped] : [])]);
    await server.close();
    return reason;
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
}

/** `::1` → `[::1]` for URLs. */
function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
