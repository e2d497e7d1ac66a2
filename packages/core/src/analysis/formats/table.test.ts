import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { parseCsvBytes, parseCsvTable, type CsvTable } from './table.js';

/** The code of the CodedError that `action` throws (fails the test when it throws anything else). */
function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a CodedError, nothing was thrown');
}

describe('parseCsvTable', () => {
  it('reads a header and numeric columns in any order, ignoring extra columns', () => {
    const table = parseCsvTable('y_mm,note,t_ms,x_mm\n2.5,a,0,1\n-3e-1,b,8.25,.5\n');
    expect(table.header).toEqual(['y_mm', 'note', 't_ms', 'x_mm']);
    expect(table.rowCount).toBe(2);
    expect([...table.numbers('t_ms')]).toEqual([0, 8.25]);
    expect([...table.numbers('x_mm')]).toEqual([1, 0.5]);
    expect([...table.numbers('y_mm')]).toEqual([2.5, -0.3]);
    expect(table.text('note')).toEqual(['a', 'b']);
    expect(table.has('pressure')).toBe(false);
    expect(table.optionalNumbers('pressure')).toBeNull();
    expect(table.text('pressure')).toBeNull();
  });

  it('ignores a UTF-8 byte-order mark, CRLF line ends, blank lines and spaces around cells', () => {
    const table = parseCsvTable('\uFEFF t_ms , x_mm\r\n\r\n 1 , 2 \r\n   \r\n3,4\r\n');
    expect(table.header).toEqual(['t_ms', 'x_mm']);
    expect([...table.numbers('t_ms')]).toEqual([1, 3]);
    expect([...table.numbers('x_mm')]).toEqual([2, 4]);
  });

  it('reads quoted cells with commas, quotes and line breaks as text', () => {
    const table = parseCsvTable('key,down_ms\n",",1\n"""",2\n"a\nb",3\n');
    expect(table.text('key')).toEqual([',', '"', 'a\nb']);
  });

  it('allows a trailing comma (trailing empty cells) on a row', () => {
    const table = parseCsvTable('a,b\n1,2,\n3,4,,\n');
    expect([...table.numbers('b')]).toEqual([2, 4]);
  });

  it('an empty cell is NaN with allowEmpty, otherwise E_INPUT_VALUE', () => {
    const table = parseCsvTable('t_ms,beat_ms\n0,\n1,500\n');
    const beats = table.numbers('beat_ms', { allowEmpty: true });
    expect(Number.isNaN(beats[0]!)).toBe(true);
    expect(beats[1]).toBe(500);
    expect(codeOf(() => table.numbers('beat_ms'))).toBe('E_INPUT_VALUE');
  });

  it.each([
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['text', 'abc'],
    ['a hexadecimal number', '0x10'],
    ['a number with a unit', '12ms'],
    ['a decimal comma in quotes', '"1,5"'],
    ['an overflowing number', '1e400'],
  ])('%s in a number column is E_INPUT_VALUE naming row and column', (_name, cell) => {
    const table = parseCsvTable(`t_ms,x_mm\n0,1\n1,${cell}\n`);
    try {
      table.numbers('x_mm');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CodedError);
      expect((error as CodedError).code).toBe('E_INPUT_VALUE');
      expect((error as CodedError).message).toContain('row 3, column "x_mm"');
    }
  });

  it('a missing required column is E_INPUT_COLUMNS listing the columns the header has', () => {
    const table = parseCsvTable('t_ms,x_mm\n0,1\n');
    try {
      table.numbers('y_mm');
      expect.unreachable();
    } catch (error) {
      expect((error as CodedError).code).toBe('E_INPUT_COLUMNS');
      expect((error as CodedError).message).toContain('"y_mm"');
      expect((error as CodedError).message).toContain('t_ms, x_mm');
    }
  });

  it.each([
    ['an empty file', ''],
    ['blank lines only', '\n\n  \n'],
    ['a byte-order mark only', '\uFEFF'],
    ['a header only', 't_ms,x_mm,y_mm\n'],
    ['a header and blank lines', 't_ms,x_mm,y_mm\n\n\n'],
  ])('%s is E_INPUT_EMPTY', (_name, text) => {
    expect(codeOf(() => parseCsvTable(text))).toBe('E_INPUT_EMPTY');
  });

  it.each([
    ['an unterminated quote', 'a,b\n"1,2\n3,4\n'],
    ['a row with fewer cells than the header', 'a,b,c\n1,2,3\n4,5\n'],
    ['a row with more cells than the header (a decimal comma)', 'a,b\n1,2\n1,5,3\n'],
    ['a column named twice', 't_ms,x_mm,t_ms\n1,2,3\n'],
    ['a header separated by semicolons', 't_ms;x_mm;y_mm\n0;1,5;2\n'],
    ['a header separated by tabs', 't_ms\tx_mm\n0\t1\n'],
  ])('%s is E_INPUT_PARSE', (_name, text) => {
    expect(codeOf(() => parseCsvTable(text))).toBe('E_INPUT_PARSE');
  });

  it('round-trips any finite number written by JavaScript', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), (xs) => {
        const table = parseCsvTable(`v\n${xs.map((x) => String(x)).join('\n')}\n`);
        // String(-0) is '0'
        expect([...table.numbers('v')]).toEqual(xs.map((x) => (x === 0 ? 0 : x)));
      }),
      { seed: 1, numRuns: 100 },
    );
  });

  it('on any text either returns a table whose numeric columns are finite, or throws a CodedError', () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'NaN', 'Infinity', '-1e309', '1e308', '0', '-0.5', 'x', '"', '""', ',', '\n'),
      fc.double().map(String),
      fc.string({ maxLength: 6 }),
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 })
        .map((rows) => rows.map((row) => row.join(',')).join('\n')),
    );
    fc.assert(
      fc.property(text, (source) => {
        let table;
        try {
          table = parseCsvTable(source);
        } catch (error) {
          expect(error).toBeInstanceOf(CodedError);
          return;
        }
        expect(table.rowCount).toBeGreaterThan(0);
        for (const name of table.header) {
          if (name === '') continue;
          try {
            const column = table.numbers(name, { allowEmpty: true });
            expect(column).toHaveLength(table.rowCount);
            for (const value of column) expect(Number.isNaN(value) || Number.isFinite(value)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(CodedError);
            expect((error as CodedError).code).toBe('E_INPUT_VALUE');
          }
        }
      }),
      { seed: 2, numRuns: 300 },
    );
  });
});

