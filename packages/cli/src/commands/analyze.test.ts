import type * as FsPromises from 'node:fs/promises';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ANALYSIS_VERSION,
  ANALYZERS,
  TASK_IDS,
  analysisCsvColumns,
  metricCatalogue,
  parseCsvTable,
} from '@dystrack/core';
import { run } from '../test-utils/cli.js';
import { DEFAULT_MAX_INPUT_BYTES } from './analyze.js';

// every path that analyze reads, to check that a too-large input is refused from its size alone
const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return {
    ...actual,
    readFile: (async (path: Parameters<typeof actual.readFile>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof actual.readFile,
  };
});

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'dystrack-analyze-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  reads.length = 0;
});

/** A file in the scratch directory with this content; returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A C-major run up, 15 notes, onsets every `ioiMs` ms. */
function scaleCsv(ioiMs = 125): string {
  const pitches = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84];
  const rows = pitches.map((p, i) => `${p},${1000 + i * ioiMs},${1100 + i * ioiMs},${64 + i}`);
  return `pitch,on_ms,off_ms,velocity\n${rows.join('\n')}\n`;
}

/** An Archimedean spiral r = 5 + 2θ mm, 3 turns at 100 Hz, with pressure 0.5. */
function spiralCsv(): string {
  const rows = [];
  for (let i = 0; i < 1800; i++) {
    const theta = (i / 1800) * 6 * Math.PI;
    const r = 5 + 2 * theta;
    rows.push(`${i * 10},${100 + r * Math.cos(theta)},${100 + r * Math.sin(theta)},0.5`);
  }
  return `t_ms,x_mm,y_mm,pressure\n${rows.join('\n')}\n`;
}

const SCALE_IDS = () => metricCatalogue('scale').map((metric) => metric.id);

function expectContractObject(object: Record<string, unknown>, task: string, input: string) {
  expect(Object.keys(object)).toEqual(['task', 'input', 'analysis_version', 'metrics', 'quality_flags']);
  expect(object.task).toBe(task);
  expect(object.input).toBe(input);
  expect(object.analysis_version).toBe(ANALYSIS_VERSION);
  const metrics = object.metrics as Record<string, unknown>;
  expect(Object.keys(metrics)).toEqual(metricCatalogue(task as 'scale').map((metric) => metric.id));
  for (const value of Object.values(metrics)) {
    expect(value === null || (typeof value === 'number' && Number.isFinite(value))).toBe(true);
  }
  expect(Array.isArray(object.quality_flags)).toBe(true);
}

