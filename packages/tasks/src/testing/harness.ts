import type { Recording } from '@dystrack/core';
import type { CheckpointDelta, TaskAudioContext, TaskParams, TaskPlugin, Hand } from '../contract';
import { EMPTY_SESSION_CONTEXT } from '../pre-session';
import { CheckpointAssembler } from '../recording';
import { runTask } from '../runner';
import type { TimingProbeResult } from '../timing-probe';
import { FakeClock } from './fake-clock';

/** A fixed timing-probe result, so tests do not spin on the real clock. */
export const FIXED_PROBE: TimingProbeResult = Object.freeze({
  crossOriginIsolated: false,
  resolutionMs: 0.1,
  pollingEstimateHz: null,
  timeOriginMs: 1_767_225_600_000,
  sampleCount: 200,
  coarse: false,
});

/**
 * Starts `runTask` on a fresh element with a {@link FakeClock} (at 10 000 ms), collecting checkpoints
 * and announcements, for tests. Each checkpoint keeps its delta and the recording the deltas so far
 * assemble to (what the app would recover after a crash then). Without `options.audio` the run has no
 * audio context.
 */
export function startRun(
  plugin: TaskPlugin,
  options: {
    hand?: Hand;
    params?: Partial<TaskParams>;
    startMs?: number;
    /** Called with each delta before it is collected; when it throws, the delta is not collected. */
    onCheckpoint?: (delta: CheckpointDelta) => void;
    /** The run's audio source, given the run's clock (default: none, as in jsdom). */
    audio?: (clock: FakeClock) => TaskAudioContext | null;
  } = {},
) {
  const element = document.createElement('div');
  document.body.append(element);
  const clock = new FakeClock(options.startMs ?? 10_000);
  const controller = new AbortController();
  const checkpoints: { atMs: number; delta: CheckpointDelta; recording: Recording }[] = [];
  const assembler = new CheckpointAssembler();
  const announcements: string[] = [];
  const done = runTask(plugin, {
    element,
    hand: options.hand ?? 'right',
    params: options.params,
    context: EMPTY_SESSION_CONTEXT,
    signal: controller.signal,
    onCheckpoint: (delta) => {
      options.onCheckpoint?.(delta);
      checkpoints.push({ atMs: clock.now(), delta, recording: assembler.add(delta).recording() });
    },
    announce: (message) => announcements.push(message),
    reducedMotion: true,
    clock,
    probe: () => FIXED_PROBE,
    audio: () => options.audio?.(clock) ?? null,
  });
  // Keep an early rejection from being reported as unhandled before the test awaits it.
  done.catch(() => {});
  return { element, clock, controller, checkpoints, announcements, done };
}