/**
 * The reader as it was before the single-pass rewrite (papaparse on the whole text into arrays of
 * strings, then per cell trim + grammar + Number): the oracle of the differential tests below, which
 * check that the rewrite keeps every result and every error message.
 */
function referenceParse(source: string): CsvTable {
  const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const parsed = Papa.parse<string[]>(body, { delimiter: ',', skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((error) => error.type === 'Quotes' || error.type === 'Delimiter');
  if (fatal) {
    throw new CodedError('E_INPUT_PARSE', `CSV ${fatal.message.toLowerCase()} (row ${(fatal.row ?? 0) + 1})`);
  }
  const [headerRow, ...rows] = parsed.data;
  if (!headerRow || headerRow.every((cell) => cell.trim() === '')) {
    throw new CodedError('E_INPUT_EMPTY', 'the file is empty');
  }
  const header = headerRow.map((cell) => cell.trim());
  if (header.length === 1 && /[;\t]/.test(header[0]!)) {
    throw new CodedError(
      'E_INPUT_PARSE',
      `the header "${header[0]!.slice(0, 80)}" has no commas: the CSV files of the analysis contract use commas as separators and "." as the decimal point`,
    );
  }
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return;
    if (index.has(name))
      throw new CodedError('E_INPUT_PARSE', `column "${name}" appears twice in the header`);
    index.set(name, i);
  });
  if (rows.length === 0) throw new CodedError('E_INPUT_EMPTY', 'the file has a header but no data rows');
  rows.forEach((row, r) => {
    let cells = row.length;
    while (cells > header.length && row[cells - 1]!.trim() === '') cells--;
    if (cells !== header.length) {
      const hint =
        cells > header.length ? ' (a decimal comma? the contract uses "." as the decimal point)' : '';
      throw new CodedError(
        'E_INPUT_PARSE',
        `row ${r + 2} has ${cells} cells, the header has ${header.length}${hint}`,
      );
    }
  });
  const text = (name: string): string[] | null => {
    const i = index.get(name);
    return i === undefined ? null : rows.map((row) => (row[i] ?? '').trim());
  };
  const optionalNumbers = (name: string, options: { allowEmpty?: boolean } = {}): Float64Array | null => {
    const cells = text(name);
    if (!cells) return null;
    const out = new Float64Array(cells.length);
    for (let r = 0; r < cells.length; r++) {
      const cell = cells[r]!;
      if (cell === '' && options.allowEmpty) {
        out[r] = Number.NaN;
        continue;
      }
      const value = NUMBER.test(cell) ? Number(cell) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw new CodedError(
          'E_INPUT_VALUE',
          `row ${r + 2}, column "${name}": ${cell === '' ? 'empty cell' : `"${cell.slice(0, 40)}" is not a finite number`}`,
        );
      }
      out[r] = value;
    }
    return out;
  };
  return {
    header,
    rowCount: rows.length,
    has: (name) => index.has(name),
    text,
    optionalNumbers,
    numbers(name, options) {
      const column = optionalNumbers(name, options);
      if (!column) {
        throw new CodedError(
          'E_INPUT_COLUMNS',
          `the header has no "${name}" column (it has: ${header.join(', ')})`,
        );
      }
      return column;
    },
  };
}

