import {
  analyze,
  parseTaskRecording,
  scaleFromMidiFile,
  scaleFromRecording,
  scaleRecordingToSmf,
} from '@dystrack/core';
import { writeMidi, type MidiEvent } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { simulateRecording } from '../simulate';
import { scale } from './index';
import {
  importScaleMidiFile,
  ScaleImportError,
  sha256Hex,
  toBase64,
  type ScaleImportErrorCode,
} from './import';
import { SIMULATED_JITTER_MS } from './simulate';

/** An injected hash (the default is Web Crypto's, checked below against a published test vector). */
const sha256 = (bytes: Uint8Array) => sha256Hex(bytes);

describe('scale simulate', () => {
  it('gives valid, deterministic recordings whose analysis recovers the simulated jitter', () => {
    const a = simulateRecording(scale, { hand: 'right', seed: 11, params: { block: 'a-120' } });
    const again = simulateRecording(scale, { hand: 'right', seed: 11, params: { block: 'a-120' } });
    expect(a).toEqual(again);
    expect(() => parseTaskRecording(a)).not.toThrow();
    expect(a.params).toMatchObject({ block: 'a-120', tempoBpm: 120, runsPlayed: 12 });
    const out = analyze(scaleFromRecording(a), { hand: 'right' });
    expect(out.metrics.ioi_mean_ms).toBeGreaterThan(123);
    expect(out.metrics.ioi_mean_ms).toBeLessThan(127);
    // per-run IOI SD of onset noise σ: E[SD²] = 2σ²·15/14 → about 1.46σ
    const sigma = SIMULATED_JITTER_MS.right;
    expect(out.metrics.ioi_sd_ms as number).toBeGreaterThan(1.2 * sigma);
    expect(out.metrics.ioi_sd_ms as number).toBeLessThan(1.75 * sigma);
    expect(out.quality_flags).not.toContain('SUSTAIN_PEDAL');
    expect(out.quality_flags).not.toContain('NO_CORRECT_RUN');
    // the left (affected) hand is more uneven
    const left = simulateRecording(scale, { hand: 'left', seed: 11, params: { block: 'a-120' } });
    const outLeft = analyze(scaleFromRecording(left), { hand: 'left' });
    expect(outLeft.metrics.ioi_sd_ms as number).toBeGreaterThan(out.metrics.ioi_sd_ms as number);
  });

  it('simulates every block and the longest recording within the limits', () => {
    for (const block of ['warm-up', 'b-80', 'c-continuation', 'd-passage']) {
      const r = simulateRecording(scale, { hand: 'left', seed: 3, params: { block } });
      expect(() => parseTaskRecording(r)).not.toThrow();
    }
    const b = simulateRecording(scale, { hand: 'right', seed: 3, params: { block: 'b-80' } });
    expect(analyze(scaleFromRecording(b), { hand: 'right' }).metrics.ioi_mean_ms as number).toBeCloseTo(
      187.5,
      0,
    );
    const c = simulateRecording(scale, { hand: 'right', seed: 3, params: { block: 'c-continuation' } });
    expect(c.streams.metronome!.columns.clickTimeMs!.values).toHaveLength(8);
    const longest = simulateRecording(scale, { hand: 'right', seed: 3, longest: true });
    expect(() => parseTaskRecording(longest)).not.toThrow();
    expect(longest.durationMs).toBeLessThanOrEqual(30 * 60_000);
    expect(longest.durationMs).toBeGreaterThan(25 * 60_000);
  });
});

/** A file written with midi-file's writer: ppq 480, given tracks. */
function smf(format: 0 | 1, tracks: MidiEvent[][], running = false): Uint8Array {
  return Uint8Array.from(
    writeMidi({ header: { format, numTracks: tracks.length, ticksPerBeat: 480 }, tracks }, { running }),
  );
}
const end: MidiEvent = { deltaTime: 0, type: 'endOfTrack', meta: true };
const on = (deltaTime: number, noteNumber: number, velocity = 80, channel = 0): MidiEvent => ({
  deltaTime,
  type: 'noteOn',
  channel,
  noteNumber,
  velocity,
});
const tempo = (deltaTime: number, microsecondsPerBeat: number): MidiEvent => ({
  deltaTime,
  type: 'setTempo',
  meta: true,
  microsecondsPerBeat,
});

async function codeOf(bytes: Uint8Array): Promise<ScaleImportErrorCode | null> {
  try {
    await importScaleMidiFile(bytes, { fileName: 'x.mid', hand: 'right', sha256 });
    return null;
  } catch (error) {
    if (error instanceof ScaleImportError) return error.code;
    throw error;
  }
}

