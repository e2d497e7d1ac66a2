import { fingerOf } from '@dystrack/core';
import { MARKERS, StreamSet } from '../columns';
import type { JsonValue, SimulateOptions, TaskCapture } from '../contract';
import { createRng, type Rng } from '../rng';
import { drillBlocks, readTypingParams, typingDefinition } from './definition';
import { TYPING_FLAGS } from './run';
import { COPY_TEXTS, type CopyTextId } from './texts';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** How a layout types one character: its key, Shift or not, and a dead key before it (accents). */
interface Stroke {
  code: string;
  shift: boolean;
  /** A dead key pressed first (`key` 'Dead'), e.g. the accent of `á` on a Spanish keyboard. */
  dead: { code: string; shift: boolean } | null;
}

type Override = { code: string; shift?: boolean } | { dead: string; deadShift?: boolean; base: string };

/**
 * Where the keyboard of each text's language puts the characters the texts use that US-QWERTY
 * places elsewhere (German QWERTZ, French AZERTY, Spanish): the simulated typist uses the layout of
 * the text's language, so `code` differs from the character, as in real recordings.
 */
const LAYOUTS: Readonly<Record<CopyTextId, Readonly<Record<string, Override>>>> = {
  en: {},
  de: {
    z: { code: 'KeyY' },
    y: { code: 'KeyZ' },
    ä: { code: 'Quote' },
    ö: { code: 'Semicolon' },
    ü: { code: 'BracketLeft' },
    ß: { code: 'Minus' },
  },
  fr: {
    a: { code: 'KeyQ' },
    q: { code: 'KeyA' },
    z: { code: 'KeyW' },
    w: { code: 'KeyZ' },
    m: { code: 'Semicolon' },
    ',': { code: 'KeyM' },
    '.': { code: 'Comma', shift: true },
    é: { code: 'Digit2' },
    è: { code: 'Digit7' },
    à: { code: 'Digit0' },
    ç: { code: 'Digit9' },
    ù: { code: 'Quote' },
    ê: { dead: 'BracketLeft', base: 'e' },
    â: { dead: 'BracketLeft', base: 'a' },
    î: { dead: 'BracketLeft', base: 'i' },
    ô: { dead: 'BracketLeft', base: 'o' },
    û: { dead: 'BracketLeft', base: 'u' },
  },
  es: {
    ñ: { code: 'Semicolon' },
    á: { dead: 'Quote', base: 'a' },
    é: { dead: 'Quote', base: 'e' },
    í: { dead: 'Quote', base: 'i' },
    ó: { dead: 'Quote', base: 'o' },
    ú: { dead: 'Quote', base: 'u' },
  },
};

/**
 * The keys that type `char` on the keyboard of text `textId`'s language.
 * @throws RangeError for a character the layout table does not cover (a text was changed)
 */
export function strokeOf(char: string, textId: CopyTextId): Stroke {
  const lower = char.toLowerCase();
  const upper = lower !== char;
  const override = LAYOUTS[textId][lower];
  if (override && 'dead' in override) {
    const base = strokeOf(override.base, textId);
    return {
      code: base.code,
      shift: upper,
      dead: { code: override.dead, shift: override.deadShift ?? false },
    };
  }
  if (override) return { code: override.code, shift: upper || (override.shift ?? false), dead: null };
  if (/^[a-z]$/.test(lower)) return { code: `Key${lower.toUpperCase()}`, shift: upper, dead: null };
  const plain: Record<string, string> = { ' ': 'Space', '.': 'Period', ',': 'Comma' };
  if (plain[char]) return { code: plain[char], shift: false, dead: null };
  throw new RangeError(`no key for ${JSON.stringify(char)} in the ${textId} layout`);
}

interface KeyEvent {
  t: number;
  order: number;
  type: 'keydown' | 'keyup';
  code: string;
  key: string;
  repeat: boolean;
  location: number;
  /** Keydown time of the press the event belongs to. */
  pressMs: number;
}

/** A simulated person's key presses: log-normal holds, no key pressed again before its release. */
class Typist {
  readonly events: KeyEvent[] = [];
  private readonly lastUp = new Map<string, number>();
  private order = 0;
  /** Time of the last keydown, ms. */
  t: number;

  constructor(
    private readonly rng: Rng,
    startMs: number,
    private readonly holdMedianMs: number,
    private readonly holdSpread: number,
  ) {
    this.t = startMs;
  }

  /** A log-normal value: `median` · e^N(0, `spread`). */
  lognormal(median: number, spread: number): number {
    return median * Math.exp(this.rng.normal(0, spread));
  }

  /** An ordinary hold time: 25–450 ms, under the 500-ms auto-repeat delay (long presses are made on purpose). */
  hold(): number {
    return Math.min(450, Math.max(25, this.lognormal(this.holdMedianMs, this.holdSpread)));
  }

