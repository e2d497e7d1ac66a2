import { describe, expect, it } from 'vitest';
import type { Column, Stream } from '../recording/columns.js';
import { TASK_IDS, TASK_RECORDING_SPECS, type ColumnSpec, type TaskId } from '../recording/tasks.js';
import { parseTaskRecording, type Recording } from '../recording/versions.js';
import {
  DROPPED_COLUMNS,
  PARAM_ALLOW_LIST,
  STREAM_ALLOW_LIST,
  deidentifyRecording,
  keyClass,
  shiftDay,
} from './index.js';

const REAL_ID = '0c0ffee0-1987-4314-8aaa-c0ffee000042';
const STARTED_AT = '1987-03-14T15:09:26.535+01:00';
const TIME_ORIGIN = 542_729_366_535.25; // 1987-03-14T14:09:26.535Z, in ms
const ORIGIN_MS = 5_000.5; // the earliest event, ms after timeOrigin

/** Strings no de-identified recording may contain. */
const CANARIES = [
  'canarydevice',
  'canaryport',
  'canarytyped',
  'canarymedication',
  'canaryfile',
  'canaryparam',
  'canarylabel',
  'CanaryAgent',
  REAL_ID,
  '1987-03-14',
  String(Math.trunc(TIME_ORIGIN)),
  '542729366',
];

/** A string cell of a column, full of canaries where the column is free text. */
function stringCell(stream: string, column: string, row: number): string {
  if (column === 'code')
    return ['KeyC', 'KeyA', 'Space', 'Digit1', 'Backspace', 'ShiftLeft', 'Comma', 'F5'][row % 8]!;
  if (column === 'key') return 'canarytyped'[row % 11]!;
  if (column === 'inputId') return 'canaryport-Roland';
  if (column === 'bytesHex') return ['903c64', 'f07e7f060241canaryport', '803c00', 'ff0304'][row % 4]!;
  if (column === 'label')
    return row === 0 ? 'trial-start' : row === 1 ? 'canarylabel says hello' : 'position:rest';
  if (column === 'type')
    return stream === 'keyboard' ? ['keydown', 'keyup'][row % 2]! : ['pointerdown', 'canarytyped'][row % 2]!;
  if (column === 'pointerType') return ['pen', 'canarydevice'][row % 2]!;
  if (column === 'state') return ['hidden', 'visible'][row % 2]!;
  if (column === 'mapping') return 'outputTimestamp';
  return 'canaryparam';
}

function cell(spec: ColumnSpec, stream: string, column: string, rows: number): Column {
  const index = Array.from({ length: rows }, (_, i) => i);
  switch (spec.type) {
    case 'f64':
      return {
        type: 'f64',
        values: index.map((i) => (column.endsWith('Ms') ? ORIGIN_MS + 10 * i : 0.5 + i)),
      };
    case 'i32':
      return { type: 'i32', values: index.map((i) => i % 3) };
    case 'bool':
      return { type: 'bool', values: index.map((i) => i % 2 === 1) };
    case 'str':
      return { type: 'str', values: index.map((i) => stringCell(stream, column, i)) };
  }
}

/** A valid recording of a task with every stream and every column of its spec, canaries wherever text can go. */
function fullRecording(taskId: TaskId): Recording {
  const spec = TASK_RECORDING_SPECS[taskId];
  const streams: Record<string, Stream> = {};
  for (const [name, stream] of Object.entries(spec.streams)) {
    const columns: Record<string, Column> = {};
    for (const [columnName, column] of Object.entries(stream.columns))
      columns[columnName] = cell(column, name, columnName, 8);
    streams[name] = { columns };
  }
  const recording: Recording = {
    id: REAL_ID,
    schemaVersion: 1,
    taskId,
    taskVersion: '1.2.3',
    hand: spec.hands[0]!,
    startedAt: STARTED_AT,
    durationMs: 12_345,
    params: {
      // allowed ones of several tasks, and free text that must go
      mode: taskId === 'spiral' ? 'traced' : 'copy',
      part: taskId === 'precision' ? 'hold' : 'sentence',
      trials: 3,
      text: 'canaryparam: the sentence I wrote',
      textLetters: 27,
      midiInput: { name: 'canaryport Roland FP-30', manufacturer: 'canarydevice', id: 'canaryport-1' },
      midiError: 'canaryparam failure',
      scaleDescription: 'canaryparam C major',
      keyLeft: 'KeyD',
      keyRight: 'KeyJ',
      latencyCalibration: { offsetMs: 12.5, measuredAt: '1987-03-14T10:00:00Z', savedAtMs: TIME_ORIGIN },
      attempts: [
        {
          trial: 1,
          startMs: ORIGIN_MS + 10,
          endMs: ORIGIN_MS + 70,
          outcome: 'canaryparam',
          strokes: { pen: 2 },
        },
      ],
      target: { path: { xPx: [1, 2, 3], yPx: [4, 5, 6] }, 'canaryparam key': 1 },
      copy: { typedChars: 11, errors: 1, typed: 'canarytyped words' },
      unknownNumber: 42,
    },
    device: {
      userAgent: 'CanaryAgent/1.0',
      platform: 'canarydevice OS',
      language: 'en-canary',
      hardwareConcurrency: 8,
      maxTouchPoints: 5,
      screenWidthPx: 1280,
      screenHeightPx: 800,
      devicePixelRatio: 2,
      inputDevice: 'canarydevice Wacom',
    },
    timing: {
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: 125,
      hiddenCount: 1,
      hiddenMs: 250,
      timeOriginMs: TIME_ORIGIN,
    },
    context: {
      selfRating0to10: 4,
      taskLoadHoursLast24h: 2,
      botulinumToxin: 'received',
      daysSinceBotulinumToxin: 30,
      medication: 'canarymedication 2 mg',
    },
    streams,
    flags: ['TAB_HIDDEN'],
  };
  if (spec.acceptsSourceFile)
    recording.source = {
      fileName: 'canaryfile.mid',
      mediaType: 'audio/midi',
      sha256: 'a'.repeat(64),
      base64: btoa('MThd canaryfile'),
    };
  return recording;
}