/** What an action gives, comparably: its value, or the code and message of the CodedError it throws. */
function outcome(action: () => unknown): unknown {
  try {
    const value = action();
    // Float64Array → plain array with -0 and NaN spelled out, so toEqual tells them apart
    if (value instanceof Float64Array) {
      return { numbers: [...value].map((x) => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x)) };
    }
    return { value };
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    return { code: error.code, message: error.message };
  }
}

type Call = (table: CsvTable, name: string) => unknown;
const CALLS: Call[] = [
  (table, name) => table.numbers(name),
  (table, name) => table.numbers(name, { allowEmpty: true }),
  (table, name) => table.optionalNumbers(name),
  (table, name) => table.optionalNumbers(name, { allowEmpty: true }),
  (table, name) => table.text(name),
  (table, name) => table.has(name),
];

/**
 * Parses `source` with the reader and the reference and makes the same calls on both (column k of the
 * header, or a missing one), expecting equal outcomes. Arrays handed out are then changed, so that a
 * later call on the same column also checks that it does not see the change.
 */
function expectSameAsReference(
  source: string,
  calls: readonly (readonly [number, number])[],
  parse: () => CsvTable = () => parseCsvTable(source),
): void {
  const expected = outcome(() => referenceParse(source));
  const actual = outcome(parse);
  if (!('value' in (expected as object))) {
    expect(actual).toEqual(expected);
    return;
  }
  const reference = referenceParse(source);
  const table = parse();
  expect(table.header).toEqual(reference.header);
  expect(table.rowCount).toBe(reference.rowCount);
  const names = [...reference.header, 'missing'];
  for (const [k, c] of calls) {
    const name = names[k % names.length]!;
    const call = CALLS[c % CALLS.length]!;
    expect(
      outcome(() => call(table, name)),
      `call ${c % CALLS.length} on "${name}"`,
    ).toEqual(outcome(() => call(reference, name)));
    for (const t of [table, reference]) {
      try {
        const result = call(t, name);
        if (result instanceof Float64Array && result.length > 0) result[0] = 12345;
        if (Array.isArray(result) && result.length > 0) result[0] = 'changed';
      } catch {
        // the outcome compared above
      }
    }
  }
}

/** Cells that probe the number grammar: values, white space, and what Number() takes but the grammar does not. */
const TRICKY_CELLS = [
  '',
  ' ',
  '0',
  '-0',
  '+0.0',
  '1.',
  '.5',
  '-.5',
  '+1',
  '+',
  '-',
  '.',
  'e5',
  '.e1',
  '1e',
  '1e+',
  '1e-5',
  '1E5',
  '1.e1',
  '1..2',
  '--1',
  '1 2',
  '0x10',
  '0b1',
  '0o7',
  '1_000',
  '1n',
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '1e-400',
  '00012',
  '9007199254740993',
  '123456789012345678901',
  '0.1234567890123456789',
  '1e22',
  '1e23',
  '123e-22',
  '4.9e-324',
  '1.7976931348623157e308',
  '1.8e308',
  '"\u00a01.5\u2028"',
  '"\ufeff1"',
  '"\u180e1"',
  '"\u00851"',
  '"１"',
  '" \t2 "',
  '"1,5"',
  'abc',
];

