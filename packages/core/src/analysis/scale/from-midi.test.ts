import fc from 'fast-check';
import { parseMidi, writeMidi, type MidiEvent } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { scaleFromMidiFile } from './from-midi.js';
import { notesFromMessages, type ChannelMessage } from './midi-events.js';

/**
 * A hand-written format-1 file, PPQ 96, two tracks.
 * Track 1 (tempo): 120 bpm at tick 0, 60 bpm at tick 192.
 * Track 2 (notes, channel 0), with running status for the second to fifth events:
 *   tick   0: note-on  C4 (60) vel 64
 *   tick  48: note-on  D4 (62) vel 80        (running status)
 *   tick  96: note-on  C4 vel 0 = note-off   (running status)
 *   tick  96: note-on  E4 (64) vel 96        (running status)
 *   tick 192: note-on  D4 vel 0 = note-off   (running status)
 *   tick 192: CC 64 = 127 (sustain down)
 *   tick 288: note-off E4 (0x80)
 *   tick 288: note-on  G4 (67) vel 112, never released
 *   tick 288: CC 64 = 0 (sustain up)
 * ms: 500/96 ms per tick up to tick 192 (= 1000 ms), then 1000/96 ms per tick (tick 288 = 2000 ms).
 */
// prettier-ignore
const HAND_BUILT = new Uint8Array([
  0x4d, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06, 0x00, 0x01, 0x00, 0x02, 0x00, 0x60, // MThd, format 1, 2 tracks, 96 ppq
  0x4d, 0x54, 0x72, 0x6b, 0x00, 0x00, 0x00, 0x13, // MTrk, 19 bytes
  0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, // tempo 500000 µs per quarter
  0x81, 0x40, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40, // delta 192: tempo 1000000 µs per quarter
  0x00, 0xff, 0x2f, 0x00, // end of track
  0x4d, 0x54, 0x72, 0x6b, 0x00, 0x00, 0x00, 0x24, // MTrk, 36 bytes
  0x00, 0x90, 0x3c, 0x40,
  0x30, 0x3e, 0x50,
  0x30, 0x3c, 0x00,
  0x00, 0x40, 0x60,
  0x60, 0x3e, 0x00,
  0x00, 0xb0, 0x40, 0x7f,
  0x60, 0x80, 0x40, 0x40,
  0x00, 0x90, 0x43, 0x70,
  0x00, 0xb0, 0x40, 0x00,
  0x00, 0xff, 0x2f, 0x00,
]);

/** A file from a header's division bytes and track data (each wrapped in an MTrk chunk). */
function smf(
  format: number,
  division: [number, number],
  tracks: number[][],
  declared = tracks.length,
): Uint8Array {
  const bytes = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, format, 0, declared, ...division];
  for (const data of tracks) {
    const n = data.length;
    bytes.push(0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, ...data);
  }
  return new Uint8Array(bytes);
}
/** 500 ticks per quarter at the default 120 bpm: one tick is one ms. */
const MS_TICKS: [number, number] = [0x01, 0xf4];
const END = [0x00, 0xff, 0x2f, 0x00];

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
}

