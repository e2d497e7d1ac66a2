import { describe, expect, it } from 'vitest';
import type { Note, ScaleInput } from '../inputs.js';
import { scaleAnalyzer, scaleProfile, splitHands } from './index.js';
import { DOWN_STEPS, UP_STEPS } from './runs.js';

const IOI = 125;

/** One one-way run from `base` at `startMs`: onsets IOI apart plus `shift[k]`, velocity 60 + vel[k]. */
function run(
  direction: 'up' | 'down',
  base: number,
  startMs: number,
  shift: Partial<Record<number, number>> = {},
  velocity: (k: number) => number = () => 64,
): Note[] {
  const steps = direction === 'up' ? UP_STEPS : DOWN_STEPS;
  const sign = direction === 'up' ? 1 : -1;
  return steps.map((step, k) => {
    const onMs = startMs + k * IOI + (shift[k] ?? 0);
    return { pitch: base + sign * step, onMs, offMs: onMs + 100, velocity: velocity(k), channel: 0 };
  });
}

const input = (notes: Note[]): ScaleInput => ({
  task: 'scale',
  notes,
  sustain: [],
  tempoBpm: 120,
  flags: [],
});

describe('scaleProfile', () => {
  it('gives d[k], m[k], σ[k], the IOIs and the velocities of the correct runs, computed by hand', () => {
    // run 1: note 8 (k = 7, the middle) 15 ms late; run 2 even. The line through run 1 rises by
    // 15/15 = 1 ms with an unchanged slope (the shifted note is at the mean of k), so d = −1 except
    // d[7] = 14; run 2 has d = 0.
    const notes = [
      ...run('up', 60, 0, { 7: 15 }, (k) => 60 + k),
      ...run('up', 60, 5000, {}, (k) => (k % 2 === 0 ? 70 : 50)),
    ];
    const [up, down] = scaleProfile(input(notes), 'right');
    expect(up!.hand).toBe('right');
    expect(up!.direction).toBe('up');
    expect(up!.pitches).toEqual(UP_STEPS.map((s) => 60 + s));
    expect(up!.runs.map((r) => r.startMs)).toEqual([0, 5000]);
    const d1 = up!.runs[0]!.deviationsMs;
    d1.forEach((d, k) => expect(d).toBeCloseTo(k === 7 ? 14 : -1, 9));
    up!.runs[1]!.deviationsMs.forEach((d) => expect(d).toBeCloseTo(0, 9));
    up!.deviation!.mean.forEach((m, k) => expect(m).toBeCloseTo(k === 7 ? 7 : -0.5, 9));
    up!.deviation!.sd!.forEach((s, k) => expect(s).toBeCloseTo(k === 7 ? Math.sqrt(98) : Math.sqrt(0.5), 9));
    expect(up!.runs[0]!.ioisMs).toEqual([
      125, 125, 125, 125, 125, 125, 140, 110, 125, 125, 125, 125, 125, 125,
    ]);
    expect(up!.runs[0]!.ioiSdMs).toBeCloseTo(Math.sqrt(450 / 13), 9);
    expect(up!.runs[1]!.ioiSdMs).toBe(0);
    expect(up!.ioiSdMs).toBeCloseTo(Math.sqrt(450 / 13) / 2, 9);
    expect(up!.ioiMeanMs).toBeCloseTo(125, 9);
    expect(up!.ioi!.mean[6]).toBeCloseTo(132.5, 9);
    expect(up!.runs[0]!.velocities).toEqual(UP_STEPS.map((_, k) => 60 + k));
    expect(up!.velocity!.mean[0]).toBe(65);
    expect(up!.velocity!.sd![0]).toBeCloseTo(Math.SQRT2 * 5, 9);
    expect(up!.trialSdMs).toBeCloseTo((14 * Math.sqrt(0.5) + Math.sqrt(98)) / 15, 9);
    expect(up!.systematicRmsMs).toBeCloseTo(Math.sqrt((14 * 0.25 + 49) / 15), 9);
    // no descending run
    expect(down).toMatchObject({
      direction: 'down',
      runs: [],
      pitches: null,
      deviation: null,
      ioiSdMs: null,
    });
  });

  it('agrees with the scale metrics (same runs, same numbers) and leaves out runs with a wrong note', () => {
    const wrong = run('up', 60, 20_000, { 3: 4 });
    wrong[5] = { ...wrong[5]!, pitch: 70 };
    const notes = [
      ...run('up', 60, 0, { 3: 12, 9: -7 }, (k) => 60 + (k % 3)),
      ...run('down', 84, 1750, { 1: 5, 12: 9 }).slice(1),
      ...run('up', 60, 8000, { 2: -6, 13: 4 }, (k) => 62 - (k % 4)),
      ...run('down', 84, 9750, { 6: 11 }).slice(1),
      ...run('up', 60, 14_000, { 7: 3 }),
      ...wrong,
    ];
    const profiles = scaleProfile(input(notes), 'left');
    const metrics = scaleAnalyzer.analyze(input(notes), { hand: 'left' }).metrics;
    const [up, down] = profiles;
    expect(up!.runs).toHaveLength(3);
    expect(down!.runs).toHaveLength(2);
    expect(metrics.correct_run_count).toBe(5);
    expect(metrics.incorrect_run_count).toBe(1);
    expect(up!.ioiSdMs).toBeCloseTo(metrics.ioi_sd_up_ms!, 9);
    expect(down!.ioiSdMs).toBeCloseTo(metrics.ioi_sd_down_ms!, 9);
    expect((up!.trialSdMs! + down!.trialSdMs!) / 2).toBeCloseTo(metrics.trial_to_trial_sd_ms!, 9);
    expect((up!.systematicRmsMs! + down!.systematicRmsMs!) / 2).toBeCloseTo(
      metrics.systematic_profile_rms_ms!,
      9,
    );
    // every run's deviations sum to 0 (a least-squares line with an intercept)
    for (const r of [...up!.runs, ...down!.runs])
      expect(r.deviationsMs.reduce((s, d) => s + d, 0)).toBeCloseTo(0, 9);
  });

  it('with one run gives m[k] = d[k] and no σ[k]', () => {
    const [up] = scaleProfile(input(run('up', 48, 0, { 4: 8 })));
    expect(up!.hand).toBeNull();
    expect(up!.deviation!.mean).toEqual(up!.runs[0]!.deviationsMs);
    expect(up!.deviation!.sd).toBeNull();
    expect(up!.trialSdMs).toBeNull();
    expect(up!.systematicRmsMs).toBeNull();
    expect(up!.ioiSdMs).not.toBeNull();
  });

  it('gives two empty directions for no notes', () => {
    expect(scaleProfile(input([]), 'right').map((p) => [p.direction, p.runs.length])).toEqual([
      ['up', 0],
      ['down', 0],
    ]);
  });

  it('splits a both-hands recording into the hands, middle C by the other hand’s note', () => {
    // both hands in parallel: left C2–C4 up and down, right C4–C6, each pair 3 ms apart
    const left = [...run('up', 36, 0, { 5: 6 }), ...run('down', 60, 1750).slice(1)];
    const right = [...run('up', 60, 3), ...run('down', 84, 1753, { 9: -5 }).slice(1)];
    const notes = [...left, ...right].sort((a, b) => a.onMs - b.onMs);
    const split = splitHands(notes);
    expect(split.left.map((n) => n.onMs)).toEqual(left.map((n) => n.onMs));
    expect(split.right.map((n) => n.onMs)).toEqual(right.map((n) => n.onMs));

    const profiles = scaleProfile(input(notes), 'both');
    expect(profiles.map((p) => [p.hand, p.direction, p.runs.length])).toEqual([
      ['left', 'up', 1],
      ['left', 'down', 1],
      ['right', 'up', 1],
      ['right', 'down', 1],
    ]);
    expect(profiles[0]!.pitches![0]).toBe(36);
    expect(profiles[3]!.pitches![0]).toBe(84);
    // as one line of notes, nothing matches
    expect(scaleProfile(input(notes), 'right').every((p) => p.runs.length === 0)).toBe(true);
  });
});
