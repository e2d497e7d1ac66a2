import type { TaskId } from '../../recording/tasks.js';
import type { Recording } from '../../recording/versions.js';

/**
 * Capture flags that describe the setup rather than the trial: a drawing made with a finger or mouse
 * instead of a pen, and simulated recordings, are compared only with their like.
 */
export const SETUP_FLAGS: readonly string[] = ['NOT_PEN', 'SIMULATED'];

/**
 * The parameters that change what a task measures, so that sessions with other values are never
 * compared: tapping's protocol, input and beat interval; the typing mode, text, drill and finger; the
 * scale block (120 or 80 bpm, continuation, own passage); freehand or traced spirals; the tremor position
 * (rest, posture, …: one per recording) and how the phone was held.
 * Parameters a recording does not have are left out (recordings made before the parameter existed).
 */
export const PROTOCOL_PARAMS: Readonly<Partial<Record<TaskId, readonly string[]>>> = {
  tapping: ['protocol', 'input', 'intervalMs'],
  typing: ['mode', 'text', 'drill', 'finger'],
  scale: ['block'],
  spiral: ['mode'],
  tremor: ['position', 'mount'],
};

/**
 * The measurement setup of a recording, as one string: the browser (user agent with its version numbers
 * blanked, so that a browser update is not a new setup), the platform, the input device the person
 * named, the {@link SETUP_FLAGS} it has, and the values of its task's {@link PROTOCOL_PARAMS}. measures.md
 * 1 item 3: a change of keyboard, tablet, phone or browser starts a new baseline segment, so sessions
 * are compared only with sessions of the same key — and only with sessions of the same protocol.
 * @param recording - a recording (only `device`, `flags`, `taskId` and `params` are read; missing flags
 *   and params count as none)
 * @example
 * recordingSetupKey(r) // 'Mozilla/# (X#; Linux x#_#) Chrome/#|Linux x#_#|'
 */
export function recordingSetupKey(
  recording: Pick<Recording, 'device'> & {
    flags?: readonly string[];
    taskId?: string;
    params?: Readonly<Record<string, unknown>>;
  },
): string {
  const { userAgent, platform, inputDevice } = recording.device;
  const browser = userAgent.replace(/\d+(?:[._]\d+)*/g, '#');
  const parts = [browser, platform ?? '', (inputDevice ?? '').trim().toLowerCase()];
  const setupFlags = SETUP_FLAGS.filter((flag) => recording.flags?.includes(flag));
  const protocol = (PROTOCOL_PARAMS[recording.taskId as TaskId] ?? []).flatMap((name) => {
    const value = recording.params?.[name];
    return value === undefined ? [] : [`${name}=${JSON.stringify(value)}`];
  });
  return [...parts, ...setupFlags, ...protocol].join('|');
}
