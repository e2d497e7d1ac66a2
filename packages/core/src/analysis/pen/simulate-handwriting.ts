/**
 * Seeded simulator of cursive loop writing ("lllll") with known ground truth, for the handwriting
 * tests. The pen position is the sum of a horizontal drift and a vertical up–down stroke pattern,
 * plus a small horizontal loop component in phase with the strokes:
 *
 *     φ(t) = 2π·(t − start of cycle)/cycle duration          (one up–down cycle per 2π)
 *     x(t) = x_word + v·(t − t_word) + r·sin φ               (r = loopMm: the loops open at the top)
 *     y(t) = y_base − (A/2)·(1 − cos φ)                      (screen coordinates: y grows downwards)
 *
 * so each cycle starts at the baseline, goes up by A (an up-stroke, vy < 0) and down again. With
 * ω(A²/4 − r²) > v·r every stroke has a single tangential-speed peak (NIV = 1), which the simulator
 * checks. Cycle durations vary from cycle to cycle (cycleCvPct); the true stroke frequency is the
 * number of cycles divided by their total duration.
 *
 * Sampling imitates pointer events: intervals of 1/fs with uniform jitter, a share of samples dropped
 * (short gaps), optional long pen-down gaps (> 50 ms), pen lifts between words (with hover samples,
 * pen_down = 0, or without any samples) and inside words (breaks), pressure modulated by the strokes,
 * and optionally a tremor along a fixed direction and white position noise. The handwriting task's
 * simulator (packages/tasks) writes each word of its recordings with this one.
 */
import { seededRandom } from '../random.js';
import type { PenInput } from '../inputs.js';

/** Options of {@link simulateHandwriting}; every field has a default. */
export interface SimulateHandwritingOptions {
  /** Total pen-down writing time, s (lifts come on top). Default 15. */
  durationS?: number;
  /** Exactly this many up–down cycles (letters) instead of cycles until `durationS` is reached. Default: none. */
  cycles?: number;
  /** Up–down cycles per second (the stroke frequency). Default 4.5. */
  strokeHz?: number;
  /**
   * Linear change of the stroke frequency with writing time, % of strokeHz per minute (a build-up of
   * cramp slows writing: negative). Default 0.
   */
  strokeHzDriftPctPerMin?: number;
  /** Linear change of the mean pressure with time, pressure units per minute. Default 0. */
  pressureDriftPerMin?: number;
  /** Cycle-to-cycle variability of the cycle duration, % (normal, clipped at ±3 SD). Default 0. */
  cycleCvPct?: number;
  /** Vertical stroke size (bottom to top), mm. Default 8. */
  amplitudeMm?: number;
  /** Horizontal writing speed, mm/s. Default 20. */
  driftMmPerS?: number;
  /** Horizontal loop radius, mm. Default 1.5. */
  loopMm?: number;
  /** Mean sampling rate, Hz. Default 120. */
  fsHz?: number;
  /** Uniform jitter of each sample interval, ± % of 1/fs (below 100). Default 20. */
  jitterPct?: number;
  /** Share of samples dropped at random (short gaps), %. Default 2. */
  dropPct?: number;
  /** Pen-down gaps of 80 ms (no samples, pen still down) at random times. Default 0. */
  longGaps?: number;
  /** Cycles per word; words are separated by pen lifts. Default 0 = one word, no lifts. */
  cyclesPerWord?: number;
  /** Lifts inside each word (breaks), at evenly spaced cycle boundaries. Default 0. */
  breaksPerWord?: number;
  /** Duration of a lift, ms. Default 250. */
  liftMs?: number;
  /**
   * Record hover samples (pen_down = 0) during lifts. Without them a lift leaves only its first sample
   * (the pointerup, pen_down = 0) and no samples after it. Default true.
   */
  hover?: boolean;
  /** Horizontal jump between words, in letter widths (v/strokeHz). Default 3. */
  wordGapLetters?: number;
  /** Horizontal jump at a break inside a word, mm. Default 0.5. */
  breakGapMm?: number;
  /** Mean pen-down pressure (0–1), or null for no pressure column. Default 0.5. */
  pressureMean?: number | null;
  /** Pressure modulation with the strokes (higher on down-strokes), amplitude. Default 0.05. */
  pressureSwing?: number;
  /**
   * Depth (0 to < 1) of a hesitation in the middle of every stroke: the phase runs as
   * φ = θ − (h/4)·sin 4θ, so its rate 1 − h·cos 4θ dips at mid-stroke and the stroke ends stay put;
   * from about h = 0.3 each stroke has two speed peaks (NIV = 2). Default 0.
   */
  hesitation?: number;
  /** A sinusoidal tremor added to the position, or null. Default null. */
  tremor?: { hz: number; amplitudeMm: number; angleDeg?: number } | null;
  /** SD of white position noise, mm. Default 0.01. */
  noiseMm?: number;
  /** Time of the first sample, ms. Default 1000. */
  t0Ms?: number;
  /** Position of the first sample, mm. Default (10, 50). */
  x0Mm?: number;
  y0Mm?: number;
}

