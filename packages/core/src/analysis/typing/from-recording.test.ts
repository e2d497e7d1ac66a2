import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { typingFromRecording } from './from-recording.js';
import { testRecording } from '../test-utils/recording.js';

type Row = [type: string, timeStampMs: number, code: string, repeat?: boolean, isComposing?: boolean];

function keyboard(rows: Row[], keys?: string[]): Stream {
  return {
    columns: {
      type: { type: 'str', values: rows.map((r) => r[0]) },
      timeStampMs: { type: 'f64', values: rows.map((r) => r[1]) },
      code: { type: 'str', values: rows.map((r) => r[2]) },
      repeat: { type: 'bool', values: rows.map((r) => r[3] ?? false) },
      isComposing: { type: 'bool', values: rows.map((r) => r[4] ?? false) },
      ...(keys ? { key: { type: 'str' as const, values: keys } } : {}),
    },
  };
}

function markers(rows: [number, string][]): Stream {
  return {
    columns: {
      timeStampMs: { type: 'f64', values: rows.map((r) => r[0]) },
      label: { type: 'str', values: rows.map((r) => r[1]) },
    },
  };
}

/** A minimal recording of `taskId` with the given streams, by both hands. */
function recording(
  taskId: Recording['taskId'],
  streams: Record<string, Stream>,
  flags: string[] = [],
): Recording {
  return testRecording(taskId, streams, { hand: 'both', flags });
}

describe('typingFromRecording', () => {
  const rows: Row[] = [
    ['keydown', 900, 'KeyQ'], // before trial-start: left out
    ['keyup', 950, 'KeyQ'],
    ['keydown', 1000, 'KeyA'],
    ['keydown', 1050, 'KeyS'], // rollover
    ['keyup', 1100, 'KeyA'],
    ['keydown', 1110, 'KeyS', true], // auto-repeat of S (flagged by the browser)
    ['keyup', 1130, 'KeyS'],
    ['compositionstart', 1190, ''],
    ['keydown', 1200, 'KeyD', false, true], // IME composition
    ['keyup', 1280, 'KeyD', false, true],
    ['keydown', 1300, 'KeyF'],
    ['keydown', 1340, 'KeyF'], // a second keydown before the keyup: auto-repeat too
    ['keyup', 1390, 'KeyF'],
    ['keyup', 1395, 'KeyG'], // keyup without keydown: ignored
    ['keydown', 1398, 'KeyH'], // never released: left out
  ];

  it('pairs keydown and keyup, drops auto-repeat and composition, keeps the trial only', () => {
    const input = typingFromRecording(
      recording('typing', {
        keyboard: keyboard(rows),
        markers: markers([
          [990, 'trial-start'],
          [1400, 'trial-end'],
        ]),
      }),
    );
    expect(input.presses).toEqual([
      { downMs: 1000, upMs: 1100, code: 'KeyA', key: null },
      { downMs: 1050, upMs: 1130, code: 'KeyS', key: null },
      { downMs: 1300, upMs: 1390, code: 'KeyF', key: null },
    ]);
    expect(input.flags).toEqual(['AUTO_REPEAT_DROPPED', 'COMPOSITION_DROPPED']);
  });

  it('keeps everything without trial markers, and passes the key values and capture flags on', () => {
    const keys = rows.map((r) => (r[2] ? r[2].slice(3).toLowerCase() : ''));
    const input = typingFromRecording(
      recording('typing', { keyboard: keyboard(rows, keys) }, ['TAB_HIDDEN', 'POINTER_NOT_PEN']),
    );
    expect(input.presses.map((p) => [p.code, p.key])).toEqual([
      ['KeyQ', 'q'],
      ['KeyA', 'a'],
      ['KeyS', 's'],
      ['KeyF', 'f'],
    ]);
    expect(input.flags).toEqual(['AUTO_REPEAT_DROPPED', 'COMPOSITION_DROPPED', 'TAB_HIDDEN']);
  });

  it('refuses a recording of another task (E_TASK_MISMATCH) or without a keyboard stream', () => {
    expect(() => typingFromRecording(recording('tapping', { keyboard: keyboard(rows) }))).toThrow(
      expect.objectContaining({ code: 'E_TASK_MISMATCH' }),
    );
    expect(() => typingFromRecording(recording('typing', {}))).toThrow(
      expect.objectContaining({ code: 'E_INPUT_COLUMNS' }),
    );
  });
});
