/**
 * Fuzzing of every parser path (CSV of each task, recording JSON, MIDI bytes): whatever the bytes,
 * loadAnalysisInput + analyze either give every metric of the task as a finite number or null, or
 * throw a CodedError — nothing else escapes. Seeded and bounded (fast-check), plus the named bad
 * inputs of the issue, each with the code or flag it must give.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError, isErrorCode } from '../../errors/catalogue.js';
import { TASK_IDS, type TaskId } from '../../recording/tasks.js';
import { metricCatalogue, type AnalysisOutput } from '../analyze.js';
import { QUALITY_FLAGS } from '../flags.js';
import { analyzeFile } from './load.js';
import {
  TIME_COLUMN,
  VALID_CSV,
  VALID_RECORDING,
  codeOf,
  scaleMidiFile,
  utf8,
} from './test-utils/fixtures.js';
import { mutatedRecording, structuredCsv } from './test-utils/fuzz-inputs.js';

type Outcome = { ok: true; output: AnalysisOutput } | { ok: false; code: string };

/**
 * Runs a file through analyzeFile and checks the contract: a CodedError with a catalogue code, or an
 * output with every metric of the task (finite or null) and known, sorted, unique flags. Anything else
 * fails the test with the input that caused it.
 */
function outcome(task: TaskId, fileName: string, bytes: Uint8Array): Outcome {
  let output: AnalysisOutput;
  try {
    output = analyzeFile(task, fileName, bytes);
  } catch (error) {
    if (error instanceof CodedError && isErrorCode(error.code)) return { ok: false, code: error.code };
    const preview = new TextDecoder().decode(bytes.slice(0, 400));
    throw new Error(`${task} ${fileName}: not a CodedError\n--- input (first 400 bytes) ---\n${preview}`, {
      cause: error,
    });
  }
  const ids = metricCatalogue(task).map((metric) => metric.id);
  expect(output.task).toBe(task);
  expect(Object.keys(output.metrics)).toEqual(ids);
  for (const [id, value] of Object.entries(output.metrics)) {
    if (!(value === null || (typeof value === 'number' && Number.isFinite(value)))) {
      throw new Error(`${task} ${fileName}: metric ${id} is ${value}`);
    }
  }
  for (const flag of output.quality_flags) expect(Object.hasOwn(QUALITY_FLAGS, flag)).toBe(true);
  expect(output.quality_flags).toEqual([...new Set(output.quality_flags)].sort());
  return { ok: true, output };
}

const RUNS = { numRuns: 60 };

