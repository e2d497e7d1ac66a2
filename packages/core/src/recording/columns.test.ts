import { describe, expect, it } from 'vitest';
import {
  MAX_STREAM_ROWS,
  MAX_STRING_CELL,
  UNIT_SUFFIXES,
  hasUnitSuffix,
  streamRows,
  streamSchema,
} from './columns.js';
import { TASK_RECORDING_SPECS } from './tasks.js';

describe('hasUnitSuffix', () => {
  it.each([
    'timeStampMs',
    'xPx',
    'accXMPerS2',
    'pressureNorm',
    'rotAlphaDegPerS',
    'audioTimeS',
    'tempoBpm',
    'keyLocationIndex',
    'noteVelocity',
  ])('accepts %s', (name) => expect(hasUnitSuffix(name)).toBe(true));

  it.each(['timeStamp', 'x', 'Ms', 'ms', 'TimeMs', 'time_ms', 'timeMs ', 'pressure', 'durationMsec'])(
    'refuses %j',
    (name) => {
      expect(hasUnitSuffix(name)).toBe(false);
    },
  );

  it('accepts every suffix after a lower-case name, and nothing bare', () => {
    for (const suffix of UNIT_SUFFIXES) {
      expect(hasUnitSuffix(`value${suffix}`)).toBe(true);
      expect(hasUnitSuffix(suffix)).toBe(false);
    }
  });

  it('holds for every numeric column of every task spec', () => {
    const offenders = Object.values(TASK_RECORDING_SPECS).flatMap((spec) =>
      Object.entries(spec.streams).flatMap(([stream, streamSpec]) =>
        Object.entries(streamSpec.columns)
          .filter(
            ([name, column]) => (column.type === 'f64' || column.type === 'i32') && !hasUnitSuffix(name),
          )
          .map(([name]) => `${spec.id}.${stream}.${name}`),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('streamSchema', () => {
  const ok = (columns: Record<string, unknown>) => streamSchema.safeParse({ columns }).success;
  const messages = (columns: Record<string, unknown>) => {
    const result = streamSchema.safeParse({ columns });
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('accepts typed columns of equal length, nulls in f64 columns, and no columns at all', () => {
    expect(
      ok({
        timeStampMs: { type: 'f64', values: [1.5, null, -0] },
        pointerId: { type: 'i32', values: [-2147483648, 0, 2147483647] },
        type: { type: 'str', values: ['a', '', 'ü'] },
        repeat: { type: 'bool', values: [true, false, true] },
      }),
    ).toBe(true);
    expect(ok({})).toBe(true);
  });

  it('requires a unit suffix on numeric columns only', () => {
    expect(messages({ timeStamp: { type: 'f64', values: [1] } })).toEqual([
      `numeric column "timeStamp" must end with a unit suffix (${UNIT_SUFFIXES.join(', ')})`,
    ]);
    expect(
      messages({
        pointerCount: { type: 'i32', values: [1] },
        label: { type: 'str', values: ['x'] },
        down: { type: 'bool', values: [true] },
      }),
    ).toEqual([]);
    expect(ok({ pointer: { type: 'i32', values: [1] } })).toBe(false);
  });

  it('refuses columns of different lengths', () => {
    expect(messages({ aMs: { type: 'f64', values: [1, 2] }, bMs: { type: 'f64', values: [1] } })).toEqual([
      'column "bMs" has 1 rows, the stream has 2',
    ]);
  });

  it.each([
    ['an int32 out of range', { xIndex: { type: 'i32', values: [2147483648] } }],
    ['a fractional int32', { xIndex: { type: 'i32', values: [1.5] } }],
    ['null in an int32 column', { xIndex: { type: 'i32', values: [null] } }],
    ['a number in a string column', { label: { type: 'str', values: [1] } }],
    ['a string in a bool column', { down: { type: 'bool', values: ['true'] } }],
    ['an unknown column type', { xMs: { type: 'f32', values: [1] } }],
    ['an extra property on a column', { xMs: { type: 'f64', values: [1], unit: 'ms' } }],
    ['a column name that is not camelCase', { 'x-ms': { type: 'str', values: ['a'] } }],
    ['a string cell over the limit', { label: { type: 'str', values: ['x'.repeat(MAX_STRING_CELL + 1)] } }],
    [
      'more rows than any stream may have',
      { down: { type: 'bool', values: new Array(MAX_STREAM_ROWS + 1).fill(true) } },
    ],
  ])('refuses %s', (_name, columns) => {
    expect(ok(columns)).toBe(false);
  });

  it('accepts a string cell at the limit and a stream at the row limit', () => {
    expect(ok({ label: { type: 'str', values: ['x'.repeat(MAX_STRING_CELL)] } })).toBe(true);
    expect(ok({ down: { type: 'bool', values: new Array(MAX_STREAM_ROWS).fill(true) } })).toBe(true);
  });
});

describe('streamRows', () => {
  it('is the length of the columns, 0 without columns', () => {
    expect(streamRows({ columns: { aMs: { type: 'f64', values: [1, 2, 3] } } })).toBe(3);
    expect(streamRows({ columns: {} })).toBe(0);
  });
});