/** Ground truth of a simulated recording. */
export interface HandwritingTruth {
  /** Cycles divided by their total duration, Hz. */
  strokeHz: number;
  /** Number of up–down cycles written. */
  cycles: number;
  /** Number of pen lifts (between words and inside words). */
  penLifts: number;
  /** Lifts inside words. */
  breaks: number;
  /** Horizontal advance per cycle, mm (v / strokeHz). */
  letterWidthMm: number;
  /** Vertical stroke size, mm. */
  amplitudeMm: number;
  /** Whether every stroke of the noise-free, tremor-free path has one speed peak (NIV = 1; no hesitation). */
  fluent: boolean;
  /** Number of long (> 50 ms) pen-down gaps inserted. */
  longGaps: number;
  /** Duration of each cycle, s, in order (the first starts at t0Ms; lifts come between words). */
  cycleDurationsS: number[];
}

/** A piece of the timeline: writing (pen down) or a lift. */
type Piece =
  | { kind: 'write'; t0: number; t1: number; x0: number; cycleStarts: number[]; cycleDurs: number[] }
  | { kind: 'lift'; t0: number; t1: number; xFrom: number; xTo: number };

/**
 * Simulates loop writing (see the module comment). Deterministic for a given seed and options.
 * @returns the pen input (task `handwriting`) and its ground truth
 */
