import type { Hand } from '@dystrack/tasks';

/** Words for a hand, as used in sentences ("left hand"). */
export function handWords(hand: Hand | string): string {
  if (hand === 'left') return 'left hand';
  if (hand === 'right') return 'right hand';
  if (hand === 'both') return 'both hands';
  return hand;
}

/** A duration in ms, in words: "45 seconds", "2 minutes 5 seconds". */
export function durationWords(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown length';
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} second${total === 1 ? '' : 's'}`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const m = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return seconds === 0 ? m : `${m} ${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** An approximate task duration in seconds, for a task card: "about 2 minutes". */
export function approxDurationWords(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} seconds`;
  const minutes = Math.round(seconds / 60);
  return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** A date and time in the reader's locale ("26 Nov 2026, 08:30"). */
export function dateTimeWords(value: string | number | Date): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

/** A time today, or a date and time on another day. */
export function whenWords(value: number, now: number = Date.now()): string {
  const date = new Date(value);
  return date.toDateString() === new Date(now).toDateString()
    ? `today at ${timeOnly.format(date)}`
    : dateTime.format(date);
}

/** A byte count in words ("12.3 kB"). */
export function bytesWords(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The first 12 hex digits of a SHA-256, enough to tell recordings apart by eye. */
export function shortHash(sha256: string | null | undefined): string {
  return sha256 ? sha256.slice(0, 12) : '—';
}

const INPUT_WORDS: Record<string, string> = {
  keyboard: 'keyboard',
  touch: 'touch screen',
  mouse: 'mouse',
  pen: 'pen or stylus',
  midi: 'MIDI instrument',
  motion: 'phone motion sensors',
};

/** The input devices of a task, in words ("keyboard or touch screen"). */
export function inputsWords(inputs: readonly string[]): string {
  const words = inputs.map((input) => INPUT_WORDS[input] ?? input);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

const FLAG_WORDS: Record<string, string> = {
  ABORTED: 'stopped before the end',
  INCOMPLETE: 'not finished',
  TAB_HIDDEN: 'the page was hidden for a while during the recording',
  WINDOW_BLUR: 'another window was in front for a while',
  NOT_PEN: 'drawn with a finger or mouse instead of a pen',
  NOMINAL_SCALE: 'the screen was not measured with the card, so sizes in millimetres are not shown',
  TOO_FEW_EVENTS: 'too few key presses or touches to measure',
  LONG_PAUSE: 'a long pause during the task',
  NOT_CROSS_ORIGIN_ISOLATED: 'timing was less precise than usual',
  LOW_TIMER_RESOLUTION: 'timing was less precise than usual',
  SENSOR_GAPS: 'the motion sensor skipped samples',
  NO_SENSOR: 'no motion sensor was available',
  WRONG_NOTES: 'some wrong notes',
  LATENCY_UNCALIBRATED:
    'no sound timing check on this device, so how far ahead of the beat you tapped is not shown (how steadily you kept to it is)',
  HIGH_AUDIO_LATENCY: 'the sound came through a slow (probably wireless) output',
  IMPORTED: 'imported from a file',
};

/** A quality flag in words; unknown flags are spelled out from their code. */
export function flagWords(flag: string): string {
  return FLAG_WORDS[flag] ?? flag.toLowerCase().replace(/_/g, ' ');
}

/** All flags of a recording in words, or "none". */
export function flagsWords(flags: readonly string[]): string {
  return flags.length === 0 ? 'none' : flags.map(flagWords).join('; ');
}