describe('scaleFromMidiFile', () => {
  it('reads a hand-built file with running status, velocity-0 note-offs and a tempo change to exact ms', () => {
    const input = scaleFromMidiFile(HAND_BUILT);
    expect(input.task).toBe('scale');
    expect(input.notes).toEqual([
      { pitch: 60, onMs: 0, offMs: 500, velocity: 64, channel: 0 },
      { pitch: 62, onMs: 250, offMs: 1000, velocity: 80, channel: 0 },
      { pitch: 64, onMs: 500, offMs: 2000, velocity: 96, channel: 0 },
      { pitch: 67, onMs: 2000, offMs: null, velocity: 112, channel: 0 },
    ]);
    expect(input.sustain).toEqual([
      { ms: 1000, value: 127 },
      { ms: 2000, value: 0 },
    ]);
    expect(input.tempoBpm).toBeNull(); // two different tempi
    expect(input.flags).toEqual([]);
  });

  it('applies a tempo change found in any track of a format-1 file', () => {
    const notes = [0x00, 0x90, 0x3c, 0x40, 0x81, 0x40, 0x3e, 0x40, 0x00, 0x80, 0x3c, 0x00, ...END]; // on@0, on@192, off@192
    const tempo = [0x60, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40, ...END]; // 60 bpm from tick 96
    const input = scaleFromMidiFile(smf(1, [0x00, 0x60], [notes, tempo]));
    // tick 96 at 120 bpm = 500 ms, then 96 ticks at 60 bpm = 1000 ms
    expect(input.notes.map((n) => [n.pitch, n.onMs, n.offMs])).toEqual([
      [60, 0, 1500],
      [62, 1500, null],
    ]);
  });

  it('reads a format-0 file with a tempo change in the middle of the track, and a single tempo as tempoBpm', () => {
    const data = [
      0x00,
      0xff,
      0x51,
      0x03,
      0x07,
      0xa1,
      0x20, // 120 bpm
      0x00,
      0x90,
      0x3c,
      0x40,
      0x83,
      0x74,
      0x80,
      0x3c,
      0x40, // delta 500: off → 500 ms
      0x00,
      0xff,
      0x51,
      0x03,
      0x07,
      0xa1,
      0x20, // the same tempo again
      0x83,
      0x74,
      0x90,
      0x3e,
      0x40, // 1000 ms
      ...END,
    ];
    const input = scaleFromMidiFile(smf(0, MS_TICKS, [data]));
    expect(input.notes.map((n) => [n.onMs, n.offMs])).toEqual([
      [0, 500],
      [1000, null],
    ]);
    expect(input.tempoBpm).toBe(120);
    // no Set Tempo: 120 bpm is assumed for the times, but no tempo is reported
    expect(scaleFromMidiFile(smf(0, MS_TICKS, [[0x00, 0x90, 0x3c, 0x40, ...END]])).tempoBpm).toBeNull();
  });

  it('pairs overlapping notes of one pitch first in, first out, per channel, across tracks', () => {
    const a = [0x00, 0x90, 0x3c, 0x0a, 0x0a, 0x90, 0x3c, 0x14, 0x00, 0x91, 0x3c, 0x1e, ...END]; // ch0 @0, ch0 @10, ch1 @10
    const b = [0x14, 0x80, 0x3c, 0x00, 0x0a, 0x80, 0x3c, 0x00, 0x0a, 0x81, 0x3c, 0x00, ...END]; // ch0 off @20, @30; ch1 off @40
    const input = scaleFromMidiFile(smf(1, MS_TICKS, [a, b]));
    expect(input.notes.map((n) => [n.channel, n.velocity, n.onMs, n.offMs])).toEqual([
      [0, 10, 0, 20],
      [0, 20, 10, 30],
      [1, 30, 10, 40],
    ]);
  });

  it('converts SMPTE time divisions (25 and 29.97 frames per second)', () => {
    const data = [
      0x00,
      0xff,
      0x51,
      0x03,
      0x0f,
      0x42,
      0x40,
      0x00,
      0x90,
      0x3c,
      0x40,
      0x87,
      0x68,
      0x80,
      0x3c,
      0x00,
      ...END,
    ];
    // −25 frames/s × 40 ticks per frame = 1000 ticks/s; the tempo event is ignored; delta 1000
    expect(scaleFromMidiFile(smf(0, [0xe7, 40], [data])).notes[0]).toMatchObject({ onMs: 0, offMs: 1000 });
    // −29 (29.97 frames/s) × 4 ticks per frame, 120 ticks = 1.001 s
    const drop = [0x00, 0x90, 0x3c, 0x40, 0x78, 0x80, 0x3c, 0x00, ...END];
    expect(scaleFromMidiFile(smf(0, [0xe3, 4], [drop])).notes[0]!.offMs).toBeCloseTo(1001, 9);
  });

  it('skips chunks of unknown type and ignores bytes after the last track', () => {
    const data = [0x00, 0x90, 0x3c, 0x40, ...END];
    const file = smf(0, MS_TICKS, [data]);
    const alien = [0x58, 0x46, 0x49, 0x48, 0, 0, 0, 2, 0xaa, 0xbb];
    const withAlien = new Uint8Array([...file.slice(0, 14), ...alien, ...file.slice(14), 0x00, 0x00]);
    expect(scaleFromMidiFile(withAlien).notes).toHaveLength(1);
  });

  it('ignores note-offs without an open note and other channel messages', () => {
    const data = [
      0x00,
      0x80,
      0x3c,
      0x00,
      0x00,
      0xc0,
      0x05,
      0x00,
      0xe0,
      0x00,
      0x40,
      0x00,
      0xa0,
      0x3c,
      0x10,
      0x00,
      0xf0,
      0x02,
      0x7e,
      0xf7,
      ...END,
    ];
    expect(scaleFromMidiFile(smf(0, MS_TICKS, [data])).notes).toEqual([]);
  });
});

