/**
 * A synthetic run of the handwriting task. Core's seeded handwriting simulator (simulate-handwriting.ts)
 * is not exported from `@dystrack/core`, so its model is written here again, in screen px on the
 * task's lines: each written letter is one up–down cycle,
 *
 *     φ(t) = 2π·(t − start of cycle)/cycle duration
 *     x(t) = x_word + v·(t − t_word) + r·sin φ           (v = letter width × stroke frequency)
 *     y(t) = baseline − (A/2)·(1 − cos φ)                (screen y grows downwards)
 *
 * with cycle durations varying around 1/stroke frequency, words separated by pen lifts, lines wrapped
 * and pages turned (New page) as a person does, sampled at 240 Hz. The true stroke frequency is the
 * number of completed cycles divided by their total duration (what core's `stroke_frequency_hz`
 * estimates: 1 / (mean up-stroke + mean down-stroke duration)).
 */
import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { PEN_FLAGS } from '../pen/flags';
import type { InkSummary } from '../pen/ink';
import { attemptsParam, PEN_MARKERS, type PenAttempt, type PenOutcome } from '../pen/protocol';
import { calibrationFacts } from '../pen/run-calibration';
import { nextSampleMs, penPointerWriter, simulatedCalibration, simulatedTilt } from '../pen/simulate';
import { createRng } from '../rng';
import { handwritingDefinition, readHandwritingParams, type HandwritingPart } from './definition';
import { baselineYPx, writingLines, type Box, type WritingLines } from './geometry';
import { handwritingProtocol, partText } from './run';
import { letterCount } from './texts';

/** The simulated person's writing: what core's analysis should find again. */
export interface HandwritingPerson {
  /** Up–down cycles per second while the pen writes, Hz. */
  strokeHz: number;
  /** Cycle-to-cycle variability of the cycle duration, % (normal, clipped at ±3 SD). */
  cycleCvPct: number;
  /** Stroke size from the baseline to the top of a loop, mm. */
  heightMm: number;
  /** Horizontal loop radius, mm. */
  loopMm: number;
  /** Horizontal advance per cycle (letter), mm. */
  letterWidthMm: number;
  /** Space between words, letter widths. */
  wordGapLetters: number;
  /** Duration of a lift between words, ms. */
  liftMs: number;
  /** Mean pen pressure, 0–1. */
  pressure: number;
  /** Chance of redoing a trial part of the way through. */
  redoChance: number;
}

/** The truth of a simulated run, over everything written (redone attempts included, as core pools them). */
export interface HandwritingTruth {
  /** Completed cycles divided by their total duration, Hz. */
  strokeHz: number;
  /** Completed cycles. */
  cycles: number;
  /** Pen-down stretches (words, and parts of words at line ends). */
  penDowns: number;
}

/** A simulated run and its truth. */
export interface SimulatedHandwritingRun {
  capture: TaskCapture;
  person: HandwritingPerson;
  truth: HandwritingTruth;
  lines: WritingLines;
  pxPerMm: number;
}

/** The writing area of the simulated 1280 × 800 screen, client CSS px (header and text above, buttons below). */
const SIMULATED_CANVAS: Box = { leftPx: 0, topPx: 200, widthPx: 1280, heightPx: 500 };

/** Stroke frequencies drawn for each part, Hz (normal writing around 4.6 Hz, measures.md 4.4). */
const STROKE_HZ: Readonly<Record<HandwritingPart, readonly [number, number]>> = {
  loops: [3.5, 5.5],
  sentence: [4, 6],
  fast: [5.5, 7.5],
  copy: [4, 6],
};

/**
 * A synthetic run of the handwriting task with its truth: a calibrated 1280 × 800 screen (3.4–4.6
 * px/mm), a person writing the part's trials with a pen at 240 Hz (loops: joined loops line after line
 * for the trial's time; sentence, fast: the words of the pangram, one cycle per letter, then Done; copy:
 * the passage's words for the trial's time), now and then redoing a trial; rests and countdowns between
 * timed trials; the same markers, params and flags as {@link runHandwriting}. `longest`: 10 trials of
 * the longest timed length (untimed parts: written slowly) up to the 5-minute time limit.
 * @param person - overrides of the simulated person (tests fix the stroke frequency)
 */
