import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CodedError } from '../errors/catalogue.js';
import type { Stream } from './columns.js';
import { recordingSchemaV1, sessionContextSchemaV1, type RecordingV1 } from './schema-v1.js';
import { TASK_RECORDING_SPECS, type TaskId } from './tasks.js';
import { CURRENT_SCHEMA_VERSION } from './schema-version.js';
import {
  RECORDING_SCHEMAS,
  checkTaskConformance,
  parseRecording,
  parseTaskRecording,
  type SchemaRegistry,
} from './versions.js';

/** A valid recording of a task with its required streams and columns, `rows` rows each. */
function recordingOf(taskId: TaskId, rows = 4): RecordingV1 {
  const spec = TASK_RECORDING_SPECS[taskId];
  const streams: Record<string, Stream> = {};
  for (const [name, stream] of Object.entries(spec.streams)) {
    if (stream.optional) continue;
    const columns: Stream['columns'] = {};
    for (const [columnName, column] of Object.entries(stream.columns)) {
      if (column.optional) continue;
      const index = Array.from({ length: rows }, (_, i) => i);
      columns[columnName] =
        column.type === 'f64'
          ? { type: 'f64', values: index.map((i) => 10.5 * i) }
          : column.type === 'i32'
            ? { type: 'i32', values: index }
            : column.type === 'bool'
              ? { type: 'bool', values: index.map((i) => i % 2 === 0) }
              : { type: 'str', values: index.map((i) => `v${i}`) };
    }
    streams[name] = { columns };
  }
  return {
    id: '6f1c1a4e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
    schemaVersion: 1,
    taskId,
    taskVersion: '1.2.3',
    hand: spec.hands[0]!,
    startedAt: '2025-06-01T08:00:00.000Z',
    durationMs: 30_000,
    params: { trials: 2 },
    device: {
      userAgent: 'test',
      platform: null,
      language: 'de',
      hardwareConcurrency: 4,
      maxTouchPoints: 0,
      screenWidthPx: 800,
      screenHeightPx: 600,
      devicePixelRatio: 2,
      inputDevice: null,
    },
    timing: {
      crossOriginIsolated: true,
      resolutionMs: 0.005,
      pollingEstimateHz: null,
      hiddenCount: 0,
      hiddenMs: 0,
      timeOriginMs: 1.7e12,
    },
    context: {
      selfRating0to10: null,
      taskLoadHoursLast24h: null,
      botulinumToxin: null,
      daysSinceBotulinumToxin: null,
      medication: null,
    },
    streams,
    flags: [],
  };
}

