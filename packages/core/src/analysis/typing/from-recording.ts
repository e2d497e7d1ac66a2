import { CodedError } from '../../errors/catalogue.js';
import type { Recording } from '../../recording/versions.js';
import type { QualityFlag } from '../flags.js';
import type { TypingInput } from '../inputs.js';
import { captureFlags, pairKeyEvents, trialWindow } from './key-events.js';

/**
 * A typing recording → {@link TypingInput}: key presses paired from the `keyboard` stream
 * ({@link pairKeyEvents}). Auto-repeat keydowns (`repeat` true) and IME composition events
 * (`isComposing` true) are recorded but left out, flagged AUTO_REPEAT_DROPPED and
 * COMPOSITION_DROPPED. When the `markers` stream has a trial-start marker, only presses whose keydown
 * lies between trial-start and trial-end are kept. Capture flags (TAB_HIDDEN, …) are passed on.
 * @throws CodedError `E_TASK_MISMATCH` for a recording of another task, `E_INPUT_COLUMNS` when it
 *   has no keyboard stream (or the stream lacks type, timeStampMs or code)
 */
export function typingFromRecording(recording: Recording): TypingInput {
  if (recording.taskId !== 'typing') {
    throw new CodedError('E_TASK_MISMATCH', `this is a ${recording.taskId} recording, not typing`);
  }
  const stream = recording.streams.keyboard;
  if (!stream) throw new CodedError('E_INPUT_COLUMNS', 'the recording has no keyboard stream');
  const paired = pairKeyEvents(stream);
  const trial = trialWindow(recording);
  const presses = paired.presses
    .filter((p) => trial === null || (p.downMs >= trial.startMs && p.downMs <= trial.endMs))
    .map(({ downMs, upMs, code, key }) => ({ downMs, upMs, code, key }));
  const flags: QualityFlag[] = captureFlags(recording);
  if (paired.autoRepeatDropped > 0) flags.push('AUTO_REPEAT_DROPPED');
  if (paired.compositionDropped > 0) flags.push('COMPOSITION_DROPPED');
  return { task: 'typing', presses, flags: [...new Set(flags)].sort() };
}