describe('deidentifyRecording', () => {
  it.each(TASK_IDS)('%s: a valid recording with every column loses every canary', (taskId) => {
    const recording = fullRecording(taskId);
    // the synthetic recording is one the server accepts (so the test covers what can really be stored)
    expect(() => parseTaskRecording(recording)).not.toThrow();
    const before = JSON.stringify(recording);
    const out = deidentifyRecording(recording, { pseudonymousId: 'R-0001', day: '2001-02-03' });
    expect(JSON.stringify(recording)).toBe(before); // the input is not changed
    const text = JSON.stringify(out);
    for (const canary of CANARIES) expect(text, `${taskId}: ${canary}`).not.toContain(canary);
    expect(out).toMatchObject({ id: 'R-0001', day: '2001-02-03', taskId, durationMs: 12_345 });
    expect(out).not.toHaveProperty('startedAt');
    expect(out).not.toHaveProperty('source');
    expect(out.timing).not.toHaveProperty('timeOriginMs');
    expect(Object.keys(out.device).sort()).toEqual(
      ['devicePixelRatio', 'maxTouchPoints', 'screenHeightPx', 'screenWidthPx'].sort(),
    );
    expect(out.context).not.toHaveProperty('medication');
    // every stream of the task is still there, with its rows
    expect(Object.keys(out.streams).sort()).toEqual(Object.keys(recording.streams).sort());
  });

  it('rebases event times to the earliest event and keeps their differences exactly', () => {
    const out = deidentifyRecording(fullRecording('handwriting'), { pseudonymousId: 'x', day: '2001-02-03' });
    const times = out.streams.pointer!.columns.timeStampMs!.values;
    expect(times.slice(0, 3)).toEqual([0, 10, 20]);
    expect(out.streams.markers!.columns.timeStampMs!.values[0]).toBe(0);
    // nested parameter times are rebased with the same origin
    expect(out.params.attempts).toEqual([{ trial: 1, startMs: 10, endMs: 70, strokes: { pen: 2 } }]);
    const kept = fullRecording('handwriting');
    kept.params = { attempts: [{ outcome: 'kept', calibratedAt: '1987-03-14T10:00:00Z' }] };
    expect(deidentifyRecording(kept, { pseudonymousId: 'x', day: '2001-02-03' }).params.attempts).toEqual([
      { outcome: 'kept' },
    ]);
    expect(out.params.textLetters).toBe(27);
    expect(out.params).not.toHaveProperty('text');
    expect(out.params.part).toBe('sentence');
  });

  it('typing keeps event types and times with a key class, never key or code', () => {
    const out = deidentifyRecording(fullRecording('typing'), { pseudonymousId: 'x', day: '2001-02-03' });
    const keyboard = out.streams.keyboard!.columns;
    expect(Object.keys(keyboard).sort()).toEqual(
      ['isComposing', 'keyClass', 'keyLocationIndex', 'repeat', 'timeStampMs', 'type'].sort(),
    );
    expect(keyboard.keyClass!.values).toEqual([
      'letter',
      'letter',
      'space',
      'digit',
      'backspace',
      'modifier',
      'punctuation',
      'other',
    ]);
    expect(keyboard.type!.values.slice(0, 2)).toEqual(['keydown', 'keyup']);
    // copy facts: counts stay, the typed words go
    expect(out.params.copy).toEqual({ typedChars: 11, errors: 1 });
    expect(out.params.mode).toBe('copy');
    // the id of a fixed copy text goes out; anything else under that name does not
    const german = fullRecording('typing');
    german.params = { ...german.params, text: 'de' };
    expect(deidentifyRecording(german, { pseudonymousId: 'x', day: '2001-02-03' }).params.text).toBe('de');
    expect(out.params).not.toHaveProperty('text');
  });

  it('tapping with keys says which protocol key was pressed, nothing more', () => {
    const recording = fullRecording('tapping');
    recording.streams.keyboard!.columns.code = {
      type: 'str',
      values: ['KeyD', 'KeyJ', 'KeyD', 'KeyX', 'KeyJ', 'KeyD', 'KeyJ', 'KeyD'],
    };
    const out = deidentifyRecording(recording, { pseudonymousId: 'x', day: '2001-02-03' });
    expect(out.streams.keyboard!.columns.tapKey!.values.slice(0, 4)).toEqual([
      'left',
      'right',
      'left',
      'other',
    ]);
    expect(JSON.stringify(out)).not.toContain('KeyD');
  });

  it('scale keeps channel messages only, without the port, and drops the imported file', () => {
    const out = deidentifyRecording(fullRecording('scale'), { pseudonymousId: 'x', day: '2001-02-03' });
    const midi = out.streams.midi!.columns;
    expect(Object.keys(midi).sort()).toEqual(['bytesHex', 'timeStampMs']);
    // rows 0 and 2 of each 4 are note on/off; system-exclusive and meta rows are gone, times with them
    expect(midi.bytesHex!.values).toEqual(['903c64', '803c00', '903c64', '803c00']);
    expect(midi.timeStampMs!.values).toEqual([0, 20, 40, 60]);
    expect(out.params).not.toHaveProperty('midiInput');
    expect(out.params).not.toHaveProperty('scaleDescription');
  });

  it('unknown strings become `other`; markers keep protocol labels only', () => {
    const out = deidentifyRecording(fullRecording('spiral'), { pseudonymousId: 'x', day: '2001-02-03' });
    expect(out.streams.pointer!.columns.pointerType!.values.slice(0, 2)).toEqual(['pen', 'other']);
    expect(out.streams.pointer!.columns.type!.values.slice(0, 2)).toEqual(['pointerdown', 'other']);
    expect(out.streams.markers!.columns.label!.values.slice(0, 3)).toEqual([
      'trial-start',
      'other',
      'position:rest',
    ]);
  });

  it('drops a field, stream, column or parameter it does not know (allow-list, not deny-list)', () => {
    const recording = fullRecording('tremor') as Recording & { extra?: string };
    const widened = {
      ...recording,
      extra: 'canaryparam',
      device: { ...recording.device, serial: 'canarydevice' },
      streams: {
        ...recording.streams,
        motion: {
          columns: {
            ...recording.streams.motion!.columns,
            wallClockMs: { type: 'f64', values: new Array(8).fill(TIME_ORIGIN) },
          },
        },
        gps: { columns: { latDeg: { type: 'f64', values: [52.52] } } },
      },
    } as unknown as Recording;
    const out = deidentifyRecording(widened, { pseudonymousId: 'x', day: '2001-02-03' });
    const text = JSON.stringify(out);
    expect(text).not.toContain('canary');
    expect(text).not.toContain('542729366');
    expect(out.streams).not.toHaveProperty('gps');
    expect(out.streams.motion!.columns).not.toHaveProperty('wallClockMs');
    expect(out.params).not.toHaveProperty('unknownNumber');
  });

  it('every column of every task spec is allowed or dropped on purpose', () => {
    const undecided: string[] = [];
    for (const taskId of TASK_IDS) {
      for (const [name, stream] of Object.entries(TASK_RECORDING_SPECS[taskId].streams)) {
        const rules = STREAM_ALLOW_LIST[taskId][name];
        if (!rules) {
          undecided.push(`${taskId}.${name}`);
          continue;
        }
        for (const column of Object.keys(stream.columns)) {
          const dropped = DROPPED_COLUMNS.some((entry) => entry.startsWith(`${name}.${column}`));
          if (!rules[column] && !dropped) undecided.push(`${taskId}.${name}.${column}`);
        }
      }
      expect(Object.keys(PARAM_ALLOW_LIST[taskId]).length).toBeGreaterThan(0);
    }
    expect(undecided).toEqual([]);
  });
});

describe('keyClass and shiftDay', () => {
  it('classes keys coarsely', () => {
    expect(
      ['KeyQ', 'Numpad7', 'Space', 'Delete', 'NumpadEnter', 'Slash', 'AltRight', 'ArrowLeft'].map(keyClass),
    ).toEqual(['letter', 'digit', 'space', 'backspace', 'enter', 'punctuation', 'modifier', 'other']);
  });

  it('shifts days across months, years and leap days', () => {
    expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
    expect(shiftDay('2025-01-01', -1)).toBe('2024-12-31');
    expect(shiftDay('2025-03-01', -180)).toBe('2024-09-02');
    expect(() => shiftDay('not a day', 1)).toThrow(RangeError);
  });
});
