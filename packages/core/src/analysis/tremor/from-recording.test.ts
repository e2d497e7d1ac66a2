import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { codeOf, recording, scaleRecording, tremorRecording } from '../formats/test-utils/fixtures.js';
import type { TremorInput } from '../inputs.js';
import { analyzeTremor } from './index.js';
import { tremorFromRecording } from './from-recording.js';
import { simulateTremor } from './simulate.js';

const f64 = (values: ArrayLike<number | null>): Stream['columns'][string] => ({
  type: 'f64',
  values: Array.from(values),
});

/** A `motion` stream from a simulated input (rotation rates: beta = x, gamma = y, alpha = z). */
function motionStream(input: TremorInput): Stream {
  const columns: Stream['columns'] = {
    timeStampMs: f64(input.tMs),
    accXMPerS2: f64(input.ax),
    accYMPerS2: f64(input.ay),
    accZMPerS2: f64(input.az),
  };
  if (input.gx && input.gy && input.gz) {
    columns.rotBetaDegPerS = f64(input.gx);
    columns.rotGammaDegPerS = f64(input.gy);
    columns.rotAlphaDegPerS = f64(input.gz);
  }
  return { columns };
}

/** A Generic Sensor stream (`x…`, `y…`, `z…` with the unit suffix). */
function sensorStream(t: ArrayLike<number>, axes: ArrayLike<number>[], unit: 'MPerS2' | 'RadPerS'): Stream {
  return {
    columns: {
      timeStampMs: f64(t),
      [`x${unit}`]: f64(axes[0]!),
      [`y${unit}`]: f64(axes[1]!),
      [`z${unit}`]: f64(axes[2]!),
    },
  };
}

const tremor = (streams: Record<string, Stream>, flags: string[] = []): Recording =>
  recording('tremor', streams, { flags });

