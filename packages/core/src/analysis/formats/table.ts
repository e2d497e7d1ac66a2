import Papa from 'papaparse';
import { CodedError } from '../../errors/catalogue.js';

/**
 * A CSV file of the analysis contract: a header row, commas as separators, `.` as the decimal point;
 * columns in any order, extra columns ignored. Cells are checked only when their column is asked for.
 */
export interface CsvTable {
  /** Column names as in the header, trimmed. */
  header: string[];
  /** Number of data rows (blank lines are skipped). */
  rowCount: number;
  /** Whether the header has this column. */
  has(name: string): boolean;
  /** The text cells of a column (trimmed), or null when the header lacks it. */
  text(name: string): string[] | null;
  /**
   * The numbers of a column. An empty cell is NaN when `allowEmpty`, otherwise an error; text that is
   * not a finite number is always an error (E_INPUT_VALUE, naming the row and column).
   * @throws CodedError `E_INPUT_COLUMNS` when the column is missing
   */
  numbers(name: string, options?: { allowEmpty?: boolean }): Float64Array;
  /** Like {@link numbers}, or null when the header lacks the column. */
  optionalNumbers(name: string, options?: { allowEmpty?: boolean }): Float64Array | null;
}

/** A decimal number as the contract allows it: optional sign, digits, `.` decimals, exponent. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Characters papaparse parses at a time, so that the rows of a large file are never all held as arrays of
 * strings (smaller chunks let the rows die young; larger ones cost time per chunk).
 */
const CHUNK_CHARS = 256 * 1024;

/** Characters from the start papaparse guesses the line ends from (`\n`, `\r\n` or `\r`): 1 MiB. */
const NEWLINE_GUESS_CHARS = 1024 * 1024;

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** The number of a cell: trimmed, it must match {@link NUMBER} and be a finite double (else NaN). */
function slowNumber(cell: string): number {
  const trimmed = cell.trim();
  const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Whether a character code is ASCII white space (tab, line feed, vertical tab, form feed, CR, space). */
function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** 2^53: integers below it are exact doubles. */
const EXACT_INTEGERS = 2 ** 53;

/**
 * The text of ASCII bytes (short cells are built here: a TextDecoder call costs more than they do).
 */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return ASCII.decode(bytes.subarray(start, end));
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

const ASCII = new TextDecoder();

/**
 * The finite number an ASCII cell `bytes[start, end)` holds: the cell trimmed of white space must match
 * {@link NUMBER} and convert (as `Number` does) to a finite double. When the digits without the point
 * form an integer m < 2^53 and the decimal exponent k is within ±22, the number is m / 10^-k or m · 10^k,
 * computed here without allocating: both operands are exact doubles, so the one rounding of the division
 * or product gives the correctly rounded result, the same as `Number`'s. Other cells go through
 * {@link slowNumber}.
 * @returns the number, or NaN for an empty cell, text outside the grammar and numbers beyond a double
 */
function numberAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && isAsciiSpace(bytes[i]!)) i++;
  while (end > i && isAsciiSpace(bytes[end - 1]!)) end--;
  const negative = i < end && bytes[i] === 45; // '-'
  if (negative || (i < end && bytes[i] === 43)) i++; // '+'
  let mantissa = 0;
  const integerStart = i;
  for (; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = i - integerStart;
  let scale = 0; // digits after the point
  if (i < end && bytes[i] === 46) {
    const fractionStart = ++i;
    for (; i < end; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    scale = i - fractionStart;
    digits += scale;
  }
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (i < end && (bytes[i]! | 32) === 101) {
    // 'e' or 'E', an optional sign and at least one digit
    const exponentNegative = ++i < end && bytes[i] === 45;
    if (exponentNegative || (i < end && bytes[i] === 43)) i++;
    const exponentStart = i;
    for (; i < end; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) break;
      if (exponent < 1e6) exponent = exponent * 10 + digit; // larger ones overflow or underflow anyway
    }
    if (i === exponentStart) return Number.NaN;
    if (exponentNegative) exponent = -exponent;
  }
  if (i < end) return Number.NaN;
  if (mantissa === 0) return negative ? -0 : 0;
  const power = exponent - scale;
  if (mantissa >= EXACT_INTEGERS || power < -22 || power > 22) {
    return slowNumber(asciiText(bytes, start, end));
  }
  const value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
  return negative ? -value : value;
}

