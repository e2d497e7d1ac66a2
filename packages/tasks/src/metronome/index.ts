export {
  startMetronome,
  resumeAudio,
  readClockAnchor,
  mapAudioTime,
  type Metronome,
  type MetronomeOptions,
  type MetronomeClick,
  type MetronomeResult,
  type ClickMapping,
  type ClockAnchor,
  type AudioContextLike,
  type AudioNodeLike,
  type AudioParamLike,
  type AudioTimestampLike,
  type GainNodeLike,
  type OscillatorNodeLike,
} from './metronome';
export { createMetronomeStreamWriter, metronomeFacts, MAX_LATENCY_SEGMENTS } from './stream-writer';
export { FakeAudioContext, FakeAudioNode, FakeAudioParam, FakeOscillatorNode, FakeGainNode } from './testing';
