import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import type { Note, ScaleInput } from '../inputs.js';
import { scaleAnalyzer, scaleCoverage } from './index.js';
import { SCALE_METRICS } from './metrics.js';
import { DOWN_STEPS, UP_STEPS } from './runs.js';

// One up-and-down repetition from C4 (the top note C6 shared), hand-made onsets, velocities and
// releases; the expected values were computed with numpy (np.polyfit, np.std(ddof=1)).
const UP_ON = [0, 120, 250, 370, 500, 630, 750, 880, 1000, 1130, 1250, 1370, 1500, 1620, 1760];
const DOWN_ON = [1760, 1880, 2000, 2130, 2250, 2380, 2500, 2620, 2750, 2870, 3000, 3130, 3250, 3370, 3500];
const UP_VEL = [60, 62, 64, 60, 58, 62, 66, 64, 60, 62, 64, 60, 58, 62, 70];
const DOWN_VEL = [70, 64, 62, 60, 66, 58, 60, 62, 64, 66, 60, 62, 64, 58, 56];
/** Releases: next onset + 10, 5, 15, 0, −5, 20, 8 ms (cycling); the last note is never released. */
const OFF = [
  130,
  255,
  385,
  500,
  625,
  770,
  888,
  1010,
  1135,
  1265,
  1370,
  1495,
  1640,
  1768,
  1890,
  2005,
  2145,
  2250,
  2375,
  2520,
  2628,
  2760,
  2875,
  3015,
  3130,
  3245,
  3390,
  3508,
  null,
];

function handExample(): ScaleInput {
  const onsets = [...UP_ON, ...DOWN_ON.slice(1)];
  const pitches = [...UP_STEPS.map((s) => 60 + s), ...DOWN_STEPS.slice(1).map((s) => 84 - s)];
  const velocities = [...UP_VEL, ...DOWN_VEL.slice(1)];
  const notes: Note[] = onsets.map((onMs, i) => ({
    pitch: pitches[i]!,
    onMs,
    offMs: OFF[i]!,
    velocity: velocities[i]!,
    channel: 0,
  }));
  return { task: 'scale', notes, sustain: [], tempoBpm: 118, flags: [] };
}

/** Notes at 125 ms spacing from `t0` with the given pitches. */
function notesOf(pitches: number[], t0 = 0, ioi = 125): Note[] {
  return pitches.map((pitch, i) => ({
    pitch,
    onMs: t0 + i * ioi,
    offMs: t0 + i * ioi + 120,
    velocity: 64,
    channel: 0,
  }));
}

const UP = (c: number) => UP_STEPS.map((s) => c + s);
const DOWN = (top: number) => DOWN_STEPS.map((s) => top - s);
const input = (notes: Note[], tempoBpm: number | null = null): ScaleInput => ({
  task: 'scale',
  notes,
  sustain: [],
  tempoBpm,
  flags: [],
});

describe('scaleAnalyzer on a hand-computed example', () => {
  const { metrics, quality_flags } = analyze(handExample(), { hand: 'right' });

  it('gives the contract IDs as computed by hand', () => {
    expect(metrics.note_count).toBe(29);
    expect(metrics.ioi_mean_ms).toBeCloseTo(125, 10);
    expect(metrics.ioi_sd_ms).toBeCloseTo(5.798793818359798, 10);
    expect(metrics.line_fit_residual_rms_ms).toBeCloseTo(3.7952502655768, 10);
    expect(metrics.velocity_sd).toBeCloseTo(3.4105830986941, 10);
  });

  it('gives the measures.md metrics as computed by hand', () => {
    expect(metrics.ioi_sd_up_ms).toBeCloseTo(6.46206172658864, 10);
    expect(metrics.ioi_sd_down_ms).toBeCloseTo(5.135525910130955, 10);
    expect(metrics.line_fit_residual_rms_up_ms).toBeCloseTo(4.129837231121285, 10);
    expect(metrics.line_fit_residual_rms_down_ms).toBeCloseTo(3.4606633000323144, 10);
    expect(metrics.overall_unevenness_ms).toBeCloseTo(5.798793818359798, 10);
    expect(metrics.ioi_cv_pct).toBeCloseTo(4.636154357453729, 10);
    expect(metrics.legato_overlap_mean_ms).toBeCloseTo(7.571428571428571, 10);
    expect(metrics.legato_overlap_sd_ms).toBeCloseTo(8.206135469309492, 10);
    expect(metrics.key_down_duration_sd_ms).toBeCloseTo(8.270618185542967, 10);
    expect(metrics.tempo_drift_ms_per_note).toBeCloseTo(0.2857142857142838, 10);
    expect(metrics.tempo_error_ms).toBeCloseTo(-2.118644067796609, 10);
    expect(metrics.correct_run_count).toBe(2);
    expect(metrics.incorrect_run_count).toBe(0);
    expect(metrics.run_error_rate_pct).toBe(0);
    expect(metrics.unmatched_note_count).toBe(0);
    // one run per direction: no profile across runs
    expect(metrics.systematic_profile_rms_ms).toBeNull();
    expect(metrics.trial_to_trial_sd_ms).toBeNull();
    expect(quality_flags).toEqual([]);
  });

  it('returns every catalogue ID and nothing else', () => {
    expect(Object.keys(metrics).sort()).toEqual(SCALE_METRICS.map((m) => m.id).sort());
  });

  it('does not depend on the order of the input notes', () => {
    const shuffled = handExample();
    shuffled.notes.reverse();
    expect(analyze(shuffled).metrics).toEqual(metrics);
  });
});

