import { CodedError } from '../../errors/catalogue.js';
import type { QualityFlag } from '../flags.js';
import type { CsvTable } from '../formats/table.js';
import type { TremorInput } from '../inputs.js';
import { dropRepeatedStamps } from './sampling.js';

/**
 * Turns a contract tremor CSV table into the analysis input: `t_ms`, `ax`, `ay`, `az` (m/s², gravity
 * removed) are required; `gx`, `gy`, `gz` (deg/s) are optional but go together (all three or none).
 * Row rules of the analysis contract: every cell a finite number (`E_INPUT_VALUE`, naming row and
 * column), `t_ms` non-decreasing (`E_NONMONOTONIC_TIME`), a row repeating the previous row's time
 * stamp dropped (the first is kept) and flagged DUPLICATE_TIMESTAMPS. Rows are not sorted: a decrease
 * is an error. Time stamps need not be evenly spaced (the analysis resamples on them).
 * @throws CodedError `E_INPUT_EMPTY` (no rows), `E_INPUT_COLUMNS` (a required column missing, or only
 *   some of gx/gy/gz), `E_INPUT_VALUE`, `E_NONMONOTONIC_TIME`
 */
export function tremorFromCsv(table: CsvTable): TremorInput {
  if (table.rowCount === 0) throw new CodedError('E_INPUT_EMPTY', 'the file has no data rows');
  const tMs = table.numbers('t_ms');
  const ax = table.numbers('ax');
  const ay = table.numbers('ay');
  const az = table.numbers('az');
  const gyroNames = ['gx', 'gy', 'gz'] as const;
  const present = gyroNames.filter((name) => table.has(name));
  if (present.length > 0 && present.length < 3) {
    throw new CodedError(
      'E_INPUT_COLUMNS',
      `gyroscope columns go together: the file has ${present.join(', ')} but not ` +
        gyroNames.filter((name) => !table.has(name)).join(', '),
    );
  }
  const gyro = present.length === 3 ? gyroNames.map((name) => table.numbers(name)) : [];
  const cleaned = dropRepeatedStamps(tMs, [ax, ay, az, ...gyro], { time: 't_ms', firstRow: 2 });
  const flags: QualityFlag[] = cleaned.duplicates > 0 ? ['DUPLICATE_TIMESTAMPS'] : [];
  const [cax, cay, caz, cgx, cgy, cgz] = cleaned.columns;
  return {
    task: 'tremor',
    tMs: cleaned.tMs,
    ax: cax!,
    ay: cay!,
    az: caz!,
    gx: cgx ?? null,
    gy: cgy ?? null,
    gz: cgz ?? null,
    flags,
  };
}
