import type { Recording } from '../../recording/versions.js';

/**
 * Capture flags that describe the setup rather than the trial: a drawing made with a finger or mouse
 * instead of a pen, and simulated recordings, are compared only with their like.
 */
export const SETUP_FLAGS: readonly string[] = ['POINTER_NOT_PEN', 'SIMULATED'];

/**
 * The measurement setup of a recording, as one string: the browser (user agent with its version numbers
 * blanked, so that a browser update is not a new setup), the platform, the input device the person
 * named, and the {@link SETUP_FLAGS} it has. measures.md 1 item 3: a change of keyboard, tablet, phone or
 * browser starts a new baseline segment, so sessions are compared only with sessions of the same key.
 * @param recording - a recording (only `device` and `flags` are read; no flags counts as none)
 * @example
 * recordingSetupKey(r) // 'Mozilla/# (X#; Linux x#_#) Chrome/#|Linux x#_#|'
 */
export function recordingSetupKey(
  recording: Pick<Recording, 'device'> & { flags?: readonly string[] },
): string {
  const { userAgent, platform, inputDevice } = recording.device;
  const browser = userAgent.replace(/\d+(?:[._]\d+)*/g, '#');
  const parts = [browser, platform ?? '', (inputDevice ?? '').trim().toLowerCase()];
  const setupFlags = SETUP_FLAGS.filter((flag) => recording.flags?.includes(flag));
  return (setupFlags.length > 0 ? [...parts, ...setupFlags] : parts).join('|');
}
