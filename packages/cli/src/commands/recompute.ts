import { TASK_IDS, type TaskId } from '@dystrack/core';
import { coreAnalyzer, recomputeMetrics, type RecomputeProgress } from '@dystrack/server';
import { parseCommand, type Command } from '../args.js';
import { EXIT_ERROR, EXIT_OK, UsageError } from '../errors.js';
import { print } from '../io.js';
import { DATABASE_HELP, DATA_DIR_OPTION, withDatabase } from './database.js';

const HELP = `Usage: dystrack recompute [--all] [--task TASK] [--data-dir DIR]

Computes the stored metrics of recordings with this version's analysis (analysis version
${coreAnalyzer.version}): every stored recording that has none for this version yet, e.g. after an
upgrade that changed the analysis, or with --all every stored recording again. Rows of earlier
analysis versions are kept, so earlier results stay as they were. The server does the same for new
uploads and, at start, for recordings it has not analysed yet.

Options:
  --all             recompute every stored recording, also those with metrics of this version
  --task TASK       only recordings of TASK (${TASK_IDS.join(', ')})
  --data-dir DIR    embedded database directory (DYSTRACK_DATA_DIR, default ./data)
  -h, --help        show this help

Prints one line per recording and a summary. A recording the analysis refuses (e.g. too few
events) is stored as failed and reported on stderr as 'dystrack: RECORDING: E_CODE: message'.
Exit codes: 0 every recording analysed, 1 some recording refused or the command failed, 2 wrong usage.

${DATABASE_HELP} With PostgreSQL the server may keep running.`;

const OPTIONS = { all: { type: 'boolean' }, task: { type: 'string' }, ...DATA_DIR_OPTION } as const;

/** `dystrack recompute [--all] [--task TASK]`: computes stored metrics for the current analysis version. */
export const recomputeCommand: Command = {
  name: 'recompute',
  summary: 'compute stored metrics with this version of the analysis',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, OPTIONS, 'recompute');
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const task = parsed.values.task;
    if (task !== undefined && !(TASK_IDS as readonly string[]).includes(task)) {
      throw new UsageError(
        `unknown task ${JSON.stringify(task)} (one of ${TASK_IDS.join(', ')})`,
        'recompute',
      );
    }
    const all = Boolean(parsed.values.all);
    const width = (total: number) => String(total).length;
    const onProgress = (p: RecomputeProgress) => {
      const position = `${String(p.index).padStart(width(p.total))}/${p.total}`;
      const what =
        p.outcome === 'ok'
          ? `${p.metrics} metrics`
          : p.outcome === 'failed'
            ? `refused (${p.error?.code ?? 'E_INTERNAL'})`
            : 'erased meanwhile, skipped';
      print(io.stdout, `${position} ${p.taskId} ${p.recordingId}: ${what}`);
      if (p.outcome === 'failed' && p.error)
        print(io.stderr, `dystrack: ${p.recordingId}: ${p.error.code}: ${p.error.message}`);
    };
    const { summary, location } = await withDatabase(
      io,
      parsed.values['data-dir'],
      'recompute',
      { migrate: true, mustExist: true },
      async (database) => ({
        summary: await recomputeMetrics(database.db, {
          all,
          ...(task ? { task: task as TaskId } : {}),
          onProgress,
        }),
        location: database.location,
      }),
    );
    const scope = `${task ? `${task} ` : ''}recording${summary.total === 1 ? '' : 's'}`;
    if (summary.total === 0) {
      print(
        io.stdout,
        `Nothing to do: every stored ${task ? `${task} ` : ''}recording in ${location} has metrics of analysis version ${summary.analysisVersion}.`,
      );
      return EXIT_OK;
    }
    const refused = Object.entries(summary.failures)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    print(
      io.stdout,
      `Recomputed ${summary.total} ${scope} in ${location} with analysis version ${summary.analysisVersion}: ` +
        `${summary.ok} analysed, ${summary.failed} refused${refused ? ` (${refused})` : ''}` +
        `${summary.gone ? `, ${summary.gone} erased meanwhile` : ''}. Metrics of earlier versions are kept.`,
    );
    return summary.failed > 0 ? EXIT_ERROR : EXIT_OK;
  },
};
