import { statSync } from 'node:fs';
import { backupDatabase, type BackupSummary } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK } from '../errors.js';
import { print } from '../io.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack backup FILE [--force] [--data-dir DIR]

Writes a backup of the whole database to FILE (gzip'd JSON lines, the same format from the
embedded database and from PostgreSQL; '-' writes to standard output). The file appears only
when it is complete. Restore it with 'dystrack restore FILE'.

Options:
  --force           replace FILE if it exists
  --data-dir DIR    embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help        show this help

${DATABASE_HELP} With PostgreSQL the server may keep running:
  the backup reads one consistent snapshot.`;

/** `dystrack backup FILE`. */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a backup of the whole database to FILE',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, { force: { type: 'boolean' }, ...DATA_DIR_OPTION }, 'backup', ['FILE']);
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const file = parsed.positionals[0]!;
    const toStdout = file === '-';
    const summary = await withDatabase(
      io,
      parsed.values['data-dir'],
      'backup',
      { migrate: false, mustExist: true },
      async (database) => {
        const made = await backupDatabase(database.db, toStdout ? io.stdout : file, {
          overwrite: Boolean(parsed.values.force),
          sourceKind: database.kind,
        });
        return { made, location: database.location };
      },
    );
    const size = toStdout ? '' : `, ${statSync(file).size} bytes`;
    print(
      toStdout ? io.stderr : io.stdout,
      `Backup of ${summary.location} written to ${file}: ${describe(summary.made)}${size}.`,
    );
    return EXIT_OK;
  },
};

/** `12 rows (users 2, sessions 3, …)`. */
export function describe(summary: BackupSummary): string {
  const tables = summary.header.tables.map((table) => `${table.name} ${table.rows}`).join(', ');
  return `${summary.rows} rows (${tables})`;
}
