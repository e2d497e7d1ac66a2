/**
 * Input files made by the tests themselves (never from ../shared/data): contract CSV text, Dystrack
 * recordings and Standard MIDI Files, with known content.
 */
import { CodedError } from '../../../errors/catalogue.js';
import type { Stream } from '../../../recording/columns.js';
import type { TaskId } from '../../../recording/tasks.js';
import type { Recording } from '../../../recording/versions.js';

/** UTF-8 bytes of a text. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** CSV text: a header and rows, `\n` line ends. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}

/** The code of the CodedError that `action` throws; anything else thrown, or nothing, fails the test. */
export function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a CodedError, nothing was thrown');
}

/** The CodedError that `action` throws (fails otherwise). */
export function codedError(action: () => unknown): CodedError {
  try {
    action();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected a CodedError, nothing was thrown');
}

/** The 15 pitches of a one-way two-octave C-major run from middle C. */
export const C_MAJOR_RUN = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84] as const;

/** Scale notes: a C-major run up, onsets every `ioiMs`, each held 100 ms, velocity 64 + i. */
export function scaleNotes(ioiMs = 125): { pitch: number; onMs: number; offMs: number; velocity: number }[] {
  return C_MAJOR_RUN.map((pitch, i) => ({
    pitch,
    onMs: 1000 + i * ioiMs,
    offMs: 1100 + i * ioiMs,
    velocity: 64 + i,
  }));
}

/** A contract scale CSV of {@link scaleNotes}. */
export function scaleCsv(ioiMs = 125): string {
  return csv(
    ['pitch', 'on_ms', 'off_ms', 'velocity'],
    scaleNotes(ioiMs).map((note) => [note.pitch, note.onMs, note.offMs, note.velocity]),
  );
}

/** Pen samples of an Archimedean spiral r = 5 + 2θ mm (3 turns), at `rateHz`, with pressure. */
export function spiralSamples(rateHz = 100): { tMs: number; xMm: number; yMm: number; pressure: number }[] {
  const samples = [];
  const n = Math.round((3 * rateHz * 6000) / 1000);
  for (let i = 0; i < n; i++) {
    const theta = (i / n) * 3 * 2 * Math.PI;
    const r = 5 + 2 * theta;
    samples.push({
      tMs: (i * 1000) / rateHz,
      xMm: 100 + r * Math.cos(theta),
      yMm: 100 + r * Math.sin(theta),
      pressure: 0.5,
    });
  }
  return samples;
}

/** A contract pen CSV of {@link spiralSamples}, with `pressure`, and `target_*` columns for precision. */
export function penCsv(task: 'spiral' | 'handwriting' | 'precision' = 'spiral'): string {
  const precision = task === 'precision';
  return csv(
    ['t_ms', 'x_mm', 'y_mm', 'pressure', ...(precision ? ['target_x_mm', 'target_y_mm'] : [])],
    spiralSamples().map((s) => [s.tMs, s.xMm, s.yMm, s.pressure, ...(precision ? [100, 100] : [])]),
  );
}

/** Tremor samples: a 6 Hz, 0.5 m/s² sinusoid on x at 100 Hz for 10 s. */
export function tremorCsv(): string {
  const rows = [];
  for (let i = 0; i < 1000; i++) {
    const t = i * 10;
    rows.push([t, 0.5 * Math.sin(2 * Math.PI * 6 * (t / 1000)), 0, 0]);
  }
  return csv(['t_ms', 'ax', 'ay', 'az'], rows);
}

/** Typing: 40 key presses 200 ms apart, held 90 ms, on keys a–t. */
export function typingCsv(): string {
  const rows = [];
  for (let i = 0; i < 40; i++) {
    const letter = String.fromCharCode(97 + (i % 20));
    rows.push([i * 200, i * 200 + 90, letter, `Key${letter.toUpperCase()}`]);
  }
  return csv(['down_ms', 'up_ms', 'key', 'code'], rows);
}

/** Tapping: 30 taps 250 ms apart, held 80 ms, alternating targets L/R. */
export function tappingCsv(): string {
  const rows = [];
  for (let i = 0; i < 30; i++) rows.push([i * 250, i * 250 + 80, i % 2 === 0 ? 'L' : 'R']);
  return csv(['down_ms', 'up_ms', 'target'], rows);
}

