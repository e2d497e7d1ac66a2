import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { analyze } from '../analyze.js';
import { median } from '../dsp/stats.js';
import type { PenInput } from '../inputs.js';
import { testRecording } from '../test-utils/recording.js';
import { codeOf } from '../formats/test-utils/fixtures.js';
import { penFromRecording } from './from-recording.js';
import { simulateSpiral } from './simulate-spiral.js';
import { SPIRAL_METRICS } from './spiral.js';
import { penTrialInputs, penTrials } from './trials.js';

const PX_PER_MM = 4;

/** Pointer rows of one pen stroke drawn from a simulated spiral (pen down throughout). */
function strokeRows(input: PenInput) {
  const n = input.tMs.length;
  return Array.from({ length: n }, (_, i) => ({
    type: i === 0 ? 'pointerdown' : i === n - 1 ? 'pointerup' : 'pointermove',
    t: input.tMs[i]!,
    x: input.xMm[i]! * PX_PER_MM,
    y: input.yMm[i]! * PX_PER_MM,
    pressure: i === n - 1 ? 0 : input.pressure![i]!,
  }));
}

function pointerStream(rows: ReturnType<typeof strokeRows>): Stream {
  return {
    columns: {
      type: { type: 'str', values: rows.map((r) => r.type) },
      timeStampMs: { type: 'f64', values: rows.map((r) => r.t) },
      pointerId: { type: 'i32', values: rows.map(() => 2) },
      pointerType: { type: 'str', values: rows.map(() => 'pen') },
      isPrimary: { type: 'bool', values: rows.map(() => true) },
      xPx: { type: 'f64', values: rows.map((r) => r.x) },
      yPx: { type: 'f64', values: rows.map((r) => r.y) },
      pressureNorm: { type: 'f64', values: rows.map((r) => r.pressure) },
    },
  };
}

function markerStream(markers: [number, string][]): Stream {
  return {
    columns: {
      timeStampMs: { type: 'f64', values: markers.map((m) => m[0]) },
      label: { type: 'str', values: markers.map((m) => m[1]) },
    },
  };
}

/** Four attempts 20 s apart, each a simulated 4.5-turn spiral with a 6-Hz tremor of this amplitude. */
const ATTEMPTS = [
  { trial: 1, outcome: 'kept', ampPpMm: 0.5 },
  { trial: 2, outcome: 'redone', ampPpMm: 3 },
  { trial: 2, outcome: 'kept', ampPpMm: 1.5 },
  { trial: 3, outcome: 'kept', ampPpMm: 1 },
] as const;

const spirals = ATTEMPTS.map((a, k) => {
  const startMs = 20_000 * k;
  const { input } = simulateSpiral(10 + k, { tremorHz: 6, tremorAmpPpMm: a.ampPpMm, t0Ms: startMs + 500 });
  return { ...a, startMs, endMs: startMs + 15_000, rows: strokeRows(input) };
});

/**
 * The spiral task's recording of the attempts: markers as the run writes them (trial-start, trial-<k>,
 * trial-end, and redo-2 right after the redone attempt's trial-end) and params.attempts.
 */
function multiSpiralRecording(): Recording {
  const markers: [number, string][] = [];
  for (const s of spirals) {
    markers.push([s.startMs, 'trial-start'], [s.startMs, `trial-${s.trial}`], [s.endMs, 'trial-end']);
    if (s.outcome === 'redone') markers.push([s.endMs, `redo-${s.trial}`]);
  }
  return testRecording(
    'spiral',
    { pointer: pointerStream(spirals.flatMap((s) => s.rows)), markers: markerStream(markers) },
    {
      params: {
        pxPerMm: PX_PER_MM,
        trials: 3,
        attempts: spirals.map((s) => ({
          trial: s.trial,
          startMs: s.startMs,
          endMs: s.endMs,
          outcome: s.outcome,
          strokes: { pen: 1, touch: 0, mouse: 0, other: 0, rejected: 0 },
        })),
      },
    },
  );
}

/** One spiral alone, as a recording without trial markers. */
function singleSpiralRecording(k: number): Recording {
  return testRecording('spiral', { pointer: pointerStream(spirals[k]!.rows) }, { params: { pxPerMm: 4 } });
}

