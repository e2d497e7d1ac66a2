import { TASK_RECORDING_SPECS } from '@dystrack/core';
import type { Hand, ParamValues, TaskDefinition, TaskParams } from '../contract';

/**
 * MIDI scale playing for musician's dystonia of keyboard players (measures.md section 2.2), one block
 * per run (`block`):
 * - `warm-up`: 60 s free playing, not analysed;
 * - `a-120`: block A, two-octave C-major scales up and down at 120 bpm (a click per beat, four notes
 *   per click: 8 notes/s), 2-bar count-in, 12 runs;
 * - `b-80`: block B, the same at 80 bpm (≈ 5.3 notes/s);
 * - `c-continuation`: block C, 2 bars of metronome at 120 bpm, then the clicks stop and the person
 *   goes on for 4 runs at the same pace (Cheng 2013 paradigm);
 * - `d-passage`: block D, the person's own 10–20 s passage that brings on the symptom, about 5 times,
 *   with a pause of at least `pauseS` between repetitions; no metronome unless `passageMetronome`.
 *
 * What the analysis does with it: core's scale analysis (`scaleFromRecording` + `scaleAnalyzer`)
 * finds correctly played two-octave C-major runs from any C and computes the timing metrics over them
 * (measures.md 2.3), with `params.tempoBpm` as the target tempo. A block D recording holds no C-major
 * runs: it gets `note_count`, every timing metric null and the flag `NO_CORRECT_RUN`, and is kept raw
 * (params `expectedSequence: null`, `passagePauseMs`) for a later passage analysis that cuts it at
 * pauses ≥ `passagePauseMs`, aligns the repetitions by pitch and compares them only with the person's
 * own baseline passage (measures.md 2.2: no template beyond the recorded notes). The warm-up is
 * recorded with `analysed: false`.
 *
 * A run in this task is one up-and-down repetition (29 notes, the top note shared): the analysis counts
 * each direction as a run of its own (15 notes).
 */
export const scaleDefinition = {
  id: 'scale',
  version: '1.0.0',
  title: 'Piano scales (MIDI keyboard)',
  summary:
    'Play two-octave C-major scales up and down with a metronome on a MIDI keyboard or digital piano, one hand at a time.',
  instructions: [
    'You need a keyboard or digital piano connected to this computer by USB (or a MIDI interface), and Chrome, Edge, Opera or Firefox on a desktop or laptop. Safari, iPhone and iPad cannot read MIDI yet.',
    'Guitar and other instruments without MIDI are not supported yet.',
    'Use one hand. Right hand: C4 (middle C) up to C6 and back down. Left hand: C2 up to C4 and back down. Use your usual fingering.',
    'Play evenly, legato and mezzo-forte, without expression and without the sustain pedal.',
    'After the count-in (two bars of clicks), play one scale up and down, rest for a moment, and play it again, until the counter shows that all runs are done.',
    'When you are asked, press the sustain pedal down once and let it go, so that the task knows it works and that it is up.',
    'You can finish at any time with the Finish button (press it twice).',
  ],
  hands: ['left', 'right', 'both'],
  inputs: ['midi'],
  approxDurationS: 120,
  parameters: {
    block: {
      type: 'string',
      default: 'a-120',
      options: ['warm-up', 'a-120', 'b-80', 'c-continuation', 'd-passage'],
      description:
        'warm-up: 60 s free playing (not analysed); a-120: C-major scales with a 120-bpm metronome; b-80: the same at 80 bpm; c-continuation: 2 bars with the metronome, then 4 runs without it; d-passage: your own passage, repeated.',
      ask: {
        question: 'What will you play?',
        labels: {
          'warm-up': 'Warm-up: one minute of free playing (not measured)',
          'a-120': 'Scales with the beat at 120 (the standard test)',
          'b-80': 'Scales with a slower beat, 80',
          'c-continuation': 'Scales: two bars with the beat, then keep the pace without it',
          'd-passage': 'My own passage, the one that brings on the problem, several times',
        },
      },
    },
    runs: {
      type: 'number',
      default: 0,
      min: 0,
      max: 40,
      unit: 'runs',
      description:
        'Up-and-down runs (or passage repetitions) of the block, a whole number; 0: the block default (12 for A and B, 4 for C, 5 for D; the warm-up counts none).',
    },
    warmUpS: {
      type: 'number',
      default: 60,
      min: 10,
      max: 300,
      unit: 's',
      description: 'Length of the warm-up (measures.md 2.2: 60 s).',
    },
    pauseS: {
      type: 'number',
      default: 1.5,
      min: 0.75,
      max: 10,
      unit: 's',
      description:
        'A silence (no new note) at least this long ends a run or a passage repetition, for the progress count and the end of the block.',
    },
    passageMetronome: {
      type: 'boolean',
      default: false,
      description: 'Block D: play the passage with a metronome at `passageTempoBpm` (no count-in limit).',
    },
    passageTempoBpm: {
      type: 'number',
      default: 80,
      min: 30,
      max: 240,
      unit: 'bpm',
      description: 'Block D with `passageMetronome`: the metronome tempo, beats per minute.',
    },
    maxMinutes: {
      type: 'number',
      default: 10,
      min: 1,
      max: TASK_RECORDING_SPECS.scale.maxDurationS / 60,
      unit: 'min',
      description: 'The block ends by itself after this long, even if not every run was played.',
    },
  },
} as const satisfies TaskDefinition;

