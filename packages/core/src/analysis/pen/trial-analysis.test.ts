import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import { analyze } from '../analyze.js';
import { median } from '../dsp/stats.js';
import type { PenInput } from '../inputs.js';
import { testRecording } from '../test-utils/recording.js';
import { penFromRecording } from './from-recording.js';
import { HANDWRITING_METRICS } from './handwriting.js';
import { PRECISION_METRICS } from './precision.js';
import { distanceToPath, type KeptTrial, type PenRecordingInput } from './recording-facts.js';
import { simulateHandwriting } from './simulate-handwriting.js';

/** Several simulated inputs, one after the other, as one input (columns concatenated). */
function concatenate(parts: PenInput[]): PenInput {
  const cat = (pick: (p: PenInput) => Float64Array) => Float64Array.from(parts.flatMap((p) => [...pick(p)]));
  return {
    ...parts[0]!,
    tMs: cat((p) => p.tMs),
    xMm: cat((p) => p.xMm),
    yMm: cat((p) => p.yMm),
    pressure: cat((p) => p.pressure!),
    penDown: Uint8Array.from(parts.flatMap((p) => [...p.penDown!])),
    flags: [],
  };
}

/** Loop writing of 8 s at `strokeHz`, starting at `t0Ms`. */
const writing = (seed: number, strokeHz: number, t0Ms: number) =>
  simulateHandwriting(seed, { durationS: 8, strokeHz, t0Ms, cyclesPerWord: 8 }).input;

const window = (input: PenInput, complete = true): KeptTrial => ({
  trial: null,
  startMs: input.tMs[0]!,
  endMs: input.tMs[input.tMs.length - 1]!,
  complete,
});

describe('handwriting: several trials in one recording', () => {
  const trials = [writing(1, 4, 1_000), writing(2, 5, 30_000), writing(3, 6, 60_000)];
  // writing at 9 Hz between the trials (during a rest), outside every kept window
  const outside = writing(4, 9, 15_000);
  const all = concatenate([trials[0]!, outside, trials[1]!, trials[2]!]);

  it('analyses each kept trial on its own samples and reports the median over the trials', () => {
    const input: PenInput = { ...all, trials: trials.map((t) => window(t)) };
    const out = analyze(input);
    const alone = trials.map((t) => analyze(t).metrics);
    expect(out.metrics['handwriting_trial_count']).toBe(3);
    // the trial at 5 Hz is the middle one; the 9-Hz writing of the rest is not analysed
    expect(out.metrics['stroke_frequency_hz']).toBe(alone[1]!['stroke_frequency_hz']);
    expect(Math.abs(out.metrics['stroke_frequency_hz']! - 5)).toBeLessThan(0.1);
    for (const { id } of HANDWRITING_METRICS) {
      if (id === 'handwriting_trial_count' || id === 'writing_speed_letters_per_min') continue;
      const values = alone.map((m) => m[id]).filter((v): v is number => v !== null);
      expect(out.metrics[id], id).toBe(values.length ? median(values) : null);
    }
    // the rests do not count: the median trial's writing time is that of its own ~9 s
    expect(out.metrics['total_writing_time_s']).toBe(median(alone.map((m) => m['total_writing_time_s']!)));
    expect(out.metrics['total_writing_time_s']).toBeLessThan(10);
    // without trials the whole input is one drawing, rests included
    const whole = analyze(all).metrics;
    expect(whole['handwriting_trial_count']).toBe(1);
    expect(whole['total_writing_time_s']).toBeGreaterThan(60);
    expect(whole['writing_speed_letters_per_min']).toBeNull();
  });

  it('gives the writing speed of complete sentence trials: letters × 60 / first-to-last pen-down time', () => {
    const sentence = (complete: boolean[], part = 'sentence'): PenRecordingInput => ({
      ...all,
      trials: trials.map((t, k) => window(t, complete[k])),
      part,
      textLetters: 36,
    });
    const writingS = trials.map((t) => (t.tMs[t.tMs.length - 1]! - t.tMs[0]!) / 1000);
    const speeds = writingS.map((s) => (36 * 60) / s);
    const speed = (input: PenInput) => analyze(input).metrics['writing_speed_letters_per_min'];
    expect(speed(sentence([true, true, true]))).toBeCloseTo(median(speeds), 10);
    expect(speed(sentence([true, true, true], 'fast'))).toBeCloseTo(median(speeds), 10);
    // a trial cut short (Finish, time limit) is analysed but has no writing speed
    expect(speed(sentence([true, false, true]))).toBeCloseTo((speeds[0]! + speeds[2]!) / 2, 10);
    expect(analyze(sentence([true, false, true])).metrics['handwriting_trial_count']).toBe(3);
    // loops and copy: unknown text length
    expect(speed(sentence([true, true, true], 'loops'))).toBeNull();
    expect(speed(sentence([true, true, true], 'copy'))).toBeNull();
    // 8 s of pen-down writing and four 250-ms lifts per sentence of 36 letters: 36 × 60 / 9 s = 240 letters/min
    expect(Math.round(speed(sentence([true, true, true]))! / 10)).toBe(24);
  });
});

