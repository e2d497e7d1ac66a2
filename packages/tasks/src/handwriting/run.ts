import type { TaskContext } from '../contract';
import { h } from '../dom';
import type { PenProtocol } from '../pen/protocol';
import { runScaledPenTask } from '../pen/scaled-task';
import {
  readHandwritingParams,
  trialDurationS,
  type HandwritingParams,
  type HandwritingPart,
} from './definition';
import { drawLines, writingLines } from './geometry';
import { HANDWRITING_TEXTS, LOOP_PATTERN, letterCount } from './texts';

/** The text a part asks to write: the loop pattern, the language's pangram, or its passage. */
export function partText(p: Pick<HandwritingParams, 'part' | 'language'>): string {
  const texts = HANDWRITING_TEXTS[p.language];
  if (p.part === 'loops') return LOOP_PATTERN;
  return p.part === 'copy' ? texts.passage : texts.sentence;
}

/** The trials of a part: labels, instructions, timing. */
export function handwritingProtocol(p: HandwritingParams): PenProtocol {
  const n = p.trials;
  const durationS = trialDurationS(p);
  const labels: Record<HandwritingPart, (k: number) => string> = {
    loops: (k) => `Loops ${k} of ${n}`,
    sentence: (k) => `Sentence ${k} of ${n}`,
    fast: (k) => (n === 1 ? 'Fast sentence' : `Fast sentence ${k} of ${n}`),
    copy: (k) => (n === 1 ? 'Copying' : `Copying ${k} of ${n}`),
  };
  const instructions: Record<HandwritingPart, string> = {
    loops:
      'Write joined loops (llll) along the lines at a comfortable size, without lifting the pen, until the time is up. At the end of a line go on at the start of the next.',
    sentence: 'Write the sentence on the lines at your usual speed, then press Done.',
    fast: 'Write the sentence as fast as you can, keeping it readable, then press Done.',
    copy: 'Copy the text at your usual speed until the time is up. At its end, start again from the beginning.',
  };
  return {
    trials: n,
    trialMs: durationS === null ? null : durationS * 1000,
    restMs: p.restS * 1000,
    timeLimitMs: p.timeLimitS * 1000,
    pages: true,
    label: labels[p.part],
    instruction: () => instructions[p.part],
    nothingDrawn: 'Write the sentence first, on the lines.',
  };
}

/** The text to write, shown above the lines. */
function textBlock(p: HandwritingParams, text: string): HTMLElement {
  const loops = p.part === 'loops';
  return h(
    'div',
    {
      className: 'dt-handwriting-text-block',
      style: {
        padding: '0 16px 8px',
        maxHeight: p.part === 'copy' ? '30vh' : '',
        overflowY: p.part === 'copy' ? 'auto' : '',
      },
    },
    h('p', {
      className: 'dt-handwriting-text',
      text,
      attrs: { lang: loops ? 'en' : HANDWRITING_TEXTS[p.language].language },
      style: {
        fontSize: loops ? '2rem' : '1.375rem',
        lineHeight: '1.5',
        margin: '0',
        fontFamily: loops ? 'cursive' : '',
        letterSpacing: loops ? '-0.05em' : '',
      },
    }),
  );
}

/**
 * Runs one part of the handwriting task: the screen calibration ({@link ensureCalibration}), the text
 * to write above a lined writing area drawn to scale (`lineSpacingMm`), then the part's trials with the
 * shared pen protocol ({@link runPenProtocol}: countdown, time left for loops and copy, "Sentence k of
 * 3", New page, Redo, Done, two-press Finish, checkpoints, markers). Records `params.trials`, `text`
 * (what was to be written) and `textLetters` (its letters, for writing speed in letters per minute),
 * `lines` (the lines' geometry, client px), `canvas`, `calibration`, `pxPerMm` (only with a calibration)
 * and `attempts`. Flags: `NOMINAL_SCALE`, `NOT_PEN`, `STOPPED_EARLY`, `TIME_LIMIT`, `LAYOUT_CHANGED`,
 * `STREAM_FULL`.
 */
export async function runHandwriting(ctx: TaskContext): Promise<void> {
  const p = readHandwritingParams(ctx.params);
  const text = partText(p);
  ctx.setParam('text', text);
  ctx.setParam('textLetters', letterCount(text));
  await runScaledPenTask(ctx, p.trials, {
    prefix: 'dt-handwriting',
    above: textBlock(p, text),
    attrs: { 'data-part': p.part },
    protocol: handwritingProtocol(p),
    draw: (surface, box, scale) => {
      const lines = writingLines({
        box,
        pxPerMm: scale.pxPerMm,
        calibrated: scale.calibrated,
        spacingMm: p.lineSpacingMm,
      });
      drawLines(surface, lines);
      ctx.setParam('lines', { ...lines });
      return lines;
    },
    check: (lines) =>
      lines.count < 3 ? 'The screen is small: press New page when the lines are full.' : null,
  });
}
