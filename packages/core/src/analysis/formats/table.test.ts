import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { parseCsvTable } from './table.js';

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
