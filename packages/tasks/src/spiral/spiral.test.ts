import { analyzeRecording, parseTaskRecording, type Recording } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { NOT_PEN_MESSAGE } from '../pen/flags';
import { resolveParams } from '../params';
import { simulateRecording } from '../simulate';
import { startRun } from '../testing/harness';
import { makeCalibration, saveCalibration } from '../pen/calibration';
import { calibrate, column, drawStroke, labels, q, setUpPenTaskTests, taskQueries } from '../testing/pen';
import { spiral } from './index';
import { simulateSpiralRun } from './simulate';

setUpPenTaskTests();

const { button } = taskQueries('spiral');
const draw = (root: Element, pointerType: 'pen' | 'touch' | 'mouse', pointerId = 2) =>
  drawStroke(root, { pointerType, pointerId });

/** Presses “I have no card now” in the calibration the run shows (no valid calibration stored). */
async function noCard(run: ReturnType<typeof startRun>): Promise<void> {
  await run.clock.advance(0);
  q<HTMLButtonElement>(run.element, '.dt-calibration-cancel').click();
  await run.clock.advance(0);
}

describe('spiral run', () => {
  it('without a stored calibration shows the card calibration first and uses what was confirmed', async () => {
    const run = startRun(spiral, { params: { trials: 1 } });
    const root = run.element;
    await run.clock.advance(0);
    expect(q(root, '.dt-pen-calibration-intro').textContent).toContain('measures sizes in millimetres');
    expect(root.querySelector('.dt-spiral')).toBeNull();
    expect(root.querySelector('.dt-calibration-cancel')!.textContent).toBe('I have no card now');
    q<HTMLButtonElement>(root, '.dt-calibration-larger-coarse').click();
    q<HTMLButtonElement>(root, '.dt-calibration-confirm').click();
    await run.clock.advance(0);
    expect(root.querySelector('.dt-calibration')).toBeNull();
    expect(q(root, '.dt-spiral-boundary')).toBeTruthy();
    expect(q(root, '.dt-spiral-notice').textContent).not.toContain('not measured');
    await run.clock.advance(3000);
    draw(root, 'pen');
    button(root, 'done').click();
    const recording = await run.done;
    // the outline started at the nominal 96 px/in (324 px for 85.6 mm) and was made 10 px larger
    expect(recording.params.calibration).toMatchObject({ cardWidthPx: 334 });
    expect(recording.params.pxPerMm).toBe(334 / 85.6);
    expect(recording.flags).toEqual([]);
    // kept on the device for the next run
    expect(localStorage.getItem('dystrack.screen-calibration.v1')).toContain('"cardWidthPx":334');
  });

  it('can be aborted while the calibration shows', async () => {
    const run = startRun(spiral);
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-calibration')).not.toBeNull();
    run.controller.abort();
    const error = (await run.done.catch((e: unknown) => e)) as { name: string; recording: Recording };
    expect(error.name).toBe('AbortError');
    expect(run.element.querySelector('.dt-calibration')).toBeNull();
    expect(labels(error.recording)).toEqual(['abort']);
  });

  it('takes the traced spirals with a calibration: Done, Redo, checkpoints, markers and params', async () => {
    calibrate();
    const run = startRun(spiral, { params: { mode: 'traced' } });
    const root = run.element;
    await run.clock.advance(0); // the stored calibration holds: no calibration UI
    expect(root.querySelector('.dt-calibration')).toBeNull();
    expect(q(root, '.dt-spiral-template').getAttribute('d')).toMatch(/^M/);
    expect(q(root, '.dt-spiral-start')).toBeTruthy();
    expect(button(root, 'done').disabled).toBe(true);
    await run.clock.advance(3000);
    expect(q(root, '.dt-spiral-progress').textContent).toBe('Spiral 1 of 2');
    expect(button(root, 'redo').disabled).toBe(true);

    button(root, 'done').click(); // nothing drawn yet
    expect(q(root, '.dt-spiral-message').textContent).toBe('Draw the spiral first, starting at the dot.');
    draw(root, 'pen');
    await run.clock.advance(1000);
    const before = run.checkpoints.length;
    button(root, 'done').click();
    expect(run.checkpoints.length).toBe(before + 1);
    expect(q(root, '.dt-spiral-progress').textContent).toBe('Spiral 2 of 2');
    expect(button(root, 'redo').disabled).toBe(false);

    draw(root, 'pen');
    await run.clock.advance(500);
    button(root, 'redo').click(); // the spiral in progress
    expect(q(root, '.dt-spiral-progress').textContent).toBe('Spiral 2 of 2');
    // a palm after the pen is in use is recorded but is no stroke
    draw(root, 'touch', 9);
    button(root, 'done').click();
    expect(q(root, '.dt-spiral-message').textContent).toBe('Draw the spiral first, starting at the dot.');
    draw(root, 'pen');
    button(root, 'done').click();

    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    expect(recording.params.pxPerMm).toBe(4);
    expect(recording.params.mode).toBe('traced');
    expect(recording.params.trials).toBe(2);
    expect(recording.params.calibration).toMatchObject({
      pxPerMm: 4,
      cardWidthPx: 342.4,
      devicePixelRatio: 1,
    });
    expect(recording.params.guide).toMatchObject({
      bMmPerRad: 1.75,
      bPxPerRad: 7,
      calibrated: true,
      pxPerMm: 4,
    });
    expect(recording.params.canvas).toMatchObject({ widthPx: 0, heightPx: 0 });
    expect(labels(recording)).toEqual([
      'countdown-3',
      'countdown-2',
      'countdown-1',
      'trial-start',
      'trial-1',
      'trial-end',
      'trial-start',
      'trial-2',
      'trial-end',
      'redo-2',
      'trial-start',
      'trial-2',
      'trial-end',
    ]);
    const attempts = recording.params.attempts as {
      trial: number;
      outcome: string;
      strokes: { pen: number; rejected: number };
    }[];
    expect(attempts.map((a) => [a.trial, a.outcome, a.strokes.pen, a.strokes.rejected])).toEqual([
      [1, 'kept', 1, 0],
      [2, 'redone', 1, 0],
      [2, 'kept', 1, 1],
    ]);
    const pointerTypes = column(recording.streams.pointer, 'pointerType');
    expect(pointerTypes.filter((v) => v === 'touch')).toHaveLength(5); // the palm's rows are kept
    expect(pointerTypes).toHaveLength(20);
    expect(recording.durationMs).toBe(1500); // first trial-start (go, 13 000) to the last trial-end (14 500)
    expect(root.children.length).toBe(0);
  });

  it('without a valid calibration sets no pxPerMm, flags NOMINAL_SCALE and says so; Finish needs two presses', async () => {
    saveCalibration(window, { ...makeCalibration(342.4, window), devicePixelRatio: 3 }); // another zoom
    const run = startRun(spiral, { params: { mode: 'freehand', trials: 3 } });
    const root = run.element;
    await noCard(run);
    expect(q(root, '.dt-spiral-notice').textContent).toContain('Your screen is not measured');
    expect(q(root, '.dt-spiral-boundary')).toBeTruthy();
    await run.clock.advance(3000);
    draw(root, 'pen');
    button(root, 'done').click();
    button(root, 'finish').click();
    expect(button(root, 'finish').textContent).toBe('Press again to finish');
    await run.clock.advance(100);
    button(root, 'finish').click();
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(Object.hasOwn(recording.params, 'pxPerMm')).toBe(false);
    expect(recording.params.calibration).toBeNull();
    expect(recording.params.guide).toMatchObject({ calibrated: false, pxPerMm: 96 / 25.4 });
    expect(recording.flags).toEqual(['NOMINAL_SCALE', 'STOPPED_EARLY']);
    expect(labels(recording).slice(3)).toEqual([
      'trial-start',
      'trial-1',
      'trial-end',
      'trial-start',
      'trial-2',
      'stop-request',
      'trial-end',
      'stop',
    ]);
    expect((recording.params.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'kept',
      'empty',
    ]);
  });

  it('flags NOT_PEN and tells the person when the spiral is drawn with a finger', async () => {
    calibrate();
    const run = startRun(spiral, { params: { trials: 1 } });
    await run.clock.advance(3000);
    draw(run.element, 'touch', 5);
    button(run.element, 'done').click();
    expect(run.announcements).toContain(NOT_PEN_MESSAGE);
    expect(q(run.element, '.dt-spiral-notice').textContent).toContain(NOT_PEN_MESSAGE);
    const recording = await run.done;
    expect(recording.flags).toEqual(['NOT_PEN']);
    expect((recording.params.attempts as { strokes: { touch: number } }[])[0]!.strokes.touch).toBe(1);
  });

  it('Redo before drawing goes back to the previous spiral', async () => {
    calibrate();
    const run = startRun(spiral, { params: { mode: 'traced' } });
    await run.clock.advance(3000);
    draw(run.element, 'pen');
    button(run.element, 'done').click();
    button(run.element, 'redo').click();
    expect(q(run.element, '.dt-spiral-progress').textContent).toBe('Spiral 1 of 2');
    run.controller.abort();
    const error = (await run.done.catch((e: unknown) => e)) as { recording: Recording };
    expect(labels(error.recording).slice(3)).toEqual([
      'trial-start',
      'trial-1',
      'trial-end',
      'trial-start',
      'trial-2',
      'trial-end',
      'redo-1',
      'trial-start',
      'trial-1',
      'abort',
    ]);
    expect((error.recording.params.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'redone',
      'empty',
    ]);
  });

  it('ends at the time limit, counted from the first spiral', async () => {
    const run = startRun(spiral, { params: { timeLimitS: 30 } });
    await noCard(run);
    await run.clock.advance(3000 + 30_000);
    const recording = await run.done;
    expect(recording.flags).toEqual(['NOMINAL_SCALE', 'TIME_LIMIT']);
    expect(recording.durationMs).toBe(30_000);
    expect(labels(recording).slice(-2)).toEqual(['trial-end', 'time-limit']);
  });
});

