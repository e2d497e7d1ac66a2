/**
 * Standard MIDI File → scale input. The `midi-file` package decodes the events; this module checks
 * the file's structure first (that package reads past the end of a truncated file without an error),
 * merges the tracks by absolute tick and converts ticks to ms through the tempo map.
 */
import { parseMidi, type MidiEvent } from 'midi-file';
import { CodedError } from '../../errors/catalogue.js';
import type { ScaleInput } from '../inputs.js';
import { notesFromMessages, type ChannelMessage } from './midi-events.js';

/** Tempo until the first Set Tempo event: 120 quarter notes per minute (SMF 1.0). */
const DEFAULT_US_PER_QUARTER = 500_000;

/** The time division of an SMF header. */
type Division = { kind: 'ppq'; ticksPerQuarter: number } | { kind: 'smpte'; ticksPerSecond: number };

interface TrackChunk {
  /** Byte range of the chunk's data in the file. */
  start: number;
  end: number;
}

function malformed(message: string): CodedError {
  return new CodedError('E_MIDI_MALFORMED', `the MIDI file is malformed: ${message}`);
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 256 + bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number): number {
  return bytes[at]! * 16_777_216 + bytes[at + 1]! * 65_536 + bytes[at + 2]! * 256 + bytes[at + 3]!;
}

function chunkId(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * Reads the header and the chunk framing: `MThd` first, every chunk inside the file, as many `MTrk`
 * chunks as the header declares. Chunks of other types are skipped (SMF 1.0 asks readers to ignore
 * them) but their type must be four printable ASCII characters; bytes after the last declared track
 * are ignored.
 */
function readChunks(bytes: Uint8Array): { format: number; division: Division; tracks: TrackChunk[] } {
  if (bytes.length < 14 || chunkId(bytes, 0) !== 'MThd') {
    throw malformed('it does not start with a Standard MIDI File header ("MThd")');
  }
  const headerLength = u32(bytes, 4);
  if (headerLength < 6 || 8 + headerLength > bytes.length) {
    throw malformed(`the header length ${headerLength} does not fit the file`);
  }
  const format = u16(bytes, 8);
  const declaredTracks = u16(bytes, 10);
  const rawDivision = u16(bytes, 12);
  if (format > 2) throw malformed(`unknown format ${format}`);
  if (format === 0 && declaredTracks !== 1) throw malformed(`format 0 with ${declaredTracks} tracks`);
  let division: Division;
  if (rawDivision & 0x8000) {
    const fps = 256 - (rawDivision >> 8);
    const ticksPerFrame = rawDivision & 0xff;
    if (![24, 25, 29, 30].includes(fps) || ticksPerFrame === 0) {
      throw malformed(`invalid SMPTE time division (${fps} frames/s, ${ticksPerFrame} ticks/frame)`);
    }
    // -29 is 30-frame drop-frame time code: 29.97 frames per second
    division = { kind: 'smpte', ticksPerSecond: (fps === 29 ? 30_000 / 1001 : fps) * ticksPerFrame };
  } else {
    if (rawDivision === 0) throw malformed('0 ticks per quarter note');
    division = { kind: 'ppq', ticksPerQuarter: rawDivision };
  }

  const tracks: TrackChunk[] = [];
  let pos = 8 + headerLength;
  while (tracks.length < declaredTracks) {
    if (pos + 8 > bytes.length) {
      throw malformed(`the header declares ${declaredTracks} tracks, the file holds ${tracks.length}`);
    }
    const id = chunkId(bytes, pos);
    if (!/^[\x20-\x7e]{4}$/.test(id)) throw malformed(`garbage where a chunk should start (byte ${pos})`);
    const length = u32(bytes, pos + 4);
    const start = pos + 8;
    if (start + length > bytes.length) {
      throw malformed(`the "${id}" chunk at byte ${pos} runs past the end of the file (truncated?)`);
    }
    if (id === 'MTrk') tracks.push({ start, end: start + length });
    pos = start + length;
  }
  return { format, division, tracks };
}

/**
 * Walks a track's events checking that each lies inside the chunk: delta times of at most 4 bytes,
 * a status byte (or running status after a channel message), meta and system-exclusive lengths
 * inside the chunk, data bytes below 0x80, no system common or real-time bytes. Running status
 * survives meta and system-exclusive events, as in the `midi-file` decoder.
 * @returns the number of events, to cross-check the decoder
 */
function scanTrack(bytes: Uint8Array, chunk: TrackChunk, track: number): number {
  let pos = chunk.start;
  const end = chunk.end;
  const fail = (what: string): never => {
    throw malformed(`track ${track + 1}: ${what} (byte ${pos})`);
  };
  const varLength = (): number => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) fail('a variable-length number runs past the end of the track');
      const byte = bytes[pos++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    return fail('a variable-length number is longer than 4 bytes');
  };
  let running = 0;
  let count = 0;
  while (pos < end) {
    varLength();
    if (pos >= end) fail('an event has a delta time but no status byte');
    let status = bytes[pos]!;
    if (status >= 0x80) pos++;
    else if (running === 0) fail('running status without a previous status byte');
    else status = running;
    if (status === 0xff || status === 0xf0 || status === 0xf7) {
      if (status === 0xff) {
        if (pos >= end) fail('a meta event has no type byte');
        pos++;
      }
      const length = varLength();
      if (pos + length > end) fail('a meta or system-exclusive event runs past the end of the track');
      pos += length;
    } else if (status > 0xf0) {
      fail(`unexpected system message 0x${status.toString(16)}`);
    } else {
      running = status;
      const dataBytes = (status & 0xe0) === 0xc0 ? 1 : 2; // program change and channel pressure have one
      for (let i = 0; i < dataBytes; i++) {
        if (pos >= end) fail('a channel message runs past the end of the track');
        if (bytes[pos]! & 0x80) fail('a data byte has its high bit set');
        pos++;
      }
    }
    count++;
  }
  return count;
}

