import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASK_IDS } from '../../recording/tasks.js';
import { ANALYZERS, metricCatalogue } from '../analyze.js';
import type { PenInput, ScaleInput, TappingInput, TremorInput, TypingInput } from '../inputs.js';
import { ANALYSIS_VERSION } from '../version.js';
import {
  MAX_INPUT_SPAN_MS,
  TASK_INPUT_EXTENSIONS,
  analyzeFile,
  inputFormatOf,
  loadAnalysisInput,
} from './load.js';
import {
  C_MAJOR_RUN,
  VALID_CSV,
  VALID_RECORDING,
  codeOf,
  codedError,
  penCsv,
  penRecording,
  recording,
  scaleCsv,
  scaleMidiFile,
  scaleRecording,
  spiralSamples,
  tappingCsv,
  tappingRecording,
  tremorCsv,
  tremorRecording,
  typingCsv,
  typingRecording,
  utf8,
} from './test-utils/fixtures.js';

const json = (value: unknown) => utf8(JSON.stringify(value));

afterEach(() => vi.restoreAllMocks());

describe('inputFormatOf', () => {
  it.each([
    ['a.csv', 'csv'],
    ['dir.v2/A.CSV', 'csv'],
    ['C:\\data\\run.Json', 'recording'],
    ['take.mid', 'midi'],
    ['take.MIDI', 'midi'],
    ['notes.txt', null],
    ['csv', null],
    ['.csv', null],
    ['dir.csv/file', null],
  ])('%s → %s', (name, format) => {
    expect(inputFormatOf(name)).toBe(format);
  });
});

describe('loadAnalysisInput dispatch', () => {
  it('.csv for scale → the notes of the CSV', () => {
    const input = loadAnalysisInput('scale', 'run.csv', utf8(scaleCsv(125))) as ScaleInput;
    expect(input.task).toBe('scale');
    expect(input.notes.map((note) => note.pitch)).toEqual([...C_MAJOR_RUN]);
    expect(input.notes.map((note) => note.onMs)).toEqual(C_MAJOR_RUN.map((_, i) => 1000 + 125 * i));
  });

  it('.mid for scale → the notes of the MIDI file, ticks turned into ms through its tempo', () => {
    const input = loadAnalysisInput('scale', 'run.mid', scaleMidiFile()) as ScaleInput;
    expect(input.notes.map((note) => note.pitch)).toEqual([...C_MAJOR_RUN]);
    // 960 ticks = 1000 ms at 120 bpm and 480 ticks per quarter; then every 120 ticks = 125 ms
    input.notes.forEach((note, i) => expect(note.onMs).toBeCloseTo(1000 + 125 * i, 9));
    expect(input.tempoBpm).toBe(120);
    expect(loadAnalysisInput('scale', 'RUN.MIDI', scaleMidiFile())).toEqual(input);
  });

  it('.json scale recording → the notes of its midi stream', () => {
    const input = loadAnalysisInput('scale', 'rec.json', json(scaleRecording())) as ScaleInput;
    expect(input.notes.map((note) => note.pitch)).toEqual([...C_MAJOR_RUN]);
    expect(input.notes.map((note) => note.velocity)).toEqual(C_MAJOR_RUN.map((_, i) => 64 + i));
  });

  it.each(['spiral', 'handwriting', 'precision'] as const)(
    '.csv for %s → pen samples of that task',
    (task) => {
      const input = loadAnalysisInput(task, 'pen.csv', utf8(penCsv(task))) as PenInput;
      const samples = spiralSamples();
      expect(input.task).toBe(task);
      expect(input.tMs).toHaveLength(samples.length);
      expect(input.xMm[10]).toBeCloseTo(samples[10]!.xMm, 9);
      expect(input.pressure?.[0]).toBe(0.5);
      if (task === 'precision') expect(input.targetXMm?.[0]).toBe(100);
    },
  );

  it.each(['spiral', 'handwriting', 'precision'] as const)(
    '.json %s recording → pen samples in mm (px / pxPerMm)',
    (task) => {
      const input = loadAnalysisInput(task, 'rec.json', json(penRecording(task))) as PenInput;
      const samples = spiralSamples();
      expect(input.task).toBe(task);
      expect(input.tMs).toHaveLength(samples.length);
      expect(input.xMm[10]).toBeCloseTo(samples[10]!.xMm, 9);
      expect(input.tMs[0]).toBe(500);
    },
  );

  it('.csv and .json for typing → the key presses', () => {
    const fromCsv = loadAnalysisInput('typing', 'keys.csv', utf8(typingCsv())) as TypingInput;
    expect(fromCsv.task).toBe('typing');
    expect(fromCsv.presses).toHaveLength(40);
    expect(fromCsv.presses[3]).toEqual({ downMs: 600, upMs: 690, key: 'd', code: 'KeyD' });
    const fromJson = loadAnalysisInput('typing', 'rec.json', json(typingRecording())) as TypingInput;
    expect(fromJson.presses).toHaveLength(40);
    expect(fromJson.presses[3]).toMatchObject({ downMs: 1600, upMs: 1690, code: 'KeyD' });
  });

  it('.csv and .json for tapping → the taps', () => {
    const fromCsv = loadAnalysisInput('tapping', 'taps.csv', utf8(tappingCsv())) as TappingInput;
    expect(fromCsv.task).toBe('tapping');
    expect(fromCsv.taps.map((tap) => tap.downMs)).toEqual(Array.from({ length: 30 }, (_, i) => i * 250));
    expect(fromCsv.taps[1]).toMatchObject({ upMs: 330, target: 'R' });
    const fromJson = loadAnalysisInput('tapping', 'rec.json', json(tappingRecording())) as TappingInput;
    expect(fromJson.taps.map((tap) => tap.downMs)).toEqual(
      Array.from({ length: 30 }, (_, i) => 1000 + i * 250),
    );
  });

  it('.csv and .json for tremor → the acceleration samples', () => {
    const fromCsv = loadAnalysisInput('tremor', 'acc.csv', utf8(tremorCsv())) as TremorInput;
    expect(fromCsv.task).toBe('tremor');
    expect(fromCsv.tMs).toHaveLength(1000);
    expect(fromCsv.ax[25]).toBeCloseTo(0.5 * Math.sin(2 * Math.PI * 6 * 0.25), 12);
    const fromJson = loadAnalysisInput('tremor', 'rec.json', json(tremorRecording())) as TremorInput;
    expect(fromJson.tMs).toHaveLength(1000);
    expect(fromJson.ax[25]).toBeCloseTo(0.5 * Math.sin(2 * Math.PI * 6 * 1.25), 12);
  });

  it('a UTF-8 byte-order mark before a CSV header is ignored', () => {
    const bytes = utf8(`\uFEFF${scaleCsv()}`);
    expect((loadAnalysisInput('scale', 'run.csv', bytes) as ScaleInput).notes).toHaveLength(15);
  });
});

