import { analyzeRecording, parseTaskRecording, type Recording } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../params';
import { simulateRecording } from '../simulate';
import type { TremorPositionId } from './definition';
import { tremor } from './index';
import type { TrialRecord } from './run';
import { simulateTremorSession } from './simulate';

const POSITIONS: readonly TremorPositionId[] = [
  'rest',
  'posture',
  'wing',
  'kinetic',
  'task',
  'posture-weighted',
];

/** One simulated recording of a position, and its truth. */
function simulate(seed: number, position: TremorPositionId, hand: 'left' | 'right' = 'right') {
  const given = { weightTest: true, position };
  const { truth } = simulateTremorSession({ hand, params: resolveParams(tremor.definition, given), seed });
  const recording = simulateRecording(tremor, { hand, seed, params: given });
  return { truth, recording };
}

const outcomes = (recording: Recording) =>
  (recording.params.trials as unknown as TrialRecord[]).map((t) => t.outcome);

describe('simulateTremorSession', () => {
  it.each([1, 2, 3, 42, 1234567])(
    'seed %i: core analyses each position’s recording whole and recovers its frequency (±0.2 Hz) and amplitude (±15 %)',
    (seed) => {
      const peaks = new Map<TremorPositionId, number>();
      const truths = new Map<TremorPositionId, number>();
      for (const position of POSITIONS) {
        const { truth, recording } = simulate(seed, position);
        expect(() => parseTaskRecording(recording)).not.toThrow();
        expect(recording.params.position).toBe(position);
        expect(truth.position).toBe(position);
        const { metrics, quality_flags } = analyzeRecording(recording);
        const f = metrics.tremor_peak_frequency_hz!;
        const rms = metrics.tremor_rms_m_per_s2!;
        expect(Math.abs(f - truth.frequencyHz), `${position} frequency`).toBeLessThanOrEqual(0.2);
        expect(Math.abs(rms / truth.rmsMPerS2 - 1), `${position} amplitude`).toBeLessThanOrEqual(0.15);
        // the discarded attempt's stalled sensor is not in the analysed trial
        expect(quality_flags).not.toContain('LOW_SAMPLING_RATE');
        expect(quality_flags).not.toContain('SAMPLE_GAPS');
        expect(quality_flags).not.toContain('SHORT_RECORDING');
        peaks.set(position, f);
        truths.set(position, truth.frequencyHz);
      }
      // one person across the recordings of a seed: the weight-load shift of two recordings is theirs
      const shift = peaks.get('posture')! - peaks.get('posture-weighted')!;
      const trueShift = truths.get('posture')! - truths.get('posture-weighted')!;
      expect(Math.abs(shift - trueShift)).toBeLessThanOrEqual(0.4);
    },
  );

  it('some recordings hold a discarded attempt (another rhythm) before the kept one; core analyses the kept one', () => {
    const withDiscard = [1, 2, 3, 4, 5, 6].flatMap((seed) =>
      POSITIONS.map((position) => ({ seed, position, ...simulate(seed, position) })).filter((s) =>
        outcomes(s.recording).includes('discarded'),
      ),
    );
    expect(withDiscard.length).toBeGreaterThan(3);
    for (const { recording, truth, seed, position } of withDiscard) {
      expect(outcomes(recording), `${seed} ${position}`).toEqual(['discarded', 'kept']);
      const trials = recording.params.trials as unknown as TrialRecord[];
      expect(trials[0]!.problems).toEqual(['gaps']);
      const f = analyzeRecording(recording).metrics.tremor_peak_frequency_hz!;
      expect(Math.abs(f - truth.frequencyHz), `${seed} ${position}`).toBeLessThanOrEqual(0.2);
    }
  });

  it('the longest recording holds discarded attempts, then the kept one, within the 3 minutes', () => {
    const params = resolveParams(tremor.definition, { positions: 'task' });
    const { capture, truth } = simulateTremorSession({ hand: 'left', params, seed: 5, longest: true });
    const trials = capture.params.trials as unknown as TrialRecord[];
    expect(trials.map((t) => t.outcome)).toEqual([...Array<string>(5).fill('discarded'), 'kept']);
    expect(capture.durationMs).toBeLessThanOrEqual(180_000);
    expect(capture.durationMs).toBeGreaterThan(170_000);
    expect(truth.startMs).toBe(trials[5]!.startMs);
  });
});

describe('simulateTremorSession without the Generic Sensor API', () => {
  it('core analysis recovers each position from the devicemotion stream alone (about 60 Hz)', () => {
    for (const position of POSITIONS) {
      const { truth, recording } = simulate(7, position, 'left');
      const { accelerometer: _a, gyroscope: _g, ...streams } = recording.streams;
      const { metrics } = analyzeRecording({ ...recording, streams });
      expect(metrics.sampling_rate_hz!).toBeGreaterThan(55);
      expect(metrics.sampling_rate_hz!).toBeLessThan(65);
      expect(Math.abs(metrics.tremor_peak_frequency_hz! - truth.frequencyHz), position).toBeLessThanOrEqual(
        0.2,
      );
      expect(Math.abs(metrics.tremor_rms_m_per_s2! / truth.rmsMPerS2 - 1), position).toBeLessThanOrEqual(
        0.15,
      );
    }
  });
});