/** Decodes one checked track with `midi-file`, as a one-track file of its own. */
function decodeTrack(bytes: Uint8Array, chunk: TrackChunk, track: number, eventCount: number): MidiEvent[] {
  const length = chunk.end - chunk.start;
  const file = new Uint8Array(22 + length);
  file.set([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0], 0); // MThd, format 0, 1 track
  file.set(
    [
      0x4d,
      0x54,
      0x72,
      0x6b,
      (length >>> 24) & 255,
      (length >>> 16) & 255,
      (length >>> 8) & 255,
      length & 255,
    ],
    14,
  );
  file.set(bytes.subarray(chunk.start, chunk.end), 22);
  let events: MidiEvent[];
  try {
    const parsed = parseMidi(file);
    events = parsed.tracks[0] ?? [];
  } catch (error) {
    // midi-file throws strings (e.g. "Expected length for setTempo event is 3, got 2")
    throw malformed(`track ${track + 1}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (events.length !== eventCount) {
    throw malformed(`track ${track + 1}: ${events.length} events decoded, ${eventCount} expected`);
  }
  for (const event of events) {
    if (!Number.isInteger(event.deltaTime) || event.deltaTime < 0) {
      throw malformed(`track ${track + 1}: invalid delta time`);
    }
  }
  return events;
}

/** An event with its absolute tick. */
interface TimedEvent {
  tick: number;
  event: MidiEvent;
}

/**
 * Tick → ms for a tick-per-quarter file: piecewise linear between Set Tempo events (from any track,
 * in tick order; of several at one tick the last in file order wins); 120 bpm before the first.
 */
function tempoMap(tempos: readonly TimedEvent[], ticksPerQuarter: number): (tick: number) => number {
  const segments = [{ tick: 0, ms: 0, usPerQuarter: DEFAULT_US_PER_QUARTER }];
  for (const { tick, event } of tempos) {
    const usPerQuarter = (event as { microsecondsPerBeat: number }).microsecondsPerBeat;
    if (!(usPerQuarter > 0)) throw malformed('a Set Tempo event of 0 µs per quarter note');
    const last = segments[segments.length - 1]!;
    const ms = last.ms + ((tick - last.tick) * last.usPerQuarter) / (1000 * ticksPerQuarter);
    if (tick === last.tick) segments[segments.length - 1] = { tick, ms, usPerQuarter };
    else segments.push({ tick, ms, usPerQuarter });
  }
  return (tick) => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.tick <= tick) lo = mid;
      else hi = mid - 1;
    }
    const s = segments[lo]!;
    return s.ms + ((tick - s.tick) * s.usPerQuarter) / (1000 * ticksPerQuarter);
  };
}

/** The channel message at `ms` of a decoded event that the note reader needs, or null for the others. */
function channelMessage(event: MidiEvent, ms: number): ChannelMessage | null {
  switch (event.type) {
    case 'noteOn':
      return { ms, status: 0x90 | event.channel, data1: event.noteNumber, data2: event.velocity };
    case 'noteOff':
      return { ms, status: 0x80 | event.channel, data1: event.noteNumber, data2: event.velocity };
    case 'controller':
      return { ms, status: 0xb0 | event.channel, data1: event.controllerType, data2: event.value };
    default:
      return null;
  }
}

/**
 * Reads a Standard MIDI File (format 0, 1, or 2) into the scale input.
 *
 * - All tracks are merged by absolute tick (equal ticks: lower track first, then file order); format 2
 *   files are merged the same way.
 * - Ticks become ms through the tempo map: Set Tempo meta events from any track, piecewise, 120 bpm
 *   before the first; with an SMPTE time division, ms = tick / (frames/s × ticks/frame) × 1000 and tempo
 *   events are ignored (−29 frames/s is 29.97). Time 0 is the start of the file.
 * - Running status, velocity-0 note-ons as note-offs, overlapping same-pitch notes (first in, first
 *   out), notes never released (`offMs: null`) and the sustain pedal (CC 64, returned in `sustain`,
 *   never lengthening notes) are handled as in {@link notesFromMessages}.
 * - `tempoBpm` is the file's tempo when it sets exactly one (all its Set Tempo events agree) in a
 *   ticks-per-quarter file, since a sequencer recording with a click stores the click tempo there;
 *   otherwise (no Set Tempo, a tempo change, SMPTE time) it is null.
 * @param bytes - the file's content
 * @throws CodedError `E_MIDI_MALFORMED` for anything that is not a complete Standard MIDI File: a bad
 *   header, a chunk or an event past the end (a truncated file), fewer tracks than declared, garbage,
 *   invalid events. No other exception escapes.
 */
export function scaleFromMidiFile(bytes: Uint8Array): ScaleInput {
  const { division, tracks } = readChunks(bytes);
  const events: TimedEvent[] = [];
  tracks.forEach((chunk, track) => {
    const decoded = decodeTrack(bytes, chunk, track, scanTrack(bytes, chunk, track));
    let tick = 0;
    for (const event of decoded) {
      tick += event.deltaTime;
      events.push({ tick, event });
    }
  });
  // A stable sort by tick: events were pushed by track, then in file order, which equal ticks keep.
  // One track is in tick order already (delta times are ≥ 0).
  if (tracks.length > 1) events.sort((a, b) => a.tick - b.tick);

  const tempos = events.filter((e) => e.event.type === 'setTempo');
  let toMs: (tick: number) => number;
  let tempoBpm: number | null = null;
  if (division.kind === 'ppq') {
    toMs = tempoMap(tempos, division.ticksPerQuarter);
    const values = new Set(
      tempos.map((e) => (e.event as { microsecondsPerBeat: number }).microsecondsPerBeat),
    );
    if (values.size === 1) tempoBpm = 60_000_000 / [...values][0]!;
  } else {
    const { ticksPerSecond } = division;
    toMs = (tick) => (tick * 1000) / ticksPerSecond;
  }

  const messages: ChannelMessage[] = [];
  for (const { tick, event } of events) {
    const message = channelMessage(event, toMs(tick));
    if (message) messages.push(message);
  }
  const { notes, sustain } = notesFromMessages(messages);
  return { task: 'scale', notes, sustain, tempoBpm, flags: [] };
}