describe('loadAnalysisInput errors', () => {
  it.each(TASK_IDS)('an unknown extension for %s is E_INPUT_PARSE listing the accepted formats', (task) => {
    const error = codedError(() => loadAnalysisInput(task, 'data.txt', utf8('t_ms\n1\n')));
    expect(error.code).toBe('E_INPUT_PARSE');
    for (const extension of TASK_INPUT_EXTENSIONS[task]) expect(error.message).toContain(extension);
  });

  it('a file without an extension is E_INPUT_PARSE', () => {
    expect(codeOf(() => loadAnalysisInput('spiral', 'data', utf8(penCsv())))).toBe('E_INPUT_PARSE');
  });

  it('a CSV file that is not UTF-8 is E_INPUT_PARSE', () => {
    const latin1 = Uint8Array.from([...utf8('t_ms,x_mm,y_mm\n0,1,2\n'), 0xe9, 0x0a]);
    const error = codedError(() => loadAnalysisInput('spiral', 'pen.csv', latin1));
    expect(error.code).toBe('E_INPUT_PARSE');
    expect(error.message).toContain('UTF-8');
  });

  it('a .json file that is not JSON is E_INPUT_PARSE', () => {
    expect(codeOf(() => loadAnalysisInput('spiral', 'rec.json', utf8('{"schemaVersion": 1,')))).toBe(
      'E_INPUT_PARSE',
    );
  });

  it.each([
    ['an array', []],
    ['a string', 'recording'],
    ['null', null],
    ['an object without schemaVersion', { taskId: 'spiral' }],
  ])('a .json file holding %s is E_INPUT_PARSE (not a recording)', (_name, value) => {
    expect(codeOf(() => loadAnalysisInput('spiral', 'rec.json', json(value)))).toBe('E_INPUT_PARSE');
  });

  it('a recording of an unknown schema version is E_SCHEMA_VERSION naming the versions this release reads', () => {
    const error = codedError(() =>
      loadAnalysisInput('spiral', 'rec.json', json({ ...penRecording(), schemaVersion: 99 })),
    );
    expect(error.code).toBe('E_SCHEMA_VERSION');
    expect(error.message).toContain('99');
    expect(error.message).toContain('reads 1');
  });

  it('a recording that breaks its schema is E_RECORDING_INVALID naming the field', () => {
    const error = codedError(() =>
      loadAnalysisInput('spiral', 'rec.json', json({ ...penRecording(), hand: 'middle' })),
    );
    expect(error.code).toBe('E_RECORDING_INVALID');
    expect(error.message).toContain('hand');
  });

  it('a recording with a stream its task does not have is E_RECORDING_INVALID', () => {
    const bad = penRecording();
    bad.streams.keyboard = { columns: { timeStampMs: { type: 'f64', values: [1] } } };
    const error = codedError(() => loadAnalysisInput('spiral', 'rec.json', json(bad)));
    expect(error.code).toBe('E_RECORDING_INVALID');
    expect(error.message).toContain('keyboard');
  });

  it('a recording of another task is E_TASK_MISMATCH naming both tasks', () => {
    const error = codedError(() =>
      loadAnalysisInput('handwriting', 'rec.json', json(penRecording('spiral'))),
    );
    expect(error.code).toBe('E_TASK_MISMATCH');
    expect(error.message).toContain('spiral');
    expect(error.message).toContain('handwriting');
    expect(codeOf(() => loadAnalysisInput('tremor', 'rec.json', json(scaleRecording())))).toBe(
      'E_TASK_MISMATCH',
    );
  });

  it.each(TASK_IDS.filter((task) => task !== 'scale'))('a MIDI file for %s is E_TASK_MISMATCH', (task) => {
    expect(codeOf(() => loadAnalysisInput(task, 'run.mid', scaleMidiFile()))).toBe('E_TASK_MISMATCH');
  });

  it('MIDI bytes named .csv or .json are E_INPUT_PARSE saying it is a MIDI file', () => {
    for (const name of ['run.csv', 'run.json']) {
      const error = codedError(() => loadAnalysisInput('scale', name, scaleMidiFile()));
      expect(error.code).toBe('E_INPUT_PARSE');
      expect(error.message).toContain('MIDI');
    }
  });

  it('a gzip-compressed file is E_INPUT_PARSE saying so', () => {
    const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00]);
    const error = codedError(() => loadAnalysisInput('spiral', 'pen.csv', gzip));
    expect(error.code).toBe('E_INPUT_PARSE');
    expect(error.message).toContain('gzip');
  });
});