export function simulateHandwritingRun(
  options: SimulateOptions,
  person: Partial<HandwritingPerson> = {},
): SimulatedHandwritingRun {
  const given = readHandwritingParams(options.params);
  const longest = options.longest ?? false;
  const { parameters } = handwritingDefinition;
  const p = longest
    ? {
        ...given,
        trials: parameters.trials.max,
        loopsDurationS: parameters.loopsDurationS.max,
        copyDurationS: parameters.copyDurationS.max,
        timeLimitS: parameters.timeLimitS.max,
      }
    : given;
  const protocol = handwritingProtocol(p);
  const timed = protocol.trialMs !== null;
  const loops = p.part === 'loops';
  const rng = createRng(options.seed);
  const set = new StreamSet('handwriting');
  const write = penPointerWriter(set.stream('pointer'));
  const calibration = simulatedCalibration(rng);
  const { pxPerMm } = calibration;
  const lines = writingLines({
    box: SIMULATED_CANVAS,
    pxPerMm,
    calibrated: true,
    spacingMm: p.lineSpacingMm,
  });
  const text = partText(p);

  const heightMm = p.lineSpacingMm * (loops ? rng.uniform(0.6, 0.85) : rng.uniform(0.35, 0.5));
  const slow = longest && !timed;
  const who: HandwritingPerson = {
    strokeHz: slow ? 1.5 : rng.uniform(...STROKE_HZ[p.part]),
    cycleCvPct: rng.uniform(3, 8),
    heightMm,
    loopMm: heightMm * (loops ? rng.uniform(0.15, 0.22) : rng.uniform(0.12, 0.2)),
    letterWidthMm: loops ? rng.uniform(3, 4.5) : rng.uniform(2.2, 3.2),
    wordGapLetters: rng.uniform(1.2, 2),
    liftMs: slow ? 2000 : rng.uniform(150, 350),
    pressure: rng.uniform(0.3, 0.6),
    redoChance: longest ? 0 : 0.1,
    ...person,
  };
  const tilt = simulatedTilt(rng, options.hand);
  const cycleDuration = () =>
    (1 / who.strokeHz) * (1 + (who.cycleCvPct / 100) * Math.max(-3, Math.min(3, rng.normal(0, 1))));

  // the words to write, as letters (cycles) per word, in order; loops: one "word" per line
  const lineLetters = Math.max(
    2,
    Math.floor((lines.rightPx - lines.leftPx) / pxPerMm / who.letterWidthMm) - 1,
  );
  const words = loops
    ? [lineLetters]
    : text
        .split(/\s+/)
        .map((w) => letterCount(w))
        .filter((n) => n > 0);

  let pointerId = rng.int(2, 40);
  let cycles = 0;
  let cycleS = 0;
  let penDowns = 0;

  /**
   * Writes one word of `durations` (s) from `t0` at (`x0`, `baseline`), client px, until its end or
   * `stopMs`. A word cut at `stopMs` ends with a pointerup only when `liftAtStop`.
   */
  const writeWord = (
    t0: number,
    x0: number,
    baseline: number,
    durations: number[],
    stopMs: number,
    liftAtStop: boolean,
  ): { endMs: number; cut: boolean } => {
    const v = who.letterWidthMm * who.strokeHz; // mm/s
    const a = who.heightMm / 2;
    const r = who.loopMm;
    const total = durations.reduce((s, d) => s + d, 0) * 1000;
    const phase = rng.uniform(0, 2 * Math.PI);
    let t = t0;
    let cycle = 0;
    let cycleStart = t0;
    let last = { x: x0, y: baseline };
    let first = true;
    const sample = (tMs: number) => {
      while (cycle < durations.length - 1 && tMs >= cycleStart + durations[cycle]! * 1000) {
        cycleStart += durations[cycle]! * 1000;
        cycle++;
      }
      const phi = Math.min(2 * Math.PI, (2 * Math.PI * (tMs - cycleStart)) / (durations[cycle]! * 1000));
      const xMm = v * ((tMs - t0) / 1000) + r * Math.sin(phi);
      const yMm = -a * (1 - Math.cos(phi));
      return {
        x: x0 + xMm * pxPerMm,
        y: baseline + yMm * pxPerMm,
        pressure: Math.min(
          1,
          Math.max(0.05, who.pressure - 0.05 * Math.cos(phi) + 0.02 * Math.sin(phase + tMs / 700)),
        ),
      };
    };
    while (t <= t0 + total && t <= stopMs) {
      const s = sample(t);
      write({ type: first ? 'pointerdown' : 'pointermove', t, id: pointerId, ...s, ...tilt });
      first = false;
      last = s;
      t = nextSampleMs(rng, t);
    }
    penDowns++;
    const cut = t <= t0 + total;
    // the completed cycles count for the truth
    let done = 0;
    let doneS = 0;
    let at = t0;
    for (const d of durations) {
      if (at + d * 1000 > Math.min(t, stopMs + 1e-9) && cut) break;
      at += d * 1000;
      done++;
      doneS += d;
    }
    cycles += done;
    cycleS += doneS;
    if (!cut || liftAtStop) {
      write({ type: 'pointerup', t, id: pointerId, x: last.x, y: last.y, pressure: 0, ...tilt });
    }
    return { endMs: t, cut };
  };

  const countdownMs = Math.round(rng.uniform(4000, 30_000));
  const countdown = (atMs: number) => {
    for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, atMs + i * 1000);
    return atMs + 3000;
  };
  let goMs = countdown(countdownMs);
  const limitMs = goMs + p.timeLimitS * 1000;
  const flags: string[] = [];
  const attempts: PenAttempt[] = [];
  const kept = () => attempts.filter((a) => a.outcome === 'kept').length;
  const strokes = (pen: number): InkSummary => ({ pen, touch: 0, mouse: 0, other: 0, rejected: 0 });
  let trial = 1;
  let timeLimitAtMs: number | null = null;
  let lastEndMs = goMs;

  while (timeLimitAtMs === null && kept() < p.trials) {
    const startMs = goMs;
    set.mark(MARKERS.trialStart, startMs);
    set.mark(PEN_MARKERS.trial(trial), startMs);
    const trialEndMs = timed ? startMs + protocol.trialMs! : Number.POSITIVE_INFINITY;
    const redoAtMs =
      rng.chance(who.redoChance) && timed
        ? startMs + rng.uniform(2000, Math.max(2500, protocol.trialMs! / 2))
        : null;
    const redoAfterWord =
      rng.chance(who.redoChance) && !timed ? rng.int(1, Math.max(1, words.length - 1)) : null;
    const stopMs = Math.min(trialEndMs, redoAtMs ?? Number.POSITIVE_INFINITY, limitMs);
    const downsBefore = penDowns;
    let pages = 1;
    let line = 0;
    let x = lines.leftPx + rng.uniform(0, 2) * pxPerMm;
    let t = startMs + rng.uniform(timed ? 300 : 500, timed ? 800 : 1500);
    let wordIndex = 0;
    let written = 0;
    let cut = false;
    while (t <= stopMs) {
      const letters = words[wordIndex % words.length]!;
      const widthPx = letters * who.letterWidthMm * pxPerMm;
      if (x + widthPx > lines.rightPx && x > lines.leftPx + 5 * pxPerMm) {
        // the next line, or a new page when the lines are full (after a lift)
        line++;
        x = lines.leftPx + rng.uniform(0, 2) * pxPerMm;
        if (line >= lines.count) {
          line = 0;
          pages++;
          const pageMs = t + rng.uniform(500, 1000);
          if (pageMs > stopMs) break;
          set.mark(PEN_MARKERS.page(pages), pageMs);
          t = pageMs + rng.uniform(500, 1000);
          continue;
        }
      }
      const durations = Array.from({ length: letters }, cycleDuration);
      const out = writeWord(t, x, baselineYPx(lines, line), durations, stopMs, stopMs < limitMs);
      pointerId++;
      written++;
      if (out.cut) {
        cut = true;
        t = out.endMs;
        break;
      }
      wordIndex++;
      x += widthPx + who.wordGapLetters * who.letterWidthMm * pxPerMm;
      t = out.endMs + who.liftMs * rng.uniform(0.8, 1.2);
      if (!timed && wordIndex >= words.length) break;
      if (redoAfterWord !== null && written >= redoAfterWord) break;
    }
    // how the attempt ends
    let outcome: PenOutcome;
    let endMs: number;
    if (redoAtMs !== null && redoAtMs < Math.min(trialEndMs, limitMs)) {
      endMs = Math.max(t, redoAtMs) + rng.uniform(300, 800); // the pen lifted, then Redo
      outcome = 'redone';
    } else if (timed) {
      endMs = Math.min(trialEndMs, limitMs);
      outcome = trialEndMs <= limitMs ? 'kept' : 'time-limit';
    } else if (cut) {
      endMs = limitMs;
      outcome = 'time-limit';
    } else if (redoAfterWord !== null && wordIndex < words.length) {
      endMs = t + rng.uniform(400, 1000); // Redo
      outcome = 'redone';
    } else {
      endMs = t + rng.uniform(600, 1500); // Done
      outcome = 'kept';
    }
    if (endMs >= limitMs) {
      endMs = limitMs;
      outcome = 'time-limit';
    }
    const pen = penDowns - downsBefore;
    set.mark(MARKERS.trialEnd, endMs);
    lastEndMs = endMs;
    attempts.push({
      trial,
      startMs,
      endMs,
      outcome: pen === 0 && outcome !== 'redone' ? 'empty' : outcome,
      strokes: strokes(pen),
      pages,
    });
    if (outcome === 'time-limit') {
      timeLimitAtMs = endMs;
      break;
    }
    if (outcome === 'redone') {
      set.mark(PEN_MARKERS.redo(trial), endMs);
      goMs = timed ? countdown(endMs) : endMs;
    } else {
      trial = kept() + 1;
      if (kept() >= p.trials) break;
      if (timed) {
        set.mark(PEN_MARKERS.rest, endMs);
        const restEnd = endMs + (rng.chance(0.5) ? p.restS * 1000 : rng.uniform(2000, p.restS * 1000));
        goMs = countdown(restEnd);
      } else goMs = endMs;
    }
    if (goMs >= limitMs) timeLimitAtMs = limitMs; // the limit came during a rest or countdown
  }
  if (timeLimitAtMs !== null) {
    set.mark(PEN_MARKERS.timeLimit, timeLimitAtMs);
    flags.push(PEN_FLAGS.timeLimit);
  }

  const capture = set.capture(
    flags,
    {
      trials: p.trials,
      text,
      textLetters: letterCount(text),
      calibration: calibrationFacts(calibration),
      pxPerMm,
      lines: { ...lines },
      canvas: { ...SIMULATED_CANVAS, devicePixelRatio: 2 },
      attempts: attemptsParam(attempts),
      ...(longest
        ? { loopsDurationS: p.loopsDurationS, copyDurationS: p.copyDurationS, timeLimitS: p.timeLimitS }
        : {}),
    },
    lastEndMs,
  );
  return {
    capture,
    person: who,
    truth: { strokeHz: cycleS > 0 ? cycles / cycleS : Number.NaN, cycles, penDowns },
    lines,
    pxPerMm,
  };
}

/** The plugin's `simulate`: {@link simulateHandwritingRun}'s capture. */
export function simulateHandwriting(options: SimulateOptions): TaskCapture {
  return simulateHandwritingRun(options).capture;
}
