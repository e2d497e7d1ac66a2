import type { KeyPress, TypingInput } from '../inputs.js';
import { seededRandom } from '../random.js';
import { codeFromKey, fingerOf, isHandComparable } from './keymap.js';

/** Ground truth of a simulated typist. Times in ms. */
export interface TypingTruth {
  /** Median of the (log-normal) hold time of ordinary keystrokes. */
  holdMedianMs: number;
  /** SD of ln hold time (log-normal shape); 0.25–0.45 is typical. */
  holdSpread: number;
  /** Median of the (log-normal) keydown-to-keydown interval. */
  ikiMedianMs: number;
  /** SD of ln IKI (default 0.45). */
  ikiSpread?: number;
  /** Ordinary keystrokes to type, Backspaces included (default 300, the T1 text length). */
  keystrokes?: number;
  /** Factor on the hold times of the left hand's pinky–index keys (default 1): the true left/right ratio. */
  leftHoldFactor?: number;
  /** Probability per keystroke of a Backspace (default 0.03). */
  backspaceRate?: number;
  /**
   * Probability per keystroke of an extra long press (1.1–1.6 s) that auto-repeats every 33 ms from
   * 500 ms on (default 0.01). Those presses are dropped by the row rules and not in `keystrokes`.
   */
  autoRepeatRate?: number;
  /** Capital letter after a full stop, typed with Shift held around the letter (default true). */
  capitals?: boolean;
  /** Event times are delivered on a polling grid of this period (default 1 ms; 8 ms = 125-Hz USB). */
  pollMs?: number;
}

/** A simulated typing input and its ground truth (parameters with defaults filled in, and counts). */
export interface SimulatedTyping {
  input: TypingInput;
  truth: Required<TypingTruth> & {
    /** Ordinary keystrokes generated (Backspaces included, Shift and auto-repeat presses excluded). */
    ordinaryKeystrokes: number;
    /**
     * Keystrokes the row rules must keep: ordinary and Shift presses whose hold (on the polling grid)
     * is in (0, 1000) ms; the long presses and their repeats are dropped.
     */
    keptKeystrokes: number;
    backspaces: number;
    /** Long presses with auto-repeat, and the repeat presses they produced. */
    longPresses: number;
    repeatPresses: number;
    shiftPresses: number;
  };
}

/** Text typed by the simulated typist (cycled), lower case; capitals come from `capitals`. */
const TEXT =
  'the quick brown fox jumps over the lazy dog. pack my box with five dozen liquor jugs. ' +
  'a wizard quickly jinxed the gnomes before they vaporized. my hands feel fine today, thanks. ';

/**
 * A seeded simulated typist (measures.md 5.4 events): ordinary keystrokes of an English text with
 * log-normal hold times (median `holdMedianMs`, ln-SD `holdSpread`, left-hand keys × `leftHoldFactor`)
 * and log-normal inter-key intervals, so that fast typing rolls over (the next key goes down before
 * the previous is released); a key is never pressed again before its own release; occasional
 * Backspaces; Shift held around capitals; occasional long presses with auto-repeat presses (which
 * the row rules must drop); times on a polling grid after a random start offset. Presses are listed
 * in keyup order, as a logger writing on release would, so the analyser has to sort them.
 * @param seed - same seed, same presses
 */
export function simulateTyping(seed: number, truth: TypingTruth): SimulatedTyping {
  const rng = seededRandom(seed);
  const t: Required<TypingTruth> = {
    ikiSpread: 0.45,
    keystrokes: 300,
    leftHoldFactor: 1,
    backspaceRate: 0.03,
    autoRepeatRate: 0.01,
    capitals: true,
    pollMs: 1,
    ...truth,
  };
  const lognormal = (medianMs: number, spread: number) => medianMs * Math.exp(rng.normal(0, spread));
  const presses: KeyPress[] = [];
  const lastUp = new Map<string, number>();
  const poll = (ms: number) => Math.ceil(ms / t.pollMs) * t.pollMs;
  let time = rng.uniform(1000, 60_000);
  let backspaces = 0;
  let longPresses = 0;
  let repeatPresses = 0;
  let shiftPresses = 0;
  let keptKeystrokes = 0;
  let textIndex = rng.int(0, TEXT.length - 1);
  let capitalNext = false;

  /** The next keydown time of `code`: after the interval, and not before the key's own release. */
  const nextDown = (code: string) => {
    time += lognormal(t.ikiMedianMs, t.ikiSpread);
    const up = lastUp.get(code);
    if (up !== undefined && time < up + 10) time = up + 10 + rng.uniform(0, 20);
    return time;
  };
  const holdOf = (code: string) => {
    const factor = isHandComparable(code) && fingerOf(code)!.hand === 'left' ? t.leftHoldFactor : 1;
    return lognormal(t.holdMedianMs, t.holdSpread) * factor;
  };
  const press = (code: string, key: string, downMs: number, upMs: number, ordinary = true) => {
    const p = { downMs: poll(downMs), upMs: poll(upMs), code, key };
    presses.push(p);
    lastUp.set(code, upMs);
    if (ordinary && p.upMs - p.downMs > 0 && p.upMs - p.downMs < 1000) keptKeystrokes++;
  };

  for (let n = 0; n < t.keystrokes; n++) {
    if (rng.next() < t.autoRepeatRate) {
      // A long press: the key is held 1.1–1.6 s and repeats from 500 ms on, every 33 ms.
      const code = 'KeyE';
      const down = nextDown(code);
      const up = down + rng.uniform(1100, 1600);
      press(code, 'e', down, up, false);
      for (let r = down + 500; r < up; r += 33) {
        presses.push({ downMs: poll(r), upMs: poll(up), code, key: 'e' });
        repeatPresses++;
      }
      longPresses++;
      time = up;
    }
    let code: string;
    let key: string;
    let capital = false;
    if (rng.next() < t.backspaceRate) {
      code = 'Backspace';
      key = 'Backspace';
      backspaces++;
    } else {
      const char = TEXT[textIndex % TEXT.length]!;
      textIndex++;
      capital = capitalNext && char !== ' ';
      key = capital ? char.toUpperCase() : char;
      code = codeFromKey(char)!;
      if (char === '.') capitalNext = t.capitals;
      else if (char !== ' ') capitalNext = false;
    }
    const down = nextDown(code);
    const hold = holdOf(code);
    if (capital) {
      // Shift goes down before the letter and comes up after it.
      const shiftDown = down - rng.uniform(60, 120);
      const after = (lastUp.get('ShiftLeft') ?? -Infinity) + 10;
      press('ShiftLeft', 'Shift', Math.max(shiftDown, after), down + hold + rng.uniform(20, 60));
      shiftPresses++;
    }
    press(code, key, down, down + hold);
  }

  presses.sort((a, b) => a.upMs - b.upMs || a.downMs - b.downMs);
  return {
    input: { task: 'typing', presses, flags: [] },
    truth: {
      ...t,
      ordinaryKeystrokes: t.keystrokes,
      keptKeystrokes,
      backspaces,
      longPresses,
      repeatPresses,
      shiftPresses,
    },
  };
}
