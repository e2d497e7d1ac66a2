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

/** The number of a cell (see {@link numberAt}) when it is outside the fast path: trim, grammar, Number. */
function slowNumber(cell: string): number {
  const trimmed = cell.trim();
  const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * NaN for a cell `text[start, end)` whose ASCII scan stopped at `i` outside the grammar — unless a
 * non-ASCII character follows, which may be white space that `trim()` removes: then the cell is read by
 * {@link slowNumber}.
 */
function outsideGrammar(text: string, start: number, end: number, i: number): number {
  for (let k = i; k < end; k++) if (text.charCodeAt(k) >= 128) return slowNumber(text.slice(start, end));
  return Number.NaN;
}

/** Whether a character code is ASCII white space (tab, line feed, vertical tab, form feed, CR, space). */
function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** 2^53: integers below it are exact doubles. */
const EXACT_INTEGERS = 2 ** 53;

/**
 * The finite number the cell `text[start, end)` holds: the cell trimmed as `String.prototype.trim` does
 * must match {@link NUMBER} and convert (as `Number` does) to a finite double. When the digits without
 * the point form an integer m < 2^53 and the decimal exponent k is within ±22, the number is m / 10^-k or
 * m · 10^k, computed here without allocating: both operands are exact doubles, so the one rounding of the
 * division or product gives the correctly rounded result, the same as `Number`'s. Other cells go through
 * {@link slowNumber}.
 * @returns the number, or NaN for an empty cell, text outside the grammar and numbers beyond a double
 */
function numberAt(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isAsciiSpace(text.charCodeAt(i))) i++;
  while (end > i && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  const negative = i < end && text.charCodeAt(i) === 45; // '-'
  if (negative || (i < end && text.charCodeAt(i) === 43)) i++; // '+'
  let mantissa = 0;
  const integerStart = i;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    mantissa = mantissa * 10 + digit;
  }
  let digits = i - integerStart;
  let scale = 0; // digits after the point
  if (i < end && text.charCodeAt(i) === 46) {
    const fractionStart = ++i;
    for (; i < end; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
    }
    scale = i - fractionStart;
    digits += scale;
  }
  if (digits === 0) return outsideGrammar(text, start, end, i);
  let exponent = 0;
  if (i < end && (text.charCodeAt(i) | 32) === 101) {
    // 'e' or 'E', an optional sign and at least one digit
    const exponentNegative = ++i < end && text.charCodeAt(i) === 45;
    if (exponentNegative || (i < end && text.charCodeAt(i) === 43)) i++;
    const exponentStart = i;
    for (; i < end; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      if (exponent < 1e6) exponent = exponent * 10 + digit; // larger ones overflow or underflow anyway
    }
    if (i === exponentStart) return outsideGrammar(text, start, end, i);
    if (exponentNegative) exponent = -exponent;
  }
  if (i < end) return outsideGrammar(text, start, end, i);
  if (mantissa === 0) return negative ? -0 : 0;
  const power = exponent - scale;
  if (mantissa >= EXACT_INTEGERS || power < -22 || power > 22) return slowNumber(text.slice(start, end));
  const value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
  return negative ? -value : value;
}

/** The number of one cell (see {@link numberAt}). */
function cellNumber(cell: string): number {
  return numberAt(cell, 0, cell.length);
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
    const value = cellNumber(cell);
    if (Number.isNaN(value)) throw valueError(r, name, cell);
    out[r] = value;
  }
  return out;
}

/** Whether a character is printable ASCII other than a comma: a row starting with it is not blank. */
function isPrintable(code: number): boolean {
  return code > 32 && code < 127 && code !== 44;
}

/**
 * The rows of CSV text without quotes, as papaparse reads them (it drops a byte-order mark, splits the
 * text at the line ends it guesses — see {@link lineEnd} — and each line at its commas), without making
 * an array of strings per row: each line is offered to `fast` as a range of the text (after the mark); a line `fast`
 * declines (returns false) is split into cells and given to `addRow` unless it is blank.
 */