function codeOf(action: () => unknown): { code: string; details: unknown } {
  try {
    action();
  } catch (error) {
    if (error instanceof CodedError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a CodedError');
}

describe('parseRecording', () => {
  it('accepts a valid v1 recording: original and current equal the input, version 1', () => {
    const input = recordingOf('typing');
    const parsed = parseRecording(JSON.parse(JSON.stringify(input)));
    expect(parsed).toEqual({ original: input, originalVersion: 1, current: input });
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
    expect(RECORDING_SCHEMAS.current).toBe(CURRENT_SCHEMA_VERSION);
  });

  it.each([
    ['no schemaVersion', { id: 'x' }, null],
    ['a string version', { schemaVersion: '1' }, '1'],
    ['a fractional version', { schemaVersion: 1.5 }, 1.5],
    ['an unpublished version', { schemaVersion: 2 }, 2],
  ])('refuses %s with E_SCHEMA_VERSION naming the supported versions', (_name, input, version) => {
    expect(codeOf(() => parseRecording(input))).toEqual({
      code: 'E_SCHEMA_VERSION',
      details: { schemaVersion: version, supported: [1] },
    });
  });

  it.each([null, 'text', 42, []])('refuses %j (not an object) with E_SCHEMA_VERSION', (input) => {
    expect(codeOf(() => parseRecording(input)).code).toBe('E_SCHEMA_VERSION');
  });

  it('refuses unknown fields at every level with E_RECORDING_INVALID and the path of each', () => {
    const input = recordingOf('typing') as unknown as Record<string, unknown> & RecordingV1;
    const withExtras = {
      ...input,
      extra: true,
      device: { ...input.device, gpu: 'x' },
      streams: { keyboard: { columns: input.streams.keyboard!.columns, note: 'x' } },
    };
    const { code, details } = codeOf(() => parseRecording(withExtras));
    expect(code).toBe('E_RECORDING_INVALID');
    const paths = (details as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['', 'device', 'streams.keyboard']);
  });

  it('reports at most 20 issues', () => {
    const input = recordingOf('typing');
    const many = {
      ...input,
      params: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, { f: () => 1 }])),
    };
    const { details } = codeOf(() => parseRecording(many));
    expect((details as { issues: unknown[] }).issues).toHaveLength(20);
  });

  describe('with a newer version', () => {
    const v2 = recordingSchemaV1.extend({ schemaVersion: z.literal(2), calibrationMs: z.number() });
    const registry: SchemaRegistry = {
      versions: {
        1: {
          schema: recordingSchemaV1,
          up: (r: RecordingV1) => ({ ...r, schemaVersion: 2, calibrationMs: 0 }),
        },
        2: { schema: v2 },
      },
      current: 2,
    };

    it('lifts a v1 recording to v2 and keeps the original as sent', () => {
      const input = recordingOf('tapping');
      const parsed = parseRecording<z.infer<typeof v2>>(input, registry);
      expect(parsed.originalVersion).toBe(1);
      expect(parsed.original).toEqual(input);
      expect(parsed.current).toEqual({ ...input, schemaVersion: 2, calibrationMs: 0 });
    });

    it('takes a v2 recording as it is', () => {
      const input = { ...recordingOf('tapping'), schemaVersion: 2, calibrationMs: 3.5 };
      expect(parseRecording(input, registry)).toEqual({
        original: input,
        originalVersion: 2,
        current: input,
      });
    });

    it('refuses a migration that produces an invalid recording, and a registry with a gap', () => {
      const broken: SchemaRegistry = {
        ...registry,
        versions: { ...registry.versions, 1: { schema: recordingSchemaV1, up: (r: RecordingV1) => r } },
      };
      expect(codeOf(() => parseRecording(recordingOf('typing'), broken)).code).toBe('E_RECORDING_INVALID');
      const gap: SchemaRegistry = {
        ...registry,
        versions: { ...registry.versions, 1: { schema: recordingSchemaV1 } },
      };
      expect(() => parseRecording(recordingOf('typing'), gap)).toThrow(RangeError);
    });
  });
});