/**
 * The scale input of a ticks-per-quarter file as the `midi-file` decoder reads it: its events merged by
 * tick (stable: track, then file order), ticks to ms through the Set Tempo events, the channel messages
 * paired into notes. An independent reading to compare the reader's own decoder with.
 */
function readWithMidiFile(bytes: Uint8Array) {
  const file = parseMidi(bytes);
  const ticksPerQuarter = file.header.ticksPerBeat!;
  const events = file.tracks.flatMap((track) => {
    let tick = 0;
    return track.map((event) => ({ tick: (tick += event.deltaTime), event }));
  });
  events.sort((a, b) => a.tick - b.tick);
  const tempos: { tick: number; ms: number; us: number }[] = [{ tick: 0, ms: 0, us: 500_000 }];
  for (const { tick, event } of events) {
    if (event.type !== 'setTempo') continue;
    const last = tempos[tempos.length - 1]!;
    const ms = last.ms + ((tick - last.tick) * last.us) / (1000 * ticksPerQuarter);
    const segment = { tick, ms, us: event.microsecondsPerBeat };
    if (tick === last.tick) tempos[tempos.length - 1] = segment;
    else tempos.push(segment);
  }
  const toMs = (tick: number) => {
    const s = tempos.filter((t) => t.tick <= tick).at(-1)!;
    return s.ms + ((tick - s.tick) * s.us) / (1000 * ticksPerQuarter);
  };
  const messages: ChannelMessage[] = [];
  for (const { tick, event } of events) {
    const ms = toMs(tick);
    if (event.type === 'noteOn' || event.type === 'noteOff') {
      const status = (event.type === 'noteOn' ? 0x90 : 0x80) | event.channel;
      messages.push({ ms, status, data1: event.noteNumber, data2: event.velocity });
    } else if (event.type === 'controller') {
      messages.push({ ms, status: 0xb0 | event.channel, data1: event.controllerType, data2: event.value });
    }
  }
  return notesFromMessages(messages);
}

describe('scaleFromMidiFile against the midi-file decoder', () => {
  const event = fc.oneof(
    fc.record({
      kind: fc.constantFrom('noteOn' as const, 'noteOff' as const),
      channel: fc.integer({ min: 0, max: 2 }),
      noteNumber: fc.integer({ min: 58, max: 62 }),
      velocity: fc.integer({ min: 0, max: 127 }),
    }),
    fc.record({
      kind: fc.constant('controller' as const),
      channel: fc.integer({ min: 0, max: 2 }),
      controllerType: fc.constantFrom(7, 64, 120, 123),
      value: fc.integer({ min: 0, max: 127 }),
    }),
    fc.record({
      kind: fc.constant('programChange' as const),
      channel: fc.nat(15),
      programNumber: fc.nat(127),
    }),
    fc.record({
      kind: fc.constant('pitchBend' as const),
      channel: fc.nat(15),
      value: fc.integer({ min: -8192, max: 8191 }),
    }),
    fc.record({
      kind: fc.constant('setTempo' as const),
      microsecondsPerBeat: fc.integer({ min: 200_000, max: 1_500_000 }),
    }),
    fc.record({
      kind: fc.constant('text' as const),
      text: fc.string({ maxLength: 5 }).map((t) => t.replace(/[^ -~]/g, 'x')),
    }),
    fc.record({ kind: fc.constant('sysEx' as const), data: fc.array(fc.nat(127), { maxLength: 4 }) }),
  );
  const track = fc.array(fc.tuple(fc.nat(300), event), { maxLength: 40 }).map((items) => [
    ...items.map(([deltaTime, e]): MidiEvent => {
      const { kind, ...fields } = e;
      return { deltaTime, type: kind, ...fields } as unknown as MidiEvent;
    }),
    { deltaTime: 0, meta: true, type: 'endOfTrack' } as MidiEvent,
  ]);

  it('reads the same notes, releases and sustain changes from random multi-track files', () => {
    fc.assert(
      fc.property(fc.array(track, { minLength: 1, maxLength: 3 }), fc.boolean(), (tracks, running) => {
        const bytes = Uint8Array.from(
          writeMidi(
            { header: { format: 1, numTracks: tracks.length, ticksPerBeat: 96 }, tracks },
            { running, useByte9ForNoteOff: true },
          ),
        );
        const input = scaleFromMidiFile(bytes);
        const reference = readWithMidiFile(bytes);
        expect(input.notes).toEqual(reference.notes);
        expect(input.sustain).toEqual(reference.sustain);
      }),
      { seed: 4, numRuns: 300 },
    );
  });
});