  /** The next keydown of `code`, `gapMs` after the last one, but not before `code` was released. */
  next(code: string, gapMs: number): number {
    this.t += gapMs;
    const up = this.lastUp.get(code);
    if (up !== undefined && this.t < up + 5) this.t = up + 5 + this.rng.uniform(0, 20);
    return this.t;
  }

  private emit(
    type: KeyEvent['type'],
    t: number,
    code: string,
    key: string,
    repeat: boolean,
    pressMs: number,
  ): void {
    const location = code === 'ShiftLeft' ? 1 : code === 'ShiftRight' ? 2 : 0;
    this.events.push({ t: round(t, 1), order: this.order++, type, code, key, repeat, location, pressMs });
  }

  /** One press of `code` from `downMs` for `holdMs`, with auto-repeat keydowns every 33 ms after 500 ms. */
  press(code: string, key: string, downMs: number, holdMs: number): void {
    this.emit('keydown', downMs, code, key, false, downMs);
    for (let r = downMs + 500; r < downMs + holdMs; r += 33) this.emit('keydown', r, code, key, true, downMs);
    this.emit('keyup', downMs + holdMs, code, key, false, downMs);
    this.lastUp.set(code, downMs + holdMs);
  }

  /** Types `char` with the keys of `stroke`: dead key first, Shift (the other hand's) held around the key. */
  type(stroke: Stroke, char: string, gapMs: number): void {
    if (stroke.dead)
      this.press(stroke.dead.code, 'Dead', this.next(stroke.dead.code, gapMs * 0.8), this.hold());
    const down = this.next(stroke.code, stroke.dead ? gapMs * 0.8 : gapMs);
    const hold = this.hold();
    if (stroke.shift) {
      const shift = fingerOf(stroke.code)?.hand === 'left' ? 'ShiftRight' : 'ShiftLeft';
      const shiftDown = Math.max(down - this.rng.uniform(60, 120), (this.lastUp.get(shift) ?? -Infinity) + 5);
      this.press(shift, 'Shift', shiftDown, down + hold + this.rng.uniform(20, 60) - shiftDown);
    }
    this.press(stroke.code, char, down, hold);
  }

  /** The events in time order (as the browser dispatches them) of the presses whose keydown is ≤ `endMs`. */
  sorted(endMs: number): KeyEvent[] {
    return this.events
      .filter((event) => event.pressMs <= endMs)
      .sort((a, b) => a.t - b.t || a.order - b.order);
  }
}

const LETTERS = 'asdfghjklqwertyuiopzxcvbnm';

/**
 * A synthetic typist. Copy mode: types the chosen text on its language's keyboard layout (German
 * QWERTZ, French AZERTY, Spanish; dead keys for accents) with log-normal hold times (median 80–130 ms)
 * and inter-key intervals (median 220–420 ms, × 1.6 with one hand; fast pairs roll over), Shift of the other hand for
 * capitals, pauses after words and sentences, typos (1–4 %, most corrected with Backspace) and a rare
 * long press with auto-repeat (then deleted); the trial ends at the last character. Drill mode: each
 * drill's keys in turn (170–330 ms apart) for its duration, rests and countdowns between. `key` holds
 * the characters only with `storeText`. Same seed, same capture. `longest`: copy mode goes on typing
 * (the text again) until the largest `timeLimitS`; drill mode uses the longest drills and rests.
 */
