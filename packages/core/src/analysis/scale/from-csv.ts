import { CodedError } from '../../errors/catalogue.js';
import type { CsvTable } from '../formats/table.js';
import type { Note, ScaleInput } from '../inputs.js';

/**
 * Contract CSV → scale input: one row per played note with `pitch` (MIDI note number, integer
 * 0–127), `on_ms` and `off_ms` (onset and release, ms), `velocity` (note-on velocity, integer 1–127).
 * An empty `off_ms` cell is a note never released (`offMs: null`). An optional `channel` column (0–15)
 * is kept when present. Rows must be in onset order: repeated onsets are kept (chords are notes, not
 * duplicate samples), a decreasing `on_ms` is an error. The tempo is unknown (`tempoBpm: null`).
 * @param table - the parsed CSV file
 * @throws CodedError `E_INPUT_COLUMNS` (a required column is missing), `E_INPUT_VALUE` (a pitch,
 *   velocity or channel out of range or not an integer, `off_ms` before `on_ms`, a non-numeric cell),
 *   `E_NONMONOTONIC_TIME` (`on_ms` decreases)
 */
export function scaleFromCsv(table: CsvTable): ScaleInput {
  const pitch = table.numbers('pitch');
  const onMs = table.numbers('on_ms');
  const offMs = table.numbers('off_ms', { allowEmpty: true });
  const velocity = table.numbers('velocity');
  const channel = table.optionalNumbers('channel', { allowEmpty: true });

  const integerIn = (value: number, min: number, max: number, row: number, column: string): number => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new CodedError(
        'E_INPUT_VALUE',
        `row ${row + 2}, column "${column}": ${value} is not an integer from ${min} to ${max}`,
      );
    }
    return value;
  };

  const notes: Note[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const on = onMs[r]!;
    if (r > 0 && on < onMs[r - 1]!) {
      throw new CodedError(
        'E_NONMONOTONIC_TIME',
        `row ${r + 2}: on_ms ${on} is earlier than the row before (${onMs[r - 1]})`,
      );
    }
    const off = offMs[r]!;
    if (off < on) {
      throw new CodedError('E_INPUT_VALUE', `row ${r + 2}: off_ms ${off} is earlier than on_ms ${on}`);
    }
    const ch = channel?.[r];
    notes.push({
      pitch: integerIn(pitch[r]!, 0, 127, r, 'pitch'),
      onMs: on,
      offMs: Number.isNaN(off) ? null : off,
      velocity: integerIn(velocity[r]!, 1, 127, r, 'velocity'),
      channel: ch === undefined || Number.isNaN(ch) ? null : integerIn(ch, 0, 15, r, 'channel'),
    });
  }
  return { task: 'scale', notes, sustain: [], tempoBpm: null, flags: [] };
}
