/**
 * Reading an analysis input from a file's bytes (analysis contract, "Input formats"): the project's own
 * recording (`.json`), a contract CSV file (`.csv`) or a Standard MIDI File (`.mid`, `.midi`, scale
 * only), picked by the file name's extension and checked against the content. Every failure is a
 * CodedError; nothing here touches a file system, so the CLI, the server and the browser share it.
 */
import { CodedError } from '../../errors/catalogue.js';
import type { TaskId } from '../../recording/tasks.js';
import { checkTaskConformance, parseRecording, type Recording } from '../../recording/versions.js';
import { analyze, type AnalysisOutput } from '../analyze.js';
import type { AnalysisInput } from '../inputs.js';
import { penFromCsv } from '../pen/from-csv.js';
import { penFromRecording } from '../pen/from-recording.js';
import { scaleFromCsv } from '../scale/from-csv.js';
import { scaleFromMidiFile } from '../scale/from-midi.js';
import { scaleFromRecording } from '../scale/from-recording.js';
import { tappingFromCsv } from '../tapping/from-csv.js';
import { tappingFromRecording } from '../tapping/from-recording.js';
import type { AnalyzeOptions } from '../task.js';
import { tremorFromCsv } from '../tremor/from-csv.js';
import { tremorFromRecording } from '../tremor/from-recording.js';
import { typingFromCsv } from '../typing/from-csv.js';
import { typingFromRecording } from '../typing/from-recording.js';
import { parseCsvBytes, type CsvTable } from './table.js';

/** The input formats of the analysis contract, by the extension (lower case) that picks them. */
export type InputFormat = 'recording' | 'csv' | 'midi';

const EXTENSIONS: Record<string, InputFormat> = {
  '.json': 'recording',
  '.csv': 'csv',
  '.mid': 'midi',
  '.midi': 'midi',
};

/** The extensions each task accepts, for help texts and error messages. */
export const TASK_INPUT_EXTENSIONS: Record<TaskId, readonly string[]> = {
  typing: ['.json', '.csv'],
  tapping: ['.json', '.csv'],
  scale: ['.json', '.csv', '.mid', '.midi'],
  spiral: ['.json', '.csv'],
  handwriting: ['.json', '.csv'],
  precision: ['.json', '.csv'],
  tremor: ['.json', '.csv'],
};

/** Contract CSV table → task input, for every task. */
const FROM_CSV: Record<TaskId, (table: CsvTable) => AnalysisInput> = {
  typing: typingFromCsv,
  tapping: tappingFromCsv,
  scale: scaleFromCsv,
  spiral: (table) => penFromCsv(table, 'spiral'),
  handwriting: (table) => penFromCsv(table, 'handwriting'),
  precision: (table) => penFromCsv(table, 'precision'),
  tremor: tremorFromCsv,
};

/** Current-version recording → task input, for every task. */
const FROM_RECORDING: Record<TaskId, (recording: Recording) => AnalysisInput> = {
  typing: typingFromRecording,
  tapping: tappingFromRecording,
  scale: scaleFromRecording,
  spiral: penFromRecording,
  handwriting: penFromRecording,
  precision: penFromRecording,
  tremor: tremorFromRecording,
};

/** A loaded input and the hand its source names (a recording's `hand`; null for `both` and plain files). */
interface LoadedInput {
  input: AnalysisInput;
  hand: 'left' | 'right' | null;
}

/**
 * The format a file name's extension picks (case-insensitive), or null for any other extension.
 * @param fileName - a path or a bare name; only the part after the last `.` of the last path segment counts
 */
export function inputFormatOf(fileName: string): InputFormat | null {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return EXTENSIONS[base.slice(dot).toLowerCase()] ?? null;
}

/**
 * Reads one analysis input of `task` from a file's bytes.
 *
 * - `.json`: a Dystrack recording of any published schema version, migrated to the current one; it must
 *   be a recording of `task` and conform to the task's recording spec.
 * - `.csv`: UTF-8 text in the contract's CSV rules, turned into the task's input by its CSV reader.
 * - `.mid` / `.midi`: a Standard MIDI File, for the scale task only.
 *
 * Whatever the format, the time stamps may span at most {@link MAX_INPUT_SPAN_MS} (24 h).
 *
 * @param task - the task whose input the file is
 * @param fileName - the file's name or path as given (only its extension is used)
 * @param bytes - the file's content
 * @returns the task's in-memory input, with the flags of anything the reader dropped
 * @throws CodedError `E_INPUT_PARSE` (unknown extension, invalid UTF-8 or JSON, broken CSV, content of
 *   another format), `E_TASK_MISMATCH` (a recording of another task, a MIDI file for a task other than
 *   scale), `E_SCHEMA_VERSION` / `E_RECORDING_INVALID` (a bad recording), `E_INPUT_VALUE` (time stamps
 *   spanning more than 24 h), and the CSV and MIDI readers' codes (`E_INPUT_EMPTY`, `E_INPUT_COLUMNS`,
 *   `E_INPUT_VALUE`, `E_NONMONOTONIC_TIME`, `E_MIDI_MALFORMED`, …)
 * @example
 * const input = loadAnalysisInput('tapping', 'taps.csv', new TextEncoder().encode('down_ms,up_ms\n0,80\n'));
 */
