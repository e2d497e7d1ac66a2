/**
 * Scale recording → Standard MIDI File, for musicians and teachers who want to open a session in a
 * sequencer or notation program. Pure TypeScript (no Node `Buffer`): works in the browser and in Node.
 */
import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';
import { CodedError } from '../../errors/catalogue.js';
import type { Recording } from '../../recording/versions.js';
import { hexBytes } from './from-recording.js';

/** Duration of one tick of the written files, ms: times are rounded to the nearest tick (≤ 0.125 ms off). */
export const SMF_MS_PER_TICK = 0.25;

/** Tempo written when the recording has none (or one outside 20–400 bpm), bpm. */
const DEFAULT_BPM = 120;

/** Options of {@link scaleRecordingToSmf}. */
export interface ScaleSmfOptions {
  /**
   * Recording time (performance clock, ms) that becomes time 0 of the file. Default: the earlier of the
   * first `trial-start` marker and the first MIDI message (so a note played during the countdown or the
   * pedal check is kept).
   * @throws RangeError (from {@link scaleRecordingToSmf}) when a message lies before it
   */
  originMs?: number;
  /** Write the metronome clicks as a drum track (channel 10, GM hi/low wood block). Default true. */
  metronome?: boolean;
}

/** What {@link scaleRecordingToSmfWithInfo} returns besides the bytes. */
export interface ScaleSmf {
  bytes: Uint8Array;
  /** Recording time of tick 0, ms. */
  originMs: number;
  ticksPerQuarter: number;
  /** The Set Tempo value written, µs per quarter note. */
  usPerQuarter: number;
  /** Channel messages written (system messages such as clock or active sensing are left out). */
  messageCount: number;
  clickCount: number;
}

function numberColumn(recording: Recording, stream: string, name: string): (number | null)[] | null {
  const column = recording.streams[stream]?.columns[name];
  if (!column) return null;
  if (column.type !== 'f64') {
    throw new CodedError('E_INPUT_COLUMNS', `column "${stream}.${name}" is ${column.type}, expected f64`);
  }
  return column.values;
}

function stringColumn(recording: Recording, stream: string, name: string): string[] | null {
  const column = recording.streams[stream]?.columns[name];
  if (!column) return null;
  if (column.type !== 'str') {
    throw new CodedError('E_INPUT_COLUMNS', `column "${stream}.${name}" is ${column.type}, expected str`);
  }
  return column.values;
}

/** The tempo the file is written at: params.tempoBpm (or bpm) when it is a sensible number, else 120. */
function fileBpm(recording: Recording): number {
  for (const key of ['tempoBpm', 'bpm']) {
    const value = recording.params[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 20 && value <= 400) return value;
  }
  return DEFAULT_BPM;
}

/** A channel message's bytes → the `midi-file` event (delta time filled in later), or null to skip it. */
function channelEvent(bytes: readonly number[]): MidiEvent | null {
  const status = bytes[0]!;
  if (status < 0x80 || status >= 0xf0) return null; // system messages: not part of a performance file
  const type = status & 0xf0;
  const channel = status & 0x0f;
  const one = type === 0xc0 || type === 0xd0;
  if (bytes.length < (one ? 2 : 3) || bytes.slice(1, one ? 2 : 3).some((b) => b >= 0x80)) return null;
  const [, a = 0, b = 0] = bytes;
  switch (type) {
    case 0x80:
      return { deltaTime: 0, type: 'noteOff', channel, noteNumber: a, velocity: b };
    case 0x90:
      return { deltaTime: 0, type: 'noteOn', channel, noteNumber: a, velocity: b };
    case 0xa0:
      return { deltaTime: 0, type: 'noteAftertouch', channel, noteNumber: a, amount: b };
    case 0xb0:
      return { deltaTime: 0, type: 'controller', channel, controllerType: a, value: b };
    case 0xc0:
      return { deltaTime: 0, type: 'programChange', channel, programNumber: a };
    case 0xd0:
      return { deltaTime: 0, type: 'channelAftertouch', channel, amount: a };
    default:
      return { deltaTime: 0, type: 'pitchBend', channel, value: a + b * 128 - 0x2000 };
  }
}