/** A valid contract CSV of every task. */
export const VALID_CSV: Record<TaskId, () => string> = {
  typing: typingCsv,
  tapping: tappingCsv,
  scale: () => scaleCsv(),
  spiral: () => penCsv('spiral'),
  handwriting: () => penCsv('handwriting'),
  precision: () => penCsv('precision'),
  tremor: tremorCsv,
};

/** The required and optional columns of each task's contract CSV (analysis contract, "Input formats"). */
export const CSV_COLUMNS: Record<TaskId, { required: string[]; optional: string[] }> = {
  // and `key` or `code` (or both)
  typing: { required: ['down_ms', 'up_ms'], optional: ['key', 'code'] },
  tapping: { required: ['down_ms', 'up_ms'], optional: ['target', 'x_mm', 'y_mm', 'beat_ms'] },
  scale: { required: ['pitch', 'on_ms', 'off_ms', 'velocity'], optional: ['channel'] },
  spiral: {
    required: ['t_ms', 'x_mm', 'y_mm'],
    optional: ['pressure', 'tilt_x_deg', 'tilt_y_deg', 'pen_down'],
  },
  handwriting: {
    required: ['t_ms', 'x_mm', 'y_mm'],
    optional: ['pressure', 'tilt_x_deg', 'tilt_y_deg', 'pen_down'],
  },
  precision: {
    required: ['t_ms', 'x_mm', 'y_mm'],
    optional: ['pressure', 'tilt_x_deg', 'tilt_y_deg', 'pen_down', 'target_x_mm', 'target_y_mm'],
  },
  tremor: { required: ['t_ms', 'ax', 'ay', 'az'], optional: ['gx', 'gy', 'gz'] },
};

/** The time column of each task's CSV whose order the row rules check. */
export const TIME_COLUMN: Record<TaskId, string> = {
  typing: 'down_ms',
  tapping: 'down_ms',
  scale: 'on_ms',
  spiral: 't_ms',
  handwriting: 't_ms',
  precision: 't_ms',
  tremor: 't_ms',
};

export { testRecording as recording } from '../../test-utils/recording.js';
import { testRecording as recording } from '../../test-utils/recording.js';

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** A scale recording of {@link scaleNotes}: note-on/off messages on channel 0 in the `midi` stream. */
export function scaleRecording(hand: Recording['hand'] = 'right'): Recording {
  const messages = scaleNotes()
    .flatMap((note) => [
      { ms: note.onMs, bytes: [0x90, note.pitch, note.velocity] },
      { ms: note.offMs, bytes: [0x80, note.pitch, 0] },
    ])
    .sort((a, b) => a.ms - b.ms);
  return recording(
    'scale',
    {
      midi: {
        columns: {
          timeStampMs: { type: 'f64', values: messages.map((m) => m.ms) },
          bytesHex: { type: 'str', values: messages.map((m) => hex(m.bytes)) },
        },
      },
    },
    { hand, params: { tempoBpm: 120 } },
  );
}

/** A pen recording of {@link spiralSamples} in CSS px (params.pxPerMm = 4): one pointer, down to up. */
export function penRecording(
  taskId: 'spiral' | 'handwriting' | 'precision' = 'spiral',
  hand: Recording['hand'] = 'left',
): Recording {
  const samples = spiralSamples();
  const n = samples.length;
  const type = samples.map((_, i) => (i === 0 ? 'pointerdown' : i === n - 1 ? 'pointerup' : 'pointermove'));
  return recording(
    taskId,
    {
      pointer: {
        columns: {
          type: { type: 'str', values: type },
          timeStampMs: { type: 'f64', values: samples.map((s) => 500 + s.tMs) },
          coalesced: { type: 'bool', values: samples.map(() => false) },
          pointerId: { type: 'i32', values: samples.map(() => 1) },
          pointerType: { type: 'str', values: samples.map(() => 'pen') },
          xPx: { type: 'f64', values: samples.map((s) => s.xMm * 4) },
          yPx: { type: 'f64', values: samples.map((s) => s.yMm * 4) },
          pressureNorm: { type: 'f64', values: samples.map((s) => s.pressure) },
        },
      },
    },
    { hand, params: { pxPerMm: 4 } },
  );
}