describe('dystrack analyze: output', () => {
  it('one input, --format json (the default): one indented JSON object with the path as given', async () => {
    const input = file('one/run.csv', scaleCsv());
    const result = await run(['analyze', 'scale', input]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const object = JSON.parse(result.stdout) as Record<string, unknown>;
    expectContractObject(object, 'scale', input);
    expect(result.stdout).toBe(`${JSON.stringify(object, null, 2)}\n`);
  });

  it('the metrics are the analysis of the file: a recording’s notes give note_count 15 when the catalogue has it', async () => {
    const input = file('count/run.csv', scaleCsv());
    const object = JSON.parse((await run(['analyze', 'scale', input])).stdout) as {
      metrics: Record<string, number | null>;
    };
    if (SCALE_IDS().includes('note_count')) expect(object.metrics.note_count).toBe(15);
    else expect(object.metrics).toEqual({});
  });

  it('several inputs: one compact JSON object per line, in input order', async () => {
    const inputs = [
      file('many/b.csv', scaleCsv(150)),
      file('many/a.csv', scaleCsv(100)),
      file('many/c.csv', spiralCsv()),
    ];
    const result = await run(['analyze', 'scale', inputs[0]!, inputs[1]!]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    lines.slice(0, 2).forEach((line, i) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      expectContractObject(object, 'scale', inputs[i]!);
      expect(line).toBe(JSON.stringify(object));
    });
  });

  it('--format ndjson with one input prints one compact line', async () => {
    const input = file('nd/run.csv', scaleCsv());
    const result = await run(['analyze', 'scale', input, '--format', 'ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trimEnd()).not.toContain('\n');
    expectContractObject(JSON.parse(result.stdout) as Record<string, unknown>, 'scale', input);
  });

  it('--format csv: a header, then one row per input; paths with commas and quotes are quoted', async () => {
    const odd = file('csv/with, comma "and" quotes.csv', scaleCsv(120));
    const plain = file('csv/plain.csv', scaleCsv(130));
    const result = await run(['analyze', 'scale', odd, plain, '--format', 'csv']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header!.split(',')).toEqual(analysisCsvColumns('scale'));
    expect(analysisCsvColumns('scale').slice(0, 4)).toEqual([
      'input',
      'task',
      'analysis_version',
      'quality_flags',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^"[^\n]*with, comma ""and"" quotes\.csv",scale,/);
    const table = parseCsvTable(result.stdout);
    expect(table.text('input')).toEqual([odd, plain]);
    expect(table.text('task')).toEqual(['scale', 'scale']);
    expect(table.text('analysis_version')).toEqual([ANALYSIS_VERSION, ANALYSIS_VERSION]);
    // the CSV holds the same values as the JSON output, empty cells for nulls, flags joined with ';'
    for (const [i, path] of [odd, plain].entries()) {
      const object = JSON.parse((await run(['analyze', 'scale', path])).stdout) as {
        metrics: Record<string, number | null>;
        quality_flags: string[];
      };
      expect(table.text('quality_flags')![i]).toBe(object.quality_flags.join(';'));
      for (const id of SCALE_IDS()) {
        const value = object.metrics[id];
        expect(table.text(id)![i]).toBe(value === null ? '' : String(value));
      }
    }
  });

  it('--out FILE writes what stdout would have held, and stdout stays empty', async () => {
    const inputs = [file('out/a.csv', scaleCsv(110)), file('out/b.csv', scaleCsv(140))];
    for (const format of ['json', 'ndjson', 'csv']) {
      const expected = await run(['analyze', 'scale', ...inputs, '--format', format]);
      const out = join(scratch, `out/result.${format}`);
      const result = await run(['analyze', 'scale', ...inputs, '--format', format, '--out', out]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toBe(expected.stdout);
    }
  });

  it('stops quietly when stdout goes away (piped into head): no stack trace, no more inputs read', async () => {
    const input = file('pipe/run.csv', scaleCsv());
    const lines: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        // the reader has gone after the first line
        callback(lines.length > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const result = await run(['analyze', 'scale', ...Array<string>(50).fill(input), '--format', 'ndjson'], {
      io: { stdout },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines.length).toBe(2);
    expect(reads.length).toBeLessThan(10);
  });

  it('--hand is passed to the analysis', async () => {
    const spy = vi.spyOn(ANALYZERS.scale, 'analyze');
    const input = file('hand/run.csv', scaleCsv());
    expect((await run(['analyze', 'scale', input, '--hand', 'left'])).code).toBe(0);
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: 'left' });
    expect((await run(['analyze', 'scale', input])).code).toBe(0);
    expect(spy.mock.calls.at(-1)![1]).toEqual({ hand: null });
  });
});

describe('dystrack analyze: failing inputs', () => {
  it('a failed input prints nothing on stdout, one coded line on stderr; the others are reported; exit 1', async () => {
    const good1 = file('fail/good1.csv', scaleCsv(110));
    const bad = file('fail/bad.csv', 'pitch,on_ms,off_ms,velocity\n60,100,50,64\n');
    const good2 = file('fail/good2.csv', scaleCsv(140));
    for (const format of ['ndjson', 'json']) {
      const result = await run(['analyze', 'scale', good1, bad, good2, '--format', format]);
      expect(result.code).toBe(1);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { input: string }).input)).toEqual([good1, good2]);
      expect(result.stderr).toBe(
        `dystrack: ${bad}: E_INPUT_VALUE: row 2: off_ms 50 is earlier than on_ms 100\n`,
      );
    }
    const csv = await run(['analyze', 'scale', good1, bad, good2, '--format', 'csv']);
    expect(csv.code).toBe(1);
    expect(parseCsvTable(csv.stdout).text('input')).toEqual([good1, good2]);
  });

  it('one failed input in JSON or CSV prints nothing at all on stdout', async () => {
    const bad = file('fail-one/empty.csv', '');
    for (const format of ['json', 'ndjson', 'csv']) {
      const result = await run(['analyze', 'scale', bad, '--format', format]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^dystrack: ${escape(bad)}: E_INPUT_EMPTY: .+\\n$`));
    }
  });

  it.each([
    ['a missing file', () => join(scratch, 'nope/missing.csv'), 'E_INPUT_NOT_FOUND'],
    [
      'a directory',
      () => (mkdirSync(join(scratch, 'adir.csv'), { recursive: true }), join(scratch, 'adir.csv')),
      'E_INPUT_NOT_FOUND',
    ],
    ['an unknown extension', () => file('x/notes.txt', scaleCsv()), 'E_INPUT_PARSE'],
    [
      'a file that is not UTF-8',
      () => file('x/latin1.csv', Uint8Array.from([0x70, 0x69, 0xe9, 0x0a])),
      'E_INPUT_PARSE',
    ],
    [
      'a truncated MIDI file',
      () => file('x/cut.mid', Uint8Array.from([0x4d, 0x54, 0x68, 0x64, 0, 0])),
      'E_MIDI_MALFORMED',
    ],
    [
      'a .json that is no valid recording',
      () => file('x/rec.json', JSON.stringify({ schemaVersion: 1 })),
      'E_RECORDING_INVALID',
    ],
  ])('%s is a coded error on stderr, exit 1, no stack trace', async (_name, make, code) => {
    const path = make();
    const result = await run(['analyze', 'scale', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^dystrack: ${escape(path)}: ${code}: .+\\n$`));
  });

  it('an unexpected error inside the analysis is E_INTERNAL without a stack trace, and the next input still runs', async () => {
    const input = file('internal/run.csv', scaleCsv());
    vi.spyOn(ANALYZERS.scale, 'analyze').mockImplementationOnce(() => {
      throw new TypeError('boom');
    });
    const result = await run(['analyze', 'scale', input, input, '--format', 'ndjson']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`dystrack: ${input}: E_INTERNAL: boom\n`);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--out to a directory that does not exist is E_OUTPUT_WRITE, exit 1, before any input is read', async () => {
    const input = file('outfail/run.csv', scaleCsv());
    const out = join(scratch, 'no-such-dir/out.json');
    const result = await run(['analyze', 'scale', input, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^dystrack: ${escape(out)}: E_OUTPUT_WRITE: .+\\n$`));
    expect(reads).toEqual([]);
  });
});

describe('dystrack analyze: input size limit', () => {
  it(`refuses an input over the default ${DEFAULT_MAX_INPUT_BYTES} bytes from its size, without reading it`, async () => {
    const big = join(scratch, 'big/sparse.csv');
    mkdirSync(join(big, '..'), { recursive: true });
    writeFileSync(big, '');
    truncateSync(big, DEFAULT_MAX_INPUT_BYTES + 1); // sparse: takes no disk space
    const small = file('big/run.csv', scaleCsv());
    const result = await run(['analyze', 'scale', big, small, '--format', 'ndjson']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^dystrack: ${escape(big)}: E_INPUT_TOO_LARGE: the input has ${DEFAULT_MAX_INPUT_BYTES + 1} bytes`,
      ),
    );
    expect(reads).toEqual([small]);
    expect((JSON.parse(result.stdout) as { input: string }).input).toBe(small);
    rmSync(big);
  });

  it('--max-bytes and DYSTRACK_MAX_INPUT_BYTES set the limit; the option wins over the variable', async () => {
    const input = file('limit/run.csv', scaleCsv());
    const size = readFileSync(input).length;
    const at = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
      run(['analyze', 'scale', input, ...argv], { env });
    expect((await at(['--max-bytes', String(size)])).code).toBe(0);
    const over = await at(['--max-bytes', String(size - 1)]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('E_INPUT_TOO_LARGE');
    expect((await at([], { DYSTRACK_MAX_INPUT_BYTES: String(size - 1) })).stderr).toContain(
      'E_INPUT_TOO_LARGE',
    );
    expect((await at([], { DYSTRACK_MAX_INPUT_BYTES: String(size) })).code).toBe(0);
    expect((await at(['--max-bytes', String(size)], { DYSTRACK_MAX_INPUT_BYTES: '10' })).code).toBe(0);
    expect(reads.filter((path) => path === input)).toHaveLength(3);
  });

  it.each([
    [['--max-bytes', '0'], {}],
    [['--max-bytes', '-5'], {}],
    [['--max-bytes', '1e6'], {}],
    [[], { DYSTRACK_MAX_INPUT_BYTES: 'lots' }],
  ])('an invalid limit %j %j is a usage error (exit 2)', async (argv, env) => {
    const input = file('limit/bad.csv', scaleCsv());
    const result = await run(['analyze', 'scale', input, ...argv], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'dystrack analyze --help'");
  });
});

describe('dystrack analyze: usage errors (exit 2)', () => {
  it.each([
    [['analyze'], 'missing TASK'],
    [['analyze', 'juggling', 'x.csv'], 'unknown task "juggling"'],
    [['analyze', 'scale'], 'missing INPUT'],
    [['analyze', 'scale', 'x.csv', '--format', 'xml'], 'invalid --format "xml"'],
    [['analyze', 'scale', 'x.csv', '--hand', 'both'], 'invalid --hand "both"'],
    [['analyze', 'scale', 'x.csv', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['analyze', 'scale', 'x.csv', '--out', 'x.csv'], '--out x.csv is also an input'],
  ])('dystrack %j: %s', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("'dystrack analyze --help'");
  });

  it('the unknown-task message lists every task', async () => {
    const result = await run(['analyze', 'juggling', 'x.csv']);
    for (const task of TASK_IDS) expect(result.stderr).toContain(task);
  });

  it('an input named after an option can follow --', async () => {
    const result = await run(['analyze', 'scale', '--', '--weird.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: --weird\.csv: E_INPUT_NOT_FOUND: /);
  });
});

/** A string as a literal regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