/**
 * CSV text of 1–4 columns (header names from a fixed set) and rows of `cell`s, each row with a tail of
 * extra text (trailing commas, spaces), joined by one of the line ends, with a leading text and byte-order
 * marks, and a line end at the end or not.
 */
function csvSource(
  cell: fc.Arbitrary<string>,
  options: {
    leads: string[];
    tails: string[];
    newlines: string[];
    boms: string[];
    maxRows: number;
  },
): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max: 4 }).chain((width) =>
    fc
      .record({
        names: fc.shuffledSubarray(['t_ms', 'x_mm', ' y ', 'key', '', 'z'], {
          minLength: width,
          maxLength: width,
        }),
        lead: fc.constantFrom(...options.leads),
        rows: fc.array(
          fc.tuple(fc.array(cell, { minLength: width, maxLength: width }), fc.constantFrom(...options.tails)),
          { maxLength: options.maxRows },
        ),
        newline: fc.constantFrom(...options.newlines),
        bom: fc.constantFrom(...options.boms),
        end: fc.boolean(),
      })
      .map(
        ({ names, lead, rows, newline, bom, end }) =>
          bom +
          lead +
          names.join(',') +
          newline +
          rows.map(([cells, tail]) => cells.join(',') + tail).join(newline) +
          (end ? newline : ''),
      ),
  );
}

