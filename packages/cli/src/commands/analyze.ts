import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  CodedError,
  TASK_IDS,
  analysisCsvHeader,
  analysisCsvRow,
  analysisRecord,
  analyzeFile,
  isTaskId,
  type TaskId,
} from '@dystrack/core';
import type { Command, OptionValues } from '../args.js';
import { EXIT_ERROR, EXIT_OK, UsageError, describeError } from '../errors.js';
import { print, type Io } from '../io.js';

/** Largest input file `analyze` reads unless `--max-bytes` or DYSTRACK_MAX_INPUT_BYTES says otherwise: 200 MB. */
export const DEFAULT_MAX_INPUT_BYTES = 200_000_000;

const FORMATS = ['json', 'ndjson', 'csv'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: dystrack analyze TASK INPUT... [--hand left|right] [--format json|ndjson|csv] [--out FILE]
                        [--max-bytes N]

Computes the metrics of TASK from each INPUT file and prints them (docs/metrics.md lists them;
'dystrack metrics TASK' prints the list). TASK is one of: ${TASK_IDS.join(', ')}.

Inputs, picked by extension (docs/analysis-contract.md has the columns of each task):
  .json           a Dystrack recording of TASK (any schema version)
  .csv            a CSV file with a header row, commas, '.' decimals, UTF-8
  .mid, .midi     a Standard MIDI File (scale only)

Output (stdout, or FILE with --out):
  json     the default: with one INPUT, one JSON object, indented; with several, one object per line
  ndjson   one JSON object per line (compact), in input order
  csv      a header line, then one row per input: input, task, analysis_version, quality_flags
           (joined with ';'), then one column per metric ID; an empty cell is a null metric
Each object has task, input (the path as given), analysis_version, metrics (every metric of the
task; null when it cannot be computed) and quality_flags.

Options:
  --hand left|right   the hand that did the task (default: a recording's own hand)
  --format FORMAT     json (default), ndjson or csv
  --out FILE          write the output to FILE instead of stdout
  --max-bytes N       refuse inputs larger than N bytes (DYSTRACK_MAX_INPUT_BYTES, default 200000000)
  -h, --help          show this help

An input that cannot be analysed prints nothing on stdout and one line on stderr,
'dystrack: INPUT: E_CODE: message'; the other inputs are still analysed.
Exit codes: 0 all inputs analysed, 1 some input failed, 2 wrong usage.`;

const OPTIONS = {
  hand: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'max-bytes': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's options strictly, with any number of positional arguments and `-h/--help`
 * (`parseCommand` of args.ts takes a fixed number of positionals).
 * @param args - the arguments after the command name
 * @param options - the command's options
 * @param command - the command name, for the pointer to its help
 */
export function parseVariadic<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  command: string,
): { help: boolean; values: OptionValues<O>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, unknown>;
    return {
      help: Boolean(values.help),
      values: values as OptionValues<O>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!, command);
  }
}

/**
 * The task named on the command line.
 * @throws UsageError when it is missing or not a task
 */
export function taskArgument(name: string | undefined, command: string): TaskId {
  if (name === undefined) throw new UsageError(`missing TASK (one of: ${TASK_IDS.join(', ')})`, command);
  if (!isTaskId(name)) {
    throw new UsageError(`unknown task ${JSON.stringify(name)} (one of: ${TASK_IDS.join(', ')})`, command);
  }
  return name;
}

/** The input size limit: `--max-bytes`, else DYSTRACK_MAX_INPUT_BYTES, else 200 MB. */
function maxBytes(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const [source, text] =
    option !== undefined
      ? ['--max-bytes', option]
      : env.DYSTRACK_MAX_INPUT_BYTES !== undefined && env.DYSTRACK_MAX_INPUT_BYTES !== ''
        ? ['DYSTRACK_MAX_INPUT_BYTES', env.DYSTRACK_MAX_INPUT_BYTES]
        : [null, null];
  if (source === null) return DEFAULT_MAX_INPUT_BYTES;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(
      `invalid ${source}: ${JSON.stringify(text)} (a positive number of bytes)`,
      'analyze',
    );
  }
  return value;
}

/** Where the output goes: stdout, or a file opened before any input is read. */
interface Sink {
  write(text: string): void;
  close(): void;
  /** Whether nobody reads any more (stdout closed, e.g. piped into `head`): then analysis stops. */
  closed(): boolean;
}

function stdoutSink(io: Io): Sink {
  let closed = false;
  // EPIPE and the like arrive as an 'error' event; unhandled, it would crash with a stack trace
  io.stdout.on('error', () => {
    closed = true;
  });
  return {
    write: (text) => {
      if (!closed) io.stdout.write(text);
    },
    close: () => undefined,
    closed: () => closed,
  };
}

function fileSink(path: string): Sink {
  let fd: number;
  const fail = (error: unknown): never => {
    throw new CodedError('E_OUTPUT_WRITE', `cannot write ${path}: ${(error as Error).message}`);
  };
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    return fail(error);
  }
  return {
    write(text) {
      try {
        writeSync(fd, text);
      } catch (error) {
        fail(error);
      }
    },
    close() {
      try {
        closeSync(fd);
      } catch (error) {
        fail(error);
      }
    },
    closed: () => false,
  };
}

/**
 * Reads one input file, refusing it from its size before reading.
 * @throws CodedError `E_INPUT_NOT_FOUND` (missing, a directory, unreadable), `E_INPUT_TOO_LARGE`
 */
async function readInput(path: string, limit: number): Promise<Uint8Array> {
  const unreadable = (error: unknown): CodedError => {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (error as Error).message;
    return new CodedError('E_INPUT_NOT_FOUND', `cannot read the input: ${reason}`);
  };
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CodedError('E_INPUT_NOT_FOUND', 'the input is a directory, not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof CodedError) throw error;
    throw unreadable(error);
  }
  if (size > limit) {
    throw new CodedError(
      'E_INPUT_TOO_LARGE',
      `the input has ${size} bytes, more than the limit of ${limit} (--max-bytes or DYSTRACK_MAX_INPUT_BYTES)`,
    );
  }
  try {
    const bytes = await readFile(path);
    // a file that grew after stat
    if (bytes.length > limit) {
      throw new CodedError('E_INPUT_TOO_LARGE', `the input has more than the limit of ${limit} bytes`);
    }
    return bytes;
  } catch (error) {
    if (error instanceof CodedError) throw error;
    throw unreadable(error);
  }
}

/**
 * Prints `dystrack: FILE: E_CODE: message` (never a stack trace unless DYSTRACK_DEBUG is set).
 * @returns the exit code of a failure
 */
function report(io: Io, file: string, error: unknown): number {
  const { code, message } = describeError(error);
  print(io.stderr, `dystrack: ${file}: ${code}: ${message}`);
  if (io.env.DYSTRACK_DEBUG && error instanceof Error) print(io.stderr, error.stack ?? String(error));
  return EXIT_ERROR;
}

/** `dystrack analyze TASK INPUT...`: the metrics of each input (analysis contract). */
export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'compute the metrics of recordings, CSV or MIDI files',
  help: HELP,
  async run(args, io) {
    const parsed = parseVariadic(args, OPTIONS, 'analyze');
    if (parsed.help) {
      print(io.stdout, HELP);
      return EXIT_OK;
    }
    const [taskName, ...inputs] = parsed.positionals;
    const task = taskArgument(taskName, 'analyze');
    if (inputs.length === 0) throw new UsageError('missing INPUT', 'analyze');
    const format = (parsed.values.format ?? 'json') as Format;
    if (!FORMATS.includes(format)) {
      throw new UsageError(`invalid --format ${JSON.stringify(format)} (json, ndjson or csv)`, 'analyze');
    }
    const hand = parsed.values.hand;
    if (hand !== undefined && hand !== 'left' && hand !== 'right') {
      throw new UsageError(`invalid --hand ${JSON.stringify(hand)} (left or right)`, 'analyze');
    }
    const limit = maxBytes(parsed.values['max-bytes'], io.env);
    const out = parsed.values.out;
    if (out !== undefined && inputs.some((input) => resolve(input) === resolve(out))) {
      throw new UsageError(`--out ${out} is also an input`, 'analyze');
    }

    let sink: Sink;
    try {
      sink = out === undefined ? stdoutSink(io) : fileSink(out);
    } catch (error) {
      return report(io, out!, error);
    }
    const pretty = format === 'json' && inputs.length === 1;
    let headerWritten = false;
    let failed = 0;
    for (const input of inputs) {
      if (sink.closed()) break;
      let text: string;
      try {
        const bytes = await readInput(input, limit);
        const record = analysisRecord(input, analyzeFile(task, input, bytes, { hand: hand ?? null }));
        if (format === 'csv') {
          text = `${headerWritten ? '' : analysisCsvHeader(task)}${analysisCsvRow(record)}`;
          headerWritten = true;
        } else {
          text = `${pretty ? JSON.stringify(record, null, 2) : JSON.stringify(record)}\n`;
        }
      } catch (error) {
        failed++;
        report(io, input, error);
        continue;
      }
      try {
        sink.write(text);
      } catch (error) {
        return report(io, out!, error);
      }
    }
    try {
      sink.close();
    } catch (error) {
      return report(io, out!, error);
    }
    return failed > 0 ? EXIT_ERROR : EXIT_OK;
  },
};
