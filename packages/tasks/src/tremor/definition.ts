import type { Hand, ParamValues, TaskDefinition, TaskParams } from '../contract';
import { resolveParams } from '../params';

/**
 * Phone tremor (measures.md 7.2): the phone is held (or strapped to the back of the hand) in several
 * positions while the motion sensors are recorded raw: rest, posture, wing-beating, kinetic (phone to
 * nose and back), the person's own task posture, and optionally the posture again with a weight of
 * about 250 g on the wrist.
 *
 * One recording holds one position (`position`), so that each stored metric value is one position's
 * and trends compare a position only with itself (core's analysis/tremor/trial.ts): the person chooses
 * the positions once (`positions`, `weightTest`), and the app runs them as consecutive recordings, one
 * hand at a time ({@link tremorSequence} gives the next one). Within a recording a position may be tried
 * again when its sensor check failed; every attempt stays in the raw streams.
 *
 * Streams: `motion` (every `devicemotion` event: acceleration and acceleration including gravity in
 * m/s², rotation rate in deg/s, interval in ms), and where the Generic Sensor API exists `accelerometer`
 * (m/s², gravity included) and `gyroscope` (rad/s), asked for at `sensorHz`.
 */
export const tremorDefinition = {
  id: 'tremor',
  version: '2.0.0',
  title: 'Phone tremor',
  summary:
    'Hold your phone still in a few positions, 10 to 15 seconds each, while it measures any shaking of your hand.',
  instructions: [
    'You need your phone and a chair. Turn the sound on: you will not be able to look at the screen during a position.',
    'Choose the positions below. Each position is a short recording of its own: after each one you see its results and go on to the next.',
    'For each position the screen shows where to hold the phone. Read it, press Start, and get into position.',
    'Three short ticks count down. One beep: hold the position. Two beeps: the position is over, relax.',
    'If the phone could not measure well (no readings, too few readings a second, the screen turned off), you are told, and you choose: keep the position marked as unreliable, or discard it and do it again.',
    'Do the positions with each hand: the other hand is a comparison for the affected one.',
  ],
  hands: ['left', 'right'],
  inputs: ['motion'],
  approxDurationS: 180,
  parameters: {
    positions: {
      type: 'string',
      default: 'rest,posture,wing,kinetic,task',
      options: ['rest,posture,wing,kinetic,task', 'rest', 'posture', 'wing', 'kinetic', 'task'],
      description:
        'The positions to do, one recording each, in this order (measures.md 7.2 items 1–5): all five, or one of them.',
      ask: {
        question: 'Which positions will you do?',
        labels: {
          'rest,posture,wing,kinetic,task': 'All five, one after the other (about 3 minutes)',
          rest: 'Only rest: the hand lying relaxed',
          posture: 'Only the arm stretched out',
          wing: 'Only the wing position: the hand in front of the chest',
          kinetic: 'Only finger to nose',
          task: 'Only my task posture: held like my pen, bow, instrument or tool',
        },
      },
    },
    weightTest: {
      type: 'boolean',
      default: false,
      description:
        'Adds the weight test (measures.md 7.2 item 6): the posture again with about 250 g strapped to the wrist, after the other positions.',
      ask: {
        question: 'Do the weight test as well? It needs an object of about 250 g and a strap or scarf.',
        labels: { true: 'Yes, add the weight test', false: 'No, not this time' },
      },
    },
    position: {
      type: 'string',
      default: '',
      description:
        'The position this recording holds: rest, posture, wing, kinetic, task or posture-weighted; empty for the first of `positions`. The app sets it for each recording of the sequence.',
    },
    mount: {
      type: 'string',
      default: 'hand',
      options: ['hand', 'strap'],
      description:
        'hand: the phone is held in the hand; strap: it is strapped to the back of the hand (a sports armband or an elastic band), for people who cannot hold it.',
      ask: {
        question: 'How will you hold the phone?',
        labels: {
          hand: 'In my hand',
          strap: 'Strapped to the back of my hand (a sports armband or an elastic band)',
        },
      },
    },
    trialS: {
      type: 'number',
      default: 10,
      min: 6,
      max: 30,
      unit: 's',
      description:
        'Length of each position (measures.md 7.2: 10 s; 2 s at each end are left out by the analysis).',
    },
    taskPostureS: {
      type: 'number',
      default: 15,
      min: 6,
      max: 30,
      unit: 's',
      description: 'Length of the task posture (measures.md 7.2 item 5: 15 s).',
    },
    edgeDiscardS: {
      type: 'number',
      default: 2,
      min: 0,
      max: 5,
      unit: 's',
      description:
        'Seconds left out at each end of a position when it is analysed on its own (measures.md 7.2: 2 s); everything is recorded.',
    },
    prepareS: {
      type: 'number',
      default: 5,
      min: 0,
      max: 20,
      unit: 's',
      description: 'Time to get into position after pressing Start, before the 3-2-1 countdown.',
    },
    sensorHz: {
      type: 'number',
      default: 100,
      min: 20,
      max: 200,
      unit: 'Hz',
      description:
        'Frequency asked of the Generic Sensor API (measures.md 7.3: 100 Hz); devicemotion has its own rate.',
    },
    speech: {
      type: 'boolean',
      default: true,
      description: 'Says the name of each position aloud as well, where the device has a voice for it.',
    },
    vibration: {
      type: 'boolean',
      default: true,
      description: 'Vibrates with the start and end cues, where the device can.',
    },
  },
} as const satisfies TaskDefinition;

