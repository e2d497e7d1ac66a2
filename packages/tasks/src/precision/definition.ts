import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { ParamValues, TaskDefinition, TaskParams } from '../contract';

/**
 * Precision-tool task (the dentist's, surgeon's or other fine-tool worker's hand task, docs/condition.md;
 * measures.md has no protocol for it, so this one is a project definition [S] built on the pen methods
 * of measures.md 3.2, 3.3 and 9.3): the stylus held in the person's working grip, like their dental
 * mirror, probe or scalpel, one part per run: a steady hold of the tip in a 2-mm ring for 10 s (3 times),
 * or slow, exact tracing of a small circle or a small zig-zag (3 times each). Shapes are drawn to scale
 * from the screen calibration; core computes drift, tremor and path deviation in mm from the `pointer`
 * stream and the target recorded in the params.
 */
export const precisionDefinition = {
  id: 'precision',
  version: '1.0.0',
  title: 'Precision tool',
  summary:
    'Hold the stylus like your dental mirror, probe, scalpel or other tool: keep it still on a small ring, or trace small shapes slowly.',
  instructions: [
    'Hold the stylus the way you hold your working tool: your dental mirror, probe, scalpel or other instrument, in your working grip.',
    'Rest your hand and fingers on the screen as you do when you work.',
    'Hold: after the countdown, keep the tip in the middle of the small ring, as still as you can, until the time is up.',
    'Trace: start at the green dot and follow the small shape slowly and as exactly as you can, then press Done.',
    'Redo takes the one you are doing, or the last one, again. You can finish at any time with the Finish button (press it twice).',
  ],
  hands: ['left', 'right'],
  inputs: ['pen', 'touch', 'mouse'],
  approxDurationS: 90,
  parameters: {
    part: {
      type: 'string',
      default: 'hold',
      options: ['hold', 'circle', 'zigzag'],
      description:
        'hold: keep the tip still in a 2-mm ring for holdS seconds (drift, tremor, deviation from the ring centre); circle: trace a 15-mm circle slowly; zigzag: trace a 40 × 6 mm zig-zag slowly.',
      ask: {
        question: 'What will you do?',
        labels: {
          hold: 'Hold still: keep the tip in a small ring for 10 seconds, 3 times',
          circle: 'Trace a small circle slowly, 3 times',
          zigzag: 'Trace a small zig-zag slowly, 3 times',
        },
      },
    },
    tool: {
      type: 'string',
      default: 'other',
      options: ['dental-mirror', 'dental-probe', 'scalpel', 'other'],
      description:
        'The tool whose grip the person uses (only recorded, to compare like with like across sessions).',
      ask: {
        question: 'Which tool do you hold the stylus like?',
        labels: {
          'dental-mirror': 'A dental mirror',
          'dental-probe': 'A dental probe or explorer',
          scalpel: 'A scalpel',
          other: 'Another tool (a brush, a needle holder, …)',
        },
      },
    },
    trials: {
      type: 'number',
      default: 0,
      min: 0,
      max: 10,
      unit: 'trials',
      description: 'Trials of the part, a whole number; 0: the project protocol (3 of each part).',
    },
    holdS: {
      type: 'number',
      default: 10,
      min: 5,
      max: 30,
      unit: 's',
      description: 'Length of each hold.',
    },
    restS: {
      type: 'number',
      default: 5,
      min: 3,
      max: 60,
      unit: 's',
      description: 'Rest between holds; the next one starts by itself after it (or on Start now).',
    },
    timeLimitS: {
      type: 'number',
      default: TASK_RECORDING_SPECS.precision.maxDurationS,
      min: 60,
      max: TASK_RECORDING_SPECS.precision.maxDurationS,
      unit: 's',
      description:
        'The run ends (flag TIME_LIMIT) this long after the first trial started, so that a recording stays within the task’s maximum duration.',
    },
  },
} as const satisfies TaskDefinition;

export type PrecisionParams = ParamValues<typeof precisionDefinition.parameters>;

/** A part of the precision task. */
export type PrecisionPart = PrecisionParams['part'];

/** Trials of each part in the project protocol. */
export const PROTOCOL_TRIALS: Readonly<Record<PrecisionPart, number>> = { hold: 3, circle: 3, zigzag: 3 };

/**
 * The precision parameters of a resolved parameter set, with `trials` 0 replaced by the protocol's count.
 * @throws RangeError for a part or tool that is not one of the options, or `trials` not a whole number
 */
export function readPrecisionParams(params: Readonly<TaskParams>): PrecisionParams {
  const p = params as PrecisionParams;
  const { parameters } = precisionDefinition;
  for (const name of ['part', 'tool'] as const) {
    if (!(parameters[name].options as readonly string[]).includes(p[name])) {
      throw new RangeError(`invalid ${name}: ${JSON.stringify(p[name])}`);
    }
  }
  if (!Number.isInteger(p.trials)) {
    throw new RangeError(`parameter "trials" must be a whole number, got ${p.trials}`);
  }
  return { ...p, trials: p.trials === 0 ? PROTOCOL_TRIALS[p.part] : p.trials };
}
