import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

/**
 * The stream schema as it was before column values got their fast check (per-cell zod schemas): the
 * oracle that the fast check must agree with, on acceptance and on every issue.
 */
const perCellColumnSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('f64'), values: z.array(z.number().nullable()).max(MAX_STREAM_ROWS) }),
  z.strictObject({
    type: z.literal('i32'),
    values: z.array(z.number().int().min(-2147483648).max(2147483647)).max(MAX_STREAM_ROWS),
  }),
  z.strictObject({
    type: z.literal('str'),
    values: z.array(z.string().max(MAX_STRING_CELL)).max(MAX_STREAM_ROWS),
  }),
  z.strictObject({ type: z.literal('bool'), values: z.array(z.boolean()).max(MAX_STREAM_ROWS) }),
]);
const perCellStreamSchema = z
  .strictObject({
    columns: z.record(
      z
        .string()
        .regex(/^[a-z][A-Za-z0-9]*$/)
        .max(64),
      perCellColumnSchema,
    ),
  })
  .superRefine((stream, ctx) => {
    let rows: number | undefined;
    for (const [name, column] of Object.entries(stream.columns)) {
      if ((column.type === 'f64' || column.type === 'i32') && !hasUnitSuffix(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `numeric column "${name}" must end with a unit suffix (${UNIT_SUFFIXES.join(', ')})`,
        });
      }
      if (rows === undefined) rows = column.values.length;
      else if (column.values.length !== rows) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `column "${name}" has ${column.values.length} rows, the stream has ${rows}`,
        });
      }
    }
  });

/** What a schema makes of an input: the value, or every issue with its code, path and message. */
function verdict(schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input);
  return result.success ? { ok: result.data } : { issues: result.error.issues };
}

const CELLS: Record<string, unknown[]> = {
  f64: [
    0,
    -0,
    1.5,
    -1e308,
    5e-324,
    1e21,
    null,
    Number.NaN,
    Infinity,
    -Infinity,
    '1',
    true,
    undefined,
    {},
    [],
  ],
  i32: [
    0,
    -0,
    1,
    -2147483648,
    2147483647,
    2147483648,
    -2147483649,
    1.5,
    1e-7,
    2 ** 53 + 2,
    -(2 ** 60),
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Infinity,
    null,
    '1',
    false,
  ],
  str: [
    '',
    'keydown',
    '\ud800',
    'x'.repeat(MAX_STRING_CELL),
    'x'.repeat(MAX_STRING_CELL + 1),
    // 4097 UTF-16 units but 4096 code points (zod counts code points): accepted
    '😀' + 'x'.repeat(MAX_STRING_CELL - 1),
    '😀'.repeat(MAX_STRING_CELL / 2 + 1),
    '\ud800'.repeat(MAX_STRING_CELL + 1),
    1,
    null,
    true,
    ['a'],
  ],
  bool: [true, false, 0, 1, 'true', null, undefined],
};

describe('column values: the fast check agrees with the per-cell schema', () => {
  const types = Object.keys(CELLS);

  it.each(types)('%s: every cell alone, first, last and among good ones, gives the same verdict', (type) => {
    const good = CELLS[type]![1];
    for (const cell of CELLS[type]!) {
      for (const values of [[cell], [good, good, cell], [cell, good], [good, cell, good, cell]]) {
        const columns = { valueMs: { type, values } };
        expect(verdict(streamSchema, { columns }), `${type} ${String(cell).slice(0, 20)}`).toEqual(
          verdict(perCellStreamSchema, { columns }),
        );
      }
    }
  });

  it.each(types)(
    '%s: a bad cell beside stream problems (unit suffix, length) gives the same issues',
    (type) => {
      for (const cell of CELLS[type]!) {
        const columns = {
          aMs: { type, values: [CELLS[type]![1], cell] },
          noUnit: { type: 'f64', values: [1, 2, 3] },
          bMs: { type: 'f64', values: [Number.NaN, 2, 3] },
        };
        expect(verdict(streamSchema, { columns })).toEqual(verdict(perCellStreamSchema, { columns }));
      }
    },
  );

  it('values that are not an array, or missing, give the same issues', () => {
    for (const values of ['abc', { length: 1, 0: 1 }, null, undefined, 1, new Set([1])]) {
      for (const type of types) {
        const columns = { aMs: { type, values } };
        expect(verdict(streamSchema, { columns })).toEqual(verdict(perCellStreamSchema, { columns }));
      }
    }
    const columns = { aMs: { type: 'f64' } };
    expect(verdict(streamSchema, { columns })).toEqual(verdict(perCellStreamSchema, { columns }));
  });

  it('an array hole is refused as undefined was', () => {
    // eslint-disable-next-line no-sparse-arrays
    const columns = { aMs: { type: 'f64', values: [1, , 3] } };
    expect(streamSchema.safeParse({ columns }).success).toBe(false);
    expect(verdict(streamSchema, { columns })).toEqual(verdict(perCellStreamSchema, { columns }));
  });

  it('one row more than a stream may have gives the same issues, with and without bad cells', () => {
    for (const type of types) {
      const good = CELLS[type]![1];
      const values = new Array(MAX_STREAM_ROWS + 1).fill(good);
      for (const bad of [good, CELLS[type]!.at(-1)]) {
        values[7] = bad;
        const columns = { aMs: { type, values } };
        expect(verdict(streamSchema, { columns })).toEqual(verdict(perCellStreamSchema, { columns }));
      }
    }
  });

  it('gives the same verdict on 3,000 random streams of mixed cells', () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    let refused = 0;
    for (let run = 0; run < 3000; run++) {
      const columns: Record<string, unknown> = {};
      const count = 1 + Math.floor(rand() * 3);
      for (let c = 0; c < count; c++) {
        const type = pick(types);
        // mostly good cells of the type, sometimes any cell of any type
        const values = Array.from({ length: Math.floor(rand() * 6) }, () =>
          rand() < 0.85 ? pick(CELLS[type]!.slice(0, 3)) : pick(CELLS[pick(types)]!),
        );
        columns[`${pick(['a', 'b', 'c'])}${c}${pick(['Ms', 'Px', ''])}`] = { type, values };
      }
      const expected = verdict(perCellStreamSchema, { columns });
      if ('issues' in (expected as object)) refused++;
      expect(verdict(streamSchema, { columns })).toEqual(expected);
    }
    // both verdicts are well represented (seeded: the count is fixed)
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(2500);
  });

  it('passes a good values array through without copying it', () => {
    const values = [1.5, null, 2];
    const parsed = streamSchema.parse({ columns: { aMs: { type: 'f64', values } } });
    expect(parsed.columns.aMs!.values).toBe(values);
  });
});