export function loadAnalysisInput(task: TaskId, fileName: string, bytes: Uint8Array): AnalysisInput {
  return load(task, fileName, bytes).input;
}

/**
 * Reads and analyses one input file: {@link loadAnalysisInput}, then {@link analyze}. The hand is
 * `options.hand` when given, otherwise the recording's hand (`left` or `right`; null for `both` and
 * for CSV and MIDI files).
 * @param task - the task whose input the file is
 * @param fileName - the file's name or path as given (only its extension is used)
 * @param bytes - the file's content
 * @param options - the hand that did the task, when known
 * @returns the analysis without the `input` field, which the caller sets (the CLI: the path as given)
 * @throws CodedError as {@link loadAnalysisInput}, and from the analysis (`E_TOO_FEW_EVENTS`, …)
 */
export function analyzeFile(
  task: TaskId,
  fileName: string,
  bytes: Uint8Array,
  options: Partial<AnalyzeOptions> = {},
): AnalysisOutput {
  const { input, hand } = load(task, fileName, bytes);
  return analyze(input, { hand: options.hand ?? hand });
}

function load(task: TaskId, fileName: string, bytes: Uint8Array): LoadedInput {
  const format = inputFormatOf(fileName);
  if (format === null) {
    throw new CodedError(
      'E_INPUT_PARSE',
      `unknown input format: the ${task} task reads ${describeExtensions(task)} files`,
    );
  }
  checkContentMatches(format, bytes);
  if (format === 'midi') {
    if (task !== 'scale') {
      throw new CodedError(
        'E_TASK_MISMATCH',
        `a MIDI file is a scale performance; the ${task} task reads ${describeExtensions(task)} files`,
      );
    }
    return { input: ofTask(task, scaleFromMidiFile(bytes)), hand: null };
  }
  if (format === 'csv') return { input: ofTask(task, FROM_CSV[task](parseCsvBytes(bytes))), hand: null };
  const text = decodeUtf8(bytes);
  return recordingInput(readRecording(text, task));
}

/** The analysis input and hand of a checked recording. */
function recordingInput(recording: Recording): LoadedInput {
  return {
    input: ofTask(recording.taskId, FROM_RECORDING[recording.taskId](recording)),
    hand: recording.hand === 'both' ? null : recording.hand,
  };
}

/**
 * Analyses a recording object of the current schema version (the browser's path: the recording a task
 * run just made), with the same checks and the same result as {@link analyzeFile} of its canonical JSON
 * (the server's path).
 * @throws CodedError `E_RECORDING_INVALID` when its streams do not match its task, and as {@link analyze}
 */
export function analyzeRecording(recording: Recording): AnalysisOutput {
  checkRecordingConforms(recording);
  const { input, hand } = recordingInput(recording);
  return analyze(input, { hand });
}

/** Throws `E_RECORDING_INVALID` when a recording's streams do not match its task's spec. */
function checkRecordingConforms(recording: Recording): void {
  const problems = checkTaskConformance(recording);
  if (problems.length > 0) {
    throw new CodedError(
      'E_RECORDING_INVALID',
      `the recording does not match the ${recording.taskId} task: ${problems.slice(0, 3).join('; ')}`,
      { issues: problems.slice(0, 20).map((message) => ({ path: 'streams', message })) },
    );
  }
}

/**
 * The reader's input, checked to be of the task asked for (so that the right analyser gets it) and to
 * span at most {@link MAX_INPUT_SPAN_MS}.
 */
