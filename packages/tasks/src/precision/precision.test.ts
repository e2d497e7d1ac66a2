import { analyzeRecording, parseTaskRecording } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../params';
import { simulateRecording } from '../simulate';
import { startRun } from '../testing/harness';
import { calibrate, drawStroke, labels, q, setUpPenTaskTests, taskQueries } from '../testing/pen';
import { pathPoint, precisionTarget } from './geometry';
import { precision } from './index';
import { simulatePrecisionRun } from './simulate';

setUpPenTaskTests();

const { button, text } = taskQueries('precision');
const draw = (root: Element, pointerType: 'pen' | 'touch' = 'pen') =>
  drawStroke(root, {
    pointerType,
    xs: { down: 0, moves: [0.1, 0.2], up: 0.2 },
    y: (x) => x,
    pressure: 0.3,
  });

describe('precision run', () => {
  it('hold: a 2-mm ring to scale, the tool recorded, holds with rests, checkpoints and the target core reads', async () => {
    calibrate();
    const run = startRun(precision, { params: { part: 'hold', tool: 'dental-mirror', trials: 2 } });
    const root = run.element;
    await run.clock.advance(0);
    expect(q(root, '.dt-precision-ring').getAttribute('r')).toBe('4'); // 1 mm at 4 px/mm
    expect(root.querySelectorAll('.dt-precision-mark')).toHaveLength(4);
    expect(q(root, '.dt-precision').getAttribute('data-tool')).toBe('dental-mirror');
    expect(button(root, 'done').style.display).toBe('none');
    expect(button(root, 'page').style.display).toBe('none');
    draw(root); // the tip goes into the ring during the countdown
    await run.clock.advance(3000);
    expect(text(root, 'progress')).toBe('Hold 1 of 2');
    expect(text(root, 'time')).toBe('10 s left');
    await run.clock.advance(10_000);
    expect(text(root, 'time')).toBe('Hold 2 of 2 starts in 5 s');
    await run.clock.advance(5000 + 3000);
    draw(root);
    await run.clock.advance(10_000);
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    expect(recording.params).toMatchObject({
      part: 'hold',
      tool: 'dental-mirror',
      trials: 2,
      pxPerMm: 4,
      targetXPx: 0,
      targetYPx: 0,
      target: { part: 'hold', ringRadiusPx: 4, path: null, calibrated: true },
    });
    expect((recording.params.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'kept',
      'kept',
    ]);
    expect(labels(recording).slice(3)).toEqual([
      'trial-start',
      'trial-1',
      'trial-end',
      'rest',
      'countdown-3',
      'countdown-2',
      'countdown-1',
      'trial-start',
      'trial-2',
      'trial-end',
    ]);
    expect(recording.durationMs).toBe(28_000);
    expect(root.children.length).toBe(0);
  });

  it('traces: the shape with its start dot, mirrored for the left hand, Done, Redo and Finish; no fixed target', async () => {
    calibrate();
    const run = startRun(precision, { hand: 'left', params: { part: 'circle' } });
    const root = run.element;
    await run.clock.advance(0);
    expect(q(root, '.dt-precision-circle').getAttribute('d')).toMatch(/^M/);
    expect(q(root, '.dt-precision-start')).toBeTruthy();
    await run.clock.advance(3000);
    expect(text(root, 'progress')).toBe('Circle 1 of 3');
    expect(text(root, 'message')).toContain('anticlockwise');
    const press = async (name: string) => {
      button(root, name).click();
      await run.clock.advance(0);
    };
    await press('done');
    expect(text(root, 'message')).toBe('Trace the shape first, starting at the green dot.');
    draw(root, 'touch'); // a finger, before any pen
    await press('done');
    expect(run.announcements.some((a) => a.includes('finger or a mouse'))).toBe(true);
    expect(text(root, 'progress')).toBe('Circle 2 of 3');
    draw(root);
    await press('redo');
    expect(text(root, 'progress')).toBe('Circle 2 of 3');
    await press('finish');
    await press('finish');
    const recording = await run.done;
    expect(recording.flags).toEqual(['NOT_PEN', 'STOPPED_EARLY']);
    expect(Object.hasOwn(recording.params, 'targetXPx')).toBe(false);
    const target = recording.params.target as { direction: string; path: { xPx: number[]; closed: boolean } };
    expect(target.direction).toBe('anticlockwise');
    expect(target.path.closed).toBe(true);
    expect(target.path.xPx).toHaveLength(73);
    expect((recording.params.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'kept',
      'redone',
      'empty',
    ]);
  });

  it('without a calibration shows the card first; “I have no card” runs on, flagged', async () => {
    const run = startRun(precision, { params: { part: 'zigzag', trials: 1 } });
    await run.clock.advance(0);
    q<HTMLButtonElement>(run.element, '.dt-calibration-cancel').click();
    await run.clock.advance(3000);
    expect(text(run.element, 'notice')).toContain('Your screen is not measured');
    expect(text(run.element, 'progress')).toBe('Zig-zag 1 of 1');
    draw(run.element);
    button(run.element, 'done').click();
    const recording = await run.done;
    expect(recording.flags).toEqual(['NOMINAL_SCALE']);
    expect(Object.hasOwn(recording.params, 'pxPerMm')).toBe(false);
    expect(recording.params.target).toMatchObject({ calibrated: false, direction: 'left-to-right' });
  });
});

