import { TASK_RECORDING_SPECS, type Finger } from '@dystrack/core';
import type { Hand, ParamValues, TaskDefinition, TaskParams } from '../contract';
import { COPY_TEXT_IDS } from './texts';

/**
 * Typing (measures.md section 5.3): T1, a fixed copy text of about 300 characters typed at normal
 * speed (English, German, French or Spanish), or T2, hand-specific drills of 20 s each: home-row rolls
 * (`asdf`, `jkl;`) and repeated same-finger letter pairs of the affected finger, per hand. Every
 * `keydown`/`keyup` is recorded with `event.timeStamp` and the physical key (`event.code`, layout
 * independent: core's key map gives hand and finger); auto-repeat and IME composition are recorded
 * with their flags and left out by the analysis. Privacy by default: the typed characters
 * (`event.key`) are kept only when `storeText` is true.
 */
export const typingDefinition = {
  id: 'typing',
  version: '1.0.0',
  title: 'Typing',
  summary: 'Copy a short text at your normal speed, or press a few keys in turn for 20 seconds each.',
  instructions: [
    'Sit at the keyboard as you usually do and use the fingers you usually type with.',
    'Copy text: type the text shown at your normal speed. Mistakes are fine; correct them as you usually do, or go on.',
    'Drills: press the keys shown in turn, as fast and as evenly as you can, for 20 seconds; then rest. Each hand has its own drills.',
    'The bar at the top shows how far you are. To end early, press Finish twice (Tab goes to it).',
    'Only which keys you pressed and when are kept, not the text you typed, unless you choose to keep the text.',
  ],
  hands: ['both', 'left', 'right'],
  inputs: ['keyboard'],
  approxDurationS: 210,
  parameters: {
    mode: {
      type: 'string',
      default: 'copy',
      options: ['copy', 'drill'],
      description:
        "copy: type a fixed text (measures.md 5.3 T1); drill: hand-specific key drills (5.3 T2, for typist's cramp).",
      ask: {
        question: 'What will you type?',
        labels: {
          copy: 'A short text: copy it at your normal speed (about 3 minutes)',
          drill: 'Key drills: press a few keys in turn, 20 seconds each, one hand at a time',
        },
      },
    },
    text: {
      type: 'string',
      default: 'en',
      options: COPY_TEXT_IDS,
      description: 'Which copy text (texts.ts). Keep the same text from session to session.',
      ask: {
        question: 'Which text will you copy? (Keep the same one every time.)',
        labels: { en: 'English', de: 'Deutsch (German)', fr: 'Français (French)', es: 'Español (Spanish)' },
        when: { param: 'mode', equals: 'copy' },
      },
    },
    drill: {
      type: 'string',
      default: 'all',
      options: ['all', 'roll', 'same-finger'],
      description:
        'Drill mode: roll (asdf with the left hand, jkl; with the right), same-finger (two keys of the chosen finger in turn), or all (both, the protocol).',
    },
    finger: {
      type: 'string',
      default: 'index',
      options: ['index', 'middle', 'ring', 'pinky'],
      description: 'Drill mode: the finger of the same-finger drill, the affected one (on each hand tested).',
      ask: {
        question: 'For the key drills: which finger troubles you most?',
        labels: {
          index: 'Index finger',
          middle: 'Middle finger',
          ring: 'Ring finger',
          pinky: 'Little finger',
        },
        when: { param: 'mode', equals: 'drill' },
      },
    },
    drillDurationS: {
      type: 'number',
      default: 20,
      min: 10,
      max: 60,
      unit: 's',
      description: 'Length of each drill (measures.md 5.3 T2: 20 s).',
    },
    restS: {
      type: 'number',
      default: 15,
      min: 5,
      max: 120,
      unit: 's',
      description:
        'Rest between drills; the next drill starts by itself after it (or earlier with Start now).',
    },
    timeLimitS: {
      type: 'number',
      default: 600,
      min: 60,
      max: TASK_RECORDING_SPECS.typing.maxDurationS,
      unit: 's',
      description: 'Longest run from the first start, s: the run ends then, what was typed is kept.',
    },
    storeText: {
      type: 'boolean',
      default: false,
      description:
        'Keep the typed characters (KeyboardEvent.key) in the recording. Off by default: only the physical keys (code) and times are kept.',
      ask: {
        question: 'Keep what you type?',
        labels: {
          false: 'No: keep only which keys you pressed and when (recommended)',
          true: 'Yes: also keep the characters you typed, in your account',
        },
      },
    },
  },
} as const satisfies TaskDefinition;

