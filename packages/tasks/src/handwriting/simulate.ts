/**
 * A synthetic run of the handwriting task, built from core's seeded handwriting simulator
 * (`simulateHandwriting` of `@dystrack/core`): each word is one core recording of as many up–down
 * cycles as it has letters (core's model: x = x_word + v·t + r·sin φ, y = baseline − (A/2)·(1 − cos φ),
 * cycle durations varying around 1/stroke frequency), in mm, turned into screen px on the task's lines
 * and into pointer rows here; words are separated by pen lifts, lines wrapped and pages turned (New page)
 * as a person does, sampled at 240 Hz. The true stroke frequency of a trial is the number of its
 * completed cycles divided by their total duration (what core's `stroke_frequency_hz` estimates: 1 /
 * (mean up-stroke + mean down-stroke duration)); the run's is the median over the trials core keeps.
 */
import { dsp, simulateHandwriting as simulateCoreHandwriting } from '@dystrack/core';
import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { PEN_FLAGS } from '../pen/flags';
import type { InkSummary } from '../pen/ink';
import { attemptsParam, PEN_MARKERS, type PenAttempt, type PenOutcome } from '../pen/protocol';
import { calibrationFacts } from '../pen/run-calibration';
import { penPointerWriter, SIMULATED_PEN_HZ, simulatedCalibration, simulatedTilt } from '../pen/simulate';
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

/** The truth of a simulated run. */
export interface HandwritingTruth {
  /**
   * Completed cycles divided by their total duration, Hz: per trial core keeps (kept, and cut short
   * after half the planned time or, untimed, with ink), then the median over those trials.
   */
  strokeHz: number;
  /** Completed cycles, everything written (redone attempts included). */
  cycles: number;
  /** Pen-down stretches (words, and parts of words at line ends). */
  penDowns: number;
  /** Trials core keeps (what its `handwriting_trial_count` should be). */
  keptTrials: number;
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
   * Writes one word of `letters` cycles (core's simulator) from `t0` at (`x0`, `baseline`), client px,
   * until its end or `stopMs`. A word cut at `stopMs` ends with a pointerup only when `liftAtStop`.
   */
  const writeWord = (
    t0: number,
    x0: number,
    baseline: number,
    letters: number,
    stopMs: number,
    liftAtStop: boolean,
  ): { endMs: number; cut: boolean } => {
    const { input, truth } = simulateCoreHandwriting(rng.int(1, 2 ** 30), {
      cycles: letters,
      strokeHz: who.strokeHz,
      cycleCvPct: who.cycleCvPct,
      amplitudeMm: who.heightMm,
      loopMm: who.loopMm,
      driftMmPerS: who.letterWidthMm * who.strokeHz,
      pressureMean: who.pressure,
      fsHz: SIMULATED_PEN_HZ,
      jitterPct: 5,
      dropPct: 0,
      noiseMm: 0,
      t0Ms: t0,
      x0Mm: x0 / pxPerMm,
      y0Mm: baseline / pxPerMm,
    });
    let last = { x: x0, y: baseline };
    let written = 0;
    for (let i = 0; i < input.tMs.length && input.tMs[i]! <= stopMs; i++) {
      last = { x: input.xMm[i]! * pxPerMm, y: input.yMm[i]! * pxPerMm };
      const type = i === 0 ? 'pointerdown' : 'pointermove';
      write({ type, t: input.tMs[i]!, id: pointerId, ...last, pressure: input.pressure![i]!, ...tilt });
      written++;
    }
    penDowns++;
    const cut = written < input.tMs.length;
    const t = input.tMs[Math.max(0, written - 1)]! + 1000 / SIMULATED_PEN_HZ;
    // the completed cycles count for the truth
    let at = t0;
    for (const d of truth.cycleDurationsS) {
      if (cut && at + d * 1000 > Math.min(t, stopMs)) break;
      at += d * 1000;
      cycles++;
      cycleS += d;
    }
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
  /** Completed cycles and their duration, s, of each attempt. */
  const perAttempt: { cycles: number; cycleS: number }[] = [];
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
    const cyclesBefore = cycles;
    const cycleSBefore = cycleS;
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
      const out = writeWord(t, x, baselineYPx(lines, line), letters, stopMs, stopMs < limitMs);
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
    perAttempt.push({ cycles: cycles - cyclesBefore, cycleS: cycleS - cycleSBefore });
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

  // the trials core keeps: kept, and cut short after half the planned time (timed) or with ink (untimed)
  const analysed = attempts
    .map((a, k) => ({ a, ...perAttempt[k]! }))
    .filter(
      ({ a }) =>
        a.outcome === 'kept' ||
        ((a.outcome === 'stopped' || a.outcome === 'time-limit') &&
          (timed ? a.endMs - a.startMs >= protocol.trialMs! / 2 : a.strokes.pen > 0)),
    )
    .filter((a) => a.cycleS > 0);

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
    truth: {
      strokeHz: analysed.length ? dsp.median(analysed.map((a) => a.cycles / a.cycleS)) : Number.NaN,
      cycles,
      penDowns,
      keptTrials: analysed.length,
    },
    lines,
    pxPerMm,
  };
}

/** The plugin's `simulate`: {@link simulateHandwritingRun}'s capture. */
export function simulateHandwriting(options: SimulateOptions): TaskCapture {
  return simulateHandwritingRun(options).capture;
}
