// Aalto "136M Keystrokes" sample (Dhakal et al. 2018, Proc CHI; see SOURCE.md): key-down and key-up
// times of 10 healthy typists copying 15 sentences each in a web browser. The core's typing analysis
// (`analyze`, typing task) runs on each typist's whole file. Checks: the overall healthy hold-time
// median is within 80–110 ms; per typist, the core's hold median, IKI median and rollover reproduce
// SOURCE.md's table; slow typists roll over rarely, fast ones often. Files are read in place; nothing
// is written to disk.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, dsp, type KeyPress, type TypingInput } from '@dystrack/core';
import type { Check, Dataset, DatasetReport } from '../check.js';

const DATASET = 'aalto-136m-keystrokes-sample';

/**
 * SOURCE.md's per-file table (computed within sentences, sorted by press time): keystrokes, median
 * IKI (ms), median hold (ms), rollover ratio.
 */
const SOURCE_TABLE: Record<string, { keystrokes: number; iki: number; hold: number; rollover: number }> = {
  '5': { keystrokes: 630, iki: 132, hold: 100, rollover: 0.24 },
  '7': { keystrokes: 883, iki: 218, hold: 100, rollover: 0.07 },
  '23': { keystrokes: 839, iki: 355, hold: 97, rollover: 0.04 },
  '24': { keystrokes: 676, iki: 175, hold: 103, rollover: 0.27 },
  '25': { keystrokes: 766, iki: 151, hold: 140, rollover: 0.43 },
  '30': { keystrokes: 841, iki: 514, hold: 109, rollover: 0.0 },
  '31': { keystrokes: 755, iki: 143, hold: 76, rollover: 0.08 },
  '32': { keystrokes: 753, iki: 253, hold: 90, rollover: 0.07 },
  '33': { keystrokes: 752, iki: 128, hold: 79, rollover: 0.12 },
  '35': { keystrokes: 799, iki: 167, hold: 76, rollover: 0.09 },
};

/** JavaScript `keyCode` → `KeyboardEvent.code` on a US layout (the test page's keyboards are unknown). */
function codeOfKeyCode(keyCode: number): string | null {
  if (keyCode >= 65 && keyCode <= 90) return `Key${String.fromCharCode(keyCode)}`;
  if (keyCode >= 48 && keyCode <= 57) return `Digit${keyCode - 48}`;
  const named: Record<number, string> = {
    8: 'Backspace',
    9: 'Tab',
    13: 'Enter',
    16: 'ShiftLeft',
    17: 'ControlLeft',
    18: 'AltLeft',
    20: 'CapsLock',
    32: 'Space',
    37: 'ArrowLeft',
    38: 'ArrowUp',
    39: 'ArrowRight',
    40: 'ArrowDown',
    46: 'Delete',
    186: 'Semicolon',
    187: 'Equal',
    188: 'Comma',
    189: 'Minus',
    190: 'Period',
    191: 'Slash',
    192: 'Backquote',
    219: 'BracketLeft',
    220: 'Backslash',
    221: 'BracketRight',
    222: 'Quote',
  };
  return named[keyCode] ?? null;
}

/**
 * A typist's file (tab-separated, header row; PRESS_TIME and RELEASE_TIME in epoch ms) → typing
 * input: one press per row (a LETTER `"` is a plain character: the file has no quoting), `code` from
 * KEYCODE, `key` from LETTER, times relative to the first press.
 */