describe('precision traces: deviation from the target polyline', () => {
  it('distanceToPath is the distance to the nearest segment', () => {
    const path = { xMm: Float64Array.from([0, 40, 40]), yMm: Float64Array.from([0, 0, 30]) };
    expect(distanceToPath(20, -0.5, path)).toBe(0.5);
    expect(distanceToPath(40.5, 10, path)).toBe(0.5);
    expect(distanceToPath(43, 34, path)).toBe(5); // past the end: to the last point
    expect(distanceToPath(-3, 4, path)).toBe(5); // before the start: to the first point
    expect(distanceToPath(30, 5, path)).toBe(5); // inside the corner: both legs 5 and 10 away
  });

  /** Pointer rows, px at 4 px/mm: the tip traces the L-shaped path at `offsetMm` outside it, at 10 mm/s. */
  function traceRows(t0Ms: number, offsetMm: number, id: number) {
    const rows: { type: string; t: number; x: number; y: number; id: number }[] = [];
    const leg = (from: number, n: number, at: (k: number) => [number, number]) => {
      for (let k = 0; k <= n; k++) {
        const [x, y] = at(k);
        rows.push({
          type: k === 0 ? 'pointerdown' : k === n ? 'pointerup' : 'pointermove',
          t: from + k * 10,
          x,
          y,
          id,
        });
      }
    };
    // leg 1 along y = −offset for x 0…40 mm (4 s), a lift, then leg 2 along x = 40 + offset for y 0…30 mm (3 s)
    leg(t0Ms, 400, (k) => [4 * (k / 10), 4 * -offsetMm]);
    leg(t0Ms + 4_300, 300, (k) => [4 * (40 + offsetMm), 4 * (k / 10)]);
    return rows;
  }

  function traceRecording(offsetsMm: number[], params: Record<string, unknown> = { pxPerMm: 4 }) {
    const rows = offsetsMm.flatMap((offset, k) => traceRows(10_000 + 20_000 * k, offset, 2 + k));
    const pointer: Stream = {
      columns: {
        type: { type: 'str', values: rows.map((r) => r.type) },
        timeStampMs: { type: 'f64', values: rows.map((r) => r.t) },
        pointerId: { type: 'i32', values: rows.map((r) => r.id) },
        pointerType: { type: 'str', values: rows.map(() => 'pen') },
        isPrimary: { type: 'bool', values: rows.map(() => true) },
        xPx: { type: 'f64', values: rows.map((r) => r.x) },
        yPx: { type: 'f64', values: rows.map((r) => r.y) },
      },
    };
    const attempts = offsetsMm.map((_, k) => ({
      trial: k + 1,
      startMs: 9_500 + 20_000 * k,
      endMs: 18_000 + 20_000 * k,
      outcome: 'kept',
      strokes: { pen: 2, touch: 0, mouse: 0, other: 0, rejected: 0 },
    }));
    return testRecording(
      'precision',
      { pointer },
      {
        params: {
          ...params,
          part: 'zigzag',
          target: { part: 'zigzag', path: { xPx: [0, 160, 160], yPx: [0, 0, 120], closed: false } },
          attempts,
        },
      },
    );
  }

  it('measures the distance from each resampled tip position to the polyline, per trial, median over trials', () => {
    const input = penFromRecording(traceRecording([0.5, 0.8, 1.5]));
    expect(input.targetXMm).toBeNull();
    expect(Array.from((input as PenRecordingInput).targetPath!.xMm)).toEqual([0, 40, 40]);
    const m = analyze(input).metrics;
    expect(m['precision_trial_count']).toBe(3);
    expect(m['path_deviation_rms_mm']).toBeCloseTo(0.8, 9);
    expect(m['path_deviation_p95_mm']).toBeCloseTo(0.8, 9);
    // within 1 mm all the time in the first two trials, never in the third
    expect(m['time_within_1mm_pct']).toBe(100);
    const one = analyze(penFromRecording(traceRecording([1.5]))).metrics;
    expect(one['path_deviation_rms_mm']).toBeCloseTo(1.5, 9);
    expect(one['time_within_1mm_pct']).toBe(0);
    expect(one['precision_trial_count']).toBe(1);
  });

  it('leaves the deviation null without a screen calibration, and the other metrics as they were', () => {
    const m = analyze(penFromRecording(traceRecording([0.5], {}))).metrics;
    expect(m['path_deviation_rms_mm']).toBeNull();
    expect(m['time_within_1mm_pct']).toBeNull();
    expect(m['pen_lift_count']).toBe(1);
    expect(Object.keys(m).sort()).toEqual(PRECISION_METRICS.map((d) => d.id).sort());
  });
});
