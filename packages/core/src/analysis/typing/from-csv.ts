import { CodedError } from '../../errors/catalogue.js';
import type { CsvTable } from '../formats/table.js';
import type { KeyPress, TypingInput } from '../inputs.js';

/**
 * A typing CSV of the analysis contract → {@link TypingInput}: columns `down_ms`, `up_ms` (ms) and
 * `key` or `code` (or both; `code` is `KeyboardEvent.code`, `key` is `KeyboardEvent.key`). Rows may
 * come in any order: the analyser sorts them by `down_ms` and applies the auto-repeat and hold-time
 * rules. An empty `key`/`code` cell means unknown. Cells are trimmed, so a space bar logged as the
 * character " " reads as unknown: write it as `Space` (or give `code`). Without `code`, hand and
 * finger come from the US-QWERTY position of `key` (keymap.ts, codeFromKey).
 * @throws CodedError `E_INPUT_COLUMNS` (no `down_ms`, `up_ms`, or neither `key` nor `code`),
 *   `E_INPUT_VALUE` (a time that is not a finite number)
 */
export function typingFromCsv(table: CsvTable): TypingInput {
  const missing = ['down_ms', 'up_ms'].filter((name) => !table.has(name));
  if (!table.has('key') && !table.has('code')) missing.push('key or code');
  if (missing.length) {
    throw new CodedError(
      'E_INPUT_COLUMNS',
      `a typing file needs down_ms, up_ms and key or code; missing: ${missing.join(', ')} (the header has: ${table.header.join(', ')})`,
    );
  }
  const down = table.numbers('down_ms');
  const up = table.numbers('up_ms');
  const keys = table.text('key');
  const codes = table.text('code');
  const presses: KeyPress[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    presses.push({
      downMs: down[r]!,
      upMs: up[r]!,
      code: codes?.[r] || null,
      key: keys?.[r] || null,
    });
  }
  return { task: 'typing', presses, flags: [] };
}
