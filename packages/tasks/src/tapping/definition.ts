import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { Hand, ParamValues, TaskDefinition, TaskParams } from '../contract';

/**
 * Finger tapping (measures.md section 6.2), two protocols (`protocol`):
 * - TAP-A, alternating two-target tapping: two large targets whose centres are 2.5 cm apart, index and
 *   middle finger, as fast and as evenly as possible, 20 s per hand.
 * - TAP-B, synchronisation–continuation: one target (or one key), tap with a metronome (IOI 500 ms,
 *   20 clicks, stream `metronome`), then keep the pace without it (30 taps).
 *
 * By touch, pen or mouse (Pointer Events, stream `pointer`) or by keys (stream `keyboard`).
 */
export const tappingDefinition = {
  id: 'tapping',
  version: '1.1.0',
  title: 'Finger tapping',
  summary: 'Tap two targets in turn, as fast and as evenly as you can, for 20 seconds.',
  instructions: [
    'Use one hand. Speed test: put your index finger and your middle finger on the two targets (or the two keys).',
    'After the countdown, tap the two targets in turn: left, right, left, right.',
    'Tap as fast and as evenly as you can until the time bar is empty.',
    'Rhythm test (needs sound): put one finger on the target (or key) and press Start the beat. Tap with each click; when the clicks stop, keep tapping at the same pace until the bar is full.',
    'You can stop at any time with the Stop button (press it twice).',
  ],
  hands: ['left', 'right'],
  inputs: ['touch', 'pen', 'mouse', 'keyboard'],
  approxDurationS: 25,
  parameters: {
    protocol: {
      type: 'string',
      default: 'alternating',
      options: ['alternating', 'sync-continuation'],
      description:
        'alternating: TAP-A, two targets in turn, as fast as possible; sync-continuation: TAP-B, one target, tap with a metronome, then keep the pace without it (needs sound).',
      ask: {
        question: 'Which tapping test?',
        labels: {
          alternating: 'Speed: tap two circles in turn, as fast and as evenly as you can',
          'sync-continuation':
            'Rhythm: tap along with a beat, then keep the same beat on your own (needs sound)',
        },
      },
    },
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
    syncKey: {
      type: 'string',
      default: 'Space',
      description:
        'KeyboardEvent.code of the one key of the synchronisation–continuation protocol (keys input).',
    },
    intervalMs: {
      type: 'number',
      default: 500,
      min: 250,
      max: 1000,
      unit: 'ms',
      description:
        'Synchronisation–continuation: metronome inter-onset interval (measures.md 6.2: 500 ms; 333 ms optional).',
    },
    pacedClicks: {
      type: 'number',
      default: 20,
      min: 5,
      max: 60,
      unit: 'clicks',
      description:
        'Synchronisation–continuation: metronome clicks of the paced phase (measures.md 6.2: 20), a whole number.',
    },
    continuationTaps: {
      type: 'number',
      default: 30,
      min: 10,
      max: 60,
      unit: 'taps',
      description:
        'Synchronisation–continuation: taps of the unpaced phase after the metronome stops (measures.md 6.2: 30), a whole number; the phase also ends after twice as many intervals.',
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
 * @throws RangeError for key codes that are not `KeyboardEvent.code` names, two equal keys, or a
 *   click or tap count that is not a whole number
 */
export function readTappingParams(params: Readonly<TaskParams>, hand: Hand): TappingParams {
  const p = params as TappingParams;
  const [autoLeft, autoRight] = AUTO_KEYS[hand];
  const keyLeft = p.keyLeft === 'auto' ? autoLeft : p.keyLeft;
  const keyRight = p.keyRight === 'auto' ? autoRight : p.keyRight;
  for (const key of [keyLeft, keyRight, p.syncKey]) {
    if (!KEY_CODE.test(key)) throw new RangeError(`invalid key code: ${JSON.stringify(key)}`);
  }
  if (keyLeft === keyRight) throw new RangeError(`the two tapping keys must differ, got ${keyLeft} twice`);
  for (const name of ['pacedClicks', 'continuationTaps'] as const) {
    if (!Number.isInteger(p[name]))
      throw new RangeError(`parameter "${name}" must be a whole number, got ${p[name]}`);
  }
  return { ...p, keyLeft, keyRight };
}

/** A short label for a key code: `KeyF` → `F`, `Digit1` → `1`, `Space` → `Space`. */
export function keyLabel(code: string): string {
  return code
    .replace(/^Key(?=[A-Z]$)/, '')
    .replace(/^Digit(?=\d$)/, '')
    .replace(/^Numpad/, 'Num ');
}
