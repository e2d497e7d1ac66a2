import { CodedError } from '../../errors/catalogue.js';
import type { QualityFlag } from '../flags.js';
import type { CsvTable } from '../formats/table.js';
import type { Tap, TappingInput } from '../inputs.js';
import { inferContinuationStart } from './analyzer.js';

/**
 * A tapping CSV of the analysis contract → {@link TappingInput}. Columns: `down_ms`, `up_ms` (ms);
 * optional `target` (any label; empty = none), `x_mm`, `y_mm` (tap position; empty = none) and
 * `beat_ms` (metronome click times, one per row, independent of the tap in that row; empty cells
 * allowed). Row rules: `down_ms` must be non-decreasing; a row repeating the previous row's
 * `down_ms` is dropped (flag DUPLICATE_TIMESTAMPS; its `beat_ms` is still read). Click times are
 * sorted and de-duplicated. The file has no continuation marker, so the continuation phase is taken
 * to start half a click interval after the last click when at least 2 taps come later.
 * @throws CodedError `E_INPUT_COLUMNS` (no `down_ms` or `up_ms`), `E_INPUT_VALUE` (a cell that is not
 *   a finite number, or `up_ms` before `down_ms`), `E_NONMONOTONIC_TIME` (`down_ms` decreases)
 */
export function tappingFromCsv(table: CsvTable): TappingInput {
  const missing = ['down_ms', 'up_ms'].filter((name) => !table.has(name));
  if (missing.length) {
    throw new CodedError(
      'E_INPUT_COLUMNS',
      `a tapping file needs down_ms and up_ms; missing: ${missing.join(', ')} (the header has: ${table.header.join(', ')})`,
    );
  }
  const down = table.numbers('down_ms');
  const up = table.numbers('up_ms');
  const target = table.text('target');
  const x = table.optionalNumbers('x_mm', { allowEmpty: true });
  const y = table.optionalNumbers('y_mm', { allowEmpty: true });
  const beat = table.optionalNumbers('beat_ms', { allowEmpty: true });
  const flags: QualityFlag[] = [];
  const taps: Tap[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const downMs = down[r]!;
    const upMs = up[r]!;
    const previous = taps.length ? taps[taps.length - 1]!.downMs : -Infinity;
    if (downMs < previous) {
      throw new CodedError(
        'E_NONMONOTONIC_TIME',
        `row ${r + 2}: down_ms ${downMs} is before the previous row's ${previous}`,
      );
    }
    if (upMs < downMs) {
      throw new CodedError('E_INPUT_VALUE', `row ${r + 2}: up_ms ${upMs} is before down_ms ${downMs}`);
    }
    if (downMs === previous) {
      flags.push('DUPLICATE_TIMESTAMPS');
      continue;
    }
    const xMm = x?.[r];
    const yMm = y?.[r];
    taps.push({
      downMs,
      upMs,
      target: target?.[r] || null,
      xMm: xMm !== undefined && Number.isFinite(xMm) ? xMm : null,
      yMm: yMm !== undefined && Number.isFinite(yMm) ? yMm : null,
    });
  }
  const beatsMs = beat ? [...new Set(Array.from(beat).filter(Number.isFinite))].sort((a, b) => a - b) : [];
  return {
    task: 'tapping',
    taps,
    beatsMs,
    continuationFromMs: inferContinuationStart(taps, beatsMs),
    flags: [...new Set(flags)],
  };
}