/** Printable ASCII only (the writer stores one byte per character). */
const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);

/** The earliest time of the messages and clicks, ms (Infinity when there is none). */
function earliestTime(messages: readonly { ms: number }[], clicks: readonly { ms: number }[]): number {
  let earliest = Infinity;
  for (const { ms } of messages) if (ms < earliest) earliest = ms;
  for (const { ms } of clicks) if (ms < earliest) earliest = ms;
  return earliest;
}

/** Events at absolute ticks → a track with delta times (stable by tick) and an end-of-track event. */
function track(timed: { tick: number; event: MidiEvent }[]): MidiEvent[] {
  const sorted = timed.map((t, i) => ({ ...t, i })).sort((a, b) => a.tick - b.tick || a.i - b.i);
  const events: MidiEvent[] = [];
  let last = 0;
  for (const { tick, event } of sorted) {
    events.push({ ...event, deltaTime: tick - last });
    last = tick;
  }
  events.push({ deltaTime: 0, type: 'endOfTrack', meta: true });
  return events;
}

/**
 * {@link scaleRecordingToSmf} with what was written: origin, resolution, tempo and counts.
 */
export function scaleRecordingToSmfWithInfo(recording: Recording, options: ScaleSmfOptions = {}): ScaleSmf {
  if (recording.taskId !== 'scale') {
    throw new CodedError('E_TASK_MISMATCH', `this is a ${recording.taskId} recording, not a scale recording`);
  }
  const times = numberColumn(recording, 'midi', 'timeStampMs');
  const cells = stringColumn(recording, 'midi', 'bytesHex');
  if (!times || !cells) {
    throw new CodedError('E_INPUT_COLUMNS', 'the recording has no midi stream with timeStampMs and bytesHex');
  }
  const messages: { ms: number; event: MidiEvent }[] = [];
  for (let row = 0; row < times.length; row++) {
    const ms = times[row];
    if (typeof ms !== 'number' || !Number.isFinite(ms)) {
      throw new CodedError('E_INPUT_VALUE', `midi row ${row + 1}: no time stamp`);
    }
    const event = channelEvent(hexBytes(String(cells[row]), row));
    if (event) messages.push({ ms, event });
  }

  const clicks: { ms: number; accent: boolean }[] = [];
  if (options.metronome ?? true) {
    const clickTimes = numberColumn(recording, 'metronome', 'clickTimeMs') ?? [];
    const accents = recording.streams.metronome?.columns.accent?.values ?? [];
    clickTimes.forEach((ms, i) => {
      if (typeof ms === 'number' && Number.isFinite(ms)) clicks.push({ ms, accent: accents[i] === true });
    });
  }

  let originMs = options.originMs;
  if (originMs === undefined) {
    const labels = stringColumn(recording, 'markers', 'label') ?? [];
    const markerTimes = numberColumn(recording, 'markers', 'timeStampMs') ?? [];
    const start = markerTimes[labels.indexOf('trial-start')];
    const first = earliestTime(messages, clicks);
    originMs = Math.min(typeof start === 'number' ? start : Infinity, first);
    if (!Number.isFinite(originMs)) originMs = 0;
  }
  const origin = originMs;
  const earliest = earliestTime(messages, clicks);
  if (earliest < origin) {
    throw new RangeError(`originMs ${origin} is later than the first event (${earliest} ms)`);
  }

  const bpm = fileBpm(recording);
  // µs per quarter a multiple of 250 µs, so that ticksPerQuarter = usPerQuarter / (1000 × msPerTick) is whole
  const usPerQuarter = Math.round(60_000_000 / bpm / 250) * 250;
  const ticksPerQuarter = Math.round(usPerQuarter / (1000 * SMF_MS_PER_TICK));
  const tick = (ms: number) => Math.round((ms - origin) / SMF_MS_PER_TICK);

  const input = recording.params.midiInput;
  const name =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? (input as Record<string, unknown>).name
      : undefined;
  const inputName = typeof name === 'string' ? name : null;
  const conductor: MidiEvent[] = [
    { deltaTime: 0, type: 'trackName', meta: true, text: ascii(`Dystrack scale ${recording.id}`) },
    {
      deltaTime: 0,
      type: 'timeSignature',
      meta: true,
      numerator: 4,
      denominator: 4,
      metronome: 24,
      thirtyseconds: 8,
    },
    { deltaTime: 0, type: 'setTempo', meta: true, microsecondsPerBeat: usPerQuarter },
    { deltaTime: 0, type: 'endOfTrack', meta: true },
  ];
  const performance = track([
    {
      tick: 0,
      event: { deltaTime: 0, type: 'trackName', meta: true, text: ascii(inputName ?? 'Performance') },
    },
    ...messages.map((m) => ({ tick: tick(m.ms), event: m.event })),
  ]);
  const tracks: MidiEvent[][] = [conductor, performance];
  if (clicks.length > 0) {
    const clickTicks = Math.round(20 / SMF_MS_PER_TICK);
    tracks.push(
      track([
        { tick: 0, event: { deltaTime: 0, type: 'trackName', meta: true, text: 'Metronome' } },
        ...clicks.flatMap(({ ms, accent }) => {
          const noteNumber = accent ? 76 : 77; // GM hi / low wood block
          return [
            {
              tick: tick(ms),
              event: { deltaTime: 0, type: 'noteOn', channel: 9, noteNumber, velocity: accent ? 100 : 80 },
            },
            {
              tick: tick(ms) + clickTicks,
              event: { deltaTime: 0, type: 'noteOff', channel: 9, noteNumber, velocity: 0 },
            },
          ] satisfies { tick: number; event: MidiEvent }[];
        }),
      ]),
    );
  }
  const data: MidiData = {
    header: { format: 1, numTracks: tracks.length, ticksPerBeat: ticksPerQuarter },
    tracks,
  };
  return {
    bytes: Uint8Array.from(writeMidi(data, { running: false, useByte9ForNoteOff: false })),
    originMs: origin,
    ticksPerQuarter,
    usPerQuarter,
    messageCount: messages.length,
    clickCount: clicks.length,
  };
}

