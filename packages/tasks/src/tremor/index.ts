import type { TaskPlugin } from '../contract';
import { tremorDefinition } from './definition';
import { createTremorRun, runTremor, type TremorRunOptions } from './run';
import { simulateTremorCapture } from './simulate';

/**
 * Phone tremor (measures.md 7.2): rest, posture, wing, kinetic, task posture, optional weight test;
 * one position per recording, the positions a person chose run one after the other.
 */
export const tremor: TaskPlugin = {
  definition: tremorDefinition,
  run: runTremor,
  simulate: simulateTremorCapture,
};

/** The tremor plugin with its own sensors, vibration and speech (tests and end-to-end stubs pass fakes). */
export function createTremorPlugin(options: TremorRunOptions): TaskPlugin {
  return { definition: tremorDefinition, run: createTremorRun(options), simulate: simulateTremorCapture };
}

export {
  isTremorPosition,
  readTremorParams,
  tremorDefinition,
  tremorSequence,
  TREMOR_POSITIONS,
  type TremorParams,
  type TremorPlan,
  type TremorPosition,
  type TremorPositionId,
  type TremorSequenceStep,
} from './definition';
export {
  createTremorRun,
  runTremor,
  TREMOR_FLAGS,
  TREMOR_MARKERS,
  TREMOR_TEXT,
  type TremorRunOptions,
  type TrialRecord,
} from './run';
export {
  createBrowserSensors,
  startSensorRecorder,
  type DeviceMotionLike,
  type SensorApis,
  type SensorHandlers,
  type SensorPermission,
  type SensorReadingLike,
  type SensorRecorder,
  type SensorSource,
  type SensorStreams,
  type XyzLike,
} from './sensors';
export {
  assessTrial,
  samplingQuality,
  MAX_GAP_MS,
  MIN_RATE_HZ,
  type SamplingQuality,
  type TrialProblem,
  type TrialQuality,
  type TrialSource,
} from './quality';
export {
  browserSpeech,
  browserVibrate,
  createCues,
  scheduleTone,
  CUE_TONES,
  CUE_VIBRATION,
  type CueKind,
  type Cues,
  type SpeechLike,
} from './cues';
export { simulateTremorCapture, simulateTremorSession, type TremorPositionTruth } from './simulate';
export { FakeSensorSource, type FakeFeed } from './testing';