/** Whether a parsed row has nothing but white space (papaparse's `skipEmptyLines: 'greedy'`). */
function isBlank(row: string[]): boolean {
  const first = row[0]!;
  if (first.length > 0) {
    const code = first.charCodeAt(0);
    if (code > 32 && code < 128) return false;
  }
  for (const cell of row) if (cell.length > 0 && cell.trim() !== '') return false;
  return true;
}

/** A line end papaparse knows. */
type LineEnd = '\n' | '\r\n' | '\r';

/**
 * The line end papaparse would guess for the whole text, or undefined to let it guess. It guesses from
 * the start of the text it is given (at most 1 MiB), and it is given one chunk at a time: for text longer
 * than a chunk it is asked to guess from the start it would see of the whole text, in a parse of the first
 * row only. Text without a carriage return has `\n` line ends (papaparse's guess too), without a guess.
 */
function lineEnd(body: string): LineEnd | undefined {
  if (!body.includes('\r')) return '\n';
  if (body.length <= CHUNK_CHARS) return undefined;
  // papaparse drops a byte-order mark before it looks
  const head = body.slice(0, NEWLINE_GUESS_CHARS + (body.charCodeAt(0) === 0xfeff ? 1 : 0));
  const guess = Papa.parse<string[]>(head, { delimiter: ',', preview: 1 }).meta.linebreak;
  return guess === '\r\n' || guess === '\r' ? guess : '\n';
}

/**
 * The rows of CSV text as papaparse reads them (commas, quotes), blank rows included, handed over
 * `CHUNK_CHARS` of text at a time.
 * @param newline - the line end from {@link lineEnd}
 * @param onRows - gets each chunk's rows
 * @throws CodedError `E_INPUT_PARSE` for unbalanced quotes
 */
function readRows(body: string, newline: LineEnd | undefined, onRows: (rows: string[][]) => void): void {
  let rowsBefore = 0;
  const config = {
    delimiter: ',',
    newline,
    chunkSize: CHUNK_CHARS,
    chunk(results: Papa.ParseResult<string[]>) {
      const rows = results.data;
      for (const error of results.errors) {
        // an error in the unfinished last row of a chunk is its parse so far: it is read again with the next chunk
        const row = error.row ?? 0;
        if ((error.type === 'Quotes' || error.type === 'Delimiter') && row < rows.length) {
          throw new CodedError(
            'E_INPUT_PARSE',
            `CSV ${error.message.toLowerCase()} (row ${rowsBefore + row + 1})`,
          );
        }
      }
      onRows(rows);
      rowsBefore += rows.length;
      // papaparse parses the next chunk from within the frame that called this one, which keeps these
      // results until the end: emptied, the rows of all chunks are not kept
      rows.length = 0;
    },
  };
  Papa.parse<string[]>(body, config);
}

/**
 * One column as read so far: its numbers while every cell is a number or empty (with the first empty
 * and the first non-numeric cell, for the errors), or its text when a non-numeric cell came first.
 */
class Column {
  /** The numbers (NaN for empty and non-numeric cells); null once the column is kept as text. */
  values: Float64Array | null;
  /** The trimmed cells when the first non-empty cell is not a number, else null. */
  texts: string[] | null = null;
  /** The first row (counted from 0) with an empty cell, and with a non-numeric one (−1: none). */
  firstEmpty = -1;
  firstBad = -1;
  /** The first non-numeric cell, trimmed. */
  badCell = '';
  /** Whether `values` was handed out (the caller may change it: a later call reads the text again). */
  handedOut = false;

  constructor(
    readonly name: string,
    readonly index: number,
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
  }
}

/**
 * Records a cell of a numeric column that is not a number: an empty cell (NaN), or text. Text makes the
 * column a text column when no cell before held a number (they were all empty), else it is the
 * column's first or a later bad cell.
 */
