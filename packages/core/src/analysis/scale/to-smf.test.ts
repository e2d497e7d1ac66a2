import { parseMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import type { Recording } from '../../recording/versions.js';
import { testRecording } from '../test-utils/recording.js';
import { scaleFromMidiFile } from './from-midi.js';
import { scaleFromRecording } from './from-recording.js';
import { simulateScale } from './simulate.js';
import { scaleRecordingToSmf, scaleRecordingToSmfWithInfo, SMF_MS_PER_TICK } from './to-smf.js';

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** A scale recording holding these midi rows, markers and clicks. */
function recording(
  rows: [number, string][],
  extra: {
    params?: Recording['params'];
    markers?: [number, string][];
    clicks?: [number, boolean][];
  } = {},
): Recording {
  const streams: Recording['streams'] = {
    midi: {
      columns: {
        timeStampMs: { type: 'f64', values: rows.map((r) => r[0]) },
        bytesHex: { type: 'str', values: rows.map((r) => r[1]) },
      },
    },
  };
  if (extra.markers) {
    streams.markers = {
      columns: {
        timeStampMs: { type: 'f64', values: extra.markers.map((m) => m[0]) },
        label: { type: 'str', values: extra.markers.map((m) => m[1]) },
      },
    };
  }
  if (extra.clicks) {
    streams.metronome = {
      columns: {
        clickTimeMs: { type: 'f64', values: extra.clicks.map((c) => c[0]) },
        audioTimeS: { type: 'f64', values: extra.clicks.map((c) => c[0] / 1000) },
        accent: { type: 'bool', values: extra.clicks.map((c) => c[1]) },
      },
    };
  }
  return testRecording('scale', streams, { params: extra.params ?? {} });
}

describe('scaleRecordingToSmf', () => {
  it('writes a format-1 file at the recording tempo with 0.25-ms ticks, bytes as recorded', () => {
    const rec = recording(
      [
        [10_000.3, '903c40'],
        [10_000.3, 'fe'], // active sensing: left out
        [10_125.1, '903c00'], // velocity-0 note-on stays one
        [10_130, 'b0407f'],
        [10_250.875, '803e10'],
        [10_300, 'e00040'], // pitch bend centre
      ],
      { params: { tempoBpm: 80 }, markers: [[9_000, 'trial-start']] },
    );
    const info = scaleRecordingToSmfWithInfo(rec);
    expect(info.bytes).toBeInstanceOf(Uint8Array);
    expect(info).toMatchObject({
      originMs: 9_000,
      ticksPerQuarter: 3000,
      usPerQuarter: 750_000,
      messageCount: 5,
    });
    const parsed = parseMidi(info.bytes);
    expect(parsed.header).toMatchObject({ format: 1, numTracks: 2, ticksPerBeat: 3000 });
    expect(parsed.tracks[0]!.find((e) => e.type === 'setTempo')).toMatchObject({
      microsecondsPerBeat: 750_000,
    });
    let tick = 0;
    const performance = parsed.tracks[1]!.flatMap((e) => {
      tick += e.deltaTime;
      return e.type === 'trackName' || e.type === 'endOfTrack' ? [] : [[tick, e.type]];
    });
    // (10 000.3 − 9 000) / 0.25 = 4001.2 → 4001; 10 125.1 → 4500.4 → 4500; …
    expect(performance).toEqual([
      [4001, 'noteOn'],
      [4500, 'noteOff'], // the reader calls it a note-off; byte9 says it was written as 0x90 … 00
      [4520, 'controller'],
      [5004, 'noteOff'],
      [5200, 'pitchBend'],
    ]);
    expect(parsed.tracks[1]!.find((e) => e.type === 'noteOff')).toMatchObject({ velocity: 0, byte9: true });
    expect(parsed.tracks[1]!.filter((e) => e.type === 'noteOff').at(-1)).toMatchObject({ velocity: 0x10 });
    expect(parsed.tracks[1]!.find((e) => e.type === 'pitchBend')).toMatchObject({ value: 0 });
  });

  it('round-trips through the SMF reader: same pitches, velocities and note times within half a tick', () => {
    const { input } = simulateScale(
      7,
      {
        bpm: 120,
        jitterSdMs: 8,
        velocityMean: 70,
        velocitySd: 10,
        errorRate: 0.1,
        legatoMs: 12,
      },
      { repetitions: 4, startMs: 51_234.567 },
    );
    const rows: [number, string][] = [];
    const events = input.notes.flatMap((n) => [
      { ms: n.onMs, bytes: [0x90, n.pitch, n.velocity], order: 0 },
      { ms: n.offMs!, bytes: [0x80, n.pitch, 64], order: 1 },
    ]);
    events.sort((a, b) => a.ms - b.ms || a.order - b.order);
    for (const e of events) rows.push([e.ms, hex(e.bytes)]);
    rows.splice(5, 0, [events[4]!.ms, 'b04040']); // a sustain change rides along

    const rec = recording(rows, {
      params: { tempoBpm: 120 },
      clicks: [
        [50_000, true],
        [50_500, false],
      ],
    });
    const fromRecording = scaleFromRecording(rec);
    const { bytes, originMs } = scaleRecordingToSmfWithInfo(rec);
    expect(originMs).toBe(50_000); // the first click is the earliest event
    const fromFile = scaleFromMidiFile(bytes);
    expect(fromFile.tempoBpm).toBe(120);
    const played = fromFile.notes.filter((n) => n.channel !== 9);
    const clicks = fromFile.notes.filter((n) => n.channel === 9);
    expect(clicks.map((n) => [n.onMs, n.pitch, n.velocity])).toEqual([
      [0, 76, 100],
      [500, 77, 80],
    ]);
    expect(played).toHaveLength(fromRecording.notes.length);
    played.forEach((note, i) => {
      const original = fromRecording.notes[i]!;
      expect(note.pitch).toBe(original.pitch);
      expect(note.velocity).toBe(original.velocity);
      expect(Math.abs(note.onMs + originMs - original.onMs)).toBeLessThanOrEqual(SMF_MS_PER_TICK / 2 + 1e-9);
      expect(Math.abs(note.offMs! + originMs - original.offMs!)).toBeLessThanOrEqual(
        SMF_MS_PER_TICK / 2 + 1e-9,
      );
    });
    expect(fromFile.sustain).toHaveLength(1);
    expect(fromFile.sustain[0]!.value).toBe(64);
  });

  it('uses 120 bpm without a tempo, an explicit origin, and can leave the clicks out', () => {
    const rec = recording([[1_000, '903c40']], { clicks: [[900, true]] });
    const info = scaleRecordingToSmfWithInfo(rec, { originMs: 500, metronome: false });
    expect(info).toMatchObject({
      ticksPerQuarter: 2000,
      usPerQuarter: 500_000,
      clickCount: 0,
      originMs: 500,
    });
    expect(parseMidi(info.bytes).tracks).toHaveLength(2);
    expect(scaleFromMidiFile(info.bytes).notes[0]!.onMs).toBe(500);
    expect(() => scaleRecordingToSmf(rec, { originMs: 1_001 })).toThrow(RangeError);
  });

  it('rejects other tasks and recordings without MIDI bytes', () => {
    const codeOf = (action: () => unknown) => {
      try {
        action();
        return null;
      } catch (error) {
        return error instanceof CodedError ? error.code : 'other';
      }
    };
    expect(codeOf(() => scaleRecordingToSmf({ ...recording([]), taskId: 'tapping' }))).toBe(
      'E_TASK_MISMATCH',
    );
    expect(codeOf(() => scaleRecordingToSmf(testRecording('scale', {})))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => scaleRecordingToSmf(recording([[0, 'zz']])))).toBe('E_INPUT_VALUE');
  });
});
