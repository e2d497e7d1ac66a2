import type { QualityFlag } from '../flags.js';
import type { KeyPress } from '../inputs.js';
import { resolveCode } from './keymap.js';

/** Shortest hold time kept, ms (exclusive): analysis contract and measures.md Correction 12. */
export const HOLD_MIN_MS = 0;
/** Longest hold time kept, ms (exclusive). */
export const HOLD_MAX_MS = 1000;

/** A keystroke kept for analysis: times in ms, the physical key (resolved, see keymap.ts). */
export interface Keystroke {
  downMs: number;
  upMs: number;
  holdMs: number;
  /** `code`, or the US-QWERTY code of `key` when only the key value was known; null when neither maps. */
  code: string | null;
  key: string | null;
}

/** The keystrokes of an input after the contract's row rules, and what was dropped. */
export interface KeystrokeSelection {
  /** Kept keystrokes in press order. */
  keystrokes: Keystroke[];
  /** Presses dropped as auto-repeat. */
  autoRepeatDropped: number;
  /** Presses dropped because the hold time was not in (0, 1000) ms (or not a finite number). */
  holdOutOfRange: number;
  flags: QualityFlag[];
}

const compare = (a: string | null, b: string | null): number => {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Applies the analysis contract's typing row rules to key presses given in any order:
 * 1. sort by `downMs` (ties by `upMs`, then code and key, so that the result does not depend on the
 *    input order);
 * 2. drop auto-repeat: a press of a key that comes before the `upMs` of that key's previous
 *    (not dropped) press (a press starting exactly at the previous release is kept);
 * 3. keep presses with 0 < hold < 1000 ms (hold = upMs − downMs).
 * The key's identity is its `code`, or when there is none the US-QWERTY code of its `key`
 * (so `a` and `A` are one key), or the raw `key`; a press with neither is never auto-repeat.
 * @returns the kept keystrokes in press order, counts of what was dropped, and the flags
 *   AUTO_REPEAT_DROPPED and HOLD_OUT_OF_RANGE when something was
 */
export function selectKeystrokes(presses: readonly KeyPress[]): KeystrokeSelection {
  let holdOutOfRange = 0;
  const items: { press: KeyPress; code: string | null }[] = [];
  for (const press of presses) {
    if (Number.isFinite(press.downMs) && Number.isFinite(press.upMs)) {
      items.push({ press, code: resolveCode(press) });
    } else holdOutOfRange++;
  }
  items.sort(
    (a, b) =>
      a.press.downMs - b.press.downMs ||
      a.press.upMs - b.press.upMs ||
      compare(a.code, b.code) ||
      compare(a.press.key, b.press.key) ||
      compare(a.press.code, b.press.code),
  );
  // "The same key pressed again": the same physical key, else (no code) the same key value. The
  // last keyup of each key, by code and by key value (separate maps: a code and a key value may be
  // the same text without being the same key).
  const lastUpByCode = new Map<string, number>();
  const lastUpByKey = new Map<string, number>();
  const keystrokes: Keystroke[] = [];
  let autoRepeatDropped = 0;
  for (const { press, code } of items) {
    const lastUp = code ? lastUpByCode : press.key ? lastUpByKey : null;
    if (lastUp !== null) {
      const id = code || press.key!;
      const previousUp = lastUp.get(id);
      if (previousUp !== undefined && press.downMs < previousUp) {
        autoRepeatDropped++;
        continue;
      }
      lastUp.set(id, press.upMs);
    }
    const holdMs = press.upMs - press.downMs;
    if (!(holdMs > HOLD_MIN_MS && holdMs < HOLD_MAX_MS)) {
      holdOutOfRange++;
      continue;
    }
    keystrokes.push({ downMs: press.downMs, upMs: press.upMs, holdMs, code, key: press.key });
  }
  const flags: QualityFlag[] = [];
  if (autoRepeatDropped > 0) flags.push('AUTO_REPEAT_DROPPED');
  if (holdOutOfRange > 0) flags.push('HOLD_OUT_OF_RANGE');
  return { keystrokes, autoRepeatDropped, holdOutOfRange, flags };
}

/** Timing of two successive kept keystrokes i and i + 1 (press order). */
export interface Digraph {
  first: Keystroke;
  second: Keystroke;
  /** Inter-key interval: keydown(i+1) − keydown(i), ms. */
  ikiMs: number;
  /** Flight time: keydown(i+1) − keyup(i), ms; negative with rollover. */
  flightMs: number;
}

/**
 * Successive pairs of kept keystrokes with their inter-key interval and flight time (measures.md
 * 5.4). Pairs are formed after the row rules, so a dropped press does not split a pair.
 */
export function digraphs(keystrokes: readonly Keystroke[]): Digraph[] {
  const out: Digraph[] = [];
  for (let i = 0; i + 1 < keystrokes.length; i++) {
    const first = keystrokes[i]!;
    const second = keystrokes[i + 1]!;
    out.push({ first, second, ikiMs: second.downMs - first.downMs, flightMs: second.downMs - first.upMs });
  }
  return out;
}