export function simulateHandwriting(
  seed: number,
  options: SimulateHandwritingOptions = {},
): { input: PenInput; truth: HandwritingTruth } {
  const o = {
    durationS: 15,
    strokeHz: 4.5,
    cycleCvPct: 0,
    strokeHzDriftPctPerMin: 0,
    pressureDriftPerMin: 0,
    amplitudeMm: 8,
    driftMmPerS: 20,
    loopMm: 1.5,
    fsHz: 120,
    jitterPct: 20,
    dropPct: 2,
    longGaps: 0,
    cyclesPerWord: 0,
    breaksPerWord: 0,
    liftMs: 250,
    hover: true,
    wordGapLetters: 3,
    breakGapMm: 0.5,
    pressureMean: 0.5 as number | null,
    pressureSwing: 0.05,
    hesitation: 0,
    tremor: null as SimulateHandwritingOptions['tremor'],
    noiseMm: 0.01,
    t0Ms: 1000,
    x0Mm: 10,
    y0Mm: 50,
    ...options,
  };
  const rng = seededRandom(seed);
  const A = o.amplitudeMm;
  const v = o.driftMmPerS;
  const r = o.loopMm;
  const meanCycleS = 1 / o.strokeHz;
  const letterWidthMm = v * meanCycleS;

  // cycle durations until the writing time is reached
  const durs: number[] = [];
  let total = 0;
  const more = () => (o.cycles === undefined ? total < o.durationS - 1e-9 : durs.length < o.cycles);
  while (more()) {
    const z = Math.max(-3, Math.min(3, rng.normal()));
    const rate = 1 + (o.strokeHzDriftPctPerMin / 100) * (total / 60);
    const d = (meanCycleS / rate) * (1 + (o.cycleCvPct / 100) * z);
    durs.push(d);
    total += d;
  }
  // ω(A²/4 − r²) > v·r for the slowest cycle ⇒ one speed peak per stroke
  const omegaMin = (2 * Math.PI) / Math.max(...durs);
  const fluent = o.hesitation === 0 && omegaMin * ((A * A) / 4 - r * r) > v * r;

  // timeline: words of cyclesPerWord cycles, breaks at evenly spaced boundaries inside words
  const pieces: Piece[] = [];
  const perWord = o.cyclesPerWord > 0 ? o.cyclesPerWord : durs.length;
  let t = o.t0Ms / 1000;
  let x = o.x0Mm;
  let penLifts = 0;
  let breaks = 0;
  let c = 0;
  while (c < durs.length) {
    const wordStart = c;
    const wordLen = Math.min(durs.length, c + perWord) - wordStart;
    const parts = Math.min(o.breaksPerWord + 1, wordLen);
    for (let p = 0; p < parts; p++) {
      const to = wordStart + Math.round((wordLen * (p + 1)) / parts);
      const starts: number[] = [];
      const ds: number[] = [];
      let tc = t;
      for (let k = c; k < to; k++) {
        starts.push(tc);
        ds.push(durs[k]!);
        tc += durs[k]!;
      }
      pieces.push({ kind: 'write', t0: t, t1: tc, x0: x, cycleStarts: starts, cycleDurs: ds });
      x += v * (tc - t);
      t = tc;
      c = to;
      if (c < durs.length) {
        const inWord = p < parts - 1;
        const jump = inWord ? o.breakGapMm : o.wordGapLetters * letterWidthMm;
        pieces.push({ kind: 'lift', t0: t, t1: t + o.liftMs / 1000, xFrom: x, xTo: x + jump });
        t += o.liftMs / 1000;
        x += jump;
        penLifts++;
        if (inWord) breaks++;
      }
    }
  }
  const tEnd = t;

  // long pen-down gaps: random times inside writing pieces
  const gapStarts: number[] = [];
  const writes = pieces.filter((p) => p.kind === 'write');
  for (let g = 0; g < o.longGaps; g++) {
    const w = writes[rng.int(0, writes.length - 1)]!;
    gapStarts.push(w.t0 + rng.uniform(0.2, 0.8) * (w.t1 - w.t0));
  }
  gapStarts.sort((a, b) => a - b);

  const tremor = o.tremor;
  const tremorAngle = ((tremor?.angleDeg ?? 45) * Math.PI) / 180;
  const tremorPhase = rng.uniform(0, 2 * Math.PI);
  const baseY = o.y0Mm;

  const ts: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const ps: number[] = [];
  const downs: number[] = [];
  const step = 1 / o.fsHz;
  let piece = 0;
  let cycle = 0;
  let gap = 0;
  for (let ts0 = o.t0Ms / 1000; ts0 <= tEnd; ts0 += step * (1 + (o.jitterPct / 100) * rng.uniform(-1, 1))) {
    const now = ts0;
    while (piece < pieces.length - 1 && now > pieces[piece]!.t1) {
      piece++;
      cycle = 0;
    }
    const pc = pieces[piece]!;
    if (rng.next() < o.dropPct / 100) continue;
    while (gap < gapStarts.length && gapStarts[gap]! + 0.08 < now) gap++;
    if (gap < gapStarts.length && now >= gapStarts[gap]! && now <= gapStarts[gap]! + 0.08) continue;
    let px: number;
    let py: number;
    let pressure = 0;
    let down = 1;
    if (pc.kind === 'write') {
      while (cycle < pc.cycleStarts.length - 1 && now >= pc.cycleStarts[cycle + 1]!) cycle++;
      const theta = (2 * Math.PI * (now - pc.cycleStarts[cycle]!)) / pc.cycleDurs[cycle]!;
      const phi = theta - (o.hesitation / 4) * Math.sin(4 * theta);
      px = pc.x0 + v * (now - pc.t0) + r * Math.sin(phi);
      py = baseY - (A / 2) * (1 - Math.cos(phi));
      if (o.pressureMean !== null) {
        const base = o.pressureMean + o.pressureDriftPerMin * ((now * 1000 - o.t0Ms) / 60000);
        pressure = Math.min(1, Math.max(0, base - o.pressureSwing * Math.cos(phi) + rng.normal(0, 0.01)));
      }
    } else {
      if (!o.hover && ts.length && downs[downs.length - 1] === 0) continue;
      const u = (now - pc.t0) / (pc.t1 - pc.t0);
      px = pc.xFrom + u * (pc.xTo - pc.xFrom);
      py = baseY - 2 * Math.sin(Math.PI * u);
      down = 0;
    }
    if (tremor) {
      const d = tremor.amplitudeMm * Math.sin(2 * Math.PI * tremor.hz * now + tremorPhase);
      px += d * Math.cos(tremorAngle);
      py += d * Math.sin(tremorAngle);
    }
    ts.push(now * 1000);
    xs.push(px + rng.normal(0, o.noiseMm));
    ys.push(py + rng.normal(0, o.noiseMm));
    ps.push(pressure);
    downs.push(down);
  }

  const input: PenInput = {
    task: 'handwriting',
    tMs: Float64Array.from(ts),
    xMm: Float64Array.from(xs),
    yMm: Float64Array.from(ys),
    pressure: o.pressureMean === null ? null : Float64Array.from(ps),
    tiltXDeg: null,
    tiltYDeg: null,
    penDown: Uint8Array.from(downs),
    targetXMm: null,
    targetYMm: null,
    flags: [],
  };
  return {
    input,
    truth: {
      strokeHz: durs.length / total,
      cycles: durs.length,
      penLifts,
      breaks,
      letterWidthMm,
      amplitudeMm: A,
      fluent,
      longGaps: o.longGaps,
      cycleDurationsS: durs,
    },
  };
}
