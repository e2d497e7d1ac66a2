/**
 * CSV text as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field quoted
 * (with `""` for a quote inside) when it holds a comma, a quote, a line break or leading or trailing
 * white space. Numbers are written as JavaScript prints them (shortest form that reads back to the same
 * double; `1e-7` for very small ones), `null` as an empty field.
 */

export type CsvCell = string | number | boolean | null;

/** Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe for spreadsheets: one that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading apostrophe, which spreadsheets show as text. Numbers are never changed.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 needs it. */
export function csvField(cell: CsvCell, options: { guardFormulas?: boolean } = {}): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = options.guardFormulas ? guardFormula(cell) : cell;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF. */
export function csvRecord(cells: readonly CsvCell[], options: { guardFormulas?: boolean } = {}): string {
  return `${cells.map((cell) => csvField(cell, options)).join(',')}\r\n`;
}

/** A whole table: the header and the rows. */
export function csvTable(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: { guardFormulas?: boolean } = {},
): string {
  let out = csvRecord(header);
  for (const row of rows) out += csvRecord(row, options);
  return out;
}