describe('time span limit', () => {
  const typing = (lastDownMs: number) =>
    utf8(`down_ms,up_ms,code\n0,80,KeyA\n200,280,KeyB\n${lastDownMs},${lastDownMs + 80},KeyC\n`);

  it('an input spanning up to 24 h is read', () => {
    const input = loadAnalysisInput('typing', 'k.csv', typing(MAX_INPUT_SPAN_MS - 80)) as TypingInput;
    expect(input.presses).toHaveLength(3);
  });

  it('an input spanning more than 24 h is E_INPUT_VALUE', () => {
    const error = codedError(() => loadAnalysisInput('typing', 'k.csv', typing(MAX_INPUT_SPAN_MS - 79)));
    expect(error.code).toBe('E_INPUT_VALUE');
    expect(error.message).toContain('24 h');
  });

  it.each(['spiral', 'handwriting', 'precision', 'tremor'] as const)(
    'a %s file whose last time stamp is 1e308 ms is E_INPUT_VALUE (no endless windowing or resampling)',
    (task) => {
      const text = (task === 'tremor' ? tremorCsv() : penCsv(task)).trimEnd().split('\n');
      const last = text.at(-1)!.split(',');
      last[0] = '1e308';
      text[text.length - 1] = last.join(',');
      expect(codeOf(() => analyzeFile(task, 'in.csv', utf8(text.join('\n'))))).toBe('E_INPUT_VALUE');
    },
  );

  it('a MIDI file whose note is released 77 h later is E_INPUT_VALUE', () => {
    // one note on, then a note off after the largest delta time (0x0FFFFFFF ticks ≈ 77.7 h at 120 bpm)
    const track = [0x00, 0x90, 60, 64, 0xff, 0xff, 0xff, 0x7f, 0x80, 60, 0, 0x00, 0xff, 0x2f, 0x00];
    const bytes = Uint8Array.from([
      ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0],
      ...[0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length],
      ...track,
    ]);
    expect(codeOf(() => loadAnalysisInput('scale', 'long.mid', bytes))).toBe('E_INPUT_VALUE');
  });

  it('a scale recording with a note-off at 1e308 ms is E_INPUT_VALUE', () => {
    const bad = scaleRecording();
    const times = bad.streams.midi!.columns.timeStampMs!.values as number[];
    times[times.length - 1] = 1e308;
    expect(codeOf(() => analyzeFile('scale', 'rec.json', json(bad)))).toBe('E_INPUT_VALUE');
  });
});