function addOddCell(column: Column, r: number, cell: string): void {
  const values = column.values!;
  const trimmed = cell.trim();
  values[r] = Number.NaN;
  if (trimmed === '') {
    if (column.firstEmpty < 0) column.firstEmpty = r;
  } else if (column.firstBad < 0) {
    // the first text in the column (it happens once: then the column is a text column or has a bad cell)
    let numbers = false;
    for (let k = 0; k < r && !numbers; k++) numbers = !Number.isNaN(values[k]!);
    if (numbers) {
      column.firstBad = r;
      column.badCell = trimmed;
    } else {
      column.texts = new Array<string>(r).fill('');
      column.texts.push(trimmed);
      column.values = null;
    }
  }
}

/** An `E_INPUT_VALUE` error for a cell (trimmed) that is not a finite number. */
function valueError(row: number, name: string, cell: string): CodedError {
  return new CodedError(
    'E_INPUT_VALUE',
    `row ${row + 2}, column "${name}": ${cell === '' ? 'empty cell' : `"${cell.slice(0, 40)}" is not a finite number`}`,
  );
}

/** The numbers of trimmed cells (see {@link CsvTable.numbers}). */
function numbersOfCells(cells: readonly string[], name: string, allowEmpty: boolean): Float64Array {
  const out = new Float64Array(cells.length);
  for (let r = 0; r < cells.length; r++) {
    const cell = cells[r]!;
    if (cell === '' && allowEmpty) {
      out[r] = Number.NaN;
      continue;
    }
    const value = slowNumber(cell);
    if (Number.isNaN(value)) throw valueError(r, name, cell);
    out[r] = value;
  }
  return out;
}

/** Whether a byte is printable ASCII other than a comma: a row starting with it is not blank. */
function isPrintable(code: number): boolean {
  return code > 32 && code < 127 && code !== 44;
}

/** The line end papaparse guesses for text of at most a chunk (it guesses from the text it is given). */
function guessLineEnd(body: string): LineEnd {
  const guess = Papa.parse<string[]>(body, { delimiter: ',', preview: 1 }).meta.linebreak;
  return guess === '\r\n' || guess === '\r' ? guess : '\n';
}

/**
 * About how many data rows the text has, for sizing the columns: its non-empty `\n`-ended lines minus the
 * header. Exact for the usual file; more when cells hold line breaks or lines hold only white space or
 * commas, fewer with `\r` line ends (the columns then grow).
 * @param length - the text's length
 * @param lineFeed - the index of the next `\n` from an index, or −1
 * @param at - the character code at an index
 */
function estimateRows(length: number, lineFeed: (from: number) => number, at: (i: number) => number): number {
  let lines = 0;
  let start = 0;
  for (;;) {
    const end = lineFeed(start);
    const stop = end < 0 ? length : end;
    if (stop > start && !(stop === start + 1 && at(start) === 13)) lines++;
    if (end < 0) break;
    start = end + 1;
  }
  return Math.max(lines - 1, 0);
}

/**
 * Bytes at the start of a file whose lines {@link estimateByteRows} counts (a search per line costs a few
 * per cent of a pen analysis); the rest of a larger file is taken to have lines of the same mean length.
 */
const ROW_ESTIMATE_SAMPLE_BYTES = 16 * 1024;

/**
 * {@link estimateRows} of a file's bytes: exact for a file of at most {@link ROW_ESTIMATE_SAMPLE_BYTES},
 * otherwise the lines of that many bytes scaled to the whole, with 5 % to spare (columns that turn out
 * too short grow; longer ones are cut when handed out).
 */
function estimateByteRows(bytes: Uint8Array): number {
  const length = bytes.length;
  const sample = Math.min(length, ROW_ESTIMATE_SAMPLE_BYTES);
  const lineFeed = (from: number) => {
    const end = bytes.indexOf(10, from);
    return end < sample ? end : -1;
  };
  const rows = estimateRows(sample, lineFeed, (i) => bytes[i]!);
  return sample === length ? rows : Math.ceil((((rows + 1) * length) / sample) * 1.05);
}

