import { analyzeRecording, parseTaskRecording } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../params';
import { simulateRecording } from '../simulate';
import { tremor } from './index';
import { positionRecordings, weightLoadShiftHz } from './positions';
import { simulateTremorSession } from './simulate';

describe('simulateTremorSession', () => {
  it.each([1, 2, 3, 42, 1234567])(
    'seed %i: core analysis recovers each position’s frequency (±0.2 Hz) and amplitude (±15 %)',
    (seed) => {
      const params = resolveParams(tremor.definition, { weightTest: true });
      const { truth } = simulateTremorSession({ hand: 'right', params, seed });
      const recording = simulateRecording(tremor, { hand: 'right', seed, params: { weightTest: true } });
      expect(() => parseTaskRecording(recording)).not.toThrow();
      const positions = positionRecordings(recording);
      expect(positions.map((p) => p.position)).toEqual(truth.map((t) => t.position));
      expect(positions.map((p) => p.position)).toEqual([
        'rest',
        'posture',
        'wing',
        'kinetic',
        'task',
        'posture-weighted',
      ]);
      const peaks: Record<string, number | null> = {};
      positions.forEach((position, i) => {
        const want = truth[i]!;
        const { metrics, quality_flags } = analyzeRecording(position.recording);
        const f = metrics.tremor_peak_frequency_hz as number;
        const rms = metrics.tremor_rms_m_per_s2 as number;
        peaks[position.position] = f;
        expect(Math.abs(f - want.frequencyHz), `${position.position} frequency`).toBeLessThanOrEqual(0.2);
        expect(Math.abs(rms / want.rmsMPerS2 - 1), `${position.position} amplitude`).toBeLessThanOrEqual(
          0.15,
        );
        expect(quality_flags).not.toContain('LOW_SAMPLING_RATE');
        expect(quality_flags).not.toContain('SAMPLE_GAPS');
      });
      const shift = weightLoadShiftHz(peaks);
      const trueShift = truth[1]!.frequencyHz - truth[5]!.frequencyHz;
      expect(Math.abs(shift! - trueShift)).toBeLessThanOrEqual(0.4);
    },
  );
});

describe('simulateTremorSession without the Generic Sensor API', () => {
  it('core analysis recovers each position from the devicemotion stream alone (about 60 Hz)', () => {
    const params = resolveParams(tremor.definition);
    const { truth } = simulateTremorSession({ hand: 'left', params, seed: 7 });
    const recording = simulateRecording(tremor, { hand: 'left', seed: 7 });
    const { accelerometer: _a, gyroscope: _g, ...streams } = recording.streams;
    const motionOnly = { ...recording, streams };
    const positions = positionRecordings(motionOnly);
    expect(positions).toHaveLength(5);
    positions.forEach((position, i) => {
      const { metrics } = analyzeRecording(position.recording);
      expect(metrics.sampling_rate_hz as number).toBeGreaterThan(55);
      expect(metrics.sampling_rate_hz as number).toBeLessThan(65);
      expect(
        Math.abs((metrics.tremor_peak_frequency_hz as number) - truth[i]!.frequencyHz),
      ).toBeLessThanOrEqual(0.2);
      expect(Math.abs((metrics.tremor_rms_m_per_s2 as number) / truth[i]!.rmsMPerS2 - 1)).toBeLessThanOrEqual(
        0.15,
      );
    });
  });
});