export type ScaleParams = ParamValues<typeof scaleDefinition.parameters>;
export type ScaleBlock = ScaleParams['block'];

/** Metronome tempo of a block, bpm (null: no metronome). */
export function blockTempoBpm(p: ScaleParams): number | null {
  switch (p.block) {
    case 'a-120':
    case 'c-continuation':
      return 120;
    case 'b-80':
      return 80;
    case 'd-passage':
      return p.passageMetronome ? p.passageTempoBpm : null;
    default:
      return null;
  }
}

/** Runs the block asks for (0 for the warm-up, which runs on time). */
export function blockRuns(p: ScaleParams): number {
  if (p.block === 'warm-up') return 0;
  if (p.runs > 0) return p.runs;
  return p.block === 'c-continuation' ? 4 : p.block === 'd-passage' ? 5 : 12;
}

/** Clicks of the count-in: 2 bars of 4/4 (measures.md 2.2). */
export const COUNT_IN_CLICKS = 8;

/** The lowest C of the scale per hand: C4 (60) for the right hand, C2 (36) for the left (measures.md 2.2). */
export function startPitch(hand: Hand): number {
  return hand === 'left' ? 36 : 60;
}

/** Semitone steps of a two-octave C-major scale. */
const UP = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24];

/**
 * The pitches of one up-and-down run (29 notes, the top C once) from `start`; with both hands, the
 * left hand's run (two octaves lower) and the right hand's, played together.
 */
export function expectedSequence(hand: Hand): { hand: 'left' | 'right'; pitches: number[] }[] {
  const one = (base: number) => [
    ...UP.map((s) => base + s),
    ...UP.slice(0, -1)
      .reverse()
      .map((s) => base + s),
  ];
  if (hand === 'both') {
    return [
      { hand: 'left', pitches: one(startPitch('left')) },
      { hand: 'right', pitches: one(startPitch('right')) },
    ];
  }
  return [{ hand, pitches: one(startPitch(hand)) }];
}

/** A plain description of what the block asks to play, for `params.scaleDescription`. */
export function blockDescription(p: ScaleParams, hand: Hand): string {
  const range = hand === 'left' ? 'C2–C4' : hand === 'right' ? 'C4–C6' : 'C2–C4 (left) with C4–C6 (right)';
  switch (p.block) {
    case 'warm-up':
      return 'free playing, not analysed';
    case 'd-passage':
      return 'own passage, repeated with pauses';
    default:
      return `C major, two octaves up and down, ${range}, sixteenth notes (four per click)`;
  }
}

/**
 * The scale parameters of a resolved parameter set.
 * @throws RangeError when `runs` is not a whole number
 */
export function readScaleParams(params: Readonly<TaskParams>): ScaleParams {
  const p = params as ScaleParams;
  if (!Number.isInteger(p.runs))
    throw new RangeError(`parameter "runs" must be a whole number, got ${p.runs}`);
  return { ...p };
}
