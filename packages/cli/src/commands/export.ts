import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FORMATS, buildExportFileFor, type ExportFormat } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { print } from '../io.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack export --user NAME --format fhir|csv|raw --out FILE [--data-dir DIR]

Writes one account's data in a format other systems read: the same files as the "Download my
data" buttons of the account page.

Options:
  --user NAME      the account (its user name)
  --format fhir    a FHIR R4 Bundle (JSON) for clinical and research systems: the account as a
                   Patient, every stored metric value as an Observation (UCUM units), questionnaire
                   responses, medications and botulinum-toxin injections with each muscle and dose
  --format csv     a ZIP for spreadsheets and statistics programs: metrics.csv (one row per session
                   and metric), metric-catalogue.csv and data-dictionary.md
  --format raw     a ZIP for researchers: every recording's JSON exactly as stored, its samples in
                   the analysis contract's CSV format, and manifest.json with SHA-256 hashes
  --out FILE       where to write it ('-' for standard output); the file appears only when complete
  --data-dir DIR   embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help       show this help

Exit codes: 0 written, 1 the account does not exist or the command failed, 2 wrong usage.

${DATABASE_HELP} With PostgreSQL the server may keep running.`;

const OPTIONS = {
  user: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  ...DATA_DIR_OPTION,
} as const;

/** `dystrack export --user NAME --format fhir|csv|raw --out FILE`: one account's data for other systems. */
export const exportCommand: Command = {
  name: 'export',
  summary: "write an account's data as FHIR, CSV or raw recordings",
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, OPTIONS, 'export');
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const { user: username, format, out } = parsed.values;
    if (!username) throw new UsageError('missing --user NAME', 'export');
    if (!format) throw new UsageError(`missing --format (${EXPORT_FORMATS.join(', ')})`, 'export');
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(
        `invalid --format ${JSON.stringify(format)} (${EXPORT_FORMATS.join(', ')})`,
        'export',
      );
    }
    if (!out) throw new UsageError("missing --out FILE ('-' for standard output)", 'export');
    const written = await withDatabase(
      io,
      parsed.values['data-dir'],
      'export',
      { migrate: true, mustExist: true },
      async (database) => {
        const file = await buildExportFileFor(database.db, username, format as ExportFormat);
        if (out === '-') {
          await pipeline(Readable.from(file.chunks), io.stdout, { end: false });
          return null;
        }
        // written beside the target and renamed when complete, so a broken export never looks whole
        const partial = `${out}.partial`;
        try {
          await pipeline(Readable.from(file.chunks), createWriteStream(partial));
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
        return file;
      },
    );
    if (written) print(io.stderr, `Wrote ${out} (${written.contentType}) for the account "${username}".`);
    return EXIT_OK;
  },
};
