import {
  CodedError,
  CURRENT_SCHEMA_VERSION,
  scaleFromMidiFile,
  TASK_RECORDING_SPECS,
  type Recording,
  type ScaleInput,
  type SessionContextV1,
} from '@dystrack/core';
import type { Hand } from '../contract';
import { collectDevice } from '../device';
import { EMPTY_SESSION_CONTEXT } from '../pre-session';
import { randomUuid } from '../rng';
import { bytesToHex } from '../midi/recorder';
import { scaleDefinition } from './definition';

/** Why a file could not be imported. Nothing is imported in any of these cases. */
export type ScaleImportErrorCode =
  /** The bytes are not a Standard MIDI File (no `MThd` header): another kind of file. */
  | 'NOT_MIDI'
  /** A MIDI file, but truncated or corrupt (core's `E_MIDI_MALFORMED`). */
  | 'MIDI_CORRUPT'
  /** Larger than a recording can carry as its source (`acceptsSourceFile.maxBytes`, 1 MiB). */
  | 'FILE_TOO_LARGE'
  /** No note in the file. */
  | 'NO_NOTES'
  /** Notes only on channel 10, the General MIDI drum channel: a drum track, not a performance. */
  | 'ONLY_DRUMS'
  /** More note and pedal events than the `midi` stream holds (its `maxRows`). */
  | 'TOO_MANY_EVENTS'
  /** Longer than a scale recording may be (`maxDurationS`, 30 min). */
  | 'TOO_LONG';

const MESSAGES: Record<ScaleImportErrorCode, string> = {
  NOT_MIDI: 'This is not a MIDI file. Choose a file ending in .mid or .midi.',
  MIDI_CORRUPT: 'This MIDI file is damaged or incomplete, so it cannot be read.',
  FILE_TOO_LARGE: 'This MIDI file is too large (over 1 MB).',
  NO_NOTES: 'This MIDI file holds no notes.',
  ONLY_DRUMS: 'This MIDI file holds only drum notes (channel 10), not a keyboard performance.',
  TOO_MANY_EVENTS: 'This MIDI file holds too many notes for one recording. Split it into shorter files.',
  TOO_LONG: 'This MIDI file is longer than 30 minutes. Split it into shorter files.',
};

/** An import refused, with a stable code and a message for the person. */
export class ScaleImportError extends Error {
  override readonly name = 'ScaleImportError';
  constructor(
    readonly code: ScaleImportErrorCode,
    message: string = MESSAGES[code],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The flag every imported recording carries. */
export const SCALE_IMPORT_FLAG = 'IMPORTED_FILE';

/** Options of {@link importScaleMidiFile}. */
export interface ScaleImportOptions {
  /** The uploaded file's name (kept, at most 255 characters). */
  fileName: string;
  /** `audio/midi` (default) or `audio/x-midi`; anything else (a browser's empty `File.type`) becomes `audio/midi`. */
  mediaType?: string;
  hand: Hand;
  /** Pre-session answers (default all skipped). */
  context?: SessionContextV1;
  /** The recording's id (default a random UUID). */
  id?: string;
  /** When the import happened, ISO 8601 (default now): the file has no wall-clock time of its own. */
  startedAt?: string;
  /** SHA-256 of bytes as lower-case hex (default Web Crypto's `crypto.subtle.digest`); tests may inject one. */
  sha256?: (bytes: Uint8Array) => Promise<string>;
  /** What the person said about the instrument (`device.inputDevice`). */
  inputDevice?: string | null;
}

/** SHA-256 of bytes, lower-case hex, with Web Crypto (browsers on secure pages, Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('Web Crypto (crypto.subtle) is not available: pass options.sha256');
  const digest = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(bytes)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (no Node `Buffer`, no `btoa` string juggling). */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    parts.push(
      B64[(n >> 18) & 63]! +
        B64[(n >> 12) & 63]! +
        (b === undefined ? '=' : B64[(n >> 6) & 63]!) +
        (c === undefined ? '=' : B64[n & 63]!),
    );
  }
  return parts.join('');
}

/** The GM drum channel (channel 10), zero-based. */
const DRUM_CHANNEL = 9;

/**
 * Rebuilds the messages of the notes and pedal changes core read from the file, in time order (at equal
 * times: pedal changes, note-ons, then note-offs), so that core's recording reader pairs them back into
 * exactly the same notes. Note-offs are written as 0x8n with velocity 64.
 */
function rowsOf(input: ScaleInput): { ms: number; bytes: number[] }[] {
  const rows: { ms: number; bytes: number[]; order: number; i: number }[] = [];
  input.sustain.forEach((s, i) => rows.push({ ms: s.ms, bytes: [0xb0, 64, s.value], order: 0, i }));
  input.notes.forEach((n, i) => {
    const channel = n.channel ?? 0;
    rows.push({ ms: n.onMs, bytes: [0x90 | channel, n.pitch, n.velocity], order: 1, i });
    if (n.offMs !== null) rows.push({ ms: n.offMs, bytes: [0x80 | channel, n.pitch, 64], order: 2, i });
  });
  rows.sort((a, b) => a.ms - b.ms || a.order - b.order || a.i - b.i);
  return rows;
}

