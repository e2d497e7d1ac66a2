import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { ParamValues, TaskDefinition, TaskParams } from '../contract';

/**
 * Spiral drawing with a pen (measures.md 3.2): Archimedean spirals from the centre outward, freehand
 * within a 10-cm circle (5 per hand) or traced over a template of 0.175 cm per radian (2 per hand,
 * correction 17), at the person's normal speed, no time limit per spiral. Stream `pointer`: every
 * coalesced sample of every pointer on the drawing surface (a resting palm included, as `touch`).
 */
export const spiralDefinition = {
  id: 'spiral',
  version: '1.0.0',
  title: 'Spiral drawing',
  summary: 'Draw a few spirals with a pen, from the centre outwards, at your normal speed.',
  instructions: [
    'Use a pen (stylus) if you have one. Speed and smoothness can only be measured with a pen.',
    'Rest your hand on the screen as you do when you write.',
    'Put the pen on the dot in the middle. After the countdown, draw a spiral outwards, round and round, at your normal speed.',
    'Freehand: about 4 to 5 turns, staying inside the circle. Traced: follow the grey spiral.',
    'Press Done when a spiral is finished. Press Redo to draw the last spiral again.',
    'You can finish at any time with the Finish button (press it twice).',
  ],
  hands: ['left', 'right'],
  inputs: ['pen', 'touch', 'mouse'],
  approxDurationS: 120,
  parameters: {
    mode: {
      type: 'string',
      default: 'freehand',
      options: ['freehand', 'traced'],
      description:
        'freehand: spirals drawn freely inside a 10-cm circle (measures.md 3.2: 5 per hand); traced: spirals traced over an Archimedean template, 0.175 cm per radian, 4.5 turns (2 per hand, correction 17).',
      ask: {
        question: 'Which spiral test?',
        labels: {
          freehand: 'Freehand: draw spirals yourself, inside a circle',
          traced: 'Traced: follow a spiral shown on the screen',
        },
      },
    },
    trials: {
      type: 'number',
      default: 0,
      min: 0,
      max: 10,
      unit: 'spirals',
      description: 'Spirals per hand, a whole number; 0: as measures.md 3.2 asks (5 freehand, 2 traced).',
    },
    timeLimitS: {
      type: 'number',
      default: TASK_RECORDING_SPECS.spiral.maxDurationS,
      min: 30,
      max: TASK_RECORDING_SPECS.spiral.maxDurationS,
      unit: 's',
      description:
        'The run ends (flag TIME_LIMIT) this long after the first spiral started, so that a recording stays within the task’s maximum duration.',
    },
  },
} as const satisfies TaskDefinition;

export type SpiralParams = ParamValues<typeof spiralDefinition.parameters>;

/** Spirals per hand that measures.md 3.2 asks for. */
export const PROTOCOL_TRIALS = { freehand: 5, traced: 2 } as const;

/**
 * The spiral parameters of a resolved parameter set, with `trials` 0 replaced by the protocol's count.
 * @throws RangeError when `trials` is not a whole number
 */
export function readSpiralParams(params: Readonly<TaskParams>): SpiralParams {
  const p = params as SpiralParams;
  if (!Number.isInteger(p.trials)) {
    throw new RangeError(`parameter "trials" must be a whole number, got ${p.trials}`);
  }
  return { ...p, trials: p.trials === 0 ? PROTOCOL_TRIALS[p.mode] : p.trials };
}