/**
 * Builds a Standard MIDI File (format 1) from a scale recording's `midi` stream:
 * - track 1: track name, 4/4 time signature and one Set Tempo at the recording's tempo
 *   (`params.tempoBpm`, else 120 bpm), rounded to a multiple of 250 µs per quarter note;
 * - track 2: every channel message of the `midi` stream, bytes as recorded (a note-on with velocity 0
 *   stays one), at its time; system messages (clock, active sensing, system exclusive) are left out;
 * - track 3 (when the recording has clicks and `options.metronome` is not false): the metronome clicks as
 *   20-ms notes on channel 10 (76 accented, 77 other beats).
 * The division is chosen so that one tick is {@link SMF_MS_PER_TICK} ms (1000 ticks per quarter at
 * 60 bpm-equivalents: 2000 at 120 bpm, 3000 at 80 bpm), so every time survives to within 0.125 ms.
 * Tick 0 is `options.originMs` (default: the earlier of the `trial-start` marker and the first event).
 * Messages with equal times keep their order.
 * @returns the file's bytes
 * @throws CodedError `E_TASK_MISMATCH` (not a scale recording), `E_INPUT_COLUMNS` (no `midi` stream),
 *   `E_INPUT_VALUE` (a missing time stamp or bytes that are not hex); RangeError for an origin after
 *   the first event
 */
export function scaleRecordingToSmf(recording: Recording, options: ScaleSmfOptions = {}): Uint8Array {
  return scaleRecordingToSmfWithInfo(recording, options).bytes;
}
