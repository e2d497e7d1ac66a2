import { describe, expect, it } from 'vitest';
import {
  ENVELOPE_MAX_BYTES,
  TASK_IDS,
  TASK_RECORDING_SPECS,
  isTaskId,
  largestRecordingBytes,
  maxRecordingBytes,
  type TaskRecordingSpec,
} from './tasks.js';

describe('task recording specs', () => {
  it('has one spec per task id, under its own id, with at least one hand and one stream', () => {
    expect(Object.keys(TASK_RECORDING_SPECS).sort()).toEqual([...TASK_IDS].sort());
    for (const [id, spec] of Object.entries(TASK_RECORDING_SPECS)) {
      expect(spec.id).toBe(id);
      expect(spec.hands.length).toBeGreaterThan(0);
      expect(Object.keys(spec.streams).length).toBeGreaterThan(0);
    }
  });

  it('gives every string column a longest length and every column a description', () => {
    for (const spec of Object.values(TASK_RECORDING_SPECS)) {
      for (const stream of Object.values(spec.streams)) {
        for (const column of Object.values(stream.columns)) {
          expect(column.description.length).toBeGreaterThan(0);
          if (column.type === 'str') expect(column.maxLength).toBeGreaterThan(0);
        }
      }
    }
  });

  it('isTaskId knows exactly the task ids', () => {
    expect(TASK_IDS.every(isTaskId)).toBe(true);
    expect(isTaskId('Typing')).toBe(false);
    expect(isTaskId('toString')).toBe(false);
  });
});

describe('maxRecordingBytes', () => {
  it('adds the envelope, every row at its widest cell sizes plus slack per stream, and the base64 source file', () => {
    const spec: TaskRecordingSpec = {
      id: 'typing',
      hands: ['left'],
      maxDurationS: 1,
      streams: {
        one: {
          maxRows: 10,
          columns: {
            tMs: { type: 'f64', description: 't' },
            label: { type: 'str', maxLength: 5, description: 'l' },
            nIndex: { type: 'i32', description: 'n' },
            down: { type: 'bool', description: 'd' },
          },
        },
        two: { maxRows: 0, optional: true, columns: {} },
      },
    };
    // row: f64 25 + str 5×2+3 + i32 12 + bool 6 = 56 bytes
    expect(maxRecordingBytes(spec)).toBe(ENVELOPE_MAX_BYTES + 10 * 56 + 1024 + 1024);
    const withSource = { ...spec, acceptsSourceFile: { mediaTypes: ['audio/midi'], maxBytes: 300 } };
    expect(maxRecordingBytes(withSource)).toBe(maxRecordingBytes(spec) + 400 + 1024);
  });

  it('budgets 25 bytes a number: the widest JSON number plus its comma fits', () => {
    const widest = [-1.2345678901234567e-100, -Number.MIN_VALUE, -Number.MAX_VALUE, -Number.EPSILON];
    for (const value of widest) expect(JSON.stringify(value).length + 1).toBeLessThanOrEqual(25);
  });

  it('largestRecordingBytes is the largest of the tasks', () => {
    const sizes = Object.values(TASK_RECORDING_SPECS).map(maxRecordingBytes);
    expect(largestRecordingBytes()).toBe(Math.max(...sizes));
    for (const size of sizes) expect(size).toBeGreaterThan(ENVELOPE_MAX_BYTES);
  });
});
