import type { Tap } from '../inputs.js';
import { seededRandom } from '../random.js';
import type { TappingInputWithTargets, TargetCentre } from './analyzer.js';

/** Metronome part of a simulated synchronisation–continuation trial (TAP-B, measures.md 6.2). */
export interface SimulatedBeats {
  /** Clicks (and synchronised taps) before the metronome stops (default 20). */
  syncTaps?: number;
  /** Mean and SD of the asynchrony of synchronised taps, ms (defaults −30 and 25). */
  asynchronyMeanMs?: number;
  asynchronySdMs?: number;
}

/** Ground truth of a simulated tapper. Times in ms. */
export interface TappingTruth {
  /** Mean interval of the timer (and of the taps): the metronome interval with beats. */
  itiMs: number;
  /** SD of the motor delays M_n (Wing–Kristofferson). */
  motorSdMs: number;
  /** SD of the timer intervals C_n. */
  timerSdMs: number;
  /** Mean dwell (contact) time. */
  dwellMs: number;
  /** SD of the dwell time (default 12; dwell is kept within 20 ms … 0.8 × itiMs). */
  dwellSdMs?: number;
  /**
   * Without beats: number of taps (default 100). With beats: number of continuation taps after the
   * metronome stops (default 30, the TAP-B protocol).
   */
  taps?: number;
  /** Add a metronome: synchronised taps first, then continuation (the WK model applies there). */
  beats?: SimulatedBeats | boolean;
  /** Probability that a tap goes to the same target as the previous one (default 0). */
  alternationErrorRate?: number;
  /** SD of tap positions around the target centre, per axis, mm (default 2). */
  spatialSdMm?: number;
  /** Distance between the two target centres, mm (default 25). */
  centreDistanceMm?: number;
  /** Time stamps quantised up to this grid, ms (default 0: none; 1000/120 for a 120-Hz touchscreen). */
  quantumMs?: number;
}

export interface SimulatedTapping {
  input: TappingInputWithTargets;
  truth: Required<Omit<TappingTruth, 'beats'>> & {
    beats: Required<SimulatedBeats> | null;
    /** Target centres, mm. */
    centres: Record<string, TargetCentre>;
    /** Alternation errors generated. */
    alternationErrors: number;
    /** Model values: var(I) = σc² + 2σm², γ(1) = −σm², ρ(1) = −σm² / var(I). */
    intervalVarianceMs2: number;
    lag1AutocorrelationModel: number;
  };
}

/**
 * A seeded simulated tapper. Response times follow the Wing–Kristofferson model: timer pulses
 * T_n = T_{n−1} + C_n with C_n ~ N(itiMs, timerSdMs²), responses R_n = T_n + M_n with motor delays
 * M_n ~ N(0, motorSdMs²), so the intervals are I_n = C_n + M_n − M_{n−1}. With `beats`, `syncTaps`
 * clicks at itiMs spacing come first, each tap at click + N(asynchronyMeanMs, asynchronySdMs²); the
 * metronome then stops (continuationFromMs = last click + itiMs/2) and the timer runs on from the
 * last click (+ the mean asynchrony) for `taps` continuation taps. Taps alternate between targets
 * `left` and `right` (except for alternation errors) at N(centre, spatialSdMm²) per axis; the centres
 * are in `targetCentresMm`. Dwell ~ N(dwellMs, dwellSdMs²), clipped.
 * @param seed - same seed, same taps
 */
export function simulateTapping(seed: number, truth: TappingTruth): SimulatedTapping {
  const rng = seededRandom(seed);
  const t = {
    dwellSdMs: 12,
    taps: truth.beats ? 30 : 100,
    alternationErrorRate: 0,
    spatialSdMm: 2,
    centreDistanceMm: 25,
    quantumMs: 0,
    ...truth,
  };
  const beats: Required<SimulatedBeats> | null = t.beats
    ? {
        syncTaps: 20,
        asynchronyMeanMs: -30,
        asynchronySdMs: 25,
        ...(typeof t.beats === 'object' ? t.beats : {}),
      }
    : null;
  const quantise = (ms: number) => (t.quantumMs > 0 ? Math.ceil(ms / t.quantumMs) * t.quantumMs : ms);
  const centres: Record<string, TargetCentre> = {
    left: { xMm: 60, yMm: 120 },
    right: { xMm: 60 + t.centreDistanceMm, yMm: 120 },
  };

  const downs: number[] = [];
  const beatsMs: number[] = [];
  let continuationFromMs: number | null = null;
  let timer = rng.uniform(2000, 40_000);
  if (beats) {
    for (let k = 0; k < beats.syncTaps; k++) {
      const click = timer + k * t.itiMs;
      beatsMs.push(click);
      downs.push(click + rng.normal(beats.asynchronyMeanMs, beats.asynchronySdMs));
    }
    const lastClick = beatsMs[beatsMs.length - 1]!;
    continuationFromMs = lastClick + t.itiMs / 2;
    timer = lastClick + beats.asynchronyMeanMs;
  }
  for (let n = 0; n < t.taps; n++) {
    timer += rng.normal(t.itiMs, t.timerSdMs);
    downs.push(timer + rng.normal(0, t.motorSdMs));
  }

  downs.sort((a, b) => a - b);
  const taps: Tap[] = [];
  let target = rng.next() < 0.5 ? 'left' : 'right';
  let alternationErrors = 0;
  downs.forEach((down, i) => {
    if (i > 0) {
      if (rng.next() < t.alternationErrorRate) alternationErrors++;
      else target = target === 'left' ? 'right' : 'left';
    }
    const dwell = Math.min(0.8 * t.itiMs, Math.max(20, rng.normal(t.dwellMs, t.dwellSdMs)));
    const centre = centres[target]!;
    taps.push({
      downMs: quantise(down),
      upMs: quantise(down + dwell),
      target,
      xMm: centre.xMm + rng.normal(0, t.spatialSdMm),
      yMm: centre.yMm + rng.normal(0, t.spatialSdMm),
    });
  });

  const varI = t.timerSdMs ** 2 + 2 * t.motorSdMs ** 2;
  return {
    input: {
      task: 'tapping',
      taps,
      beatsMs,
      continuationFromMs,
      flags: [],
      targetCentresMm: centres,
    },
    truth: {
      ...t,
      beats,
      centres,
      alternationErrors,
      intervalVarianceMs2: varI,
      lag1AutocorrelationModel: varI > 0 ? -(t.motorSdMs ** 2) / varI : 0,
    },
  };
}