function ofTask(task: TaskId, input: AnalysisInput): AnalysisInput {
  if (input.task !== task) {
    throw new CodedError('E_TASK_MISMATCH', `the input is of the ${input.task} task, not ${task}`);
  }
  const span = timeSpanMs(input);
  if (span > MAX_INPUT_SPAN_MS) {
    throw new CodedError(
      'E_INPUT_VALUE',
      `the time stamps span ${span.toPrecision(3)} ms, more than the ${MAX_INPUT_SPAN_MS / 3_600_000} h an input may span`,
    );
  }
  return input;
}

/**
 * Longest time an input may span from its first to its last time stamp: 24 h. Every task's recording
 * is minutes long; a time stamp far from the others is a broken file, and analyses that step through
 * time in windows or resample onto a grid would take forever or run out of memory on it.
 */
export const MAX_INPUT_SPAN_MS = 24 * 3_600_000;

/** Largest minus smallest finite time stamp of an input, ms (0 without any). */
function timeSpanMs(input: AnalysisInput): number {
  let min = Infinity;
  let max = -Infinity;
  const add = (ms: number | null) => {
    if (ms === null || !Number.isFinite(ms)) return;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  };
  switch (input.task) {
    case 'typing':
      for (const press of input.presses) {
        add(press.downMs);
        add(press.upMs);
      }
      break;
    case 'tapping':
      for (const tap of input.taps) {
        add(tap.downMs);
        add(tap.upMs);
      }
      input.beatsMs.forEach(add);
      break;
    case 'scale':
      for (const note of input.notes) {
        add(note.onMs);
        add(note.offMs);
      }
      for (const change of input.sustain) add(change.ms);
      break;
    default:
      // a loop, not forEach: a typed array's forEach calls back from the engine's built-in, which costs
      // more than the comparisons (a few per cent of a pen analysis); `add` written out for the same reason
      for (let i = 0; i < input.tMs.length; i++) {
        const ms = input.tMs[i]!;
        if (!Number.isFinite(ms)) continue;
        if (ms < min) min = ms;
        if (ms > max) max = ms;
      }
  }
  return max > min ? max - min : 0;
}

/** `.json or .csv`, `.json, .csv, .mid or .midi`. */
function describeExtensions(task: TaskId): string {
  const list = TASK_INPUT_EXTENSIONS[task];
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}

const MIDI_MAGIC = [0x4d, 0x54, 0x68, 0x64]; // "MThd"
const GZIP_MAGIC = [0x1f, 0x8b];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** Catches files whose content is plainly of another format than their name says, with a useful message. */
function checkContentMatches(format: InputFormat, bytes: Uint8Array): void {
  if (startsWith(bytes, GZIP_MAGIC)) {
    throw new CodedError('E_INPUT_PARSE', 'the file is gzip-compressed: decompress it first');
  }
  if (format !== 'midi' && startsWith(bytes, MIDI_MAGIC)) {
    throw new CodedError('E_INPUT_PARSE', 'the file is a Standard MIDI File: name it .mid');
  }
}

/** Strict UTF-8 (a byte-order mark is dropped). */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CodedError('E_INPUT_PARSE', 'the file is not UTF-8 text');
  }
}

/** Parses, migrates and checks a recording of `task`. */
function readRecording(text: string, task: TaskId): Recording {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CodedError('E_INPUT_PARSE', `the file is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('schemaVersion' in json)) {
    throw new CodedError(
      'E_INPUT_PARSE',
      'a .json input must be a Dystrack recording (it has no schemaVersion)',
    );
  }
  let recording: Recording;
  try {
    recording = parseRecording(json).current;
  } catch (error) {
    throw withIssues(error);
  }
  if (recording.taskId !== task) {
    throw new CodedError('E_TASK_MISMATCH', `the recording is of the ${recording.taskId} task, not ${task}`);
  }
  checkRecordingConforms(recording);
  return recording;
}

/** The recording errors of parseRecording with their first issues or the supported versions in the message. */
function withIssues(error: unknown): unknown {
  if (!(error instanceof CodedError)) return error;
  const details = error.details as
    | { issues?: { path: string; message: string }[]; schemaVersion?: unknown; supported?: number[] }
    | undefined;
  if (error.code === 'E_RECORDING_INVALID' && details?.issues?.length) {
    const issues = details.issues.slice(0, 3).map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
    return new CodedError(
      error.code,
      `the recording does not match its schema: ${issues.join('; ')}`,
      details,
    );
  }
  if (error.code === 'E_SCHEMA_VERSION' && details?.supported) {
    return new CodedError(
      error.code,
      `recording schemaVersion ${JSON.stringify(details.schemaVersion)} is not known (this release reads ${details.supported.join(', ')})`,
      details,
    );
  }
  return error;
}
