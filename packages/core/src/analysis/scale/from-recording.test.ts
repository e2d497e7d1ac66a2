import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import type { Recording } from '../../recording/versions.js';
import { testRecording } from '../test-utils/recording.js';
import { scaleFromRecording } from './from-recording.js';

/** A scale recording whose midi stream holds these rows. */
function recording(rows: [number, string][], extra: Partial<Recording> = {}): Recording {
  const midi = {
    columns: {
      timeStampMs: { type: 'f64' as const, values: rows.map((r) => r[0]) },
      bytesHex: { type: 'str' as const, values: rows.map((r) => r[1]) },
    },
  };
  return { ...testRecording('scale', { midi }), ...extra };
}

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
}

describe('scaleFromRecording', () => {
  it('parses raw Web MIDI messages: note-on, velocity-0 and 0x8n note-offs, sustain; skips system messages', () => {
    const input = scaleFromRecording(
      recording([
        [1000.25, 'f8'], // timing clock
        [1000.5, '903c40'],
        [1100, '90 3e 50'],
        [1125.75, '903C00'], // note-on velocity 0 = note-off
        [1200, 'b0407f'],
        [1200, 'fe'], // active sensing
        [1250, '803e10'],
        [1300, '914340'], // channel 2, never released
        [1400, 'b04000'],
        [1400, 'c005'], // program change
      ]),
    );
    expect(input.notes).toEqual([
      { pitch: 60, onMs: 1000.5, offMs: 1125.75, velocity: 64, channel: 0 },
      { pitch: 62, onMs: 1100, offMs: 1250, velocity: 80, channel: 0 },
      { pitch: 67, onMs: 1300, offMs: null, velocity: 64, channel: 1 },
    ]);
    expect(input.sustain).toEqual([
      { ms: 1200, value: 127 },
      { ms: 1400, value: 0 },
    ]);
    expect(input.tempoBpm).toBeNull();
  });

  it('reads the tempo from params.tempoBpm, params.bpm or the metronome clicks', () => {
    const rows: [number, string][] = [[0, '903c40']];
    expect(scaleFromRecording(recording(rows, { params: { tempoBpm: 80 } })).tempoBpm).toBe(80);
    expect(scaleFromRecording(recording(rows, { params: { bpm: 120 } })).tempoBpm).toBe(120);
    const clicks = [0, 500, 1000, 1500, 2003];
    const withClicks = recording(rows);
    withClicks.streams.metronome = {
      columns: {
        clickTimeMs: { type: 'f64', values: clicks },
        audioTimeS: { type: 'f64', values: clicks.map((t) => t / 1000) },
        accent: { type: 'bool', values: clicks.map((_, i) => i % 4 === 0) },
      },
    };
    expect(scaleFromRecording(withClicks).tempoBpm).toBe(120); // median interval 500 ms
    expect(codeOf(() => scaleFromRecording(recording(rows, { params: { tempoBpm: 'fast' } })))).toBe(
      'E_INPUT_VALUE',
    );
  });

  it('carries over capture flags that are quality flags', () => {
    const input = scaleFromRecording(recording([[0, '903c40']], { flags: ['TAB_HIDDEN', 'ABORTED'] }));
    expect(input.flags).toEqual(['TAB_HIDDEN']);
  });

  it('rejects other tasks, bad rows and decreasing time stamps with coded errors', () => {
    expect(codeOf(() => scaleFromRecording(recording([], { taskId: 'tapping' })))).toBe('E_TASK_MISMATCH');
    expect(codeOf(() => scaleFromRecording(recording([], { streams: {} })))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => scaleFromRecording(recording([[0, '90zz40']])))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => scaleFromRecording(recording([[0, '903']])))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => scaleFromRecording(recording([[0, '3c40']])))).toBe('E_INPUT_VALUE'); // no status byte
    expect(codeOf(() => scaleFromRecording(recording([[0, '903c']])))).toBe('E_INPUT_VALUE');
    const noTime = recording([[0, '903c40']]);
    noTime.streams.midi!.columns.timeStampMs = { type: 'f64', values: [null] };
    expect(codeOf(() => scaleFromRecording(noTime))).toBe('E_INPUT_VALUE');
    expect(
      codeOf(() =>
        scaleFromRecording(
          recording([
            [10, '903c40'],
            [9, '803c40'],
          ]),
        ),
      ),
    ).toBe('E_NONMONOTONIC_TIME');
  });
});
