/**
 * Random inputs for the fuzz tests of the parsers (load.fuzz.test.ts): contract CSV files built from
 * each task's real column names with bad cells mixed in, and valid recordings with mutated cells.
 * Deterministic for a seed, so a failing case can be replayed.
 */
import type { Stream } from '../../../recording/columns.js';
import type { TaskId } from '../../../recording/tasks.js';
import { seededRandom, type Random } from '../../random.js';
import { C_MAJOR_RUN, CSV_COLUMNS, VALID_RECORDING, csv } from './fixtures.js';

/** Cells that break a number column one way or another. */
export const NASTY_CELLS = [
  '',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'abc',
  '1e308',
  '-1e308',
  '1e400',
  '123456789012345678901234567890',
  '0x1F',
  '1,5',
  '"unterminated',
  ' ',
  '-0',
  '5e-324',
  '"1"',
  '1.2.3',
];

/** Optional columns that a task reads only together. */
const GROUPED = [
  ['gx', 'gy', 'gz'],
  ['target_x_mm', 'target_y_mm'],
  ['x_mm', 'y_mm'],
];

/** Typical step between rows of the time column, ms, by task. */
const STEP_MS: Record<TaskId, [number, number]> = {
  typing: [80, 300],
  tapping: [150, 350],
  scale: [80, 200],
  spiral: [4, 14],
  handwriting: [4, 14],
  precision: [4, 14],
  tremor: [8, 12],
};

const LABELS = ['a', 'b', 'KeyA', 'KeyB', 'Space', 'L', 'R', '', 'é', '"q,"', 'Shift'];

function pick<T>(rng: Random, values: readonly T[]): T {
  return values[rng.int(0, values.length - 1)]!;
}

/** A text cell, quoted when it holds a comma or a quote. */
function quoted(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV of random rows for a task: each real column present with some probability (required ones
 * mostly), an unknown extra column sometimes, in random order; plausible values (time mostly rising,
 * sometimes repeating or going back), and a share of the cells replaced by {@link NASTY_CELLS}.
 */
export function structuredCsv(task: TaskId, seed: number): string {
  const rng = seededRandom(seed);
  const { required, optional } = CSV_COLUMNS[task];
  // optional columns that go together (gyroscope axes, target or tap position) mostly come together
  const whole = rng.next() < 0.9;
  const groups = whole
    ? optional.reduce<string[][]>((list, name) => {
        const last = list.at(-1);
        if (last && GROUPED.some((group) => group.includes(name) && group.includes(last[0]!)))
          last.push(name);
        else list.push([name]);
        return list;
      }, [])
    : optional.map((name) => [name]);
  const columns = [
    ...required.filter(() => rng.next() < 0.93),
    ...groups.filter(() => rng.next() < 0.5).flat(),
    ...(rng.next() < 0.2 ? ['comment'] : []),
  ];
  if (task === 'typing' && rng.next() < 0.9 && !columns.includes('code')) columns.push('code');
  for (let i = columns.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [columns[i], columns[j]] = [columns[j]!, columns[i]!];
  }
  const rows = rng.int(0, rng.next() < 0.5 ? 40 : 600);
  const corruption = pick(rng, [0, 0, 0, 0.001, 0.01, 0.1]);
  const [lo, hi] = STEP_MS[task];
  // most files keep time rising; some repeat stamps, some also go back or jump
  const [repeat, back, jump] = pick(rng, [
    [0, 0, 0],
    [0, 0, 0],
    [0.03, 0, 0],
    [0.03, 0.01, 0.01],
  ] as const);
  let t = rng.uniform(0, 1000);
  const body: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const u = rng.next();
    t +=
      u < repeat
        ? 0
        : u < repeat + back
          ? -rng.uniform(1, 50)
          : u < repeat + back + jump
            ? 1000
            : rng.uniform(lo, hi);
    const theta = r / 10;
    const value = (name: string): string => {
      switch (name) {
        case 't_ms':
        case 'down_ms':
        case 'on_ms':
          return String(t);
        case 'up_ms':
        case 'off_ms':
          return rng.next() < 0.05 ? '' : String(t + rng.uniform(-10, 300));
        case 'beat_ms':
          return rng.next() < 0.3 ? '' : String(250 * r);
        case 'pitch':
          return String(rng.next() < 0.8 ? C_MAJOR_RUN[r % 15]! : rng.int(0, 140));
        case 'velocity':
          return String(rng.int(0, 130));
        case 'channel':
          return String(rng.int(0, 16));
        case 'pen_down':
          return rng.next() < 0.1 ? '0' : '1';
        case 'pressure':
          return String(rng.uniform(-0.05, 1.05));
        case 'tilt_x_deg':
        case 'tilt_y_deg':
          return String(rng.uniform(-90, 90));
        case 'x_mm':
          return String(50 + (5 + theta) * Math.cos(theta) + rng.normal(0, 0.2));
        case 'y_mm':
          return String(50 + (5 + theta) * Math.sin(theta) + rng.normal(0, 0.2));
        case 'target_x_mm':
        case 'target_y_mm':
          return '50';
        case 'ax':
        case 'ay':
        case 'az':
        case 'gx':
        case 'gy':
        case 'gz':
          return String(Math.sin(2 * Math.PI * 6 * (t / 1000)) + rng.normal(0, 0.1));
        default:
          return quoted(pick(rng, LABELS));
      }
    };
    body.push(columns.map((name) => (rng.next() < corruption ? pick(rng, NASTY_CELLS) : value(name))));
  }
  return csv(columns, body);
}

/**
 * A valid recording of the task with some stream cells changed: numbers nulled, negated, made huge or
 * shuffled; strings replaced; rows cut from one column (unequal lengths); a stream dropped.
 */
export function mutatedRecording(task: TaskId, seed: number): unknown {
  const rng = seededRandom(seed);
  const recording = VALID_RECORDING[task]();
  const streams = recording.streams as Record<string, Stream>;
  for (const [name, stream] of Object.entries(streams)) {
    if (rng.next() < 0.05) {
      delete streams[name];
      continue;
    }
    for (const column of Object.values(stream.columns)) {
      const values = column.values as unknown[];
      const rate = pick(rng, [0.001, 0.01, 0.1, 0.5]);
      for (let i = 0; i < values.length; i++) {
        if (rng.next() >= rate) continue;
        const j = rng.int(0, values.length - 1);
        if (column.type === 'f64') {
          values[i] = pick(rng, [null, -(values[i] as number), 1e308, -1e308, 0, values[j], 5e-324]);
        } else if (column.type === 'i32') {
          values[i] = pick(rng, [0, -1, 2147483647, values[j]]);
        } else if (column.type === 'str') {
          values[i] = pick(rng, ['', 'keydown', 'keyup', 'pointerdown', 'pointerup', 'zz', '90', values[j]]);
        } else {
          values[i] = !values[i];
        }
      }
      if (rng.next() < 0.02) values.pop();
    }
  }
  if (rng.next() < 0.1)
    recording.params = { tempoBpm: pick(rng, [0, -5, 1e9, 'fast']), pxPerMm: pick(rng, [0, -1, 1e-9]) };
  return recording;
}
