/**
 * Cues for a person who cannot look at the screen: short tones made by oscillators on the run's audio
 * context (nothing downloaded), vibration where the device has it, and speech only as an extra where
 * the device has a voice.
 */
import type { AudioContextLike } from '../metronome';

/** The tones, each a list of [start offset s, frequency Hz, length s]. */
export const CUE_TONES = {
  /** A countdown tick (3, 2, 1). */
  tick: [[0, 660, 0.08]],
  /** Start: one long, higher beep. */
  start: [[0, 880, 0.3]],
  /** End: two beeps. */
  end: [
    [0, 660, 0.15],
    [0.25, 660, 0.15],
  ],
  /** Something needs the person's attention: a low beep. */
  attention: [[0, 330, 0.4]],
} as const satisfies Record<string, readonly (readonly [number, number, number])[]>;

export type CueKind = keyof typeof CUE_TONES;

/** Vibration patterns (ms on, off, on …) of the cues. */
export const CUE_VIBRATION: Readonly<Record<CueKind, readonly number[]>> = {
  tick: [60],
  start: [300],
  end: [150, 100, 150],
  attention: [400],
};

/** Peak gain of a tone. */
const PEAK_GAIN = 0.5;
/** Attack, s. */
const ATTACK_S = 0.01;

/**
 * Schedules a cue's tones on `context` at audio time `atS` (default: now plus 20 ms), each with a short
 * attack and an exponential decay, disconnected after it ends.
 * @returns the audio times of the tones' starts, s
 */
export function scheduleTone(context: AudioContextLike, kind: CueKind, atS?: number): number[] {
  const base = atS ?? context.currentTime + 0.02;
  const starts: number[] = [];
  for (const [offsetS, frequencyHz, lengthS] of CUE_TONES[kind]) {
    const start = base + offsetS;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequencyHz;
    gain.gain.value = 0.0001;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, start + ATTACK_S);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + lengthS);
    oscillator.connect(gain);
    gain.connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + lengthS + 0.02);
    // A real OscillatorNode says when it has ended: free the two nodes then.
    const node = oscillator as { onended?: (() => void) | null };
    if ('onended' in node) {
      node.onended = () => {
        oscillator.disconnect();
        gain.disconnect();
      };
    }
    starts.push(start);
  }
  return starts;
}

/** Speech synthesis as the cues use it. */
export interface SpeechLike {
  /** Whether the device has at least one voice. */
  hasVoices(): boolean;
  speak(text: string): void;
  cancel(): void;
}

/** The browser's speech synthesis, or null where there is none. */
export function browserSpeech(): SpeechLike | null {
  const scope = globalThis as {
    speechSynthesis?: SpeechSynthesis;
    SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
  };
  const synth = scope.speechSynthesis;
  const Utterance = scope.SpeechSynthesisUtterance;
  if (!synth || typeof Utterance !== 'function') return null;
  return {
    hasVoices: () => {
      try {
        return synth.getVoices().length > 0;
      } catch {
        return false;
      }
    },
    speak: (text) => synth.speak(new Utterance(text)),
    cancel: () => synth.cancel(),
  };
}

/** `navigator.vibrate`, or null where the device cannot vibrate. */
export function browserVibrate(): ((pattern: number[]) => boolean) | null {
  const nav = globalThis.navigator as (Navigator & { vibrate?: (pattern: number[]) => boolean }) | undefined;
  if (typeof nav?.vibrate !== 'function') return null;
  return (pattern) => {
    try {
      return nav.vibrate!(pattern);
    } catch {
      return false;
    }
  };
}

/** The cues of one run. */
export interface Cues {
  /** Plays a cue now (sound and vibration), or only its sound at audio time `atS`. */
  play(kind: CueKind, atS?: number): void;
  /** Only the cue's vibration, now. */
  buzz(kind: CueKind): void;
  /** Says `text` where there is a voice and speech is on. */
  say(text: string): void;
  /** The audio clock now, s (null without audio). */
  audioNow(): number | null;
  /** What could be used: for `recording.params`. */
  facts(): { audio: boolean; vibration: boolean; speech: boolean };
  stop(): void;
}

/**
 * The cues of a run: sound on `audio` while it runs, `vibrate` and `speech` as allowed by the
 * parameters.
 */
export function createCues(options: {
  audio: () => AudioContextLike | null;
  vibrate: ((pattern: number[]) => boolean) | null;
  speech: SpeechLike | null;
}): Cues {
  const usedSpeech = { value: false };
  const running = () => {
    const context = options.audio();
    return context && context.state === 'running' ? context : null;
  };
  return {
    play(kind, atS) {
      const context = running();
      if (context) scheduleTone(context, kind, atS);
      if (atS === undefined) options.vibrate?.([...CUE_VIBRATION[kind]]);
    },
    buzz(kind) {
      options.vibrate?.([...CUE_VIBRATION[kind]]);
    },
    say(text) {
      if (!options.speech?.hasVoices()) return;
      usedSpeech.value = true;
      try {
        options.speech.speak(text);
      } catch {
        // Speech is only an extra: the tones carry the cues.
      }
    },
    audioNow() {
      return running()?.currentTime ?? null;
    },
    facts() {
      return { audio: running() !== null, vibration: options.vibrate !== null, speech: usedSpeech.value };
    },
    stop() {
      try {
        options.speech?.cancel();
      } catch {
        // nothing to cancel
      }
    },
  };
}
