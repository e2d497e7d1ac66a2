/**
 * Standard MIDI File → scale input: the file's structure is checked first, then the events the scale
 * input needs (notes, sustain and all-notes-off controllers, Set Tempo) are decoded straight from the
 * bytes, with the checks of the `midi-file` decoder (the lengths of fixed-size meta events); the tracks
 * are merged by absolute tick and ticks converted to ms through the tempo map.
 */
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
 */
function scanTrack(bytes: Uint8Array, chunk: TrackChunk, track: number): void {
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
  }
}

/**
 * The lengths the Standard MIDI File gives the meta events of a fixed size (as the `midi-file` decoder
 * checks them): meta type → allowed lengths and the event's name.
 */
const META_LENGTHS = new Map<number, { lengths: readonly number[]; name: string; expected: string }>([
  [0x00, { lengths: [2], name: 'sequenceNumber', expected: '2' }],
  [0x20, { lengths: [1], name: 'channelPrefix', expected: '1' }],
  [0x21, { lengths: [1], name: 'portPrefix', expected: '1' }],
  [0x2f, { lengths: [0], name: 'endOfTrack', expected: '0' }],
  [0x51, { lengths: [3], name: 'setTempo', expected: '3' }],
  [0x54, { lengths: [5], name: 'smpteOffset', expected: '5' }],
  [0x58, { lengths: [2, 4], name: 'timeSignature', expected: '4 or 2' }],
  [0x59, { lengths: [2], name: 'keySignature', expected: '2' }],
]);

/** The events of the merged tracks that the scale input needs, with their absolute ticks. */
interface TrackEvents {
  /** Set Tempo events: tick and µs per quarter note, in track order, then file order. */
  tempos: { tick: number; usPerQuarter: number }[];
  /**
   * Note-on, note-off (a note-on of velocity 0 is a note-off, status 0x8n) and the controller messages
   * {@link notesFromMessages} reads (sustain, all sound off, all notes off), `ms` still unset, with the
   * tick of each in `ticks`; in track order, then file order.
   */
  messages: ChannelMessage[];
  ticks: number[];
}

/** Controllers {@link notesFromMessages} reads: sustain (64), all sound off (120), all notes off (123). */
function isReadController(controller: number): boolean {
  return controller === 64 || controller === 120 || controller === 123;
}

/**
 * Decodes one track that {@link scanTrack} checked, adding its tempo and channel messages to `out`:
 * the meta events of a fixed size must have their size (the `midi-file` decoder's checks and
 * messages); other events are skipped.
 */
function decodeTrack(bytes: Uint8Array, chunk: TrackChunk, track: number, out: TrackEvents): void {
  let pos = chunk.start;
  const end = chunk.end;
  const varLength = (): number => {
    let value = 0;
    for (;;) {
      const byte = bytes[pos++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
  };
  let tick = 0;
  let running = 0;
  while (pos < end) {
    tick += varLength();
    let status = bytes[pos]!;
    if (status >= 0x80) pos++;
    else status = running;
    if (status === 0xff) {
      const type = bytes[pos++]!;
      const length = varLength();
      const fixed = META_LENGTHS.get(type);
      if (fixed && !fixed.lengths.includes(length)) {
        throw malformed(
          `track ${track + 1}: Expected length for ${fixed.name} event is ${fixed.expected}, got ${length}`,
        );
      }
      if (type === 0x51) {
        out.tempos.push({
          tick,
          usPerQuarter: bytes[pos]! * 65_536 + bytes[pos + 1]! * 256 + bytes[pos + 2]!,
        });
      }
      pos += length;
    } else if (status === 0xf0 || status === 0xf7) {
      const length = varLength();
      pos += length;
    } else {
      running = status;
      const type = status & 0xf0;
      if (type === 0xc0 || type === 0xd0) {
        pos++;
        continue;
      }
      const data1 = bytes[pos]!;
      const data2 = bytes[pos + 1]!;
      pos += 2;
      const channel = status & 0x0f;
      let message: ChannelMessage | null = null;
      if (type === 0x90 || type === 0x80) {
        // a note-on of velocity 0 is a note-off
        const kind = type === 0x90 && data2 > 0 ? 0x90 : 0x80;
        message = { ms: 0, status: kind | channel, data1, data2 };
      } else if (type === 0xb0 && isReadController(data1)) {
        message = { ms: 0, status, data1, data2 };
      }
      if (message) {
        out.messages.push(message);
        out.ticks.push(tick);
      }
    }
  }
}

/**
 * Tick → ms for a tick-per-quarter file: piecewise linear between Set Tempo events (from any track,
 * in tick order; of several at one tick the last in file order wins); 120 bpm before the first.
 */
function tempoMap(
  tempos: readonly { tick: number; usPerQuarter: number }[],
  ticksPerQuarter: number,
): (tick: number) => number {
  const segments = [{ tick: 0, ms: 0, usPerQuarter: DEFAULT_US_PER_QUARTER }];
  for (const { tick, usPerQuarter } of tempos) {
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
  const decoded: TrackEvents = { tempos: [], messages: [], ticks: [] };
  tracks.forEach((chunk, track) => {
    scanTrack(bytes, chunk, track);
    decodeTrack(bytes, chunk, track, decoded);
  });
  let { tempos, messages, ticks } = decoded;
  if (tracks.length > 1) {
    // A stable sort by tick: events were added by track, then in file order, which equal ticks keep.
    // One track is in tick order already (delta times are ≥ 0).
    tempos = [...tempos].sort((a, b) => a.tick - b.tick);
    const order = messages.map((_, i) => i).sort((a, b) => ticks[a]! - ticks[b]!);
    messages = order.map((i) => messages[i]!);
    ticks = order.map((i) => ticks[i]!);
  }

  let toMs: (tick: number) => number;
  let tempoBpm: number | null = null;
  if (division.kind === 'ppq') {
    toMs = tempoMap(tempos, division.ticksPerQuarter);
    const values = new Set(tempos.map((e) => e.usPerQuarter));
    if (values.size === 1) tempoBpm = 60_000_000 / [...values][0]!;
  } else {
    const { ticksPerSecond } = division;
    toMs = (tick) => (tick * 1000) / ticksPerSecond;
  }

  for (let i = 0; i < messages.length; i++) messages[i]!.ms = toMs(ticks[i]!);
  const { notes, sustain } = notesFromMessages(messages);
  return { task: 'scale', notes, sustain, tempoBpm, flags: [] };
}
