import type { Stream } from '../../recording/columns.js';
import type { TaskId } from '../../recording/tasks.js';
import type { Recording } from '../../recording/versions.js';

/** A valid version-1 recording of a task with the given streams (and params). */
export function testRecording(
  taskId: TaskId,
  streams: Record<string, Stream>,
  options: { hand?: Recording['hand']; params?: Recording['params']; flags?: string[] } = {},
): Recording {
  return {
    id: '6f1c1a4e-8a4b-4c5d-9e6f-0a1b2c3d4e5f',
    schemaVersion: 1,
    taskId,
    taskVersion: '1.0.0',
    hand: options.hand ?? 'right',
    startedAt: '2026-01-01T08:00:00.000Z',
    durationMs: 30_000,
    params: options.params ?? {},
    device: {
      userAgent: 'test',
      platform: null,
      language: 'en',
      hardwareConcurrency: 4,
      maxTouchPoints: 0,
      screenWidthPx: 1280,
      screenHeightPx: 800,
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
    flags: options.flags ?? [],
  };
}