export type TypingParams = ParamValues<typeof typingDefinition.parameters>;

/** A hand a drill is for. */
export type DrillHand = 'left' | 'right';

/** One drill of measures.md 5.3 T2: keys of one hand, pressed in the given order again and again. */
export interface DrillBlock {
  drill: 'roll' | 'same-finger';
  hand: DrillHand;
  /** The finger of a same-finger drill; null for a roll (four fingers). */
  finger: Finger | null;
  /** `KeyboardEvent.code` of the keys, in the order to press them. */
  codes: readonly string[];
}

/** Home-row rolls (T2 a): `asdf` with the left hand, `jkl;` with the right. */
export const ROLL_CODES: Readonly<Record<DrillHand, readonly string[]>> = {
  left: ['KeyA', 'KeyS', 'KeyD', 'KeyF'],
  right: ['KeyJ', 'KeyK', 'KeyL', 'Semicolon'],
};

/**
 * Same-finger letter pairs (T2 b): a home-row key and the key above it, both struck by the same finger
 * in touch typing (core's key map), so every press after the first is a same-finger digraph.
 */
export const SAME_FINGER_CODES: Readonly<
  Record<DrillHand, Readonly<Record<'index' | 'middle' | 'ring' | 'pinky', readonly [string, string]>>>
> = {
  left: {
    pinky: ['KeyA', 'KeyQ'],
    ring: ['KeyS', 'KeyW'],
    middle: ['KeyD', 'KeyE'],
    index: ['KeyF', 'KeyR'],
  },
  right: {
    index: ['KeyJ', 'KeyU'],
    middle: ['KeyK', 'KeyI'],
    ring: ['KeyL', 'KeyO'],
    pinky: ['Semicolon', 'KeyP'],
  },
};

/**
 * The typing parameters of a resolved parameter set.
 * @throws RangeError for a mode, text, drill or finger that is not one of the options
 */
export function readTypingParams(params: Readonly<TaskParams>): TypingParams {
  const p = params as TypingParams;
  const { parameters } = typingDefinition;
  for (const name of ['mode', 'text', 'drill', 'finger'] as const) {
    if (!(parameters[name].options as readonly string[]).includes(p[name])) {
      throw new RangeError(`invalid ${name}: ${JSON.stringify(p[name])}`);
    }
  }
  return { ...p };
}

/**
 * The drills of a drill-mode run, in order: each drill kind (roll, then same-finger) for each hand
 * tested (left, then right; one hand when the run is for one hand), so that the hands alternate and
 * each rests while the other works.
 */
export function drillBlocks(p: TypingParams, hand: Hand): DrillBlock[] {
  const hands: DrillHand[] = hand === 'both' ? ['left', 'right'] : [hand];
  const drills: DrillBlock['drill'][] = p.drill === 'all' ? ['roll', 'same-finger'] : [p.drill];
  return drills.flatMap((drill) =>
    hands.map((h): DrillBlock =>
      drill === 'roll'
        ? { drill, hand: h, finger: null, codes: ROLL_CODES[h] }
        : { drill, hand: h, finger: p.finger, codes: SAME_FINGER_CODES[h][p.finger] },
    ),
  );
}

/** Plain names of the fingers, for instructions. */
export const FINGER_NAMES: Readonly<Record<Finger, string>> = {
  thumb: 'thumb',
  index: 'index finger',
  middle: 'middle finger',
  ring: 'ring finger',
  pinky: 'little finger',
};

const US_LABELS: Readonly<Record<string, string>> = {
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  BracketLeft: '[',
  BracketRight: ']',
  Minus: '-',
  Equal: '=',
  Backquote: '`',
  Backslash: '\\',
};

/**
 * The label of a key cap: the character the person's layout puts there when the browser tells it
 * (`navigator.keyboard.getLayoutMap()`), else the US-QWERTY label (`KeyF` → `F`, `Semicolon` → `;`).
 */
export function keyCapLabel(code: string, layout?: ReadonlyMap<string, string> | null): string {
  const local = layout?.get(code);
  if (local) return local.toUpperCase();
  return US_LABELS[code] ?? code.replace(/^Key(?=[A-Z]$)/, '').replace(/^Digit(?=\d$)/, '');
}