describe('precision geometry', () => {
  it('lays the shapes out to scale and walks their paths by arc length', () => {
    const box = { leftPx: 0, topPx: 0, widthPx: 400, heightPx: 300 };
    const circle = precisionTarget({ box, pxPerMm: 4, calibrated: true, part: 'circle', hand: 'right' });
    expect(circle.pathLengthMm).toBeCloseTo(Math.PI * 15, 9);
    expect([circle.startXPx, circle.startYPx]).toEqual([200, 120]); // the top, 7.5 mm above the centre
    const quarter = pathPoint(circle, (Math.PI * 15) / 4); // clockwise on screen: to the right
    expect(quarter.x).toBeCloseTo(230, 9);
    expect(quarter.y).toBeCloseTo(150, 9);
    const zigzag = precisionTarget({ box, pxPerMm: 4, calibrated: true, part: 'zigzag', hand: 'left' });
    expect(zigzag.path!.xPx[0]).toBe(280); // the left hand starts on the right
    expect(zigzag.path!.xPx.at(-1)).toBe(120);
    expect(zigzag.pathLengthMm).toBeCloseTo(8 * Math.hypot(5, 6), 9);
    const end = pathPoint(zigzag, zigzag.pathLengthMm + 5);
    expect([end.x, end.y]).toEqual([120, 162]);
  });
});

