import { analyzeRecording, parseTaskRecording, type Recording } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { resolveParams } from '../params';
import { simulateRecording } from '../simulate';
import { startRun } from '../testing/harness';
import { calibrate, drawStroke, labels, q, setUpPenTaskTests, taskQueries } from '../testing/pen';
import { handwriting } from './index';
import { simulateHandwritingRun } from './simulate';
import { HANDWRITING_LANGUAGES, HANDWRITING_TEXTS, letterCount } from './texts';

setUpPenTaskTests();

const { button, text } = taskQueries('handwriting');
const outcomes = (r: Recording) => (r.params.attempts as { outcome: string }[]).map((a) => a.outcome);
const draw = (root: Element, pointerType: 'pen' | 'touch' = 'pen') => drawStroke(root, { pointerType });

describe('handwriting run', () => {
  it('loops: lines to scale, countdown, time left, a rest that Start now ends, checkpoints, markers and params', async () => {
    calibrate();
    const run = startRun(handwriting, { params: { part: 'loops' } });
    const root = run.element;
    await run.clock.advance(0);
    expect(root.querySelector('.dt-calibration')).toBeNull();
    expect(text(root, 'text')).toBe('llllllll');
    expect(root.querySelectorAll('.dt-handwriting-line').length).toBeGreaterThan(0);
    expect(text(root, 'progress')).toBe('Loops 1 of 2');
    expect(button(root, 'done').style.display).toBe('none');
    expect(button(root, 'page').style.display).toBe('');
    expect(button(root, 'finish').disabled).toBe(true); // during the countdown
    await run.clock.advance(3000); // go at 13 000
    expect(text(root, 'time')).toBe('15 s left');
    expect(q(root, '.dt-handwriting-bar').getAttribute('aria-valuetext')).toBe('15 seconds left');
    expect(button(root, 'finish').disabled).toBe(false);
    draw(root);
    await run.clock.advance(5000);
    expect(text(root, 'time')).toBe('10 s left');
    await run.clock.advance(10_000); // 28 000: the end of loops 1
    const atEnd = run.checkpoints.filter((c) => c.atMs === 28_000);
    expect(atEnd.some((c) => (c.recording.params.attempts as unknown[] | undefined)?.length === 1)).toBe(
      true,
    );
    expect(text(root, 'message')).toContain('Rest a moment.');
    expect(text(root, 'time')).toBe('Loops 2 of 2 starts in 10 s');
    expect(button(root, 'start').style.display).toBe('');
    await run.clock.advance(2000);
    button(root, 'start').click(); // at 30 000
    await run.clock.advance(3000); // go at 33 000
    expect(text(root, 'progress')).toBe('Loops 2 of 2');
    draw(root);
    await run.clock.advance(15_000);
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual([]);
    expect(labels(recording)).toEqual([
      'countdown-3',
      'countdown-2',
      'countdown-1',
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
    expect(recording.durationMs).toBe(35_000); // 13 000 to 48 000
    expect(recording.params).toMatchObject({
      part: 'loops',
      trials: 2,
      text: 'llllllll',
      textLetters: 8,
      pxPerMm: 4,
      lines: { spacingMm: 10, spacingPx: 40, pxPerMm: 4, calibrated: true },
    });
    expect(recording.params.attempts).toEqual([
      {
        trial: 1,
        startMs: 13_000,
        endMs: 28_000,
        outcome: 'kept',
        strokes: { pen: 1, touch: 0, mouse: 0, other: 0, rejected: 0 },
        pages: 1,
      },
      {
        trial: 2,
        startMs: 33_000,
        endMs: 48_000,
        outcome: 'kept',
        strokes: { pen: 1, touch: 0, mouse: 0, other: 0, rejected: 0 },
        pages: 1,
      },
    ]);
    expect(root.children.length).toBe(0);
  });

  it('sentence: the pangram of the language, Done only after writing, New page, Redo, two-press Finish', async () => {
    calibrate();
    const run = startRun(handwriting, { params: { part: 'sentence', language: 'de' } });
    const root = run.element;
    await run.clock.advance(0);
    expect(text(root, 'text')).toBe(HANDWRITING_TEXTS.de.sentence);
    expect(q(root, '.dt-handwriting-text').getAttribute('lang')).toBe('de');
    await run.clock.advance(3000);
    expect(text(root, 'progress')).toBe('Sentence 1 of 3');
    expect(q<HTMLElement>(root, '.dt-handwriting-time').style.display).toBe('none');
    const press = async (name: string) => {
      button(root, name).click();
      await run.clock.advance(0);
    };
    await press('done');
    expect(text(root, 'message')).toBe('Write the sentence first, on the lines.');
    draw(root);
    await press('page');
    expect(text(root, 'message')).toBe('Page 2. Go on writing.');
    draw(root);
    const before = run.checkpoints.length;
    await press('done');
    expect(run.checkpoints.length).toBe(before + 1);
    expect(text(root, 'progress')).toBe('Sentence 2 of 3');
    draw(root);
    await press('redo'); // the sentence in progress
    expect(text(root, 'progress')).toBe('Sentence 2 of 3');
    await press('redo'); // nothing written yet: sentence 1 again
    expect(text(root, 'progress')).toBe('Sentence 1 of 3');
    await press('finish');
    expect(button(root, 'finish').textContent).toBe('Press again to finish');
    await press('finish');
    const recording = await run.done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.flags).toEqual(['STOPPED_EARLY']);
    expect(recording.params).toMatchObject({
      language: 'de',
      trials: 3,
      text: HANDWRITING_TEXTS.de.sentence,
      textLetters: 53,
    });
    expect(labels(recording).slice(3)).toEqual([
      'trial-start',
      'trial-1',
      'page-2',
      'trial-end',
      'trial-start',
      'trial-2',
      'trial-end',
      'redo-2',
      'trial-start',
      'trial-2',
      'trial-end',
      'redo-1',
      'trial-start',
      'trial-1',
      'stop-request',
      'trial-end',
      'stop',
    ]);
    const attempts = recording.params.attempts as {
      trial: number;
      outcome: string;
      pages: number;
      strokes: { pen: number };
    }[];
    expect(attempts.map((a) => [a.trial, a.outcome, a.pages, a.strokes.pen])).toEqual([
      [1, 'redone', 2, 2],
      [2, 'redone', 1, 1],
      [2, 'empty', 1, 0],
      [1, 'empty', 1, 0],
    ]);
  });

  it('takes an empty timed trial again, and Redo in the rest goes back to the last one', async () => {
    calibrate();
    const run = startRun(handwriting, { params: { part: 'loops', loopsDurationS: 5, restS: 5 } });
    const root = run.element;
    await run.clock.advance(3000);
    await run.clock.advance(5000); // nothing written
    expect(text(root, 'message')).toContain('Nothing was drawn, so this one is taken again.');
    expect(text(root, 'time')).toBe('Loops 1 of 2 starts in 5 s');
    await run.clock.advance(5000 + 3000); // the rest ends by itself, then the countdown
    expect(text(root, 'progress')).toBe('Loops 1 of 2');
    draw(root);
    await run.clock.advance(5000);
    expect(text(root, 'time')).toBe('Loops 2 of 2 starts in 5 s');
    button(root, 'redo').click();
    await run.clock.advance(0);
    expect(text(root, 'progress')).toBe('Loops 1 of 2');
    expect(button(root, 'redo').disabled).toBe(true); // the countdown runs
    run.controller.abort();
    const error = (await run.done.catch((e: unknown) => e)) as { recording: Recording };
    expect(outcomes(error.recording)).toEqual(['empty', 'redone']);
    expect(labels(error.recording).filter((l) => /^(rest|redo-)/.test(l))).toEqual([
      'rest',
      'rest',
      'redo-1',
    ]);
  });

  it('without a calibration shows the card first; “I have no card” runs on at the nominal scale, flagged', async () => {
    const run = startRun(handwriting, { params: { part: 'fast', language: 'fr' } });
    const root = run.element;
    await run.clock.advance(0);
    expect(root.querySelector('.dt-handwriting')).toBeNull();
    q<HTMLButtonElement>(root, '.dt-calibration-cancel').click();
    await run.clock.advance(0);
    expect(text(root, 'notice')).toContain('Your screen is not measured');
    expect(text(root, 'text')).toBe('Portez ce vieux whisky au juge blond qui fume.');
    await run.clock.advance(3000);
    expect(text(root, 'progress')).toBe('Fast sentence');
    draw(root, 'touch');
    button(root, 'done').click();
    const recording = await run.done;
    expect(recording.flags).toEqual(['NOMINAL_SCALE', 'NOT_PEN']);
    expect(Object.hasOwn(recording.params, 'pxPerMm')).toBe(false);
    expect(recording.params.lines).toMatchObject({ calibrated: false, pxPerMm: 96 / 25.4 });
    expect(run.announcements.some((a) => a.includes('finger or a mouse'))).toBe(true);
  });

  it('copy: the passage above the lines, 2 minutes, a warning 10 s before the end', async () => {
    calibrate();
    const run = startRun(handwriting, { params: { part: 'copy', language: 'es' } });
    const root = run.element;
    await run.clock.advance(0);
    expect(text(root, 'text')).toBe(HANDWRITING_TEXTS.es.passage);
    await run.clock.advance(3000);
    expect(text(root, 'progress')).toBe('Copying');
    expect(text(root, 'time')).toBe('120 s left');
    draw(root);
    await run.clock.advance(111_000);
    expect(run.announcements).toContain('10 seconds left');
    await run.clock.advance(9000);
    const recording = await run.done;
    expect(recording.durationMs).toBe(120_000);
    expect(outcomes(recording)).toEqual(['kept']);
  });
});

describe('handwriting texts', () => {
  it('has a pangram and a longer passage per language', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (const language of HANDWRITING_LANGUAGES) {
      const { sentence, passage } = HANDWRITING_TEXTS[language];
      const plain = sentence.normalize('NFD').toLowerCase();
      for (const letter of letters) expect(plain, `${language}: ${letter}`).toContain(letter);
      expect(passage.length).toBeGreaterThan(400);
      expect(sentence).toBe(sentence.normalize('NFC'));
      expect(passage).toBe(passage.normalize('NFC'));
    }
    expect(letterCount('Über den Deich, zwölf!')).toBe(17);
  });
});