describe('several spirals in one recording', () => {
  it('gives the median over the kept spirals; the redone attempt is left out', () => {
    const out = analyze(penFromRecording(multiSpiralRecording()));
    const kept = [0, 2, 3].map((k) => analyze(penFromRecording(singleSpiralRecording(k))).metrics);
    // each kept spiral alone recovers its tremor amplitude
    expect(kept.map((m) => Math.round(m['tremor_amplitude_pp_mm']! * 10) / 10)).toEqual([0.5, 1.5, 1]);
    // the recording's amplitude is that of the middle one (1 mm), not of the redone 3-mm attempt
    expect(out.metrics['tremor_amplitude_pp_mm']).toBe(kept[2]!['tremor_amplitude_pp_mm']);
    expect(out.metrics['spiral_trial_count']).toBe(3);
    for (const { id } of SPIRAL_METRICS) {
      if (id === 'spiral_trial_count') continue;
      const values = kept.map((m) => m[id]).filter((v): v is number => v !== null);
      expect(out.metrics[id], id).toBe(values.length ? median(values) : null);
    }
    // the pen is lifted between spirals, but within none: no PEN_LIFTS; each spiral fits well
    expect(out.quality_flags).toEqual([]);
  });

  it('reads the kept attempts from the markers alone when params.attempts is missing', () => {
    const withAttempts = multiSpiralRecording();
    const markersOnly = { ...withAttempts, params: { pxPerMm: PX_PER_MM } };
    expect(penTrials(markersOnly)).toEqual(penTrials(withAttempts));
    expect(penTrials(withAttempts)).toEqual([
      { trial: 1, startMs: 0, endMs: 15_000, complete: true },
      { trial: 2, startMs: 40_000, endMs: 55_000, complete: true },
      { trial: 3, startMs: 60_000, endMs: 75_000, complete: true },
    ]);
    expect(analyze(penFromRecording(markersOnly)).metrics).toEqual(
      analyze(penFromRecording(withAttempts)).metrics,
    );
  });

  it('without trial markers analyses the whole recording as one drawing, as before', () => {
    const rec = multiSpiralRecording();
    const plain = { ...rec, params: { pxPerMm: PX_PER_MM }, streams: { pointer: rec.streams['pointer']! } };
    expect(penTrials(plain)).toBeNull();
    const input = penFromRecording(plain);
    expect(input.trials).toBeUndefined();
    expect(penTrialInputs(input)).toBeNull();
    const out = analyze(input);
    expect(out.metrics['spiral_trial_count']).toBe(1);
    expect(out.quality_flags).toEqual(expect.arrayContaining(['PEN_LIFTS', 'POOR_SPIRAL_FIT']));
  });

  it('keeps the redone-before-drawing case: redo-<k−1> after the empty next attempt drops spiral k−1', () => {
    const markers: [number, string][] = [
      [0, 'trial-start'],
      [0, 'trial-1'],
      [10, 'trial-end'],
      [10, 'trial-start'],
      [10, 'trial-2'],
      [12, 'trial-end'],
      [12, 'redo-1'],
      [12, 'trial-start'],
      [12, 'trial-1'],
      [20, 'trial-end'],
      [20, 'trial-start'],
      [20, 'trial-2'],
      [25, 'stop-request'],
      [30, 'trial-end'],
      [30, 'stop'],
    ];
    const rec = testRecording('spiral', { markers: markerStream(markers) });
    // spiral 1 redone, the empty attempt at 2 (no ink: no samples), spiral 1 again kept, 2 stopped
    expect(penTrials(rec)).toEqual([
      { trial: 2, startMs: 10, endMs: 12, complete: true },
      { trial: 1, startMs: 12, endMs: 20, complete: true },
    ]);
  });

  it('splits handwriting and precision recordings with markers into their kept trials too', () => {
    for (const taskId of ['handwriting', 'precision'] as const) {
      const rec = { ...multiSpiralRecording(), taskId };
      const input = penFromRecording(rec);
      expect(input.trials).toEqual(penTrials(multiSpiralRecording()));
      // only the rows of the three kept windows, not those of the redone attempt
      const kept = [0, 2, 3].reduce((n, k) => n + spirals[k]!.rows.length, 0);
      expect(input.tMs.length).toBe(kept);
    }
  });

  it('fails with E_INPUT_EMPTY when no attempt was kept', () => {
    const rec = multiSpiralRecording();
    const attempts = (rec.params['attempts'] as { outcome: string }[]).map((a) => ({
      ...a,
      outcome: 'redone',
    }));
    expect(codeOf(() => penFromRecording({ ...rec, params: { ...rec.params, attempts } }))).toBe(
      'E_INPUT_EMPTY',
    );
  });
});