describe('scaleFromMidiFile on malformed files', () => {
  const malformedCases: [string, Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['text', new TextEncoder().encode('pitch,on_ms,off_ms,velocity\n60,0,100,64\n')],
    ['bad header id', new Uint8Array([...HAND_BUILT.slice(0, 3), 0x78, ...HAND_BUILT.slice(4)])],
    ['header too short', new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 4, 0, 0, 0, 1, 1, 0xe0])],
    ['format 3', smf(3, MS_TICKS, [END])],
    ['format 0 with two tracks', smf(0, MS_TICKS, [END, END])],
    ['zero division', smf(0, [0, 0], [END])],
    ['bad SMPTE rate', smf(0, [0xe6, 40], [END])],
    ['fewer tracks than declared', smf(1, MS_TICKS, [END], 3)],
    ['chunk length past the end', new Uint8Array([...smf(0, MS_TICKS, [END]).slice(0, 21), 0x40, ...END])],
    [
      'garbage instead of a chunk',
      new Uint8Array([...smf(0, MS_TICKS, [], 1).slice(0, 14), 0x00, 0x01, 0x02, 0x03, 0, 0, 0, 0]),
    ],
    ['running status at the start', smf(0, MS_TICKS, [[0x00, 0x3c, 0x40, ...END]])],
    ['event cut at the end of the track', smf(0, MS_TICKS, [[0x00, 0x90, 0x3c]])],
    ['delta time without an event', smf(0, MS_TICKS, [[...END, 0x00]])],
    ['meta event past the end of the track', smf(0, MS_TICKS, [[0x00, 0xff, 0x01, 0x10, 0x41]])],
    ['five-byte delta time', smf(0, MS_TICKS, [[0xff, 0xff, 0xff, 0xff, 0x7f, 0x90, 0x3c, 0x40]])],
    ['data byte with the high bit', smf(0, MS_TICKS, [[0x00, 0x90, 0x3c, 0x80, ...END]])],
    ['system common message', smf(0, MS_TICKS, [[0x00, 0xf2, 0x00, 0x00, ...END]])],
    [
      'Set Tempo of the wrong length (midi-file throws a string)',
      smf(0, MS_TICKS, [[0x00, 0xff, 0x51, 0x02, 0x07, 0xa1, ...END]]),
    ],
    ['Set Tempo of 0', smf(0, MS_TICKS, [[0x00, 0xff, 0x51, 0x03, 0, 0, 0, ...END]])],
  ];
  it.each(malformedCases)('%s → E_MIDI_MALFORMED', (_, bytes) => {
    expect(codeOf(() => scaleFromMidiFile(bytes))).toBe('E_MIDI_MALFORMED');
  });

  it('rejects every truncation of a valid file', () => {
    for (let length = 0; length < HAND_BUILT.length; length++) {
      expect(
        codeOf(() => scaleFromMidiFile(HAND_BUILT.slice(0, length))),
        `${length} bytes`,
      ).toBe('E_MIDI_MALFORMED');
    }
  });

  /** Runs the reader; only E_MIDI_MALFORMED may escape, and whatever it returns is sane. */
  function onlyCodedErrors(bytes: Uint8Array): void {
    let input;
    try {
      input = scaleFromMidiFile(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(CodedError);
      expect((error as CodedError).code).toBe('E_MIDI_MALFORMED');
      return;
    }
    for (const note of input.notes) {
      expect(Number.isFinite(note.onMs) && note.onMs >= 0).toBe(true);
      expect(note.offMs === null || note.offMs >= note.onMs).toBe(true);
      expect(note.pitch >= 0 && note.pitch <= 127 && note.velocity >= 1 && note.velocity <= 127).toBe(true);
    }
  }

  it('fuzz: random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), onlyCodedErrors), { seed: 1, numRuns: 300 });
  });

  it('fuzz: random track data inside a valid header and chunk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(0, 1), (data, format) =>
        onlyCodedErrors(smf(format, [0x00, 0x60], [Array.from(data)])),
      ),
      { seed: 2, numRuns: 500 },
    );
  });

  it('fuzz: random byte changes and truncations of a valid file', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(HAND_BUILT.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(HAND_BUILT.length),
        (changes, length) => {
          const bytes = HAND_BUILT.slice(0, length);
          for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
          onlyCodedErrors(bytes);
          if (length < HAND_BUILT.length && changes.length === 0) {
            expect(codeOf(() => scaleFromMidiFile(bytes))).toBe('E_MIDI_MALFORMED');
          }
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});