export type TremorParams = ParamValues<typeof tremorDefinition.parameters>;

/** A position of measures.md 7.2. */
export type TremorPositionId = 'rest' | 'posture' | 'wing' | 'kinetic' | 'task' | 'posture-weighted';

/** What the person is told about a position. */
export interface TremorPosition {
  id: TremorPositionId;
  title: string;
  /** Where and how to hold the phone, for each way of holding it. */
  steps: { hand: readonly string[]; strap: readonly string[] };
  /** What to do during the trial (hold still, or move). */
  during: string;
  /** Said aloud when the position starts (where the device has a voice). */
  spoken: string;
}

const SIT = 'Sit on a chair without armrests, feet flat on the floor.';

/** The positions, with their instructions. */
export const TREMOR_POSITIONS: Readonly<Record<TremorPositionId, TremorPosition>> = Object.freeze({
  rest: {
    id: 'rest',
    title: 'Rest',
    steps: {
      hand: [
        SIT,
        'Rest your forearm on your thigh, palm up.',
        'Let the phone lie loosely in your palm, screen up. Do not grip it.',
      ],
      strap: [SIT, 'Rest your forearm on your thigh, palm down, the hand hanging relaxed over your knee.'],
    },
    during: 'Relax the hand completely and do not move.',
    spoken: 'Rest position. Relax your hand.',
  },
  posture: {
    id: 'posture',
    title: 'Arm stretched out',
    steps: {
      hand: [
        SIT,
        'Stretch your arm straight out in front of you at shoulder height, palm down.',
        'Hold the phone flat on your fingers, screen up, thumb lightly on its edge.',
      ],
      strap: [
        SIT,
        'Stretch your arm straight out in front of you at shoulder height, palm down, fingers spread a little.',
      ],
    },
    during: 'Keep the arm up and still.',
    spoken: 'Arm stretched out. Hold it still.',
  },
  wing: {
    id: 'wing',
    title: 'Wing position',
    steps: {
      hand: [
        SIT,
        'Bend your elbow and bring your hand in front of your chest, elbow out to the side, palm down.',
        'Hold the phone flat in your hand, screen up.',
      ],
      strap: [
        SIT,
        'Bend your elbow and bring your hand in front of your chest, elbow out to the side, palm down.',
      ],
    },
    during: 'Keep the hand in front of your chest and still.',
    spoken: 'Wing position. Hold it still.',
  },
  kinetic: {
    id: 'kinetic',
    title: 'Finger to nose',
    steps: {
      hand: [
        SIT,
        'Hold the phone in your hand, screen up.',
        'Start with the arm stretched out in front of you.',
      ],
      strap: [SIT, 'Start with the arm stretched out in front of you.'],
    },
    during: 'Slowly bring your hand to your nose and back out, 5 times, until the two beeps.',
    spoken: 'Finger to nose. Move slowly, five times.',
  },
  task: {
    id: 'task',
    title: 'Your task posture',
    steps: {
      hand: [
        'Take the posture of the task that troubles you: writing, playing, holding a tool.',
        'Hold the phone the way you hold your pen, bow, instrument or tool. For writing: hold it like a pen, its lower edge on the table.',
      ],
      strap: [
        'Take the posture of the task that troubles you: writing, playing, holding a tool, with the phone on the back of your hand.',
      ],
    },
    during: 'Hold the posture as you would while doing the task.',
    spoken: 'Task posture. Hold it.',
  },
  'posture-weighted': {
    id: 'posture-weighted',
    title: 'Arm stretched out, with a weight',
    steps: {
      hand: [
        'Strap a weight of about 250 g to your wrist with a scarf or a band: a full 250-ml bottle, a pack of rice.',
        SIT,
        'Stretch your arm straight out in front of you at shoulder height, palm down, and hold the phone flat as before.',
      ],
      strap: [
        'Strap a weight of about 250 g to your wrist with a scarf or a band: a full 250-ml bottle, a pack of rice.',
        SIT,
        'Stretch your arm straight out in front of you at shoulder height, palm down.',
      ],
    },
    during: 'Keep the arm up and still.',
    spoken: 'Arm stretched out with the weight. Hold it still.',
  },
});

