import { readFileSync } from 'node:fs';
import type { Command } from './args.js';
import { adminCommand } from './commands/admin.js';
import { analyzeCommand } from './commands/analyze.js';
import { backupCommand } from './commands/backup.js';
import { exportCommand } from './commands/export.js';
import { metricsCommand } from './commands/metrics.js';
import { migrateCommand } from './commands/migrate.js';
import { recomputeCommand } from './commands/recompute.js';
import { restoreCommand } from './commands/restore.js';
import { serveCommand } from './commands/serve.js';
import { verifyCommand } from './commands/verify.js';
import { describeError, EXIT_ERROR, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import { print, processIo, type Io } from './io.js';

/** Every command, in the order the help lists them. */
export const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  adminCommand,
  backupCommand,
  restoreCommand,
  recomputeCommand,
  analyzeCommand,
  metricsCommand,
  exportCommand,
  verifyCommand,
];

/** The CLI's version (its package.json, one level above src/ and dist/). */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const HELP = `Usage: dystrack <command> [options]

Dystrack: self-hosted, in-browser measurement of task-specific focal hand dystonia.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Options:
  -h, --help      show this help ('dystrack <command> --help' for a command's options)
  -v, --version   print the version

The database is the embedded one in DYSTRACK_DATA_DIR (default ./data), or PostgreSQL when
DATABASE_URL is set. Exit codes: 0 done, 1 failed (dystrack: E_CODE: message), 2 wrong usage.`;

/**
 * Runs the command line and returns the exit code; it never throws and never prints a stack trace
 * (set DYSTRACK_DEBUG=1 to get one).
 * @param argv - the arguments after `dystrack`
 * @param io - streams, environment and signals (default: the process's)
 * @example
 * process.exit(await main(process.argv.slice(2)));
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    const [name, ...args] = argv;
    if (name === undefined) {
      print(io.stderr, HELP);
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = args[0] && COMMANDS.find((command) => command.name === args[0]);
      print(io.stdout, topic ? topic.help : HELP);
      return EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      print(io.stdout, VERSION);
      return EXIT_OK;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      print(
        io.stderr,
        `dystrack: ${error.message}\nRun 'dystrack ${error.command ? `${error.command} ` : ''}--help' for usage.`,
      );
      return EXIT_USAGE;
    }
    const { code, message } = describeError(error, { databaseUrl: io.env.DATABASE_URL });
    print(io.stderr, `dystrack: ${code}: ${message}`);
    if (io.env.DYSTRACK_DEBUG && error instanceof Error) print(io.stderr, error.stack ?? String(error));
    return EXIT_ERROR;
  }
}
