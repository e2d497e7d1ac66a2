import { CodedError } from '@dystrack/core';
import { createAdmin } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print, type Io } from '../io.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack admin create --username NAME [--display-name TEXT] [--password-stdin] [--data-dir DIR]

Commands:
  create    create an administrator account, approved at once

Run 'dystrack admin create --help' for its options.`;

const CREATE_HELP = `Usage: dystrack admin create --username NAME [--display-name TEXT] [--password-stdin] [--data-dir DIR]

Creates an administrator account, approved at once. The password is never an argument (other
users could read it in the process list): type it when asked, or pipe it on standard input:

  printf '%s\\n' "$ADMIN_PASSWORD" | dystrack admin create --username admin --password-stdin

Options:
  --username NAME       user name to sign in with (3–64 letters, digits, . _ -)
  --display-name TEXT   the name shown in the app (default: the user name)
  --password-stdin      read the password from standard input (the first line); the default
                        when standard input is not a terminal
  --data-dir DIR        embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help            show this help

${DATABASE_HELP}`;

/** `dystrack admin …`: account administration from the command line. */
export const adminCommand: Command = {
  name: 'admin',
  summary: 'create an administrator account (admin create --username NAME)',
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      print(sub === undefined ? io.stderr : io.stdout, HELP);
      return sub === undefined ? 2 : EXIT_OK;
    }
    if (sub !== 'create') throw new UsageError(`unknown admin command ${JSON.stringify(sub)}`, 'admin');
    return createAdminAccount(rest, io);
  },
};

async function createAdminAccount(args: string[], io: Io): Promise<number> {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      'a password is never given as an argument (others can read it in the process list); pipe it on standard input with --password-stdin',
      'admin create',
    );
  }
  const parsed = parseCommand(
    args,
    {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      ...DATA_DIR_OPTION,
    },
    'admin create',
  );
  if (parsed.help) {
    print(io.stdout, CREATE_HELP);
    return EXIT_OK;
  }
  const { username, 'display-name': displayName } = parsed.values;
  if (!username) throw new UsageError('missing --username NAME', 'admin create');
  const fromStdin = Boolean(parsed.values['password-stdin']) || !isInteractive(io);
  // piped: read before touching the database; typed: ask once the database is ours (a refusal comes first)
  const piped = fromStdin ? await readPassword(io, true) : undefined;
  return withDatabase(io, parsed.values['data-dir'], 'admin create', { migrate: true }, async (database) => {
    const password = piped ?? (await readPassword(io, false));
    const created = await createAdmin(database.db, {
      username,
      password,
      ...(displayName ? { displayName } : {}),
    });
    print(io.stdout, `Created the administrator account "${created.username}" (${created.id}).`);
    return EXIT_OK;
  });
}

/**
 * Reads the password: from a terminal, asked twice without echo; otherwise the first line of stdin.
 * @param fromStdin - read stdin even when it is a terminal (as a line, without asking)
 */
export async function readPassword(io: Io, fromStdin: boolean): Promise<string> {
  if (isInteractive(io) && !fromStdin) {
    const first = await askHidden(io, 'Password: ');
    const second = await askHidden(io, 'Password again: ');
    if (first !== second)
      throw new CodedError('E_VALIDATION', 'The two passwords differ; nothing was created.');
    return first;
  }
  let text = '';
  io.stdin.setEncoding('utf8');
  for await (const chunk of io.stdin) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new CodedError('E_WEAK_PASSWORD', 'No password was given on standard input.');
  return line;
}

function isInteractive(io: Io): boolean {
  return Boolean(io.stdin.isTTY && io.stdin.setRawMode);
}

function askHidden(io: Io, prompt: string): Promise<string> {
  const stdin = io.stdin;
  io.stderr.write(prompt);
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (result: () => void) => {
      stdin.setRawMode!(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      result();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(value));
        if (char === '\u0003') return finish(() => reject(new UsageError('cancelled', 'admin create')));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on('data', onData);
  });
}
