import { existsSync } from 'node:fs';
import { CodedError } from '@dystrack/core';
import { restoreDatabase } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { print } from '../io.js';
import { describe } from './backup.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack restore FILE [--data-dir DIR]

Restores a backup made by 'dystrack backup' into an empty database ('-' reads standard input).
A new data directory is created and migrated; an existing database must be empty and at the
same migrations as the backup. Everything is restored in one transaction: all or nothing.

Options:
  --data-dir DIR    embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help        show this help

${DATABASE_HELP}`;

/** `dystrack restore FILE`. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup into an empty database',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, DATA_DIR_OPTION, 'restore', ['FILE']);
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const file = parsed.positionals[0]!;
    // before the database is opened (or created): a typo should not leave a new empty database behind
    if (file !== '-' && !existsSync(file)) throw new CodedError('E_NOT_FOUND', `There is no file ${file}.`);
    const { restored, location } = await withDatabase(
      io,
      parsed.values['data-dir'],
      'restore',
      { migrate: true },
      async (database) => ({
        restored: await restoreDatabase(database.db, file === '-' ? io.stdin : file),
        location: database.location,
      }),
    );
    print(
      io.stdout,
      `Restored ${describe(restored)} from ${file} (backup made ${restored.header.createdAt}) into ${location}.`,
    );
    return EXIT_OK;
  },
};