describe('analyzeFile', () => {
  it.each(TASK_IDS.flatMap((task) => [[task, 'csv'] as const, [task, 'json'] as const]))(
    'returns every %s metric from a valid .%s (finite or null, some numbers), the analysis version and sorted flags',
    (task, format) => {
      const bytes = format === 'csv' ? utf8(VALID_CSV[task]()) : json(VALID_RECORDING[task]());
      const output = analyzeFile(task, `in.${format}`, bytes);
      expect(output.task).toBe(task);
      expect(output.analysis_version).toBe(ANALYSIS_VERSION);
      expect(Object.keys(output.metrics)).toEqual(metricCatalogue(task).map((metric) => metric.id));
      const values = Object.values(output.metrics);
      for (const value of values) expect(value === null || Number.isFinite(value)).toBe(true);
      if (values.length > 0) expect(values.some((value) => value !== null)).toBe(true);
      expect(output.quality_flags).toEqual([...new Set(output.quality_flags)].sort());
    },
  );

  it('the metrics of a MIDI file and of the same notes as CSV agree; only the MIDI file knows the tempo', () => {
    const fromMidi = analyzeFile('scale', 'run.mid', scaleMidiFile()).metrics;
    const fromCsv = analyzeFile('scale', 'run.csv', utf8(scaleCsv())).metrics;
    expect(Object.keys(fromMidi)).toEqual(Object.keys(fromCsv));
    if ('tempo_error_ms' in fromCsv) {
      // 120 bpm → target IOI 125 ms, played exactly
      expect(fromMidi.tempo_error_ms).toBeCloseTo(0, 6);
      expect(fromCsv.tempo_error_ms).toBeNull();
    }
    for (const id of Object.keys(fromCsv).filter((name) => name !== 'tempo_error_ms')) {
      const [a, b] = [fromMidi[id], fromCsv[id]];
      if (a === null || b === null) expect(a).toBe(b);
      else expect(a).toBeCloseTo(b!, 6);
    }
  });

  it('passes the recording’s hand to the analysis, and --hand over it', () => {
    const spy = vi.spyOn(ANALYZERS.spiral, 'analyze');
    analyzeFile('spiral', 'rec.json', json(penRecording('spiral', 'left')));
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: 'left' });
    analyzeFile('spiral', 'rec.json', json(penRecording('spiral', 'left')), { hand: 'right' });
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: 'right' });
    analyzeFile('spiral', 'pen.csv', utf8(penCsv()));
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: null });
  });

  it('a recording of both hands gives no hand', () => {
    const spy = vi.spyOn(ANALYZERS.scale, 'analyze');
    analyzeFile('scale', 'rec.json', json(scaleRecording('both')));
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: null });
  });

  it('merges the input’s flags into quality_flags (a recording without pxPerMm is NOMINAL_SCALE)', () => {
    const nominal = penRecording();
    nominal.params = {};
    expect(analyzeFile('spiral', 'rec.json', json(nominal)).quality_flags).toContain('NOMINAL_SCALE');
    expect(analyzeFile('spiral', 'rec.json', json(penRecording())).quality_flags).not.toContain(
      'NOMINAL_SCALE',
    );
  });

  it('a recording built by the fixtures is what the schema accepts', () => {
    // guards the fixtures themselves: a broken fixture would turn every recording test into an error test
    expect(() => loadAnalysisInput('spiral', 'rec.json', json(recording('spiral', {})))).toThrow();
    expect(() => loadAnalysisInput('spiral', 'rec.json', json(penRecording()))).not.toThrow();
  });
});
