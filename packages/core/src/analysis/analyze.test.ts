import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors/catalogue.js';
import type { TaskId } from '../recording/tasks.js';
import { ANALYZERS, analyze } from './analyze.js';
import type { AnalysisInput } from './inputs.js';
import { simulateHandwriting } from './pen/simulate-handwriting.js';
import { simulatePrecision } from './pen/simulate-precision.js';
import { simulateSpiral } from './pen/simulate-spiral.js';
import { simulateScale } from './scale/simulate.js';
import { simulateTapping } from './tapping/simulate.js';
import { simulateTremor } from './tremor/simulate.js';
import { simulateTyping } from './typing/simulate.js';

/** One simulated input of every task (with the optional streams: beats, pressure, gyroscope). */
const INPUTS: Record<TaskId, AnalysisInput> = {
  typing: simulateTyping(3, {
    keystrokes: 400,
    holdMedianMs: 110,
    holdSpread: 0.3,
    ikiMedianMs: 250,
  }).input,
  tapping: simulateTapping(3, {
    itiMs: 300,
    motorSdMs: 8,
    timerSdMs: 20,
    dwellMs: 100,
    beats: true,
    taps: 60,
  }).input,
  scale: simulateScale(3, {
    bpm: 100,
    jitterSdMs: 6,
    velocityMean: 70,
    velocitySd: 6,
    errorRate: 0,
    legatoMs: 10,
  }).input,
  spiral: simulateSpiral(3).input,
  handwriting: simulateHandwriting(3, { strokeHz: 4, fsHz: 200, durationS: 65 }).input,
  precision: simulatePrecision(3, { tremorAmpPpMm: 0.4 }).input,
  tremor: simulateTremor(3, { durationS: 20, gyroRmsDegPerS: 4 }).input,
};

const TASKS = Object.keys(INPUTS) as TaskId[];

describe('analyze with a choice of metrics', () => {
  it('gives exactly the metrics asked for, each with the value of the analysis of every metric', () => {
    const full = Object.fromEntries(TASKS.map((task) => [task, analyze(INPUTS[task])]));
    for (const task of TASKS) {
      // every metric of every task is computed somewhere (the inputs exercise the whole catalogue)
      const computed = Object.values(full[task]!.metrics).filter((v) => v !== null).length;
      expect(computed, task).toBeGreaterThan(ANALYZERS[task].metrics.length / 2);
    }
    const choice = fc.constantFrom(...TASKS).chain((task) =>
      fc.tuple(
        fc.constant(task),
        fc.subarray(
          ANALYZERS[task].metrics.map((d) => d.id),
          { minLength: 1 },
        ),
      ),
    );
    fc.assert(
      fc.property(choice, ([task, ids]) => {
        const out = analyze(INPUTS[task], { hand: null, metrics: new Set(ids) });
        const catalogueOrder = ANALYZERS[task].metrics.map((d) => d.id).filter((id) => ids.includes(id));
        expect(Object.keys(out.metrics)).toEqual(catalogueOrder);
        for (const id of ids) expect(out.metrics[id], `${task} ${id}`).toBe(full[task]!.metrics[id]);
      }),
      { seed: 11, numRuns: 120 },
    );
  });

  it('refuses a metric that is not the task’s with E_UNKNOWN_METRIC', () => {
    const attempt = () =>
      analyze(INPUTS.tapping, { hand: null, metrics: new Set(['iti_mean_ms', 'hold_time_median_ms']) });
    expect(attempt).toThrow(CodedError);
    expect(attempt).toThrow(/not a metric of the tapping task: hold_time_median_ms/);
    try {
      attempt();
    } catch (error) {
      expect((error as CodedError).code).toBe('E_UNKNOWN_METRIC');
    }
  });
});