const PLAIN_POSITIONS: readonly TremorPositionId[] = ['rest', 'posture', 'wing', 'kinetic', 'task'];

/** Whether a string names a position of measures.md 7.2. */
export function isTremorPosition(id: string): id is TremorPositionId {
  return Object.hasOwn(TREMOR_POSITIONS, id);
}

/** The parameters of a run, checked: the positions of the sequence and the one this recording holds. */
export interface TremorPlan extends TremorParams {
  /** The sequence the person chose, with each position's trial length. */
  plan: { position: TremorPositionId; durationS: number }[];
  /** The position of this recording. */
  position: TremorPositionId;
  /** Its trial length, s. */
  durationS: number;
  /** Its place in `plan` (0-based), or -1 when the plan does not hold it. */
  index: number;
}

/**
 * The tremor parameters of a resolved parameter set: the sequence (`positions`, then the weighted
 * posture when `weightTest`) and the position this recording holds (`position`, or the first one).
 * @throws RangeError for an unknown or repeated position, or an empty list
 */
export function readTremorParams(params: Readonly<TaskParams>, _hand?: Hand): TremorPlan {
  const p = params as TremorParams;
  const names = p.positions
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new RangeError('parameter "positions" names no position');
  const seen = new Set<string>();
  for (const name of names) {
    if (!(PLAIN_POSITIONS as readonly string[]).includes(name))
      throw new RangeError(
        `unknown tremor position ${JSON.stringify(name)} (known: ${PLAIN_POSITIONS.join(', ')})`,
      );
    if (seen.has(name)) throw new RangeError(`tremor position ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
  }
  const ids = names as TremorPositionId[];
  if (p.weightTest) ids.push('posture-weighted');
  const durationOf = (position: TremorPositionId) => (position === 'task' ? p.taskPostureS : p.trialS);
  const plan = ids.map((position) => ({ position, durationS: durationOf(position) }));
  const named = p.position.trim();
  if (named !== '' && !isTremorPosition(named))
    throw new RangeError(`unknown tremor position ${JSON.stringify(named)} in parameter "position"`);
  const position = named === '' ? plan[0]!.position : named;
  return { ...p, plan, position, durationS: durationOf(position), index: ids.indexOf(position) };
}

/** Where a recording stands in the sequence the person chose. */
export interface TremorSequenceStep {
  /** This recording's position. */
  position: TremorPositionId;
  /** 1-based place in the sequence (0 when the sequence does not hold it), and the sequence's length. */
  number: number;
  count: number;
  /** The position to record next, or null after the last. */
  next: { position: TremorPositionId; title: string; number: number } | null;
}

/**
 * The place of a recording in its sequence and the position to record next, from the parameters
 * of the run (the person's choices; missing ones take their defaults).
 * @throws RangeError for parameters the task does not accept
 */
export function tremorSequence(params: Readonly<Partial<TaskParams>>): TremorSequenceStep {
  const p = readTremorParams(resolveParams(tremorDefinition, params));
  const after = p.index >= 0 ? p.plan[p.index + 1] : undefined;
  return {
    position: p.position,
    number: p.index + 1,
    count: p.plan.length,
    next: after
      ? { position: after.position, title: TREMOR_POSITIONS[after.position].title, number: p.index + 2 }
      : null,
  };
}