function readUnquoted(
  source: string,
  guessed: LineEnd | undefined,
  addRow: (row: string[]) => void,
  fast: (text: string, start: number, end: number) => boolean,
): void {
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const newline = guessed ?? guessLineEnd(body);
  const step = newline.length;
  for (let start = 0; start <= body.length; ) {
    const found = body.indexOf(newline, start);
    const end = found < 0 ? body.length : found;
    if (!fast(body, start, end)) {
      const row = body.slice(start, end).split(',');
      if (!isBlank(row)) addRow(row);
    }
    start = end + step;
  }
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
 */
function estimateRows(body: string): number {
  let lines = 0;
  let start = 0;
  for (;;) {
    const end = body.indexOf('\n', start);
    const stop = end < 0 ? body.length : end;
    if (stop > start && !(stop === start + 1 && body.charCodeAt(start) === 13)) lines++;
    if (end < 0) break;
    start = end + 1;
  }
  return Math.max(lines - 1, 0);
}

/**
 * Parses CSV text (papaparse) into a {@link CsvTable}, in one pass over the text, a chunk at a time: the
 * cells of a column are converted to numbers as they are read, so that a large file needs little more
 * memory than its numbers (not an array of strings per row). A column whose first non-empty cell is not
 * a number is kept as text. The text of a column kept as numbers, and the numbers of a column asked for
 * a second time, are read again from the text (the first numbers are handed out, not copied).
 * @param source - the file's text (a UTF-8 byte-order mark is ignored)
 * @throws CodedError `E_INPUT_EMPTY` (nothing or a header only), `E_INPUT_PARSE` (unbalanced quotes,
 *   a row with fewer or more cells than the header — trailing empty cells aside —, a duplicated column
 *   name, a header separated by semicolons or tabs)
 */
export function parseCsvTable(source: string): CsvTable {
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // without quotes papaparse reports no error, so the first problem found can be thrown at once; with
  // them, an error about quotes anywhere in the file comes first
  const quoted = body.includes('"');
  let problem = null as CodedError | null;
  const fail = (error: CodedError) => {
    if (!quoted) throw error;
    problem ??= error;
  };

  let header = null as string[] | null;
  const index = new Map<string, number>();
  let columns: Column[] = [];
  let capacity = 0;
  let rowCount = 0;
  /** Where each cell of the row being read starts (the fast path of files without quotes). */
  let cellStarts = new Int32Array(0);

  const readHeader = (row: string[]) => {
    const names = row.map((cell) => cell.trim());
    header = names;
    if (names.length === 1 && /[;\t]/.test(names[0]!)) {
      return fail(
        new CodedError(
          'E_INPUT_PARSE',
          `the header "${names[0]!.slice(0, 80)}" has no commas: the CSV files of the analysis contract use commas as separators and "." as the decimal point`,
        ),
      );
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name === '') continue;
      if (index.has(name)) {
        return fail(new CodedError('E_INPUT_PARSE', `column "${name}" appears twice in the header`));
      }
      index.set(name, i);
    }
    // a row of n cells takes at least n characters: at most about 8 bytes of numbers per character
    capacity = Math.max(Math.min(estimateRows(body), Math.ceil(body.length / names.length)), 16);
    columns = [...index].map(([name, i]) => new Column(name, i, capacity));
    cellStarts = new Int32Array(names.length + 1);
  };

  const grow = () => {
    capacity *= 2;
    for (const column of columns) {
      if (!column.values) continue;
      const values = new Float64Array(capacity);
      values.set(column.values);
      column.values = values;
    }
  };

  /** Adds a row that is not blank (the header first). */
  const addRow = (row: string[]) => {
    if (!header) return readHeader(row);
    const width = header.length;
    let cells = row.length;
    if (cells !== width) {
      // trailing empty cells (a trailing comma) are harmless; any other extra cell would shift the columns
      while (cells > width && row[cells - 1]!.trim() === '') cells--;
      if (cells !== width) {
        const hint = cells > width ? ' (a decimal comma? the contract uses "." as the decimal point)' : '';
        return fail(
          new CodedError('E_INPUT_PARSE', `row ${rowCount + 2} has ${cells} cells, the header has ${width}${hint}`),
        );
      }
    }
    if (rowCount === capacity) grow();
    for (const column of columns) {
      const cell = row[column.index]!;
      const values = column.values;
      if (values === null) {
        column.texts!.push(cell.trim());
        continue;
      }
      const value = cellNumber(cell);
      if (Number.isNaN(value)) addOddCell(column, rowCount, cell);
      else values[rowCount] = value;
    }
    rowCount++;
  };

  const newline = lineEnd(body);
  if (quoted) {
    readRows(body, newline, (rows) => {
      if (problem) return;
      for (const row of rows) {
        if (!isBlank(row)) addRow(row);
        if (problem) return;
      }
    });
  } else {
    readUnquoted(body, newline, addRow, (text, start, end) => {
      // the row's cells end at the commas in text[start, end): the same cells as papaparse's
      // `line.split(',')`, read where they are, without an array of strings
      if (!header || !isPrintable(text.charCodeAt(start))) return false;
      const width = header.length;
      let cells = 1;
      cellStarts[0] = start;
      for (let i = start; i < end; i++) {
        if (text.charCodeAt(i) !== 44) continue;
        if (cells === width) return false; // more cells than the header: the general path says what is wrong
        cellStarts[cells++] = i + 1;
      }
      if (cells !== width) return false;
      cellStarts[width] = end + 1;
      if (rowCount === capacity) grow();
      for (const column of columns) {
        const from = cellStarts[column.index]!;
        const to = cellStarts[column.index + 1]! - 1;
        const values = column.values;
        if (values === null) {
          column.texts!.push(text.slice(from, to).trim());
          continue;
        }
        const value = numberAt(text, from, to);
        if (Number.isNaN(value)) addOddCell(column, rowCount, text.slice(from, to));
        else values[rowCount] = value;
      }
      rowCount++;
      return true;
    });
  }
  if (problem) throw problem;
  if (!header) throw new CodedError('E_INPUT_EMPTY', 'the file is empty');
  if (rowCount === 0) throw new CodedError('E_INPUT_EMPTY', 'the file has a header but no data rows');
  const names: string[] = header;
  const byName = new Map(columns.map((column) => [column.name, column]));

  /** The trimmed cells of a column, read again from the text (for columns kept as numbers). */
  const readCells = (column: Column): string[] => {
    const cells: string[] = [];
    let seenHeader = false;
    readRows(body, newline, (rows) => {
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
    return values.length === rowCount ? values : values.slice(0, rowCount);
  };

  return {
    header: names,
    rowCount,
    has: (name) => index.has(name),
    text,
    optionalNumbers,
    numbers(name, options) {
      const column = optionalNumbers(name, options);
      if (!column) {
        throw new CodedError(
          'E_INPUT_COLUMNS',
          `the header has no "${name}" column (it has: ${names.join(', ')})`,
        );
      }
      return column;
    },
  };
}