describe('precision simulation', () => {
  it('gives core back the simulated hold: tremor within 0.2 Hz and 10 %, deviation within 5 %, time within 1 mm within 2 points', () => {
    for (const seed of [1, 2, 3]) {
      const hand = seed === 2 ? 'left' : 'right';
      const params = resolveParams(precision.definition, { part: 'hold' });
      const { truth } = simulatePrecisionRun({ hand, params, seed });
      const recording = simulateRecording(precision, { hand, seed, params: { part: 'hold' } });
      expect(() => parseTaskRecording(recording)).not.toThrow();
      const m = analyzeRecording(recording).metrics;
      expect(Math.abs(m.tremor_peak_frequency_hz! - truth.tremorHz)).toBeLessThan(0.2);
      expect(Math.abs(m.tremor_amplitude_pp_mm! / truth.tremorAmpPpMm - 1)).toBeLessThan(0.1);
      expect(Math.abs(m.path_deviation_rms_mm! / truth.deviationRmsMm - 1)).toBeLessThan(0.05);
      expect(Math.abs(m.time_within_1mm_pct! - truth.withinOneMmPct)).toBeLessThan(2);
      // core analyses each kept hold on its own (the median over the holds), not the countdowns or rests
      expect(m.precision_trial_count).toBe(truth.keptTrials);
      expect(truth.keptTrials).toBe(3);
      expect(Math.abs(m.pen_down_time_s! - truth.trialPenDownS)).toBeLessThan(0.05);
    }
    // a fixed hand with a clear drift off the centre
    const params = resolveParams(precision.definition, { part: 'hold' });
    const fixed = simulatePrecisionRun(
      { hand: 'right', params, seed: 4 },
      { tremorHz: 6, tremorAmpPpMm: 0.5, offsetMm: [0.8, 0], driftMm: 0.5, redoChance: 0 },
    );
    const base = simulateRecording(precision, { hand: 'right', seed: 4, params: { part: 'hold' } });
    const m = analyzeRecording({
      ...base,
      streams: fixed.capture.streams,
      params: { ...base.params, ...fixed.capture.params },
    }).metrics;
    expect(Math.abs(m.tremor_peak_frequency_hz! - 6)).toBeLessThan(0.2);
    expect(Math.abs(m.path_deviation_rms_mm! / fixed.truth.deviationRmsMm - 1)).toBeLessThan(0.05);
    expect(fixed.truth.withinOneMmPct).toBeLessThan(90);
    expect(Math.abs(m.time_within_1mm_pct! - fixed.truth.withinOneMmPct)).toBeLessThan(2);
  });

  it('gives core back the tremor of simulated traces', () => {
    for (const [part, seed] of [
      ['circle', 5],
      ['zigzag', 6],
    ] as const) {
      const params = resolveParams(precision.definition, { part });
      const { truth } = simulatePrecisionRun({ hand: 'right', params, seed });
      const recording = simulateRecording(precision, { hand: 'right', seed, params: { part } });
      const m = analyzeRecording(recording).metrics;
      expect(Math.abs(m.tremor_peak_frequency_hz! - truth.tremorHz)).toBeLessThan(0.2);
      expect(Math.abs(m.tremor_amplitude_pp_mm! / truth.tremorAmpPpMm - 1)).toBeLessThan(0.1);
      // core measures the deviation from the traced polyline (params.target.path)
      expect(Math.abs(m.path_deviation_rms_mm! / truth.deviationRmsMm - 1)).toBeLessThan(0.05);
      expect(Math.abs(m.time_within_1mm_pct! - truth.withinOneMmPct)).toBeLessThan(2);
      expect(m.precision_trial_count).toBe(truth.keptTrials);
    }
  });

  it('has the streams and params of a calibrated run, and fills the time limit when longest', async () => {
    for (const part of ['hold', 'zigzag'] as const) {
      calibrate();
      const run = startRun(precision, { params: { part, trials: 1 } });
      await run.clock.advance(3000);
      draw(run.element);
      if (part === 'zigzag') button(run.element, 'done').click();
      else await run.clock.advance(10_000);
      const real = await run.done;
      const simulated = simulateRecording(precision, { hand: 'right', seed: 1, params: { part, trials: 1 } });
      expect(Object.keys(real.params).sort()).toEqual(Object.keys(simulated.params).sort());
      expect(Object.keys(real.streams.pointer!.columns).sort()).toEqual(
        Object.keys(simulated.streams.pointer!.columns).sort(),
      );
    }
    for (const part of ['hold', 'circle', 'zigzag'] as const) {
      const longest = simulateRecording(precision, {
        hand: 'right',
        seed: 9,
        longest: true,
        params: { part },
      });
      expect(() => parseTaskRecording(longest)).not.toThrow();
      expect(longest.durationMs).toBeGreaterThan(0.9 * 180_000);
      expect(longest.durationMs).toBeLessThanOrEqual(180_000);
      expect(longest.flags).toContain('TIME_LIMIT');
    }
  });
});