describe('spiral simulation', () => {
  it('gives core back the simulated tremor: frequency within 0.2 Hz, amplitude within 10 %', () => {
    for (const [mode, seed] of [
      ['freehand', 1],
      ['traced', 2],
      ['freehand', 7],
    ] as const) {
      const params = resolveParams(spiral.definition, { mode, trials: 1 });
      const { person } = simulateSpiralRun({ hand: 'right', params, seed });
      const recording = simulateRecording(spiral, { hand: 'right', seed, params: { mode, trials: 1 } });
      expect(recording.params.pxPerMm).toBeGreaterThan(3.4);
      const out = analyzeRecording(recording);
      expect(Math.abs(out.metrics.tremor_peak_frequency_hz! - person.tremorHz)).toBeLessThan(0.2);
      expect(Math.abs(out.metrics.tremor_amplitude_pp_mm! / person.tremorAmpPpMm - 1)).toBeLessThan(0.1);
    }
    // and for a fixed person
    const params = resolveParams(spiral.definition, { trials: 1 });
    const fixed = simulateSpiralRun(
      { hand: 'left', params, seed: 3 },
      { tremorHz: 5.5, tremorAmpPpMm: 0.8, redoChance: 0 },
    );
    const recording = simulateRecording(spiral, { hand: 'left', seed: 3, params: { trials: 1 } });
    expect(recording.streams.pointer).toBeDefined();
    const out = analyzeRecording({
      ...recording,
      streams: fixed.capture.streams,
      params: { ...recording.params, ...fixed.capture.params },
    });
    expect(out.metrics.tremor_peak_frequency_hz).toBeGreaterThan(5.3);
    expect(out.metrics.tremor_peak_frequency_hz).toBeLessThan(5.7);
    expect(out.metrics.tremor_amplitude_pp_mm).toBeGreaterThan(0.72);
    expect(out.metrics.tremor_amplitude_pp_mm).toBeLessThan(0.88);
  });

  it('samples the pen at 240 Hz with coalesced rows, on the guide', () => {
    const params = resolveParams(spiral.definition, { mode: 'traced', trials: 1 });
    const { capture, guide, person } = simulateSpiralRun(
      { hand: 'right', params, seed: 4 },
      { redoChance: 0 },
    );
    const pointer = capture.streams.pointer!;
    const times = column(pointer, 'timeStampMs') as number[];
    const intervals = times
      .slice(1)
      .map((v, i) => v - times[i]!)
      .sort((a, b) => a - b);
    expect(intervals[Math.floor(intervals.length / 2)]).toBeCloseTo(1000 / 240, 1);
    expect(column(pointer, 'type')[0]).toBe('pointerdown');
    expect(column(pointer, 'type').at(-1)).toBe('pointerup');
    expect(new Set(column(pointer, 'pointerType') as string[])).toEqual(new Set(['pen']));
    // the traced spiral starts 0.5 mm right of the centre, off by at most half the tremor
    const x0 = column(pointer, 'xPx')[0] as number;
    expect(Math.abs(x0 - (guide.centreXPx + 0.5 * guide.pxPerMm))).toBeLessThanOrEqual(
      (person.tremorAmpPpMm / 2) * guide.pxPerMm + 0.01,
    );
    expect(column(pointer, 'yPx')[0]).toBeCloseTo(guide.centreYPx, 1);
    expect(capture.params.attempts).toHaveLength(1);
  });

  it('has the params of a calibrated run and fills the time limit when longest', async () => {
    calibrate();
    const run = startRun(spiral, { params: { trials: 1 } });
    await run.clock.advance(3000);
    draw(run.element, 'pen');
    button(run.element, 'done').click();
    const real = await run.done;
    const simulated = simulateRecording(spiral, { hand: 'right', seed: 1, params: { trials: 1 } });
    expect(Object.keys(real.params).sort()).toEqual(Object.keys(simulated.params).sort());
    expect(Object.keys(real.streams).sort()).toEqual(Object.keys(simulated.streams).sort());
    for (const hand of ['left', 'right'] as const) {
      const longest = simulateRecording(spiral, { hand, seed: 9, longest: true });
      expect(() => parseTaskRecording(longest)).not.toThrow();
      expect(longest.durationMs).toBe(180_000);
      expect(longest.flags).toContain('TIME_LIMIT');
    }
  });
});
