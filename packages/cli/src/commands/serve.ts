import { configFromEnv, runServer, type ServerConfig } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print, type Io } from '../io.js';

const HELP = `Usage: dystrack serve [--host HOST] [--port PORT] [--data-dir DIR]

Starts the Dystrack web server and prints "Dystrack listening on http://HOST:PORT".
Stops gracefully on Ctrl-C (SIGINT) or SIGTERM: open requests finish, the database is closed.

Options:
  --host HOST       address to listen on (HOST, default 127.0.0.1)
  --port PORT       port to listen on, 0 for any free port (PORT, default 8080)
  --data-dir DIR    embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help        show this help

Environment:
  DATABASE_URL      postgres://… to use PostgreSQL instead of the embedded database
  PUBLIC_URL        the address people reach the app at (for passkeys and links)
  DYSTRACK_WEB_DIR  the built web app to serve (default: packages/web/dist when built)
  LOG_LEVEL         info (default), warn, error, debug or silent
  See the README for the rest.`;

/** Reads the server configuration from the environment and the command's options. */
export function serveConfig(
  io: Io,
  values: { host?: string; port?: string; 'data-dir'?: string },
): ServerConfig {
  const env = { ...io.env };
  if (values.host !== undefined) env.HOST = values.host;
  if (values.port !== undefined) env.PORT = values.port;
  if (values['data-dir'] !== undefined) env.DYSTRACK_DATA_DIR = values['data-dir'];
  try {
    return configFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message, 'serve');
  }
}

/** `dystrack serve`: runs the server until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the web server',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(
      args,
      { host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
      'serve',
    );
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const config = serveConfig(io, parsed.values);
    const reason = await runServer(config, {
      log: (line) => print(io.stdout, line),
      ...(io.signals ? { signals: io.signals } : {}),
      ...(io.stopped ? { stopped: io.stopped } : {}),
    });
    print(io.stdout, `Dystrack stopped (${reason}).`);
    return EXIT_OK;
  },
};
