/** Quality flags of the tapping task. */
export const TAPPING_FLAGS = {
  /** The person stopped before the time was up. */
  stoppedEarly: 'STOPPED_EARLY',
  /** Not a single tap on a target (or key) during the trial. */
  noTaps: 'NO_TAPS',
  /** The window was resized during the trial: the recorded target geometry may not hold for every tap. */
  layoutChanged: 'LAYOUT_CHANGED',
  /** A stream was full and samples were dropped (moves first; taps only when it is completely full). */
  streamFull: 'STREAM_FULL',
  /**
   * Synchronisation–continuation: the browser gave no audio context, so no metronome could play and the
   * run ended before any tapping.
   */
  noAudio: 'NO_AUDIO',
  /**
   * Synchronisation–continuation: the audio output reported a latency of 100 ms or more (base + output
   * latency), as wireless headphones and speakers do; every click then reaches the ear late and unevenly
   * (measures.md 6.5), so asynchronies of this session are not comparable with wired sessions.
   */
  highAudioLatency: 'HIGH_AUDIO_LATENCY',
  /**
   * Synchronisation–continuation: the continuation phase reached its time limit (twice the asked taps'
   * intervals) before `continuationTaps` taps: core's `SHORT_RECORDING` (shorter than the protocol asks).
   */
  tooFewContinuationTaps: 'SHORT_RECORDING',
} as const;