/**
 * Collects the rows of a CSV file into columns: numbers as they are read (so that a large file needs
 * little more memory than its numbers), text for a column whose first non-empty cell is not a number.
 * Rows come as arrays of cells ({@link addRow}) or, for ASCII text without quotes, as positions in the
 * file's bytes ({@link addAsciiRow}); both give the same table.
 */
class TableBuilder {
  header: string[] | null = null;
  readonly index = new Map<string, number>();
  columns: Column[] = [];
  capacity = 0;
  rowCount = 0;
  /** The first problem found, when problems are collected (files with quotes) instead of thrown. */
  problem: CodedError | null = null;
  /** The column of each cell position of a row (null: a column nobody reads). */
  private byIndex: (Column | null)[] = [];
  /** Where each cell of the row being read starts, and the cells left for after the row's check. */
  private starts = new Int32Array(1);
  private later = new Int32Array(1);
  /** Whether {@link readAsciiRow} read the row (false: the caller reads it as split strings). */
  rowDone = false;

  /**
   * @param estimate - about how many data rows the file has (see {@link estimateRows})
   * @param maxCapacity - the most rows the file can have for a header of n cells, at n characters a row
   * @param collect - whether problems are collected rather than thrown at once: with quotes, an error
   *   about quotes anywhere in the file comes first
   */
  constructor(
    private readonly estimate: () => number,
    private readonly maxRows: (width: number) => number,
    private readonly collect: boolean,
  ) {}

  private fail(error: CodedError): void {
    if (!this.collect) throw error;
    this.problem ??= error;
  }

