import { CodedError } from '@dystrack/core';
import { redactUrl } from '@dystrack/server';

/** Exit codes: 0 done, 1 a coded failure (`dystrack: E_…: message`), 2 wrong usage. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** The command line was not understood; shown with a pointer to the help, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help to point at (e.g. `backup`, `admin create`). */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Codes for failures of the process itself rather than of a request; they are not HTTP errors, so they
 * sit here beside the catalogue's codes.
 */
export type ProcessErrorCode = 'E_PORT_IN_USE' | 'E_CANNOT_LISTEN' | 'E_DATABASE_UNREACHABLE';

/** Error codes of node and PostgreSQL that mean the database server cannot be reached or refuses us. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  '28P01', // password authentication failed
  '28000', // no pg_hba.conf entry / invalid authorization
  '3D000', // database does not exist
  '57P03', // cannot connect now (starting up)
]);

/**
 * Turns any error into the one line the CLI prints: the code and a message, never a stack trace or a
 * query with its parameters.
 * @param error - what was thrown
 * @param context.databaseUrl - the database URL in use, shown without its password
 */
export function describeError(
  error: unknown,
  context: { databaseUrl?: string | undefined } = {},
): { code: string; message: string } {
  if (error instanceof CodedError) return { code: error.code, message: error.message };
  const causes = causeChain(error);
  for (const cause of causes) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (cause instanceof CodedError) return { code: cause.code, message: cause.message };
    const listen = cause as NodeJS.ErrnoException & { address?: string; port?: number };
    if (listen.syscall === 'listen' || code === 'EADDRINUSE') {
      const where =
        listen.port !== undefined ? `port ${listen.port} on ${listen.address ?? 'this host'}` : 'the port';
      if (code === 'EADDRINUSE') {
        return {
          code: 'E_PORT_IN_USE',
          message: `Cannot listen: ${where} is in use by another program. Stop it or set PORT to another port.`,
        };
      }
      return {
        code: 'E_CANNOT_LISTEN',
        message: `Cannot listen on ${where} (${code ?? listen.message}). Check HOST and PORT.`,
      };
    }
    if (code && UNREACHABLE.has(code)) {
      const where = context.databaseUrl ? ` at ${redactUrl(context.databaseUrl)}` : '';
      return {
        code: 'E_DATABASE_UNREACHABLE',
        message: `Cannot reach the PostgreSQL database${where}: ${cause.message || code}. Check DATABASE_URL and that the database server runs.`,
      };
    }
  }
  // the innermost message: drizzle wraps database errors with the query and its parameters
  const innermost = causes.at(-1);
  return { code: 'E_INTERNAL', message: innermost instanceof Error ? innermost.message : String(innermost) };
}

/** The error, its causes and the members of aggregate errors, outermost first. */
function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!(next instanceof Error) || seen.has(next)) continue;
    seen.add(next);
    chain.push(next);
    if (next.cause !== undefined) queue.push(next.cause);
    if (next instanceof AggregateError) queue.push(...next.errors);
  }
  return chain.length > 0 ? chain : [new Error(String(error))];
}