describe('tremorFromRecording', () => {
  it('refuses a recording of another task', () => {
    expect(codeOf(() => tremorFromRecording(scaleRecording()))).toBe('E_TASK_MISMATCH');
  });

  it('reads the devicemotion acceleration on its own time stamps', () => {
    const input = tremorFromRecording(tremorRecording());
    expect(input.tMs).toHaveLength(1000);
    expect(input.tMs[0]).toBe(1000);
    expect(input.ax[25]).toBeCloseTo(0.5 * Math.sin(2 * Math.PI * 6 * 1.25), 12);
    expect(input.gx).toBeNull();
    expect(analyzeTremor(input).metrics.tremor_peak_frequency_hz).toBeCloseTo(6, 1);
  });

  it('maps the rotation rates to device axes: gx = beta, gy = gamma, gz = alpha (deg/s)', () => {
    const t = [0, 10, 20];
    const input = tremorFromRecording(
      tremor({
        motion: {
          columns: {
            timeStampMs: f64(t),
            accXMPerS2: f64([1, 2, 3]),
            accYMPerS2: f64([0, 0, 0]),
            accZMPerS2: f64([0, 0, 0]),
            rotAlphaDegPerS: f64([30, 31, 32]),
            rotBetaDegPerS: f64([10, 11, 12]),
            rotGammaDegPerS: f64([20, 21, 22]),
          },
        },
      }),
    );
    expect(Array.from(input.gx!)).toEqual([10, 11, 12]);
    expect(Array.from(input.gy!)).toEqual([20, 21, 22]);
    expect(Array.from(input.gz!)).toEqual([30, 31, 32]);
  });

  it('leaves out rows with a missing value and keeps only the trial between its markers', () => {
    const input = tremorFromRecording(
      tremor({
        motion: {
          columns: {
            timeStampMs: f64([0, 10, 20, 30, 40, 50]),
            accXMPerS2: f64([1, 2, null, 4, 5, 6]),
            accYMPerS2: f64([0, 0, 0, 0, 0, 0]),
            accZMPerS2: f64([0, 0, 0, 0, 0, 0]),
          },
        },
        markers: {
          columns: {
            timeStampMs: f64([5, 45]),
            label: { type: 'str', values: ['trial-start', 'trial-end'] },
          },
        },
      }),
    );
    expect(Array.from(input.tMs)).toEqual([10, 30, 40]);
    expect(Array.from(input.ax)).toEqual([2, 4, 5]);
  });

  it('drops repeated stamps and carries the recording flags it knows', () => {
    const input = tremorFromRecording(
      tremor(
        {
          motion: {
            columns: {
              timeStampMs: f64([0, 10, 10, 20]),
              accXMPerS2: f64([1, 2, 3, 4]),
              accYMPerS2: f64([0, 0, 0, 0]),
              accZMPerS2: f64([0, 0, 0, 0]),
            },
          },
        },
        ['TAB_HIDDEN', 'INCOMPLETE', 'SIMULATED'],
      ),
    );
    expect(Array.from(input.ax)).toEqual([1, 2, 4]);
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS', 'INCOMPLETE_RECORDING', 'TAB_HIDDEN']);
  });

  it('refuses time going back and a recording without accelerometer samples', () => {
    const backwards = tremor({
      motion: {
        columns: {
          timeStampMs: f64([0, 10, 5]),
          accXMPerS2: f64([0, 0, 0]),
          accYMPerS2: f64([0, 0, 0]),
          accZMPerS2: f64([0, 0, 0]),
        },
      },
    });
    expect(codeOf(() => tremorFromRecording(backwards))).toBe('E_NONMONOTONIC_TIME');
    expect(codeOf(() => tremorFromRecording(tremor({})))).toBe('E_TOO_FEW_EVENTS');
  });

  it('prefers the Generic Sensor streams: removes gravity from the accelerometer, converts rad/s to deg/s', () => {
    const { input, truth } = simulateTremor(21, {
      fs: 100,
      frequencyHz: 7,
      amplitudeRmsMPerS2: 0.3,
      gyroRmsDegPerS: 12,
      durationS: 12,
      duplicateProbability: 0,
    });
    // the phone lies tilted: gravity on y and z, slowly changing with the hand's orientation
    const gravityY = Float64Array.from(input.tMs, (t) => 9.81 * Math.sin(0.3 + 0.05 * Math.sin(t / 2000)));
    const gravityZ = Float64Array.from(input.tMs, (t) => 9.81 * Math.cos(0.3 + 0.05 * Math.sin(t / 2000)));
    const withGravity = [
      input.ax,
      input.ay.map((v, i) => v + gravityY[i]!),
      input.az.map((v, i) => v + gravityZ[i]!),
    ];
    const rad = [input.gx!, input.gy!, input.gz!].map((g) => g.map((v) => (v * Math.PI) / 180));
    // a devicemotion stream with a different (wrong) tremor, to show it is not used
    const decoy = simulateTremor(22, { fs: 60, frequencyHz: 4, durationS: 12, startMs: input.tMs[0]! });
    const converted = tremorFromRecording(
      tremor({
        accelerometer: sensorStream(input.tMs, withGravity, 'MPerS2'),
        gyroscope: sensorStream(input.tMs, rad, 'RadPerS'),
        motion: motionStream(decoy.input),
      }),
    );
    // resampled to a uniform grid at the delivered rate
    const steps = Array.from(converted.tMs.subarray(1), (t, i) => t - converted.tMs[i]!);
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThan(1e-6);
    const mean = (x: Float64Array): number => x.reduce((a, b) => a + b, 0) / x.length;
    expect(Math.abs(mean(converted.az))).toBeLessThan(0.05); // gravity is gone
    const { metrics } = analyzeTremor(converted);
    expect(metrics.tremor_peak_frequency_hz).toBeCloseTo(7, 1);
    expect(metrics.tremor_rms_m_per_s2! / truth.rmsMPerS2).toBeCloseTo(1, 1);
    expect(metrics.gyro_peak_frequency_hz).toBeCloseTo(7, 1);
    expect(metrics.gyro_rms_deg_per_s! / 12).toBeCloseTo(1, 1);
  });

  it('falls back to accelerationIncludingGravity, high-passed, when acceleration is null', () => {
    const { input } = simulateTremor(5, { fs: 60, frequencyHz: 5, durationS: 10, duplicateProbability: 0 });
    const nulls = Array.from(input.tMs, () => null);
    const converted = tremorFromRecording(
      tremor({
        motion: {
          columns: {
            timeStampMs: f64(input.tMs),
            accXMPerS2: f64(nulls),
            accYMPerS2: f64(nulls),
            accZMPerS2: f64(nulls),
            accGravXMPerS2: f64(input.ax),
            accGravYMPerS2: f64(input.ay),
            accGravZMPerS2: f64(input.az.map((v) => v + 9.81)),
          },
        },
      }),
    );
    const { metrics } = analyzeTremor(converted);
    expect(metrics.tremor_peak_frequency_hz).toBeCloseTo(5, 1);
    expect(metrics.tremor_rms_m_per_s2).toBeCloseTo(analyzeTremor(input).metrics.tremor_rms_m_per_s2!, 2);
  });

  it('interpolates a gyroscope with its own time stamps and cuts the accelerometer to the common span', () => {
    const { input } = simulateTremor(9, {
      fs: 100,
      frequencyHz: 6,
      gyroRmsDegPerS: 8,
      durationS: 10,
      duplicateProbability: 0,
    });
    const late = (t: number): boolean => t >= input.tMs[0]! + 500; // the gyroscope starts 0.5 s later
    const keep = Array.from(input.tMs, (t, i) => (late(t) ? i : -1)).filter((i) => i >= 0);
    const pick = (x: Float64Array): number[] => keep.map((i) => x[i]!);
    const converted = tremorFromRecording(
      tremor({
        motion: motionStream({ ...input, gx: null, gy: null, gz: null }),
        gyroscope: sensorStream(
          pick(input.tMs),
          [input.gx!, input.gy!, input.gz!].map((g) => pick(g).map((v) => (v * Math.PI) / 180)),
          'RadPerS',
        ),
      }),
    );
    expect(converted.tMs[0]).toBeGreaterThanOrEqual(input.tMs[0]! + 500);
    expect(converted.gy![10]).toBeCloseTo(input.gy![keep[0]! + 10]!, 9);
    expect(analyzeTremor(converted).metrics.gyro_rms_deg_per_s! / 8).toBeCloseTo(1, 1);
  });

  describe('a recording of the tremor task (one position, attempts and edges)', () => {
    /**
     * devicemotion at 100 Hz from 0 to 40 s: a 4-Hz, 1.5 m/s² decoy during a first, discarded attempt
     * (2–12 s), then the kept attempt (20–30 s): a 6-Hz tremor of 0.4 m/s² RMS on x, with 2-s bursts of
     * 9-Hz, 3 m/s² movement at both of its ends (settling in, reacting to the end cue).
     */
    function run(extraMarkers: [number, string][] = [], params: Record<string, string | number> = {}) {
      const t = Array.from({ length: 4000 }, (_, i) => i * 10);
      const x = t.map((ms) => {
        const s = ms / 1000;
        if (ms >= 2000 && ms <= 12_000) return 1.5 * Math.sin(2 * Math.PI * 4 * s);
        let v = 0.4 * Math.SQRT2 * Math.sin(2 * Math.PI * 6 * s);
        if ((ms >= 20_000 && ms < 22_000) || (ms > 28_000 && ms <= 30_000))
          v += 3 * Math.sin(2 * Math.PI * 9 * s);
        return v;
      });
      const zeros = t.map(() => 0);
      const rows: [number, string][] = [
        [0, 'position:rest'],
        [2000, 'trial-start'],
        [12_000, 'trial-end'],
        [12_301, 'trial-discarded'],
        [20_000, 'trial-start'],
        [30_000, 'trial-end'],
        [30_301, 'trial-kept'],
        ...extraMarkers,
      ];
      return recording(
        'tremor',
        {
          motion: {
            columns: {
              timeStampMs: f64(t),
              accXMPerS2: f64(x),
              accYMPerS2: f64(zeros),
              accZMPerS2: f64(zeros),
            },
          },
          markers: {
            columns: {
              timeStampMs: f64(rows.map(([ms]) => ms)),
              label: { type: 'str', values: rows.map(([, label]) => label) },
            },
          },
        },
        { params: { position: 'rest', ...params } },
      );
    }

    it('analyses only the kept attempt, without its first and last 2 s', () => {
      const input = tremorFromRecording(run());
      expect(input.tMs[0]).toBe(22_000);
      expect(input.tMs[input.tMs.length - 1]).toBe(28_000);
      const { metrics } = analyzeTremor(input);
      expect(Math.abs(metrics.tremor_peak_frequency_hz! - 6)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(metrics.tremor_rms_m_per_s2! / 0.4 - 1)).toBeLessThanOrEqual(0.05);
      expect(input.flags).toEqual([]);
    });

    it('keeps the edges it is told to (params.edgeDiscardS): the bursts then dominate', () => {
      const input = tremorFromRecording(run([], { edgeDiscardS: 0 }));
      expect([input.tMs[0], input.tMs[input.tMs.length - 1]]).toEqual([20_000, 30_000]);
      expect(analyzeTremor(input).metrics.tremor_peak_frequency_hz).toBeCloseTo(9, 0);
    });

    it('refuses a recording whose every attempt was discarded', () => {
      const discarded = run();
      const labels = discarded.streams.markers!.columns.label!.values as string[];
      labels[labels.indexOf('trial-kept')] = 'trial-discarded';
      expect(codeOf(() => tremorFromRecording(discarded))).toBe('E_TOO_FEW_EVENTS');
    });

    /** `run()` with the page hidden from `hideMs` to `showMs` (a `visibility` stream) and flagged TAB_HIDDEN. */
    function hiddenRun(hideMs: number, showMs: number | null) {
      const rows: [number, string][] = [[hideMs, 'hidden']];
      if (showMs !== null) rows.push([showMs, 'visible']);
      const base = run();
      return {
        ...base,
        flags: ['TAB_HIDDEN'],
        streams: {
          ...base.streams,
          visibility: {
            columns: {
              timeStampMs: f64(rows.map(([ms]) => ms)),
              state: { type: 'str' as const, values: rows.map(([, state]) => state) },
            },
          },
        },
      };
    }

    it('keeps TAB_HIDDEN only when the page was hidden during the analysed attempt', () => {
      // hidden during the discarded attempt (5–6 s), which was then done again: not this trial's problem
      expect(tremorFromRecording(hiddenRun(5000, 6000)).flags).toEqual([]);
      // hidden during the kept attempt (24–25 s), or from 25 s to the end
      expect(tremorFromRecording(hiddenRun(24_000, 25_000)).flags).toEqual(['TAB_HIDDEN']);
      expect(tremorFromRecording(hiddenRun(25_000, null)).flags).toEqual(['TAB_HIDDEN']);
      // no visibility stream to judge by: the recording's flag stands
      expect(tremorFromRecording({ ...run(), flags: ['TAB_HIDDEN'] }).flags).toEqual(['TAB_HIDDEN']);
    });

    it('carries the trial-check flags of a trial kept despite a problem', () => {
      const flagged = { ...run(), flags: ['LOW_SAMPLING_RATE', 'SAMPLE_GAPS', 'NO_SENSOR', 'STOPPED_EARLY'] };
      expect(tremorFromRecording(flagged).flags).toEqual(['LOW_SAMPLING_RATE', 'SAMPLE_GAPS']);
    });
  });
});
