import type { AnalysisInput } from '../analysis/inputs.js';
import { CodedError } from '../errors/catalogue.js';
import { csvRecord, type CsvCell } from './csv.js';

/**
 * An analysis input written in the analysis contract's CSV format of its task (analysis-contract.md,
 * "Input formats"), so that a recording can be analysed, or read, by other tools: `dystrack analyze
 * <task> file.csv` reads it back to the same samples. The contract's CSV carries the samples only:
 * trial markers, the metronome's tempo and latency calibration, the sustain pedal and a passage's
 * pauses are not part of it (the recording's JSON keeps them). Cells are not guarded against
 * spreadsheet formulas: a typed key such as `=` is data and is written as it is.
 */

/** The contract CSV of an input, header first, CRLF line ends. */
export function toContractCsv(input: AnalysisInput): string {
  const rows: CsvCell[][] = [];
  let header: string[];
  switch (input.task) {
    case 'typing':
      header = ['down_ms', 'up_ms', 'code', 'key'];
      for (const p of input.presses) rows.push([p.downMs, p.upMs, p.code, p.key]);
      break;
    case 'tapping': {
      header = ['down_ms', 'up_ms', 'target', 'x_mm', 'y_mm', 'beat_ms'];
      if (input.beatsMs.length > input.taps.length) {
        throw new CodedError(
          'E_INPUT_VALUE',
          `the recording has ${input.beatsMs.length} metronome clicks but ${input.taps.length} taps; the contract CSV holds one click per tap row`,
        );
      }
      input.taps.forEach((tap, i) =>
        rows.push([tap.downMs, tap.upMs, tap.target, tap.xMm, tap.yMm, input.beatsMs[i] ?? null]),
      );
      break;
    }
    case 'scale':
      header = ['pitch', 'on_ms', 'off_ms', 'velocity', 'channel'];
      for (const n of input.notes) rows.push([n.pitch, n.onMs, n.offMs, n.velocity, n.channel]);
      break;
    case 'spiral':
    case 'handwriting':
    case 'precision': {
      const columns: [string, ArrayLike<number> | null][] = [
        ['t_ms', input.tMs],
        ['x_mm', input.xMm],
        ['y_mm', input.yMm],
        ['pressure', input.pressure],
        ['tilt_x_deg', input.tiltXDeg],
        ['tilt_y_deg', input.tiltYDeg],
        ['pen_down', input.penDown],
        ['target_x_mm', input.targetXMm],
        ['target_y_mm', input.targetYMm],
      ];
      return columnsCsv(columns);
    }
    case 'tremor':
      return columnsCsv([
        ['t_ms', input.tMs],
        ['ax', input.ax],
        ['ay', input.ay],
        ['az', input.az],
        ['gx', input.gx],
        ['gy', input.gy],
        ['gz', input.gz],
      ]);
  }
  let out = csvRecord(header);
  for (const row of rows) out += csvRecord(row);
  return out;
}

/** Equal-length numeric columns, those that are null left out; NaN is an empty cell. */
function columnsCsv(all: [string, ArrayLike<number> | null][]): string {
  const present = all.filter((c): c is [string, ArrayLike<number>] => c[1] !== null);
  const parts: string[] = [csvRecord(present.map(([name]) => name))];
  const n = present[0]?.[1].length ?? 0;
  const row: CsvCell[] = new Array<CsvCell>(present.length);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < present.length; c++) row[c] = present[c]![1][r]!;
    parts.push(csvRecord(row));
  }
  return parts.join('');
}
