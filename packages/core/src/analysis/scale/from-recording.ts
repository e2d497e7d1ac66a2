import { CodedError } from '../../errors/catalogue.js';
import type { Column } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { median } from '../dsp/stats.js';
import { QUALITY_FLAGS, type QualityFlag } from '../flags.js';
import type { ScaleInput } from '../inputs.js';
import { trialWindow } from '../typing/key-events.js';
import { notesFromMessages, type ChannelMessage } from './midi-events.js';
import { DEFAULT_PASSAGE_PAUSE_MS } from './passage.js';

/** Metronome tempi outside this range (bpm) are not taken as a tempo. */
const TEMPO_RANGE_BPM = [20, 400] as const;

function column(recording: Recording, stream: string, name: string, type: Column['type']): unknown[] | null {
  const found = recording.streams[stream]?.columns[name];
  if (!found) return null;
  if (found.type !== type) {
    throw new CodedError('E_INPUT_COLUMNS', `column "${stream}.${name}" is ${found.type}, expected ${type}`);
  }
  return found.values;
}

/** Parses one `bytesHex` cell ("903c40", spaces between bytes allowed) into bytes. */
export function hexBytes(text: string, row: number): number[] {
  const hex = text.replace(/\s+/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new CodedError(
      'E_INPUT_VALUE',
      `midi row ${row + 1}: "${text.slice(0, 40)}" is not MIDI bytes in hex`,
    );
  }
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

/**
 * The metronome tempo of a scale recording, bpm: `params.tempoBpm`, else `params.bpm` (a number), else
 * 60000 / the median interval between metronome clicks (`metronome.clickTimeMs`, one click per beat),
 * else null. A tempo outside 20–400 bpm from the clicks is ignored.
 * @throws CodedError `E_INPUT_VALUE` when `params.tempoBpm` or `params.bpm` is present but not a
 *   positive finite number
 */
function recordingTempo(recording: Recording): number | null {
  for (const key of ['tempoBpm', 'bpm']) {
    const value = recording.params[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new CodedError('E_INPUT_VALUE', `params.${key} must be a positive number of beats per minute`);
    }
    return value;
  }
  const clicks = column(recording, 'metronome', 'clickTimeMs', 'f64');
  if (!clicks) return null;
  const times = clicks.filter((t): t is number => typeof t === 'number').sort((a, b) => a - b);
  const intervals: number[] = [];
  for (let i = 1; i < times.length; i++)
    if (times[i]! > times[i - 1]!) intervals.push(times[i]! - times[i - 1]!);
  if (intervals.length === 0) return null;
  const bpm = 60_000 / median(intervals);
  return bpm >= TEMPO_RANGE_BPM[0] && bpm <= TEMPO_RANGE_BPM[1] ? bpm : null;
}

/**
 * A scale recording → scale input.
 *
 * Reads the `midi` stream: one raw Web MIDI message per row, `timeStampMs` (MIDIMessageEvent.timeStamp,
 * or the file time for imports) and `bytesHex` (the message's bytes in hex). Every message starts with
 * its status byte (Web MIDI never uses running status). Note-on (0x9n, velocity > 0), note-off (0x8n,
 * or 0x9n with velocity 0) and control change (0xBn: CC 64 sustain, CC 120/123 all notes off) are used;
 * system messages (clock, active sensing, system exclusive) and other channel messages are skipped.
 * Notes are paired as in {@link notesFromMessages} (first in, first out per channel and pitch). Rows
 * with equal times are kept in order (several messages can arrive in one packet).
 *
 * Parameters read from `recording.params` (the scale task plugin is to write them):
 * - `tempoBpm` (number): the metronome tempo in beats (quarter notes) per minute; `bpm` is accepted as
 *   an alias. Without either, the tempo is 60000 / the median metronome click interval, if the
 *   recording has clicks; otherwise null.
 * - `block` (string): `d-passage` makes the input a block D passage (`passagePauseMs`: the positive
 *   number `params.passagePauseMs`, else 1500 ms); other blocks and no block are scales.
 * The play window (`playWindowMs`) is the first `trial-start` to the last `trial-end` marker (end +∞
 * without one), null without markers: the sustain pedal counts only inside it (the task's pedal check
 * comes before the trial), and a passage's repetitions are cut from the notes inside it.
 * The hand is the recording's `hand`, which the caller passes to the analysis.
 * Capture flags of the recording that are quality flags (`TAB_HIDDEN`, `INCOMPLETE_RECORDING`, …) are
 * carried over.
 * @param recording - a recording of the current schema version
 * @throws CodedError `E_TASK_MISMATCH` (not a scale recording), `E_INPUT_COLUMNS` (no `midi` stream or
 *   column, or a column of another type), `E_INPUT_VALUE` (a missing time stamp, bytes that are not hex,
 *   a message without a status byte or too short for its type, a bad tempo parameter),
 *   `E_NONMONOTONIC_TIME` (time stamps decrease)
 */
export function scaleFromRecording(recording: Recording): ScaleInput {
  if (recording.taskId !== 'scale') {
    throw new CodedError('E_TASK_MISMATCH', `this is a ${recording.taskId} recording, not a scale recording`);
  }
  const times = column(recording, 'midi', 'timeStampMs', 'f64');
  const cells = column(recording, 'midi', 'bytesHex', 'str');
  if (!times || !cells) {
    throw new CodedError('E_INPUT_COLUMNS', 'the recording has no midi stream with timeStampMs and bytesHex');
  }
  const messages: ChannelMessage[] = [];
  let previous = -Infinity;
  for (let row = 0; row < times.length; row++) {
    const ms = times[row];
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw new CodedError('E_INPUT_VALUE', `midi row ${row + 1}: no time stamp`);
    }
    if (ms < previous) {
      throw new CodedError(
        'E_NONMONOTONIC_TIME',
        `midi row ${row + 1}: time stamp ${ms} ms is earlier than the row before (${previous} ms)`,
      );
    }
    previous = ms;
    const bytes = hexBytes(String(cells[row]), row);
    const status = bytes[0]!;
    if (status < 0x80) {
      throw new CodedError(
        'E_INPUT_VALUE',
        `midi row ${row + 1}: the message does not start with a status byte`,
      );
    }
    const type = status & 0xf0;
    if (type !== 0x80 && type !== 0x90 && type !== 0xb0) continue;
    if (bytes.length < 3 || bytes[1]! >= 0x80 || bytes[2]! >= 0x80) {
      throw new CodedError('E_INPUT_VALUE', `midi row ${row + 1}: an incomplete channel message`);
    }
    messages.push({ ms, status, data1: bytes[1]!, data2: bytes[2]! });
  }
  const { notes, sustain } = notesFromMessages(messages);
  const flags = recording.flags.filter((flag): flag is QualityFlag => Object.hasOwn(QUALITY_FLAGS, flag));
  const input: ScaleInput = {
    task: 'scale',
    notes,
    sustain,
    tempoBpm: recordingTempo(recording),
    playWindowMs: trialWindow(recording),
    flags,
  };
  if (recording.params['block'] === 'd-passage') {
    const pause = recording.params['passagePauseMs'];
    input.passagePauseMs =
      typeof pause === 'number' && Number.isFinite(pause) && pause > 0 ? pause : DEFAULT_PASSAGE_PAUSE_MS;
  }
  return input;
}
