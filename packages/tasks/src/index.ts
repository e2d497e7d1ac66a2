export * from './contract';
export { TASKS, getTask } from './registry';
export { TASK_DEFINITIONS, taskDefinition, loadTask } from './catalog';
export { loadCapture, loadTaskDefinition, type CaptureTask } from './capture-catalog';
export { runTask, TaskAbortedError, createBrowserAudio, type RunTaskOptions } from './runner';
export { simulateRecording, SIMULATED_DEVICE, type SimulateRecordingOptions } from './simulate';
export {
  assembleCheckpoints,
  buildRecording,
  buildRecordingHead,
  CheckpointAssembler,
  FLAGS,
  withStreams,
  type RecordingEnvironment,
} from './recording';
export * from './pre-session';
export { runCountdown, type CountdownOptions } from './countdown';
export {
  probeTiming,
  estimateQuantumMs,
  type TimingProbeOptions,
  type TimingProbeResult,
} from './timing-probe';
export { collectDevice, type CollectDeviceOptions, type NavigatorLike } from './device';
export { resolveParams } from './params';
export * from './columns';
export { createRng, randomUuid, formatUuidV4, type Rng } from './rng';
export { browserClock, sleep, abortError, isAbortError, type Clock } from './clock';
export { attachPointerRecorder, type PointerRecorderOptions, type MoveMode } from './capture/pointer';
export { attachKeyboardRecorder, type KeyboardRecorderOptions } from './capture/keyboard';
export { trackVisibility, type VisibilityTracker, type VisibilityTrackerOptions } from './capture/visibility';
export { MIN_TARGET_PX, prefersReducedMotion } from './dom';
export * from './tapping';
export * from './typing';
export * from './metronome';
export { estimatePollingHz } from './polling';
export { FakeClock } from './testing/fake-clock';
export {
  dispatchAt,
  dispatchKey,
  dispatchPointer,
  makePointerEvent,
  type PointerInit,
} from './testing/events';
export * from './pen';
export * from './spiral';
export * from './handwriting';
export * from './precision';
export * from './scale';
export * from './tremor';