describe('which attempts of a handwriting or precision recording are kept', () => {
  const ink = (pen: number) => ({ pen, touch: 0, mouse: 0, other: 0, rejected: 0 });
  /** A recording of `taskId` with these params and attempts (no samples needed for penTrials). */
  const withAttempts = (
    taskId: 'spiral' | 'handwriting' | 'precision',
    params: Record<string, unknown>,
    attempts: { startMs: number; endMs: number; outcome: string; pen?: number }[],
  ): Recording =>
    testRecording(
      taskId,
      {},
      {
        params: {
          ...params,
          attempts: attempts.map((a, k) => ({
            trial: k + 1,
            startMs: a.startMs,
            endMs: a.endMs,
            outcome: a.outcome,
            strokes: ink(a.pen ?? 1),
          })),
        },
      },
    );
  const windows = (rec: Recording) => penTrials(rec)!.map((t) => [t.startMs, t.endMs, t.complete]);

  it('timed parts: keeps an attempt cut short that lasted at least half of its planned time', () => {
    // loops of 20 s: a stopped attempt of 10 s is kept (half), one of 9.999 s is not; redone never
    const attempts = [
      { startMs: 0, endMs: 20_000, outcome: 'kept' },
      { startMs: 30_000, endMs: 40_000, outcome: 'stopped' },
      { startMs: 50_000, endMs: 59_999, outcome: 'time-limit' },
      { startMs: 60_000, endMs: 80_000, outcome: 'redone' },
      { startMs: 90_000, endMs: 90_500, outcome: 'empty', pen: 0 },
    ];
    expect(windows(withAttempts('handwriting', { part: 'loops', loopsDurationS: 20 }, attempts))).toEqual([
      [0, 20_000, true],
      [30_000, 40_000, false],
    ]);
    // copy: the default 120 s when the params do not say, so 10 s is too short
    expect(windows(withAttempts('handwriting', { part: 'copy' }, attempts))).toEqual([[0, 20_000, true]]);
    expect(
      windows(withAttempts('handwriting', { part: 'copy' }, [{ ...attempts[1]!, endMs: 90_000 }])),
    ).toEqual([[30_000, 90_000, false]]);
    // precision hold of 10 s: both cut-short attempts (10 s and 9.999 s) last more than 5 s
    expect(windows(withAttempts('precision', { part: 'hold', holdS: 10 }, attempts))).toEqual([
      [0, 20_000, true],
      [30_000, 40_000, false],
      [50_000, 59_999, false],
    ]);
    // spirals keep today's rule: cut-short attempts are dropped
    expect(windows(withAttempts('spiral', {}, attempts))).toEqual([[0, 20_000, true]]);
  });

  it('untimed parts: keeps an attempt cut short when it has ink', () => {
    const attempts = [
      { startMs: 0, endMs: 20_000, outcome: 'kept' },
      { startMs: 20_000, endMs: 21_000, outcome: 'stopped', pen: 2 },
      { startMs: 21_000, endMs: 40_000, outcome: 'time-limit', pen: 0 },
    ];
    for (const [taskId, part] of [
      ['handwriting', 'sentence'],
      ['handwriting', 'fast'],
      ['precision', 'circle'],
      ['precision', 'zigzag'],
    ] as const) {
      expect(windows(withAttempts(taskId, { part }, attempts)), part).toEqual([
        [0, 20_000, true],
        [20_000, 21_000, false],
      ]);
    }
    // the precision part read from params.target when params.part is missing
    const traced = withAttempts('precision', { target: { part: 'hold' } }, [
      { startMs: 0, endMs: 4_000, outcome: 'stopped' },
    ]);
    expect(windows(traced)).toEqual([]);
  });

  it('from the markers alone: stop and time-limit after a trial-end judged by the planned time', () => {
    const markers: [number, string][] = [
      [0, 'trial-start'],
      [0, 'trial-1'],
      [15_000, 'trial-end'],
      [15_000, 'rest'],
      [28_000, 'trial-start'],
      [28_000, 'trial-2'],
      [36_000, 'trial-end'],
      [36_000, 'stop'],
    ];
    const rec = (params: Record<string, unknown>) =>
      testRecording('handwriting', { markers: markerStream(markers) }, { params });
    expect(windows(rec({ part: 'loops', loopsDurationS: 15 }))).toEqual([
      [0, 15_000, true],
      [28_000, 36_000, false],
    ]);
    expect(windows(rec({ part: 'loops', loopsDurationS: 20 }))).toEqual([[0, 15_000, true]]);
    expect(windows(rec({ part: 'sentence' }))).toEqual([
      [0, 15_000, true],
      [28_000, 36_000, false],
    ]);
  });

  it('leaves out the samples of rests and countdowns: a tip put down before trial-start', () => {
    // the pen goes down 1 s before the trial starts (during the countdown) and stays down into it
    const rows = Array.from({ length: 301 }, (_, i) => ({
      type: i === 0 ? 'pointerdown' : i === 300 ? 'pointerup' : 'pointermove',
      t: 9_000 + i * 10,
      x: 100 + i,
      y: 100,
      pressure: i === 300 ? 0 : 0.4,
    }));
    const rec = testRecording(
      'precision',
      {
        pointer: pointerStream(rows),
        markers: markerStream([
          [10_000, 'trial-start'],
          [10_000, 'trial-1'],
          [11_500, 'trial-end'],
        ]),
      },
      { params: { pxPerMm: PX_PER_MM, part: 'hold', targetXPx: 100, targetYPx: 100 } },
    );
    const input = penFromRecording(rec);
    expect(input.tMs[0]).toBe(10_000);
    expect(input.tMs[input.tMs.length - 1]).toBe(11_500);
    expect(input.tMs.length).toBe(151);
    expect(Array.from(input.penDown!).every((d) => d === 1)).toBe(true);
  });
});