/**
 * Turns an uploaded Standard MIDI File into a scale recording, all or nothing:
 * - the file is read by core's SMF reader (`scaleFromMidiFile`: formats 0, 1, 2, running status, tempo
 *   maps, velocity-0 note-offs, SMPTE time) on the file's own timeline (ms from its start);
 * - the `midi` stream gets one row per note-on, note-off and sustain (CC 64) change, rebuilt from what
 *   the reader found (other controllers, program changes and meta events are not copied; the original
 *   bytes travel in `source`); notes on channel 10 (drums, e.g. a metronome track) are left out and
 *   counted in `params.droppedDrumNotes`; `inputId` is `file`;
 * - `source` carries the original bytes (base64), their SHA-256, the media type and the file name, as
 *   `sourceFileSchemaV1` asks (the server checks the hash);
 * - params: `block: 'import'`, `tempoBpm` (the file's one tempo, or null), `fileName`; flag
 *   `IMPORTED_FILE`. `startedAt` is the import time; `timing.timeOriginMs` is that time too.
 * Core's `scaleFromRecording` then gives the same notes as `scaleFromMidiFile` (less the drum notes).
 * @throws ScaleImportError with a code ({@link ScaleImportErrorCode}) and a message for the person
 */
export async function importScaleMidiFile(
  bytes: Uint8Array,
  options: ScaleImportOptions,
): Promise<Recording> {
  const spec = TASK_RECORDING_SPECS.scale;
  const accepts = spec.acceptsSourceFile!;
  if (bytes.length < 4 || String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) !== 'MThd') {
    throw new ScaleImportError('NOT_MIDI');
  }
  if (bytes.length > accepts.maxBytes) throw new ScaleImportError('FILE_TOO_LARGE');
  let input: ScaleInput;
  try {
    input = scaleFromMidiFile(bytes);
  } catch (error) {
    if (error instanceof CodedError) {
      throw new ScaleImportError('MIDI_CORRUPT', `${MESSAGES.MIDI_CORRUPT} (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  }
  if (input.notes.length === 0) throw new ScaleImportError('NO_NOTES');
  const drums = input.notes.filter((n) => n.channel === DRUM_CHANNEL).length;
  if (drums === input.notes.length) throw new ScaleImportError('ONLY_DRUMS');
  const kept: ScaleInput = { ...input, notes: input.notes.filter((n) => n.channel !== DRUM_CHANNEL) };
  const rows = rowsOf(kept);
  if (rows.length > spec.streams.midi!.maxRows) {
    throw new ScaleImportError(
      'TOO_MANY_EVENTS',
      `${MESSAGES.TOO_MANY_EVENTS} (${rows.length} events, at most ${spec.streams.midi!.maxRows})`,
    );
  }
  const endMs = rows[rows.length - 1]!.ms;
  if (endMs > spec.maxDurationS * 1000) throw new ScaleImportError('TOO_LONG');

  const sha256 = await (options.sha256 ?? sha256Hex)(bytes);
  const startedAt = options.startedAt ?? new Date().toISOString();
  const mediaType = accepts.mediaTypes.includes(options.mediaType ?? '')
    ? options.mediaType!
    : accepts.mediaTypes[0]!;
  return {
    id: options.id ?? randomUuid(),
    schemaVersion: CURRENT_SCHEMA_VERSION as Recording['schemaVersion'],
    taskId: 'scale',
    taskVersion: scaleDefinition.version,
    hand: options.hand,
    startedAt,
    durationMs: Math.max(0, endMs),
    params: {
      block: 'import',
      tempoBpm: input.tempoBpm,
      fileName: options.fileName.slice(0, 255),
      droppedDrumNotes: drums,
      expectedSequence: null,
      analysed: true,
    },
    device: collectDevice({ inputDevice: options.inputDevice ?? 'Standard MIDI File' }),
    timing: {
      crossOriginIsolated: false,
      resolutionMs: null,
      pollingEstimateHz: null,
      hiddenCount: 0,
      hiddenMs: 0,
      timeOriginMs: Math.max(0, Date.parse(startedAt) || 0),
    },
    context: { ...(options.context ?? EMPTY_SESSION_CONTEXT) },
    streams: {
      midi: {
        columns: {
          timeStampMs: { type: 'f64', values: rows.map((r) => r.ms) },
          bytesHex: { type: 'str', values: rows.map((r) => bytesToHex(r.bytes)) },
          inputId: { type: 'str', values: rows.map(() => 'file') },
        },
      },
    },
    flags: [SCALE_IMPORT_FLAG],
    source: {
      fileName: options.fileName.slice(0, 255),
      mediaType,
      sha256,
      base64: toBase64(bytes),
    },
  };
}