  private readHeader(row: string[]): void {
    const names = row.map((cell) => cell.trim());
    this.header = names;
    if (names.length === 1 && /[;\t]/.test(names[0]!)) {
      return this.fail(
        new CodedError(
          'E_INPUT_PARSE',
          `the header "${names[0]!.slice(0, 80)}" has no commas: the CSV files of the analysis contract use commas as separators and "." as the decimal point`,
        ),
      );
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name === '') continue;
      if (this.index.has(name)) {
        return this.fail(new CodedError('E_INPUT_PARSE', `column "${name}" appears twice in the header`));
      }
      this.index.set(name, i);
    }
    // a row of n cells takes at least n characters: at most about 8 bytes of numbers per character
    this.capacity = Math.max(Math.min(this.estimate(), this.maxRows(names.length)), 16);
    this.columns = [...this.index].map(([name, i]) => new Column(name, i, this.capacity));
    this.byIndex = names.map(() => null);
    for (const column of this.columns) this.byIndex[column.index] = column;
    this.starts = new Int32Array(names.length + 1);
    this.later = new Int32Array(names.length);
  }

  private grow(): void {
    this.capacity *= 2;
    for (const column of this.columns) {
      if (!column.values) continue;
      const values = new Float64Array(this.capacity);
      values.set(column.values);
      column.values = values;
    }
  }

  /** Adds a row that is not blank (the header first). */
  addRow(row: string[]): void {
    if (!this.header) return this.readHeader(row);
    const width = this.header.length;
    let cells = row.length;
    if (cells !== width) {
      // trailing empty cells (a trailing comma) are harmless; any other extra cell would shift the columns
      while (cells > width && row[cells - 1]!.trim() === '') cells--;
      if (cells !== width) {
        const hint = cells > width ? ' (a decimal comma? the contract uses "." as the decimal point)' : '';
        return this.fail(
          new CodedError(
            'E_INPUT_PARSE',
            `row ${this.rowCount + 2} has ${cells} cells, the header has ${width}${hint}`,
          ),
        );
      }
    }
    if (this.rowCount === this.capacity) this.grow();
    const r = this.rowCount++;
    for (const column of this.columns) {
      const cell = row[column.index]!;
      const values = column.values;
      if (values === null) {
        column.texts!.push(cell.trim());
        continue;
      }
      const value = slowNumber(cell);
      if (Number.isNaN(value)) addOddCell(column, r, cell);
      else values[r] = value;
    }
  }

  /**
   * Reads a data row of ASCII bytes from `start` (after the header; the caller checked that the row does
   * not start with white space or a comma, so it is not blank) in one pass: the cells of numeric columns
   * that are plain decimal numbers (an optional sign, digits and a point: no exponent, no white space) are
   * converted as they are scanned; the other cells of read columns are read once the row proved to have
   * as many cells as the header. A row with another number of cells is left to the caller
   * (`rowDone` false), with nothing of it kept.
   * @param plain - whether the file is taken to have neither quotes nor carriage returns: a byte of
   *   either then stops the reading (see {@link readAscii})
   * @returns the index of the row's line end, −1 at a byte that is not ASCII, or −2 at a quote or a
   *   carriage return when `plain`
   */
  readAsciiRow(bytes: Uint8Array, start: number, lineByte: number, pairedLf: boolean, plain = false): number {
    const width = this.header!.length;
    const length = bytes.length;
    const { starts, later, byIndex } = this;
    if (this.rowCount === this.capacity) this.grow();
    const r = this.rowCount;
    let laterCount = 0;
    let cell = 0;
    let p = start;
    for (;;) {
      if (cell < width) starts[cell] = p;
      const column = cell < width ? byIndex[cell]! : null;
      const values = column === null ? null : column.values;
      let q = p;
      let read = false;
      if (values !== null) {
        const negative = q < length && bytes[q] === 45; // '-'
        if (negative || (q < length && bytes[q] === 43)) q++; // '+'
        let mantissa = 0;
        let digits = 0;
        for (; q < length; q++) {
          const digit = bytes[q]! - 48;
          if (digit < 0 || digit > 9) break;
          mantissa = mantissa * 10 + digit;
          digits++;
        }
        let scale = 0;
        if (q < length && bytes[q] === 46) {
          for (q++; q < length; q++) {
            const digit = bytes[q]! - 48;
            if (digit < 0 || digit > 9) break;
            mantissa = mantissa * 10 + digit;
            scale++;
          }
        }
        const byte = q < length ? bytes[q]! : 44;
        const cellEnds =
          byte === 44 || (byte === lineByte && (!pairedLf || (q + 1 < length && bytes[q + 1] === 10)));
        if (cellEnds && digits + scale > 0 && scale <= 22 && mantissa < EXACT_INTEGERS) {
          // as numberAt computes it: m / 10^scale, one correctly rounded division
          const value = mantissa === 0 ? 0 : scale === 0 ? mantissa : mantissa / POW10[scale]!;
          values[r] = negative ? -value : value;
          if (byte === 44 && q < length) {
            // the usual cell: a number and a comma (what the code below would do, without its checks)
            cell++;
            p = q + 1;
            continue;
          }
          read = true;
        }
      }
      if (!read && column !== null) later[laterCount++] = cell;
      // to the cell's end
      for (; q < length; q++) {
        const byte = bytes[q]!;
        if (byte === 44 || (byte === lineByte && (!pairedLf || (q + 1 < length && bytes[q + 1] === 10))))
          break;
        if (byte > 127) return -1;
        if (plain && (byte === 34 || byte === 13)) return NOT_PLAIN;
      }
      if (q < length && bytes[q] === 44) {
        cell++;
        p = q + 1;
        continue;
      }
      // the line's end
      this.rowDone = cell + 1 === width;
      if (!this.rowDone) return q;
      starts[width] = q + 1;
      for (let k = 0; k < laterCount; k++) {
        const index = later[k]!;
        const { values: columnValues, texts } = byIndex[index]!;
        const from = starts[index]!;
        const to = starts[index + 1]! - 1;
        if (columnValues === null) {
          texts!.push(asciiText(bytes, from, to).trim());
          continue;
        }
        const value = numberAt(bytes, from, to);
        if (Number.isNaN(value)) addOddCell(byIndex[index]!, r, asciiText(bytes, from, to));
        else columnValues[r] = value;
      }
      this.rowCount++;
      return q;
    }
  }

  /**
   * The table of the rows added.
   * @param rereadRows - reads the file's rows again (for the text of a numeric column)
   */
  finish(rereadRows: (onRows: (rows: string[][]) => void) => void): CsvTable {
    if (this.problem) throw this.problem;
    const header = this.header;
    if (!header) throw new CodedError('E_INPUT_EMPTY', 'the file is empty');
    const rowCount = this.rowCount;
    if (rowCount === 0) throw new CodedError('E_INPUT_EMPTY', 'the file has a header but no data rows');
    const byName = new Map(this.columns.map((column) => [column.name, column]));
    const index = this.index;

    /** The trimmed cells of a column, read again from the text (for columns kept as numbers). */
    const readCells = (column: Column): string[] => {
      const cells: string[] = [];
      let seenHeader = false;
      rereadRows((rows) => {
        for (const row of rows) {
          if (isBlank(row)) continue;
          if (seenHeader) cells.push(row[column.index]!.trim());
          seenHeader = true;
        }
      });
      return cells;
    };

    const text = (name: string): string[] | null => {
      const column = byName.get(name);
      if (!column) return null;
      return column.texts ? column.texts.slice() : readCells(column);
    };

    const optionalNumbers = (name: string, options: { allowEmpty?: boolean } = {}): Float64Array | null => {
      const column = byName.get(name);
      if (!column) return null;
      const allowEmpty = options.allowEmpty ?? false;
      if (column.texts) return numbersOfCells(column.texts, name, allowEmpty);
      if (column.handedOut) return numbersOfCells(readCells(column), name, allowEmpty);
      let row = column.firstBad;
      let cell = column.badCell;
      if (!allowEmpty && column.firstEmpty >= 0 && (row < 0 || column.firstEmpty < row)) {
        row = column.firstEmpty;
        cell = '';
      }
      if (row >= 0) throw valueError(row, name, cell);
      const values = column.values!;
      column.values = null;
      column.handedOut = true;
      if (values.length === rowCount) return values;
      // a little room to spare (an estimated row count) stays; more is given back
      return values.length - rowCount <= rowCount / 8
        ? values.subarray(0, rowCount)
        : values.slice(0, rowCount);
    };

    return {
      header,
      rowCount,
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
}

/** What {@link readAscii} returns when a file taken to be plain holds a quote or a carriage return. */
const NOT_PLAIN = -2;

/**
 * Reads ASCII bytes without quotes as papaparse reads their text (which has no quotes either: it splits the
 * text at the line ends it guesses and each line at its commas), where the cells are: no array of strings
 * per row, no string per cell. Lines that are not plain data rows (the header, blank lines, a row with
 * another number of cells than the header) are split into strings and read as papaparse's rows.
 * @param bytes - the file (after the byte-order mark that a UTF-8 decoder drops)
 * @param text - the bytes as text (decoded when needed: for the line ends of text with `\r`, and to
 *   read a column's text again)
 * @param plain - whether the bytes are taken to hold neither quotes nor carriage returns (the usual
 *   file), without searching them first: the first quote or carriage return stops the reading
 *   ({@link NOT_PLAIN}), as does anything thrown, so that the caller reads the file the careful way
 * @returns the table, null at the first byte that is not ASCII (the file is then read as text), or
 *   {@link NOT_PLAIN}
 * @throws CodedError as {@link parseCsvTable}
 */
function readAscii(bytes: Uint8Array, text: () => string, plain = false): CsvTable | null | typeof NOT_PLAIN {
  const length = bytes.length;
  let newline: LineEnd = '\n';
  if (!plain && bytes.indexOf(13) >= 0) newline = lineEnd(text()) ?? guessLineEnd(text());
  const lineByte = newline === '\n' ? 10 : 13;
  const pairedLf = newline === '\r\n';
  const builder = new TableBuilder(
    () => estimateByteRows(bytes),
    (width) => Math.ceil(length / width),
    false,
  );
  const lineEndFrom = (start: number): number => {
    for (let i = start; i < length; i++) {
      const byte = bytes[i]!;
      if (byte === lineByte && (!pairedLf || (i + 1 < length && bytes[i + 1] === 10))) return i;
      if (byte > 127) return -1;
      if (plain && (byte === 34 || byte === 13)) return NOT_PLAIN;
    }
    return length;
  };
  for (let start = 0; start <= length;) {
    const fast = builder.header !== null && start < length && isPrintable(bytes[start]!);
    const end = fast ? builder.readAsciiRow(bytes, start, lineByte, pairedLf, plain) : lineEndFrom(start);
    if (end === NOT_PLAIN) return NOT_PLAIN;
    if (end < 0) return null;
    if (!fast || !builder.rowDone) {
      const row = asciiText(bytes, start, end).split(',');
      if (!isBlank(row)) builder.addRow(row);
    }
    start = end + newline.length;
  }
  return builder.finish((onRows) => readRows(text(), newline, onRows));
}

/**
 * Parses CSV text into a {@link CsvTable}, in one pass over the text: papaparse's reading (commas,
 * quotes, line ends guessed as papaparse guesses them), cells converted to numbers as they are read, so
 * that a large file needs little more memory than its numbers (not an array of strings per row). Text
 * that is ASCII without quotes — the usual contract file — is read where its cells are, without
 * papaparse (the same result: tested against papaparse's reading). A column whose first non-empty cell
 * is not a number is kept as text. The text of a column kept as numbers, and the numbers of a column
 * asked for a second time, are read again from the text (the first numbers are handed out, not copied).
 * @param source - the file's text (a UTF-8 byte-order mark is ignored)
 * @throws CodedError `E_INPUT_EMPTY` (nothing or a header only), `E_INPUT_PARSE` (unbalanced quotes,
 *   a row with fewer or more cells than the header — trailing empty cells aside —, a duplicated column
 *   name, a header separated by semicolons or tabs)
 */
export function parseCsvTable(source: string): CsvTable {
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // (a second byte-order mark, which papaparse drops, is not ASCII)
  if (!body.includes('"') && !/[\u0080-\uffff]/.test(body)) {
    const table = readAscii(new TextEncoder().encode(body), () => body);
    if (table !== null && table !== NOT_PLAIN) return table;
  }
  return readText(body);
}

/**
 * Parses a CSV file's bytes: the same as {@link parseCsvTable} of their UTF-8 text, with ASCII files
 * without quotes read from the bytes, without decoding them.
 * @throws CodedError `E_INPUT_PARSE` when the bytes are not UTF-8, and as {@link parseCsvTable}
 */
export function parseCsvBytes(bytes: Uint8Array): CsvTable {
  let text: string | null = null;
  const decode = (): string => {
    try {
      text ??= UTF8.decode(bytes);
      return text;
    } catch {
      throw new CodedError('E_INPUT_PARSE', 'the file is not UTF-8 text');
    }
  };
  // a UTF-8 decoder drops a byte-order mark
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // The usual file first, without searching it for quotes and carriage returns (each search costs a few
  // per cent of a pen analysis): any quote, carriage return, byte that is not ASCII or error sends the
  // file down the careful path below, which reads it (and reports its errors) exactly as before.
  try {
    const table = readAscii(body, decode, true);
    if (table !== null && table !== NOT_PLAIN) return table;
  } catch {
    // read again below
  }
  if (body.indexOf(34) < 0) {
    try {
      const table = readAscii(body, decode);
      if (table !== null && table !== NOT_PLAIN) return table;
    } catch (error) {
      decode(); // bytes that are not UTF-8 further on: that error comes first, as when decoding first
      throw error;
    }
  }
  return parseCsvTable(decode());
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses text with papaparse (see {@link parseCsvTable}); `body` is without its first byte-order mark. */
function readText(body: string): CsvTable {
  const quoted = body.includes('"');
  const builder = new TableBuilder(
    () =>
      estimateRows(
        body.length,
        (from) => body.indexOf('\n', from),
        (i) => body.charCodeAt(i),
      ),
    (width) => Math.ceil(body.length / width),
    quoted,
  );
  const newline = lineEnd(body);
  readRows(body, newline, (rows) => {
    if (builder.problem) return;
    for (const row of rows) {
      if (!isBlank(row)) builder.addRow(row);
      if (builder.problem) return;
    }
  });
  return builder.finish((onRows) => readRows(body, newline, onRows));
}