describe('handwriting simulation', () => {
  it('gives core back the simulated stroke frequency within 3 %, for every part', () => {
    for (const [part, seed] of [
      ['loops', 1],
      ['sentence', 2],
      ['fast', 3],
      ['copy', 4],
      ['sentence', 5],
    ] as const) {
      const params = resolveParams(handwriting.definition, { part });
      const { truth } = simulateHandwritingRun({ hand: 'right', params, seed });
      const recording = simulateRecording(handwriting, { hand: 'right', seed, params: { part } });
      expect(() => parseTaskRecording(recording)).not.toThrow();
      const out = analyzeRecording(recording);
      expect(truth.cycles).toBeGreaterThan(20);
      expect(Math.abs(out.metrics.stroke_frequency_hz! / truth.strokeHz - 1), `${part} ${seed}`).toBeLessThan(
        0.03,
      );
      expect(out.metrics.niv_per_stroke).toBeCloseTo(1, 1); // fluent strokes: one speed peak each
      // each kept trial analysed on its own; the sentence parts have a writing speed in letters/min
      expect(out.metrics.handwriting_trial_count).toBe(truth.keptTrials);
      if (part === 'sentence' || part === 'fast') {
        expect(out.metrics.writing_speed_letters_per_min).toBeGreaterThan(60);
        expect(out.metrics.writing_speed_letters_per_min).toBeLessThan(400);
      } else expect(out.metrics.writing_speed_letters_per_min).toBeNull();
    }
    // and for a fixed person
    const params = resolveParams(handwriting.definition, { part: 'sentence' });
    const fixed = simulateHandwritingRun({ hand: 'left', params, seed: 6 }, { strokeHz: 5, redoChance: 0 });
    const base = simulateRecording(handwriting, { hand: 'left', seed: 6, params: { part: 'sentence' } });
    const out = analyzeRecording({
      ...base,
      streams: fixed.capture.streams,
      params: { ...base.params, ...fixed.capture.params },
    });
    expect(fixed.truth.strokeHz).toBeGreaterThan(4.8);
    expect(fixed.truth.strokeHz).toBeLessThan(5.2);
    expect(Math.abs(out.metrics.stroke_frequency_hz! / fixed.truth.strokeHz - 1)).toBeLessThan(0.03);
  });

  it('has the streams and params of a calibrated run, and fills the time limit when longest', async () => {
    for (const part of ['loops', 'sentence'] as const) {
      calibrate();
      const run = startRun(handwriting, { params: { part, trials: 1 } });
      await run.clock.advance(3000);
      draw(run.element);
      if (part === 'sentence') button(run.element, 'done').click();
      else await run.clock.advance(15_000);
      const real = await run.done;
      const simulated = simulateRecording(handwriting, {
        hand: 'right',
        seed: 1,
        params: { part, trials: 1 },
      });
      expect(Object.keys(real.params).sort()).toEqual(Object.keys(simulated.params).sort());
      expect(Object.keys(real.streams).sort()).toEqual(Object.keys(simulated.streams).sort());
      expect(Object.keys(real.streams.pointer!.columns).sort()).toEqual(
        Object.keys(simulated.streams.pointer!.columns).sort(),
      );
    }
    for (const part of ['loops', 'sentence', 'fast', 'copy'] as const) {
      const longest = simulateRecording(handwriting, {
        hand: 'left',
        seed: 9,
        longest: true,
        params: { part },
      });
      expect(() => parseTaskRecording(longest)).not.toThrow();
      expect(longest.durationMs).toBe(300_000);
      expect(longest.flags).toContain('TIME_LIMIT');
    }
  });
});