describe('checkTaskConformance', () => {
  it.each(Object.keys(TASK_RECORDING_SPECS) as TaskId[])(
    'a %s recording with its required streams and columns conforms',
    (taskId) => {
      expect(checkTaskConformance(recordingOf(taskId))).toEqual([]);
    },
  );

  it('optional streams and columns may be present', () => {
    const recording = recordingOf('typing', 2);
    recording.streams.markers = {
      columns: { timeStampMs: { type: 'f64', values: [1] }, label: { type: 'str', values: ['start'] } },
    };
    recording.streams.keyboard!.columns.keyLocationIndex = { type: 'i32', values: [0, 1] };
    expect(checkTaskConformance(recording)).toEqual([]);
  });

  it('names every problem: hand, unknown stream and column, wrong type, missing column and stream, too many rows', () => {
    const recording = recordingOf('tapping', 3);
    recording.hand = 'both';
    recording.streams.gaze = { columns: {} };
    const metronome = recording.streams.metronome;
    expect(metronome).toBeUndefined();
    recording.streams.pointer = {
      columns: { xPx: { type: 'i32', values: [1, 2, 3] }, zPx: { type: 'f64', values: [1, 2, 3] } },
    };
    expect(checkTaskConformance(recording).sort()).toEqual(
      [
        'hand "both" is not allowed for tapping',
        'stream "gaze" is not part of the tapping task',
        'column "pointer.xPx" is i32, expected f64',
        'column "pointer.zPx" is not part of the tapping task',
        'column "pointer.type" is missing',
        'column "pointer.timeStampMs" is missing',
        'column "pointer.coalesced" is missing',
        'column "pointer.pointerId" is missing',
        'column "pointer.pointerType" is missing',
        'column "pointer.yPx" is missing',
      ].sort(),
    );
    const empty = recordingOf('typing');
    delete empty.streams.keyboard;
    expect(checkTaskConformance(empty)).toEqual(['stream "keyboard" is missing']);
  });

  it('refuses one row more than a stream allows, and accepts exactly the limit', () => {
    const { maxRows } = TASK_RECORDING_SPECS.typing.streams.visibility!;
    const recording = recordingOf('typing', 1);
    const stream = (rows: number): Stream => ({
      columns: {
        timeStampMs: { type: 'f64', values: new Array(rows).fill(1) },
        state: { type: 'str', values: new Array(rows).fill('hidden') },
      },
    });
    recording.streams.visibility = stream(maxRows);
    expect(checkTaskConformance(recording)).toEqual([]);
    recording.streams.visibility = stream(maxRows + 1);
    expect(checkTaskConformance(recording)).toEqual([
      `stream "visibility" has ${maxRows + 1} rows, at most ${maxRows}`,
    ]);
  });

  it('allows a source file only for tasks that take one, of an accepted type and size', () => {
    const source = { fileName: 'a.mid', mediaType: 'audio/midi', sha256: 'a'.repeat(64), base64: 'TVRoZA==' };
    expect(checkTaskConformance({ ...recordingOf('scale'), source })).toEqual([]);
    expect(checkTaskConformance({ ...recordingOf('typing'), source })).toEqual([
      'the typing task takes no source file',
    ]);
    expect(
      checkTaskConformance({ ...recordingOf('scale'), source: { ...source, mediaType: 'audio/wav' } }),
    ).toEqual(['source media type audio/wav is not accepted']);
    const maxBytes = TASK_RECORDING_SPECS.scale.acceptsSourceFile!.maxBytes;
    const base64 = (bytes: number) => 'A'.repeat(Math.ceil(bytes / 3) * 4);
    expect(
      checkTaskConformance({ ...recordingOf('scale'), source: { ...source, base64: base64(maxBytes) } }),
    ).toEqual([]);
    expect(
      checkTaskConformance({ ...recordingOf('scale'), source: { ...source, base64: base64(maxBytes + 3) } }),
    ).toEqual([`source file is over ${maxBytes} bytes`]);
  });
});

describe('parseTaskRecording', () => {
  it('returns the parsed recording when it conforms to its task', () => {
    const input = recordingOf('spiral');
    expect(parseTaskRecording(input, RECORDING_SCHEMAS).current).toEqual(input);
  });

  it('turns conformance problems into E_RECORDING_INVALID with one issue each', () => {
    const input = { ...recordingOf('spiral'), hand: 'both' as const };
    expect(codeOf(() => parseTaskRecording(input))).toEqual({
      code: 'E_RECORDING_INVALID',
      details: { issues: [{ path: 'streams', message: 'hand "both" is not allowed for spiral' }] },
    });
  });
});

describe('session context', () => {
  const base = {
    selfRating0to10: null,
    taskLoadHoursLast24h: null,
    botulinumToxin: null,
    daysSinceBotulinumToxin: null,
    medication: null,
  };

  it('sessionContextSchemaV1 keeps "never injected" apart from "does not know"', () => {
    expect(sessionContextSchemaV1.parse({ ...base, botulinumToxin: 'never' }).botulinumToxin).toBe('never');
    expect(sessionContextSchemaV1.parse({ ...base, botulinumToxin: 'unknown' }).botulinumToxin).toBe(
      'unknown',
    );
  });

  it('sessionContextSchemaV1 takes days since an injection only when one was received', () => {
    expect(
      sessionContextSchemaV1.safeParse({ ...base, botulinumToxin: 'received', daysSinceBotulinumToxin: 30 })
        .success,
    ).toBe(true);
    expect(
      sessionContextSchemaV1.safeParse({ ...base, botulinumToxin: 'never', daysSinceBotulinumToxin: 30 })
        .success,
    ).toBe(false);
    expect(sessionContextSchemaV1.safeParse({ ...base, daysSinceBotulinumToxin: 30 }).success).toBe(false);
  });
});