describe.each(TASK_IDS)('fuzzing %s inputs', (task) => {
  it('random bytes as .csv, .json and .mid: a result or a CodedError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('in.csv', 'in.json', 'in.mid'),
        (bytes, name) => {
          outcome(task, name, bytes);
        },
      ),
      { seed: 11, ...RUNS },
    );
  });

  it('random text as .csv: a result or a CodedError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        outcome(task, 'in.csv', utf8(text));
      }),
      { seed: 12, ...RUNS },
    );
  });

  it('structured CSV with the task’s columns and bad cells: a result or a CodedError, and some analyse', () => {
    let analysed = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        if (outcome(task, 'in.csv', utf8(structuredCsv(task, seed))).ok) analysed++;
      }),
      { seed: 13, numRuns: 150 },
    );
    // the generator must reach the analysis, not only the parser's errors
    expect(analysed).toBeGreaterThanOrEqual(5);
  });

  it('a valid CSV cut at any point: a result or a CodedError', () => {
    const text = VALID_CSV[task]();
    fc.assert(
      fc.property(fc.nat({ max: text.length }), (cut) => {
        outcome(task, 'in.csv', utf8(text.slice(0, cut)));
      }),
      { seed: 14, ...RUNS },
    );
  });

  it('a valid recording cut at any byte: E_INPUT_PARSE before the end, a result at the end', () => {
    const bytes = utf8(JSON.stringify(VALID_RECORDING[task]()));
    expect(outcome(task, 'in.json', bytes).ok).toBe(true);
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), (cut) => {
        expect(outcome(task, 'in.json', bytes.slice(0, cut))).toEqual({ ok: false, code: 'E_INPUT_PARSE' });
      }),
      { seed: 15, ...RUNS },
    );
  });

  it('a valid recording with mutated stream cells: a result or a CodedError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        outcome(task, 'in.json', utf8(JSON.stringify(mutatedRecording(task, seed))));
      }),
      { seed: 16, ...RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The named bad inputs of the issue.

/** The valid CSV of a task with one cell of its time column (the 3rd data row) replaced. */
function withTimeCell(task: TaskId, cell: string): string {
  const [header, ...rows] = VALID_CSV[task]().trimEnd().split('\n');
  const column = header!.split(',').indexOf(TIME_COLUMN[task]);
  const cells = rows[2]!.split(',');
  cells[column] = cell;
  rows[2] = cells.join(',');
  return [header, ...rows].join('\n') + '\n';
}

/** The valid CSV of a task with data rows `a` and `b` (0-based) swapped. */
function withRowsSwapped(task: TaskId, a: number, b: number): string {
  const [header, ...rows] = VALID_CSV[task]().trimEnd().split('\n');
  [rows[a], rows[b]] = [rows[b]!, rows[a]!];
  return [header, ...rows].join('\n') + '\n';
}

/** The valid CSV of a task with data row `r` (0-based) written twice. */
function withRowRepeated(task: TaskId, r: number): string {
  const [header, ...rows] = VALID_CSV[task]().trimEnd().split('\n');
  rows.splice(r, 0, rows[r]!);
  return [header, ...rows].join('\n') + '\n';
}

const csvCode = (task: TaskId, text: string) => codeOf(() => analyzeFile(task, 'in.csv', utf8(text)));

describe.each(TASK_IDS)('named bad %s CSV files', (task) => {
  const header = VALID_CSV[task]().split('\n')[0]!;

  it('an empty file is E_INPUT_EMPTY', () => expect(csvCode(task, '')).toBe('E_INPUT_EMPTY'));

  it('a header only is E_INPUT_EMPTY', () => expect(csvCode(task, `${header}\n`)).toBe('E_INPUT_EMPTY'));

  it.each(['NaN', 'Infinity', '-Infinity', 'abc', '1e400', ''])('the time cell %j is E_INPUT_VALUE', (cell) =>
    expect(csvCode(task, withTimeCell(task, cell))).toBe('E_INPUT_VALUE'),
  );

  it('text in every number column is E_INPUT_VALUE', () => {
    const [, ...rows] = VALID_CSV[task]().trimEnd().split('\n');
    const columns = header.split(',');
    for (const [c, name] of columns.entries()) {
      if (['key', 'code', 'target'].includes(name)) continue;
      const bad = rows.map((row, r) =>
        r === 1
          ? row
              .split(',')
              .map((cell, i) => (i === c ? 'x1' : cell))
              .join(',')
          : row,
      );
      expect([name, csvCode(task, [header, ...bad].join('\n'))]).toEqual([name, 'E_INPUT_VALUE']);
    }
  });

  it('a missing required column is E_INPUT_COLUMNS', () => {
    const [, ...rows] = VALID_CSV[task]().trimEnd().split('\n');
    const column = header.split(',').indexOf(TIME_COLUMN[task]);
    const drop = (line: string) =>
      line
        .split(',')
        .filter((_, i) => i !== column)
        .join(',');
    expect(csvCode(task, [header, ...rows].map(drop).join('\n'))).toBe('E_INPUT_COLUMNS');
  });

  it('huge numbers give finite or null metrics, or a CodedError', () => {
    outcome(task, 'in.csv', utf8(withTimeCell(task, '1e308')));
    outcome(task, 'in.csv', utf8(withTimeCell(task, '-1e308')));
  });

  if (task === 'typing') {
    it('rows in any order are sorted by down_ms: swapped rows give the same metrics', () => {
      const sorted = analyzeFile(task, 'in.csv', utf8(VALID_CSV[task]()));
      expect(analyzeFile(task, 'in.csv', utf8(withRowsSwapped(task, 3, 4)))).toEqual(sorted);
    });
  } else {
    it('a time that goes back is E_NONMONOTONIC_TIME', () => {
      expect(csvCode(task, withRowsSwapped(task, 3, 4))).toBe('E_NONMONOTONIC_TIME');
    });
  }

  if (task === 'scale') {
    it('a repeated onset is kept (a chord), not dropped: note_count counts it', () => {
      const output = analyzeFile(task, 'in.csv', utf8(withRowRepeated(task, 3)));
      expect(output.quality_flags).not.toContain('DUPLICATE_TIMESTAMPS');
      if ('note_count' in output.metrics) expect(output.metrics.note_count).toBe(16);
    });
  } else if (task !== 'typing') {
    it('a repeated time stamp is dropped and flagged DUPLICATE_TIMESTAMPS', () => {
      const once = analyzeFile(task, 'in.csv', utf8(VALID_CSV[task]()));
      const twice = analyzeFile(task, 'in.csv', utf8(withRowRepeated(task, 3)));
      expect(once.quality_flags).not.toContain('DUPLICATE_TIMESTAMPS');
      expect(twice.quality_flags).toContain('DUPLICATE_TIMESTAMPS');
      expect(twice.metrics).toEqual(once.metrics);
    });
  }
});

describe('named bad MIDI files', () => {
  const midi = (bytes: Uint8Array | number[]) =>
    codeOf(() =>
      analyzeFile('scale', 'in.mid', bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)),
    );
  const valid = scaleMidiFile();

  it('an empty file is E_MIDI_MALFORMED', () => expect(midi([])).toBe('E_MIDI_MALFORMED'));

  it('a header chunk only ("MThd" and nothing more) is E_MIDI_MALFORMED', () => {
    expect(midi([0x4d, 0x54, 0x68, 0x64])).toBe('E_MIDI_MALFORMED');
  });

  it('every truncation of a valid file is E_MIDI_MALFORMED', () => {
    expect(outcome('scale', 'in.mid', valid).ok).toBe(true);
    const codes = new Set<string>();
    for (let cut = 0; cut < valid.length; cut++) codes.add(midi(valid.slice(0, cut)));
    expect([...codes]).toEqual(['E_MIDI_MALFORMED']);
  });

  it('text named .mid is E_MIDI_MALFORMED', () =>
    expect(midi(utf8('pitch,on_ms\n60,0\n'))).toBe('E_MIDI_MALFORMED'));

  it('a track chunk with a wrong name is E_MIDI_MALFORMED', () => {
    const bad = valid.slice();
    bad[14] = 0x58; // "XTrk"
    expect(midi(bad)).toBe('E_MIDI_MALFORMED');
  });

  it('a track length past the end of the file is E_MIDI_MALFORMED', () => {
    const bad = valid.slice();
    bad[18] = 0x7f;
    expect(midi(bad)).toBe('E_MIDI_MALFORMED');
  });

  it('random byte changes in a valid file: a result or a CodedError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (changes) => {
          const bytes = valid.slice();
          for (const [at, value] of changes) bytes[at] = value;
          outcome('scale', 'in.mid', bytes);
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});

describe('named bad recordings', () => {
  it.each(TASK_IDS)('an empty %s .json file is E_INPUT_PARSE', (task) => {
    expect(codeOf(() => analyzeFile(task, 'in.json', new Uint8Array()))).toBe('E_INPUT_PARSE');
  });

  it('a recording whose columns have unequal lengths is E_RECORDING_INVALID', () => {
    const recording = VALID_RECORDING.spiral();
    (recording.streams.pointer!.columns.xPx!.values as number[]).pop();
    expect(codeOf(() => analyzeFile('spiral', 'in.json', utf8(JSON.stringify(recording))))).toBe(
      'E_RECORDING_INVALID',
    );
  });

  it('NaN written into a recording (not JSON) is E_INPUT_PARSE', () => {
    const text = JSON.stringify(VALID_RECORDING.tremor()).replace('"values":[1000,', '"values":[NaN,');
    expect(text).toContain('NaN');
    expect(codeOf(() => analyzeFile('tremor', 'in.json', utf8(text)))).toBe('E_INPUT_PARSE');
  });
});