export function typistInput(text: string): TypingInput {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no ${name} column`);
    return i;
  };
  const [press, release, letter, keyCode] = ['PRESS_TIME', 'RELEASE_TIME', 'LETTER', 'KEYCODE'].map(col) as [
    number,
    number,
    number,
    number,
  ];
  const rows = lines.slice(1).map((line) => line.split('\t'));
  const t0 = Math.min(...rows.map((cells) => Number(cells[press])));
  const presses: KeyPress[] = rows.map((cells) => {
    const down = Number(cells[press]);
    const up = Number(cells[release]);
    if (!Number.isFinite(down) || !Number.isFinite(up))
      throw new Error(`unexpected row: ${cells.join(' | ')}`);
    return {
      downMs: down - t0,
      upMs: up - t0,
      code: codeOfKeyCode(Number(cells[keyCode])),
      key: cells[letter] || null,
    };
  });
  return { task: 'typing', presses, flags: [] };
}

export const aalto136mKeystrokesSample: Dataset = {
  folder: DATASET,
  title: 'Aalto 136M Keystrokes sample: transcription typing, 10 healthy typists (Dhakal 2018)',
  async run(folder: string): Promise<DatasetReport> {
    const dir = join(folder, 'keystroke-samples');
    const files = readdirSync(dir)
      .filter((f) => /^\d+_keystrokes\.txt$/.test(f))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const typists = files.map((file) => {
      const id = String(parseInt(file, 10));
      const input = typistInput(readFileSync(join(dir, file), 'utf8'));
      return { id, rows: input.presses.length, out: analyze(input) };
    });
    if (typists.length !== 10) throw new Error(`expected 10 typists, found ${typists.length}`);

    const holds = typists.map((t) => t.out.metrics.hold_time_median_ms!);
    const overall = dsp.median(holds);
    const reference = (id: string) => {
      const row = SOURCE_TABLE[id];
      if (!row) throw new Error(`typist ${id} is not in SOURCE.md's table`);
      return row;
    };
    const holdDiff = typists.map((t) => Math.abs(t.out.metrics.hold_time_median_ms! - reference(t.id).hold));
    const ikiDiff = typists.map((t) => Math.abs(t.out.metrics.iki_median_ms! / reference(t.id).iki - 1));
    const rollDiff = typists.map((t) =>
      Math.abs(t.out.metrics.rollover_pct! - 100 * reference(t.id).rollover),
    );
    const slow = typists.filter((t) => t.out.metrics.iki_median_ms! > 300);
    const fast = typists.filter((t) => t.out.metrics.iki_median_ms! <= 300);
    const slowMax = Math.max(...slow.map((t) => t.out.metrics.rollover_pct!));
    const fastMax = Math.max(...fast.map((t) => t.out.metrics.rollover_pct!));

    const checks: Check[] = [
      {
        dataset: DATASET,
        name: 'healthy hold_time_median_ms, median of the 10 typists',
        value: `${overall.toFixed(1)} ms`,
        threshold: '80–110 ms',
        published: 'median HT ≈ 93 ms (measures.md 5.2); 75–140 ms plausible (SOURCE.md)',
        pass: overall >= 80 && overall <= 110,
      },
      {
        dataset: DATASET,
        name: 'hold_time_median_ms per typist vs SOURCE.md table',
        value: `max |Δ| ${Math.max(...holdDiff).toFixed(1)} ms`,
        threshold: '≤ 1 ms (table rounded)',
        published: 'SOURCE.md per-file table',
        pass: Math.max(...holdDiff) <= 1,
      },
      {
        dataset: DATASET,
        name: 'iki_median_ms per typist (whole file) vs SOURCE.md table (within sentences)',
        value: `max ${(100 * Math.max(...ikiDiff)).toFixed(1)} %`,
        threshold: '≤ 5 %',
        published: 'SOURCE.md per-file table',
        pass: Math.max(...ikiDiff) <= 0.05,
      },
      {
        dataset: DATASET,
        name: 'rollover_pct per typist (whole file) vs SOURCE.md table (within sentences)',
        value: `max |Δ| ${Math.max(...rollDiff).toFixed(1)} points`,
        threshold: '≤ 2 points',
        published: 'SOURCE.md per-file table',
        pass: Math.max(...rollDiff) <= 2,
      },
      {
        dataset: DATASET,
        name: `rollover: slow typists (IKI > 300 ms, n = ${slow.length}) vs the others (n = ${fast.length})`,
        value: `slow max ${slowMax.toFixed(1)} %, others max ${fastMax.toFixed(1)} %`,
        threshold: 'slow ≤ 5 %, others max ≥ 20 %',
        published: 'fastest typists 40–70 % (paper); here 0–4 % vs up to 43 % (SOURCE.md)',
        pass: slow.length > 0 && slowMax <= 5 && fastMax >= 20,
      },
    ];
    const details = [
      'Core typing metrics per typist over the whole file (SOURCE.md table in brackets; its IKI and rollover are within sentences, the whole file adds 14 pauses between sentences):',
      ...typists.map((t) => {
        const m = t.out.metrics;
        const ref = reference(t.id);
        return `  typist ${t.id.padStart(2)}: ${t.rows} rows (${ref.keystrokes}), keystroke_count ${m.keystroke_count}, hold_time_median_ms ${m.hold_time_median_ms} (${ref.hold}), hold_time_iqr_ms ${m.hold_time_iqr_ms!.toFixed(1)}, iki_median_ms ${m.iki_median_ms} (${ref.iki}), rollover_pct ${m.rollover_pct!.toFixed(1)} (${(100 * ref.rollover).toFixed(0)}), hold_time_log_diff_sd ${m.hold_time_log_diff_sd!.toFixed(3)}, backspace_rate_pct ${m.backspace_rate_pct!.toFixed(1)}; flags ${t.out.quality_flags.join(' ') || '—'}`;
      }),
      `Hold-time median, per typist: ${holds.join(', ')} ms.`,
    ];
    return { checks, details };
  },
};