describe('importScaleMidiFile', () => {
  it('format 0 with running status and velocity-0 note-offs: exact rows on the file timeline, source hashed', async () => {
    // 480 ticks per quarter at 120 bpm: 240 ticks = 250 ms
    const bytes = smf(
      0,
      [
        [
          tempo(0, 500_000),
          on(0, 60, 64),
          on(240, 60, 0),
          on(0, 62, 70),
          { deltaTime: 0, type: 'controller', channel: 0, controllerType: 64, value: 127 },
          on(240, 62, 0),
          end,
        ],
      ],
      true,
    );
    const recording = await importScaleMidiFile(bytes, {
      fileName: 'lesson.mid',
      mediaType: '',
      hand: 'left',
      id: '0b7c6c4e-5d3a-4f2b-9a1c-2d3e4f5a6b7c',
      startedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording.streams.midi!.columns).toEqual({
      timeStampMs: { type: 'f64', values: [0, 250, 250, 250, 500] },
      bytesHex: { type: 'str', values: ['903c40', 'b0407f', '903e46', '803c40', '803e40'] },
      inputId: { type: 'str', values: ['file', 'file', 'file', 'file', 'file'] },
    });
    expect(recording.source).toEqual({
      fileName: 'lesson.mid',
      mediaType: 'audio/midi',
      sha256: await sha256Hex(bytes),
      base64: Buffer.from(bytes).toString('base64'),
    });
    expect(recording.params).toMatchObject({ block: 'import', tempoBpm: 120, droppedDrumNotes: 0 });
    expect(recording.flags).toEqual(['IMPORTED_FILE']);
    expect(recording.hand).toBe('left');
    expect(recording.durationMs).toBe(500);
  });

  it('format 1 with a tempo change and a drum track: the notes equal what the SMF reader gives, drums dropped', async () => {
    const bytes = smf(1, [
      [tempo(0, 500_000), tempo(960, 1_000_000), end],
      [on(0, 60), on(480, 60, 0), on(0, 64), on(480, 64, 0), on(0, 67), on(960, 67, 0), end],
      [on(0, 42, 100, 9), on(100, 42, 0, 9), end],
    ]);
    const recording = await importScaleMidiFile(bytes, {
      fileName: 'b.mid',
      mediaType: 'audio/x-midi',
      hand: 'right',
      sha256,
    });
    const direct = scaleFromMidiFile(bytes).notes.filter((n) => n.channel !== 9);
    const viaRecording = scaleFromRecording(recording).notes;
    expect(viaRecording).toEqual(direct);
    // 960 ticks at 120 bpm = 1000 ms, then 960 ticks at 60 bpm = 2000 ms
    expect(viaRecording.map((n) => [n.pitch, n.onMs, n.offMs])).toEqual([
      [60, 0, 500],
      [64, 500, 1000],
      [67, 1000, 3000],
    ]);
    expect(recording.params).toMatchObject({ tempoBpm: null, droppedDrumNotes: 1 });
    expect(recording.source!.mediaType).toBe('audio/x-midi');
  });

  it('round-trips a simulated session through the .mid export and back', async () => {
    const simulated = simulateRecording(scale, {
      hand: 'right',
      seed: 5,
      params: { block: 'a-120', runs: 3 },
    });
    const imported = await importScaleMidiFile(scaleRecordingToSmf(simulated), {
      fileName: 's.mid',
      hand: 'right',
      sha256,
    });
    const a = scaleFromRecording(simulated).notes;
    const b = scaleFromRecording(imported).notes;
    expect(b.map((n) => [n.pitch, n.velocity])).toEqual(a.map((n) => [n.pitch, n.velocity]));
    const origin = a[0]!.onMs - b[0]!.onMs;
    b.forEach((n, i) => expect(Math.abs(n.onMs + origin - a[i]!.onMs)).toBeLessThanOrEqual(0.25));
    expect(imported.params.tempoBpm).toBe(120);
  });

  it('refuses with a code: not MIDI, corrupt, no notes, only drums, too many events; nothing partial', async () => {
    expect(await codeOf(new TextEncoder().encode('RIFF....WAVEfmt '))).toBe('NOT_MIDI');
    const good = smf(0, [[on(0, 60), on(240, 60, 0), end]]);
    expect(await codeOf(good.slice(0, good.length - 3))).toBe('MIDI_CORRUPT');
    expect(await codeOf(smf(0, [[tempo(0, 500_000), end]]))).toBe('NO_NOTES');
    expect(await codeOf(smf(0, [[on(0, 36, 100, 9), on(10, 36, 0, 9), end]]))).toBe('ONLY_DRUMS');
    const many: MidiEvent[] = [];
    for (let i = 0; i < 30_001; i++) many.push(on(1, 60), on(1, 60, 0));
    expect(await codeOf(smf(0, [[...many, end]]))).toBe('TOO_MANY_EVENTS');
    const big = new Uint8Array(1_048_577);
    big.set([0x4d, 0x54, 0x68, 0x64]);
    expect(await codeOf(big)).toBe('FILE_TOO_LARGE');
  });

  it('hashes with Web Crypto (SHA-256 test vector "abc") and takes an injected hash', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const bytes = smf(0, [[on(0, 60), on(240, 60, 0), end]]);
    const r = await importScaleMidiFile(bytes, {
      fileName: 'h.mid',
      hand: 'right',
      sha256: () => Promise.resolve('f'.repeat(64)),
    });
    expect(r.source!.sha256).toBe('f'.repeat(64));
  });

  it('encodes base64 like the platform', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