describe('scale metric catalogue', () => {
  it('has the contract IDs, unique snake_case IDs and complete definitions', () => {
    const ids = SCALE_METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['note_count', 'ioi_mean_ms', 'ioi_sd_ms', 'line_fit_residual_rms_ms', 'velocity_sd']) {
      expect(SCALE_METRICS.find((m) => m.id === id)?.origin).toBe('contract');
    }
    for (const m of SCALE_METRICS) {
      expect(m.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(m.task).toBe('scale');
      expect(m.citation).toContain('measures.md §');
      // 1.1.0: the run metrics with their meaning for block D passages (passage.test.ts)
      expect(m.version).toBe(m.id === 'note_count' || m.id.startsWith('passage_') ? '1.0.0' : '1.1.0');
    }
  });
});

describe('scale run segmentation in the analysis', () => {
  it('finds a run starting on any C and shares the top note of an up-and-down run', () => {
    for (const c of [0, 24, 36, 48, 60, 72, 96]) {
      const { metrics } = analyze(input(notesOf([...UP(c), ...DOWN(c + 24).slice(1)])));
      expect(metrics.correct_run_count).toBe(2);
      expect(metrics.ioi_sd_up_ms).toBe(0);
      expect(metrics.ioi_sd_down_ms).toBe(0);
    }
  });

  it('finds a descending run on its own, and a down-and-up run sharing the bottom note', () => {
    expect(analyze(input(notesOf(DOWN(84)))).metrics.correct_run_count).toBe(1);
    const downUp = analyze(input(notesOf([...DOWN(84), ...UP(60).slice(1)]))).metrics;
    expect(downUp.correct_run_count).toBe(2);
    expect(downUp.incorrect_run_count).toBe(0);
  });

  it('counts a run with a wrong note as incorrect and leaves it out of the timing metrics', () => {
    const up = UP(60);
    up[5] = 70; // A# instead of A
    const notes = notesOf([...up, ...DOWN(84).slice(1)]);
    // make the wrong run uneven: if it were used, the up SD would not be null
    notes[3]!.onMs += 30;
    const result = analyze(input(notes));
    expect(result.metrics.correct_run_count).toBe(1);
    expect(result.metrics.incorrect_run_count).toBe(1);
    expect(result.metrics.run_error_rate_pct).toBe(50);
    expect(result.metrics.unmatched_note_count).toBe(14);
    expect(result.metrics.ioi_sd_up_ms).toBeNull();
    expect(result.metrics.ioi_sd_ms).toBe(0);
    expect(result.quality_flags).toEqual(['WRONG_NOTES']);
  });

  it('counts missing and extra notes as incorrect runs', () => {
    const missing = UP(60).filter((_, k) => k !== 6);
    expect(analyze(input(notesOf([...missing, ...DOWN(84).slice(1)]))).metrics).toMatchObject({
      correct_run_count: 1,
      incorrect_run_count: 1,
    });
    const extra = [...UP(60).slice(0, 8), 73, ...UP(60).slice(8)];
    expect(analyze(input(notesOf([...extra, ...DOWN(84).slice(1)]))).metrics).toMatchObject({
      correct_run_count: 1,
      incorrect_run_count: 1,
      unmatched_note_count: 15,
    });
  });

  it('counts a stray note after a pause as one incorrect run, and separate attempts separately', () => {
    const good = notesOf([...UP(60), ...DOWN(84).slice(1)]);
    const stray = notesOf([61], 10_000);
    const wrong = notesOf(
      [
        ...UP(60).map((p, k) => (k === 4 ? p + 1 : p)),
        ...DOWN(84)
          .slice(1)
          .map((p, k) => (k === 7 ? p - 1 : p)),
      ],
      20_000,
    );
    const { metrics } = analyze(input([...good, ...stray, ...wrong]));
    expect(metrics.correct_run_count).toBe(2);
    expect(metrics.incorrect_run_count).toBe(3); // the stray note + both runs of the third attempt
    expect(metrics.unmatched_note_count).toBe(1 + 29);
  });

  it('takes one two-octave run from a three-octave scale', () => {
    const threeOctaves = [...UP(48), 74, 76, 77, 79, 81, 83, 84];
    const { metrics } = analyze(input(notesOf(threeOctaves)));
    expect(metrics.correct_run_count).toBe(1);
    expect(metrics.incorrect_run_count).toBe(1);
  });

  it('gives null timing metrics and flags without a correct run', () => {
    const result = analyze(input(notesOf([60, 62, 64, 65, 67])));
    expect(result.metrics.note_count).toBe(5);
    expect(result.metrics.ioi_mean_ms).toBeNull();
    expect(result.metrics.ioi_sd_ms).toBeNull();
    expect(result.metrics.line_fit_residual_rms_ms).toBeNull();
    expect(result.metrics.velocity_sd).toBeNull();
    expect(result.metrics.run_error_rate_pct).toBe(100);
    expect(result.quality_flags).toEqual(['NO_CORRECT_RUN', 'TOO_FEW_EVENTS', 'WRONG_NOTES']);
    const empty = analyze(input([]));
    expect(empty.metrics.note_count).toBe(0);
    expect(empty.metrics.run_error_rate_pct).toBeNull();
    expect(empty.quality_flags).toEqual(['NO_CORRECT_RUN', 'TOO_FEW_EVENTS']);
  });

  it('computes the systematic profile and trial-to-trial variability from two runs per direction', () => {
    // two identical up runs with note 7 late by 10 ms: the profile is the run's own deviation, σ[k] = 0
    const run = notesOf(UP(60));
    run[7]!.onMs += 10;
    const second = run.map((n) => ({ ...n, onMs: n.onMs + 5000, offMs: n.offMs! + 5000 }));
    const { metrics } = analyze(input([...run, ...second]));
    expect(metrics.correct_run_count).toBe(2);
    expect(metrics.trial_to_trial_sd_ms).toBeCloseTo(0, 12);
    expect(metrics.systematic_profile_rms_ms).toBeCloseTo(metrics.line_fit_residual_rms_ms!, 12);
    expect(metrics.systematic_profile_rms_ms).toBeGreaterThan(2);
  });

  it('flags the sustain pedal and ignores the hand for the metrics', () => {
    const pedal: ScaleInput = {
      ...handExample(),
      sustain: [
        { ms: 100, value: 127 },
        { ms: 900, value: 0 },
      ],
    };
    const left = scaleAnalyzer.analyze(pedal, { hand: 'left' });
    expect(left.flags).toEqual(['SUSTAIN_PEDAL']);
    expect(left.metrics).toEqual(scaleAnalyzer.analyze(pedal, { hand: 'right' }).metrics);
    const released: ScaleInput = { ...handExample(), sustain: [{ ms: 100, value: 0 }] };
    expect(scaleAnalyzer.analyze(released, { hand: null }).flags).toEqual([]);
  });
});

describe('scaleCoverage', () => {
  it('names only catalogue IDs, covers every catalogue ID, and explains every unimplemented metric', () => {
    const ids = new Set(SCALE_METRICS.map((m) => m.id));
    const covered = new Set(scaleCoverage.flatMap((row) => row.ids));
    for (const id of covered) expect(ids.has(id), id).toBe(true);
    for (const id of ids) expect(covered.has(id), id).toBe(true);
    for (const row of scaleCoverage) if (row.ids.length === 0) expect(row.note?.length).toBeGreaterThan(10);
  });
});
