import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { ParamValues, TaskDefinition, TaskParams } from '../contract';
import { HANDWRITING_LANGUAGES } from './texts';

/**
 * Handwriting with a pen (measures.md 4.2, writer's cramp), one part per run: H1 loops (continuous
 * cursive l's, 2 × 15 s), H3 sentence (a fixed pangram in the person's language, 3 times, normal
 * speed), H4 fast sentence (the same sentence once, as fast as possible, still readable) or H6 copy
 * (a fixed passage copied for 2 minutes, for the build-up of cramp). On a lined writing area drawn to
 * scale from the screen calibration; the hand is the run's hand. Stream `pointer`: every coalesced
 * sample of every pointer on the writing area (a resting palm included, as `touch`).
 */
export const handwritingDefinition = {
  id: 'handwriting',
  version: '1.0.0',
  title: 'Handwriting',
  summary: 'Write loops, a short sentence or a text with a pen on lines, as you usually write.',
  instructions: [
    'Use a pen (stylus) if you have one. Speed, smoothness and pressure can only be measured with a pen.',
    'Rest your hand on the screen as you do when you write on paper.',
    'Write on the lines at your usual size. The text to write is shown above the lines.',
    'Loops and copying are timed: keep writing until the time is up. At the end of a line, go on at the start of the next; New page gives you a fresh page.',
    'The sentence: write it, then press Done. Redo takes the one you are writing, or the last one, again.',
    'You can finish at any time with the Finish button (press it twice).',
  ],
  hands: ['left', 'right'],
  inputs: ['pen', 'touch', 'mouse'],
  approxDurationS: 150,
  parameters: {
    part: {
      type: 'string',
      default: 'loops',
      options: ['loops', 'sentence', 'fast', 'copy'],
      description:
        'measures.md 4.2: loops (H1, joined l’s, 2 × 15 s), sentence (H3, a fixed pangram 3 times at normal speed), fast (H4, the sentence once as fast as possible, still readable), copy (H6, a fixed passage copied for 2 minutes).',
      ask: {
        question: 'What will you write?',
        labels: {
          loops: 'Loops: joined l’s along the lines, twice 15 seconds',
          sentence: 'A sentence: the same short sentence 3 times, at your usual speed',
          fast: 'The sentence once, as fast as you can while keeping it readable',
          copy: 'A text: copy it for 2 minutes at your usual speed',
        },
      },
    },
    language: {
      type: 'string',
      default: 'en',
      options: HANDWRITING_LANGUAGES,
      description:
        'Language of the sentence and of the copy text (texts.ts). Keep the same language from session to session.',
      ask: {
        question: 'In which language do you write? (Keep the same one every time.)',
        labels: { en: 'English', de: 'Deutsch (German)', fr: 'Français (French)', es: 'Español (Spanish)' },
      },
    },
    trials: {
      type: 'number',
      default: 0,
      min: 0,
      max: 10,
      unit: 'trials',
      description:
        'Trials of the part, a whole number; 0: as measures.md 4.2 asks (loops 2, sentence 3, fast 1, copy 1).',
    },
    loopsDurationS: {
      type: 'number',
      default: 15,
      min: 5,
      max: 60,
      unit: 's',
      description: 'Length of each loops trial (measures.md 4.2 H1: 15 s).',
    },
    copyDurationS: {
      type: 'number',
      default: 120,
      min: 30,
      max: 240,
      unit: 's',
      description: 'Length of the copy trial (measures.md 4.2 H6: 2 min).',
    },
    restS: {
      type: 'number',
      default: 10,
      min: 3,
      max: 60,
      unit: 's',
      description: 'Rest between timed trials; the next one starts by itself after it (or on Start now).',
    },
    lineSpacingMm: {
      type: 'number',
      default: 10,
      min: 6,
      max: 20,
      unit: 'mm',
      description:
        'Distance between the lines of the writing area, drawn to scale from the screen calibration (loops of about 1 cm, measures.md 4.2 H1).',
    },
    timeLimitS: {
      type: 'number',
      default: TASK_RECORDING_SPECS.handwriting.maxDurationS,
      min: 60,
      max: TASK_RECORDING_SPECS.handwriting.maxDurationS,
      unit: 's',
      description:
        'The run ends (flag TIME_LIMIT) this long after the first trial started, so that a recording stays within the task’s maximum duration.',
    },
  },
} as const satisfies TaskDefinition;

export type HandwritingParams = ParamValues<typeof handwritingDefinition.parameters>;

/** A part of measures.md 4.2 that the task runs. */
export type HandwritingPart = HandwritingParams['part'];

/** Trials of each part that measures.md 4.2 asks for. */
export const PROTOCOL_TRIALS: Readonly<Record<HandwritingPart, number>> = {
  loops: 2,
  sentence: 3,
  fast: 1,
  copy: 1,
};

/**
 * The handwriting parameters of a resolved parameter set, with `trials` 0 replaced by the protocol's count.
 * @throws RangeError for a part or language that is not one of the options, or `trials` not a whole number
 */
export function readHandwritingParams(params: Readonly<TaskParams>): HandwritingParams {
  const p = params as HandwritingParams;
  const { parameters } = handwritingDefinition;
  for (const name of ['part', 'language'] as const) {
    if (!(parameters[name].options as readonly string[]).includes(p[name])) {
      throw new RangeError(`invalid ${name}: ${JSON.stringify(p[name])}`);
    }
  }
  if (!Number.isInteger(p.trials)) {
    throw new RangeError(`parameter "trials" must be a whole number, got ${p.trials}`);
  }
  return { ...p, trials: p.trials === 0 ? PROTOCOL_TRIALS[p.part] : p.trials };
}

/** Whether a part is timed (it ends by itself) rather than ended with Done. */
export function isTimedPart(part: HandwritingPart): boolean {
  return part === 'loops' || part === 'copy';
}

/** The length of each trial of a timed part, s (null for the untimed parts). */
export function trialDurationS(p: HandwritingParams): number | null {
  if (p.part === 'loops') return p.loopsDurationS;
  if (p.part === 'copy') return p.copyDurationS;
  return null;
}