/** A MIDI variable-length quantity. */
function vlq(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/**
 * A format-0 Standard MIDI File of {@link scaleNotes}: 480 ticks per quarter at 120 bpm (one tick =
 * 500000 µs / 480 ≈ 1.0417 ms), so onsets land on whole ticks of 120 ticks (125 ms) apart.
 */
export function scaleMidiFile(): Uint8Array {
  const ticksPerMs = 480 / 500;
  const events = scaleNotes()
    .flatMap((note) => [
      { tick: Math.round(note.onMs * ticksPerMs), bytes: [0x90, note.pitch, note.velocity] },
      { tick: Math.round(note.offMs * ticksPerMs), bytes: [0x80, note.pitch, 0] },
    ])
    .sort((a, b) => a.tick - b.tick);
  const track: number[] = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]; // set tempo 500000 µs per quarter
  let last = 0;
  for (const event of events) {
    track.push(...vlq(event.tick - last), ...event.bytes);
    last = event.tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00); // end of track
  return Uint8Array.from([
    ...[0x4d, 0x54, 0x68, 0x64], // MThd
    ...u32(6),
    0x00,
    0x00, // format 0
    0x00,
    0x01, // one track
    0x01,
    0xe0, // 480 ticks per quarter
    ...[0x4d, 0x54, 0x72, 0x6b], // MTrk
    ...u32(track.length),
    ...track,
  ]);
}

/** Keyboard stream rows of key presses (keydown then keyup), sorted by time. */
function keyboardStream(presses: { downMs: number; upMs: number; code: string }[]): Stream {
  const events = presses
    .flatMap((p) => [
      { type: 'keydown', ms: p.downMs, code: p.code },
      { type: 'keyup', ms: p.upMs, code: p.code },
    ])
    .sort((a, b) => a.ms - b.ms);
  return {
    columns: {
      type: { type: 'str', values: events.map((e) => e.type) },
      timeStampMs: { type: 'f64', values: events.map((e) => e.ms) },
      code: { type: 'str', values: events.map((e) => e.code) },
      repeat: { type: 'bool', values: events.map(() => false) },
      isComposing: { type: 'bool', values: events.map(() => false) },
    },
  };
}

/** A typing recording: 40 presses 200 ms apart, held 90 ms, on KeyA–KeyT. */
export function typingRecording(hand: Recording['hand'] = 'both'): Recording {
  const presses = Array.from({ length: 40 }, (_, i) => ({
    downMs: 1000 + i * 200,
    upMs: 1090 + i * 200,
    code: `Key${String.fromCharCode(65 + (i % 20))}`,
  }));
  return recording('typing', { keyboard: keyboardStream(presses) }, { hand });
}

/** A keyboard tapping recording: 30 taps 250 ms apart, held 80 ms, alternating KeyF and KeyJ. */
export function tappingRecording(hand: Recording['hand'] = 'right'): Recording {
  const presses = Array.from({ length: 30 }, (_, i) => ({
    downMs: 1000 + i * 250,
    upMs: 1080 + i * 250,
    code: i % 2 === 0 ? 'KeyF' : 'KeyJ',
  }));
  return recording(
    'tapping',
    { keyboard: keyboardStream(presses) },
    { hand, params: { input: 'keys', keyLeft: 'KeyF', keyRight: 'KeyJ' } },
  );
}

/** A tremor recording: devicemotion at 100 Hz for 10 s, a 6 Hz, 0.5 m/s² sinusoid on x. */
export function tremorRecording(hand: Recording['hand'] = 'right'): Recording {
  const t = Array.from({ length: 1000 }, (_, i) => 1000 + i * 10);
  return recording(
    'tremor',
    {
      motion: {
        columns: {
          timeStampMs: { type: 'f64', values: t },
          accXMPerS2: { type: 'f64', values: t.map((ms) => 0.5 * Math.sin((2 * Math.PI * 6 * ms) / 1000)) },
          accYMPerS2: { type: 'f64', values: t.map(() => 0) },
          accZMPerS2: { type: 'f64', values: t.map(() => 0) },
        },
      },
    },
    { hand },
  );
}

/** A valid recording of every task. */
export const VALID_RECORDING: Record<TaskId, () => Recording> = {
  typing: () => typingRecording(),
  tapping: () => tappingRecording(),
  scale: () => scaleRecording(),
  spiral: () => penRecording('spiral'),
  handwriting: () => penRecording('handwriting'),
  precision: () => penRecording('precision'),
  tremor: () => tremorRecording(),
};
