import Papa from 'papaparse';
import { CodedError } from '../../errors/catalogue.js';

/**
 * A CSV file of the analysis contract: a header row, commas as separators, `.` as the decimal point;
 * columns in any order, extra columns ignored. Cells are kept as text until a column is asked for.
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
 * Parses CSV text (papaparse) into a {@link CsvTable}.
 * @param source - the file's text (a UTF-8 byte-order mark is ignored)
 * @throws CodedError `E_INPUT_EMPTY` (nothing or a header only), `E_INPUT_PARSE` (unbalanced quotes,
 *   a row with fewer or more cells than the header — trailing empty cells aside —, a duplicated column
 *   name, a header separated by semicolons or tabs)
 */
export function parseCsvTable(source: string): CsvTable {
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
    // trailing empty cells (a trailing comma) are harmless; any other extra cell would shift the columns
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
