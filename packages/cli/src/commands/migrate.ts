import { appliedMigrations } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { print } from '../io.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack migrate [--data-dir DIR]

Applies the database migrations this version of Dystrack has and exits. (serve does the same at
every start; run this to upgrade the database separately, e.g. before starting several servers.)

Options:
  --data-dir DIR    embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help        show this help

${DATABASE_HELP}`;

/** `dystrack migrate`: applies the migrations and exits. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations and exit',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, DATA_DIR_OPTION, 'migrate');
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const { count, location } = await withDatabase(
      io,
      parsed.values['data-dir'],
      'migrate',
      { migrate: true },
      async (database) => ({
        count: (await appliedMigrations(database.db)).length,
        location: database.location,
      }),
    );
    print(io.stdout, `The database ${location} is up to date: ${count} migrations applied.`);
    return EXIT_OK;
  },
};
