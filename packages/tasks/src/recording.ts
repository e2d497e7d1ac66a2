import { CURRENT_SCHEMA_VERSION, type DeviceV1, type Recording, type TimingV1 } from '@dystrack/core';
import type { RecordingMeta, TaskCapture, TaskPlugin } from './contract';

/** Where a capture was made: device, timing self-check and the flags the runner set. */
export interface RecordingEnvironment {
  device: DeviceV1;
  timing: TimingV1;
  /** Flags from the runner (`TAB_HIDDEN`, `COARSE_TIMER`, `INCOMPLETE`, `SIMULATED`, …), after the task's. */
  flags?: readonly string[];
}

/** Flags the runner and simulator set. Tasks add their own (`STOPPED_EARLY`, …). */
export const FLAGS = {
  /** A checkpoint: the run was still going (or crashed) when this copy was made. */
  incomplete: 'INCOMPLETE',
  /** The run was aborted (Cancel, or the page was left). */
  aborted: 'ABORTED',
  /** The task failed with an error; what it had captured is kept. */
  taskError: 'TASK_ERROR',
  /** The page was hidden at some point while recording (measures.md 1.7). */
  tabHidden: 'TAB_HIDDEN',
  /** `performance.now()` resolution of 1 ms or coarser (measures.md 9.5.1). */
  coarseTimer: 'COARSE_TIMER',
  /** Made by a task's simulator, not by a person. */
  simulated: 'SIMULATED',
} as const;

/**
 * Builds a recording from a capture: the one place where real runs ({@link runTask}) and simulated
 * ones ({@link simulateRecording}) get their envelope, so both have the same shape. Stamps the
 * schema version and the task's id and version; `params` are the run's resolved parameters
 * overridden by the facts the capture recorded; flags are the task's then the environment's, once each.
 * Does not validate: core's `parseTaskRecording` does (the tests run it on every task).
 */
export function buildRecording(
  plugin: Pick<TaskPlugin, 'definition'>,
  capture: TaskCapture,
  meta: RecordingMeta,
  environment: RecordingEnvironment,
): Recording {
  const flags = [...new Set([...capture.flags, ...(environment.flags ?? [])])];
  return {
    id: meta.id,
    schemaVersion: CURRENT_SCHEMA_VERSION as Recording['schemaVersion'],
    taskId: plugin.definition.id,
    taskVersion: plugin.definition.version,
    hand: meta.hand,
    startedAt: meta.startedAt,
    durationMs: capture.durationMs,
    params: { ...meta.params, ...capture.params },
    device: { ...environment.device },
    timing: { ...environment.timing },
    context: { ...meta.context },
    streams: capture.streams,
    flags,
  };
}
