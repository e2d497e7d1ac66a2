import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { Hand, ParamValues, TaskDefinition, TaskParams } from '../contract';

/**
 * TAP-A, alternating two-target finger tapping (measures.md section 6.2): two large targets whose
 * centres are 2.5 cm apart, index and middle finger, as fast and as evenly as possible, 20 s per hand.
 * By touch, pen or mouse (Pointer Events, stream `pointer`) or by two adjacent keys (stream `keyboard`).
 */
export const tappingDefinition = {
  id: 'tapping',
  version: '1.0.0',
  title: 'Finger tapping',
  summary: 'Tap two targets in turn, as fast and as evenly as you can, for 20 seconds.',
  instructions: [
    'Use one hand. Put your index finger and your middle finger on the two targets (or the two keys).',
    'After the countdown, tap the two targets in turn: left, right, left, right.',
    'Tap as fast and as evenly as you can until the time bar is empty.',
    'You can stop at any time with the Stop button (press it twice).',
  ],
  hands: ['left', 'right'],
  inputs: ['touch', 'pen', 'mouse', 'keyboard'],
  approxDurationS: 25,
  parameters: {
    input: {
      type: 'string',
      default: 'pointer',
      options: ['pointer', 'keys'],
      description: 'pointer: tap two on-screen targets (touch, pen or mouse); keys: press two keys in turn.',
      ask: {
        question: 'How will you tap?',
        labels: {
          pointer: 'On the screen: two circles to tap with a finger, a pen or the mouse',
          keys: 'On the keyboard: two keys next to each other',
        },
      },
    },
    durationS: {
      type: 'number',
      default: 20,
      min: 5,
      max: TASK_RECORDING_SPECS.tapping.maxDurationS,
      unit: 's',
      description: 'Length of the tapping trial (mPower and measures.md 6.2: 20 s per hand).',
    },
    targetDiameterMm: {
      type: 'number',
      default: 20,
      min: 10,
      max: 60,
      unit: 'mm',
      description: 'Target diameter at the nominal 96 CSS px per inch; never smaller than 64 CSS px.',
    },
    centreDistanceMm: {
      type: 'number',
      default: 25,
      min: 15,
      max: 150,
      unit: 'mm',
      description: 'Distance between the target centres at 96 CSS px per inch (PMC8651103 layout: 2.5 cm).',
    },
    keyLeft: {
      type: 'string',
      default: 'auto',
      description: 'KeyboardEvent.code of the left key; auto: KeyD for the left hand, KeyJ for the right.',
    },
    keyRight: {
      type: 'string',
      default: 'auto',
      description: 'KeyboardEvent.code of the right key; auto: KeyF for the left hand, KeyK for the right.',
    },
  },
} as const satisfies TaskDefinition;

export type TappingParams = ParamValues<typeof tappingDefinition.parameters>;

/** CSS px per mm at the nominal 96 px per inch (real screens differ; the layout records the px). */
export const PX_PER_MM_NOMINAL = 96 / 25.4;

const KEY_CODE = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** Default keys per hand: index and middle finger on adjacent home-row keys. */
const AUTO_KEYS: Record<Hand, [string, string]> = {
  left: ['KeyD', 'KeyF'],
  right: ['KeyJ', 'KeyK'],
  both: ['KeyF', 'KeyJ'],
};

/**
 * The tapping parameters of a resolved parameter set, with `auto` keys replaced by the hand's keys.
 * @throws RangeError for key codes that are not `KeyboardEvent.code` names, or two equal keys
 */
export function readTappingParams(params: Readonly<TaskParams>, hand: Hand): TappingParams {
  const p = params as TappingParams;
  const [autoLeft, autoRight] = AUTO_KEYS[hand];
  const keyLeft = p.keyLeft === 'auto' ? autoLeft : p.keyLeft;
  const keyRight = p.keyRight === 'auto' ? autoRight : p.keyRight;
  for (const key of [keyLeft, keyRight]) {
    if (!KEY_CODE.test(key)) throw new RangeError(`invalid key code: ${JSON.stringify(key)}`);
  }
  if (keyLeft === keyRight) throw new RangeError(`the two tapping keys must differ, got ${keyLeft} twice`);
  return { ...p, keyLeft, keyRight };
}

/** A short label for a key code: `KeyF` → `F`, `Digit1` → `1`, `Space` → `Space`. */
export function keyLabel(code: string): string {
  return code
    .replace(/^Key(?=[A-Z]$)/, '')
    .replace(/^Digit(?=\d$)/, '')
    .replace(/^Numpad/, 'Num ');
}