export function simulateTyping(options: SimulateOptions): TaskCapture {
  const rng = createRng(options.seed);
  const p = readTypingParams(options.params);
  const longest = options.longest ?? false;
  const set = new StreamSet('typing');
  const holdMedianMs = rng.uniform(80, 130);
  const holdSpread = rng.uniform(0.22, 0.38);
  const countdownMs = Math.round(rng.uniform(4000, 30_000));
  const flags: string[] = [];
  const params: Record<string, JsonValue> = {};
  let typist: Typist;
  let endMs: number;

  if (p.mode === 'copy') {
    const source = COPY_TEXTS[p.text];
    const limitS = longest ? typingDefinition.parameters.timeLimitS.max : p.timeLimitS;
    for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdownMs + i * 1000);
    const startMs = countdownMs + 3000;
    set.mark(MARKERS.trialStart, startMs);
    const limitMs = startMs + limitS * 1000;
    typist = new Typist(rng, startMs + rng.uniform(400, 1200), holdMedianMs, holdSpread);
    // One hand reaching every key is slower than two.
    const ikiMedianMs = rng.uniform(220, 420) * (options.hand === 'both' ? 1 : 1.6);
    const typoRate = rng.uniform(0.01, 0.04);
    const chars = [...source.text];
    const gap = () => typist.lognormal(ikiMedianMs, 0.45);
    let typed = 0;
    let errors = 0;
    let completed = false;
    for (let i = 0; ; i++) {
      if (i === chars.length) {
        if (!longest) {
          completed = true;
          break;
        }
        i = 0;
      }
      if (typist.t > limitMs) break;
      const char = chars[i]!;
      const previous = chars[i - 1];
      let pause = 0;
      if (previous === '.') pause = rng.uniform(300, 1000);
      else if (previous === ' ' && rng.chance(0.08)) pause = rng.uniform(200, 900);
      const letter = /^\p{L}$/u.test(char);
      if (letter && rng.chance(typoRate)) {
        const wrong = LETTERS.replace(char.toLowerCase(), '')[rng.int(0, LETTERS.length - 2)]!;
        typist.type(strokeOf(wrong, p.text), wrong, gap() + pause);
        pause = 0;
        if (!rng.chance(0.85)) {
          // Left uncorrected: the wrong letter stands for this one.
          typed++;
          errors++;
          continue;
        }
        typist.type({ code: 'Backspace', shift: false, dead: null }, 'Backspace', gap() * 1.5);
      }
      if (/^[a-z]$/.test(char) && rng.chance(0.003)) {
        // A long press: the key auto-repeats from 500 ms on; the extra letters are deleted.
        const stroke = strokeOf(char, p.text);
        const down = typist.next(stroke.code, gap() + pause);
        const holdMs = rng.uniform(600, 900);
        typist.press(stroke.code, char, down, holdMs);
        typist.t = down + holdMs;
        for (let r = 500; r < holdMs; r += 33)
          typist.type({ code: 'Backspace', shift: false, dead: null }, 'Backspace', gap());
        typed++;
        continue;
      }
      typist.type(strokeOf(char, p.text), char, gap() + pause);
      typed++;
    }
    // The run ends at the `input` event of the last character, a few ms after its keydown (`typist.t`).
    endMs = completed ? round(typist.t + rng.uniform(1, 6), 1) : limitMs;
    if (!completed) {
      set.mark('time-limit', limitMs);
      flags.push(TYPING_FLAGS.timeLimit);
    }
    set.mark(MARKERS.trialEnd, endMs);
    params.timeLimitS = limitS;
    params.copy = {
      language: source.language,
      textLength: chars.length,
      typedLength: typed,
      errors,
      completed,
    };
  } else {
    const blocks = drillBlocks(p, options.hand);
    const drillMs = (longest ? typingDefinition.parameters.drillDurationS.max : p.drillDurationS) * 1000;
    const restMs = (longest ? typingDefinition.parameters.restS.max : p.restS) * 1000;
    typist = new Typist(rng, 0, holdMedianMs, holdSpread);
    const ikiMedianMs = rng.uniform(170, 260);
    let countdown = countdownMs;
    endMs = countdownMs;
    blocks.forEach((block, index) => {
      if (index > 0) {
        set.mark('rest', endMs);
        // Some people start the next drill early with Start now.
        countdown = Math.round(endMs + (rng.chance(0.3) ? rng.uniform(0.3, 1) : 1) * restMs);
      }
      for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdown + i * 1000);
      const goMs = countdown + 3000;
      set.mark(`drill-${index + 1}-${block.drill}-${block.hand}`, goMs);
      set.mark(MARKERS.trialStart, goMs);
      endMs = goMs + drillMs;
      const median = block.drill === 'same-finger' ? ikiMedianMs * 1.25 : ikiMedianMs;
      typist.t = goMs + rng.uniform(200, 600);
      for (let k = 0; ; k++) {
        const code = block.codes[k % block.codes.length]!;
        const down = typist.next(code, k === 0 ? 0 : typist.lognormal(median, 0.15));
        if (down >= endMs) break;
        typist.press(code, code === 'Semicolon' ? ';' : code.slice(3).toLowerCase(), down, typist.hold());
      }
      set.mark(MARKERS.trialEnd, endMs);
    });
    if (longest) {
      params.drillDurationS = drillMs / 1000;
      params.restS = restMs / 1000;
    }
    params.drills = blocks.map((b) => ({
      drill: b.drill,
      hand: b.hand,
      finger: b.finger,
      codes: [...b.codes],
    }));
  }

  const events = typist.sorted(endMs);
  const stream = set.stream('keyboard', p.storeText ? ['keyLocationIndex', 'key'] : ['keyLocationIndex']);
  const type = stream.str('type');
  const time = stream.f64('timeStampMs');
  const code = stream.str('code');
  const repeat = stream.bool('repeat');
  const composing = stream.bool('isComposing');
  const location = stream.i32('keyLocationIndex');
  const key = p.storeText ? stream.str('key') : null;
  for (const event of events) {
    type.push(event.type);
    time.push(event.t);
    code.push(event.code);
    repeat.push(event.repeat);
    composing.push(false);
    location.push(event.location);
    key?.push(event.key);
    stream.endRow();
  }
  if (events.length === 0) flags.push(TYPING_FLAGS.noKeys);
  return set.capture(flags, params, endMs);
}