describe('parseCsvTable keeps the results of the previous reader', () => {
  it('for any call on tables of tricky cells, blank lines, CRLF and trailing commas', () => {
    const cell = fc.oneof(
      { weight: 3, arbitrary: fc.double().map(String) },
      { weight: 2, arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map((x) => (x / 1000).toFixed(3)) },
      { weight: 4, arbitrary: fc.constantFrom(...TRICKY_CELLS) },
      { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    );
    const source = csvSource(cell, {
      leads: [''],
      tails: ['', '', '', ',', ', ,', ',1'],
      newlines: ['\n', '\r\n', '\r', '\n\n', '\n \n', '\n,\n'],
      boms: ['', '', '\uFEFF'],
      maxRows: 10,
    });
    const calls = fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 10 });
    fc.assert(
      fc.property(source, calls, (text, order) => expectSameAsReference(text, order)),
      { seed: 3, numRuns: 400 },
    );
  });

  it('for any file without quotes (read where the cells are, without papaparse): every call and error', () => {
    const unquoted = TRICKY_CELLS.filter((cell) => !cell.includes('"'));
    const cell = fc.oneof(
      { weight: 3, arbitrary: fc.double().map(String) },
      {
        weight: 4,
        arbitrary: fc.constantFrom(...unquoted, ' 1', '\u00a01.5', '\ufeff2', '\u20281', ' ', ''),
      },
      { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((text) => text.replaceAll('"', '')) },
    );
    const source = csvSource(cell, {
      leads: ['', '', '\n', ' ,\n', ',', ' '],
      tails: ['', '', '', ',', ', ,', ',1', ' '],
      newlines: ['\n', '\r\n', '\r', '\n\n', '\n \n', '\n,\n', '\r\n\n'],
      boms: ['', '', '\uFEFF', '\uFEFF\uFEFF'],
      maxRows: 12,
    });
    const calls = fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 10 });
    fc.assert(
      fc.property(source, calls, (text, order) => expectSameAsReference(text, order)),
      { seed: 5, numRuns: 600 },
    );
  });

  it('from bytes: the same as decoding them as UTF-8 first, invalid UTF-8 an E_INPUT_PARSE', () => {
    const UNITS: number[][] = [
      [49],
      [50],
      [46],
      [44],
      [10],
      [13],
      [32],
      [34],
      [97],
      [101],
      [45],
      [0xef, 0xbb, 0xbf], // a byte-order mark
      [0xc3, 0xa9], // é
      [0xc2, 0xa0], // no-break space
      [0xff], // never UTF-8
      [0xc3], // a truncated sequence
      [49, 44, 50, 10], // a row "1,2"
      [97, 44, 98, 44, 99, 10], // a header "a,b,c"
    ];
    const bytes = fc
      .array(fc.constantFrom(...UNITS), { maxLength: 50 })
      .map((units) => Uint8Array.from(units.flat()));
    const calls = fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 6 });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(bytes, calls, (data, order) => {
        let text: string;
        try {
          text = decoder.decode(data);
        } catch {
          expect(outcome(() => parseCsvBytes(data))).toEqual({
            code: 'E_INPUT_PARSE',
            message: 'the file is not UTF-8 text',
          });
          return;
        }
        // the decoder drops one byte-order mark; the reference (papaparse) drops one more
        expectSameAsReference(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, order, () =>
          parseCsvBytes(data),
        );
      }),
      { seed: 6, numRuns: 800 },
    );
    // a wrong row before bytes that are not UTF-8: the encoding is the error, as when decoding first
    const late = Uint8Array.from([...new TextEncoder().encode('a,b\n1\n2,3\n'), 0xff]);
    expect(outcome(() => parseCsvBytes(late))).toEqual({
      code: 'E_INPUT_PARSE',
      message: 'the file is not UTF-8 text',
    });
  });

  it('on any short text of CSV characters', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '1', '.', 'e', '-', ' ', '"', ',', '\n', '\r', ';', '\uFEFF'),
      maxLength: 60,
    });
    const calls = fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 6 });
    fc.assert(
      fc.property(text, calls, (source, order) => expectSameAsReference(source, order)),
      { seed: 4, numRuns: 400 },
    );
  });

  it('for number-like cells: the same numbers, -0 and errors', () => {
    const numberLike = fc.oneof(
      fc.stringMatching(/^[ \t]?[+-]?[0-9]{0,20}\.?[0-9]{0,20}([eE][+-]?[0-9]{0,4})?[ \t]?$/),
      fc.double().map((x) => x.toExponential()),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(fc.array(numberLike, { minLength: 1, maxLength: 20 }), (cells) => {
        const source = `v\n${cells.map((cell) => `"${cell}"`).join('\n')}\n`;
        expectSameAsReference(source, [
          [0, 1],
          [0, 0],
        ]);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it.each(TRICKY_CELLS)('for the cell %j after a number, and alone', (cell) => {
    for (const source of [`t_ms,v\n0,1\n1,${cell}\n`, `v,w\n${cell},1\n`]) {
      expectSameAsReference(source, [
        [1, 1],
        [1, 0],
        [1, 4],
        [0, 0],
      ]);
    }
  });
});

describe('parseCsvTable number grammar', () => {
  /** The value of a one-cell column, or the error code. */
  const read = (cell: string, allowEmpty = false) =>
    outcome(() => parseCsvTable(`t,v\n0,${cell}\n`).numbers('v', { allowEmpty }));

  it.each([
    ['1.', 1],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['+1', 1],
    ['00012', 12],
    ['1E5', 100000],
    ['1e-5', 0.00001],
    ['123e-22', 1.23e-20],
    ['1e23', 1e23],
    ['9007199254740993', 9007199254740992],
    ['0.1234567890123456789', 0.12345678901234568],
    ['123456789012345678901', 123456789012345680000],
    ['1.7976931348623157e308', 1.7976931348623157e308],
    ['4.9e-324', 5e-324],
    ['1e-400', 0],
    ['"\u00a01.5\u2028"', 1.5],
    ['"\ufeff1"', 1],
    ['" \t2 "', 2],
  ])('%j is %d', (cell, value) => {
    expect(read(cell)).toEqual({ numbers: [value] });
  });

  it('keeps the sign of zero', () => {
    expect(read('-0')).toEqual({ numbers: ['-0'] });
    expect(read('-0.0e5')).toEqual({ numbers: ['-0'] });
    expect(read('+0')).toEqual({ numbers: [0] });
  });

  it.each([
    '0x10',
    '0b1',
    '0o7',
    '1_000',
    '1n',
    'Infinity',
    '+Infinity',
    'NaN',
    '1e400',
    '-1.8e308',
    '.',
    '+',
    '-',
    'e5',
    '.e1',
    '1e',
    '1e+',
    '1..2',
    '--1',
    '1 2',
    '"\u180e1"',
    '"\u00851"',
    '"１"',
  ])('%j is not a number (E_INPUT_VALUE)', (cell) => {
    expect(read(cell)).toMatchObject({ code: 'E_INPUT_VALUE' });
  });

  it('a cell of white space only is an empty cell', () => {
    expect(read('"  \t "')).toEqual({
      code: 'E_INPUT_VALUE',
      message: 'row 2, column "v": empty cell',
    });
    expect(read('"  \t "', true)).toEqual({ numbers: ['NaN'] });
  });
});

describe('parseCsvTable columns', () => {
  it('gives the text of a numeric column as written', () => {
    const table = parseCsvTable('t_ms,v\n0, 1.50 \n1,2e0\n2,-0\n');
    expect(table.text('v')).toEqual(['1.50', '2e0', '-0']);
    expect([...table.numbers('v')]).toEqual([1.5, 2, -0]);
  });

  it('a column whose first non-empty cell is text is text; its numbers name the first bad row', () => {
    const table = parseCsvTable('down_ms,key\n0,\n1,KeyA\n2,1\n3,\n');
    expect(table.text('key')).toEqual(['', 'KeyA', '1', '']);
    expect(outcome(() => table.numbers('key', { allowEmpty: true }))).toEqual({
      code: 'E_INPUT_VALUE',
      message: 'row 3, column "key": "KeyA" is not a finite number',
    });
    expect(outcome(() => table.numbers('key'))).toEqual({
      code: 'E_INPUT_VALUE',
      message: 'row 2, column "key": empty cell',
    });
  });

  it('a numeric column with later text names the first bad row, or the first empty cell before it', () => {
    const table = parseCsvTable('t,a,b\n0,1,1\n1,,2\n2,x,\n3,y,z\n');
    expect(table.text('a')).toEqual(['1', '', 'x', 'y']);
    expect(outcome(() => table.numbers('a'))).toMatchObject({ message: 'row 3, column "a": empty cell' });
    expect(outcome(() => table.numbers('a', { allowEmpty: true }))).toMatchObject({
      message: 'row 4, column "a": "x" is not a finite number',
    });
    expect(outcome(() => table.numbers('b', { allowEmpty: true }))).toMatchObject({
      message: 'row 5, column "b": "z" is not a finite number',
    });
    expect(outcome(() => table.numbers('b'))).toMatchObject({ message: 'row 4, column "b": empty cell' });
  });

  it('each call returns a new array: changing one does not change the next', () => {
    const table = parseCsvTable('t,k\n1,a\n2,b\n');
    const first = table.numbers('t');
    first[0] = 99;
    expect([...table.numbers('t')]).toEqual([1, 2]);
    expect([...table.numbers('t', { allowEmpty: true })]).toEqual([1, 2]);
    const keys = table.text('k')!;
    keys[0] = 'changed';
    expect(table.text('k')).toEqual(['a', 'b']);
    expect(table.text('t')).toEqual(['1', '2']);
  });

  it('a header much wider than its rows is an E_INPUT_PARSE (columns are not sized header × lines)', () => {
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',');
    const text = `${header}\n${'1,2\n'.repeat(50_000)}`;
    expect(outcome(() => parseCsvTable(text))).toEqual({
      code: 'E_INPUT_PARSE',
      message: 'row 2 has 2 cells, the header has 5000',
    });
  });
});

/** Papaparse is given the text in chunks of this many characters (table.ts). */
const CHUNK = 256 * 1024;

/** Numeric rows `i,i mod 7,i/1000` (i = 0, 1, …) until the text reaches `length` characters. */
function filler(length: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const row = `${i},${i % 7},${(i / 1000).toFixed(3)}\n`;
    rows.push(row);
    size += row.length;
  }
  return rows.join('');
}

describe('parseCsvTable on large files', () => {
  it('reads 144,000 rows × 8 columns into exact numbers', () => {
    const names = ['t_ms', 'x_mm', 'y_mm', 'pressure', 'tilt_x_deg', 'tilt_y_deg', 'pen_down', 'note'];
    const lines = [names.join(',')];
    const row = (i: number) => [
      (1000 + i * 4.1667).toFixed(3),
      (i % 1000) / 8,
      -i / 3,
      ((i % 97) / 96).toFixed(4),
      30,
      '-12.5e0',
      i % 10 === 0 ? 0 : 1,
      i === 5 ? 'lift' : '',
    ];
    for (let i = 0; i < 144_000; i++) lines.push(row(i).join(','));
    const table = parseCsvTable(lines.join('\r\n'));
    expect(table.rowCount).toBe(144_000);
    for (const name of names.slice(0, 7)) {
      const column = table.numbers(name);
      expect(column).toHaveLength(144_000);
      const k = names.indexOf(name);
      for (const i of [0, 1, 5, 65_535, 100_001, 143_999]) expect(column[i]).toBe(Number(String(row(i)[k])));
    }
    expect(outcome(() => table.numbers('note', { allowEmpty: true }))).toEqual({
      code: 'E_INPUT_VALUE',
      message: 'row 7, column "note": "lift" is not a finite number',
    });
    expect(table.text('note')!.filter((cell) => cell !== '')).toEqual(['lift']);
  });

  it('errors name the row across chunks', () => {
    const body = `a,b,c\n${filler(3 * CHUNK)}`;
    const rows = body.split('\n').length - 2;
    expect(outcome(() => parseCsvTable(`${body}1,2\n`))).toEqual({
      code: 'E_INPUT_PARSE',
      message: `row ${rows + 2} has 2 cells, the header has 3`,
    });
    expect(outcome(() => parseCsvTable(`${body}1,"2,3\n4,5,6\n`))).toEqual({
      code: 'E_INPUT_PARSE',
      message: `CSV quoted field unterminated (row ${rows + 2})`,
    });
    // a quote error late in the file comes before a wrong row early in it, as in one whole parse
    expect(outcome(() => parseCsvTable(`a,b,c\n1,2\n${filler(3 * CHUNK)}1,"2"x,3\n`))).toEqual({
      code: 'E_INPUT_PARSE',
      message: `CSV trailing quote on quoted field is malformed (row ${rows + 3})`,
    });
    const table = parseCsvTable(`${body}1,2,x\n`);
    expect(outcome(() => table.numbers('c'))).toMatchObject({
      message: `row ${rows + 2}, column "c": "x" is not a finite number`,
    });
  });

  it.each([
    ['a quoted cell with line breaks', 'x,"Y\n1\n2",3'],
    ['a quoted cell, then spaces before the comma', '"7" ,2,3'],
    ['a quoted cell, then spaces before the line end', '"7"  '],
    ['an escaped quote', '"a""b",2,3'],
    ['a malformed quote', '"a"b,2,3'],
    ['a CRLF line end', '1,2,3\r'],
  ])('%s across a chunk boundary reads as in one whole parse', (_name, special) => {
    const base = 'a,b,c\n1,2,3\n';
    for (let k = -1; k <= special.length + 1; k++) {
      // one long row (a zero with many decimals) puts the chunk boundary k characters into the special row
      const pad = `0.${'0'.repeat(CHUNK - k - base.length - 7)},0,0\n`;
      const source = `${base}${pad}${special}\n5,6,7\n`;
      expect(source.indexOf(special)).toBe(CHUNK - k);
      expectSameAsReference(source, [
        [0, 4],
        [1, 1],
        [2, 1],
      ]);
    }
  });

  it('guesses the line ends from the first MiB, as papaparse does for the whole text', () => {
    // \r line ends first (more than a chunk of them), then \r\n: the first MiB has mostly \r\n
    let text = 'a,b\r';
    for (let i = 0; i < 30_000; i++) text += `${i},${i}\r`;
    for (let i = 0; i < 100_000; i++) text += `${i},${i}\r\n`;
    expect(outcome(() => parseCsvTable(text))).toEqual({
      code: 'E_INPUT_PARSE',
      message: 'row 2 has 2 cells, the header has 30003',
    });
    expectSameAsReference(`\uFEFF\uFEFF${text}`, []);
  });
});
