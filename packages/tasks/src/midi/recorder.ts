import type { StreamBuilder } from '../columns';
import type { MidiAccessLike, MidiConnectionEventLike, MidiInputLike, MidiMessageEventLike } from './access';

/** Markers the recorder writes (through `mark`) when the recorded input goes away and comes back. */
export const MIDI_MARKERS = {
  disconnected: 'midi-disconnected',
  reconnected: 'midi-reconnected',
} as const;

/** Most bytes of one message kept in `bytesHex` (the column holds 256 hex digits). */
export const MAX_MESSAGE_BYTES = 128;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The bytes of a message in lower-case hex without spaces (`903c40`), at most {@link MAX_MESSAGE_BYTES}. */
export function bytesToHex(data: ArrayLike<number>): string {
  const n = Math.min(data.length, MAX_MESSAGE_BYTES);
  let text = '';
  for (let i = 0; i < n; i++) text += HEX[data[i]! & 0xff];
  return text;
}

/** Options of {@link attachMidiRecorder}. */
export interface MidiRecorderOptions {
  /** Writes a marker (the task's `ctx.mark`); time defaults to now. */
  mark(label: string, timeStampMs?: number): void;
  /** Called once, the first time a message had to be dropped because the stream was full. */
  onOverflow?: () => void;
  /** Told when the recorded input disconnects and when it is back (for the task's message). */
  onStateChange?: (state: 'disconnected' | 'connected', input: MidiInputLike) => void;
}

/** A running MIDI recorder. */
export interface MidiRecorder {
  /** The input now recorded (after a reconnection it may be a new object, or a new id of the same device). */
  readonly input: MidiInputLike;
  /** Whether the input is connected now. */
  readonly connected: boolean;
  /** How many times it disconnected. */
  readonly disconnects: number;
  /** Stops recording and removes every listener. */
  detach(): void;
}

/**
 * Records every message of one MIDI input into the task's `midi` stream: one row per message with
 * `timeStampMs` = `MIDIMessageEvent.timeStamp` (never `performance.now()`: measures.md 1.1, 2.6),
 * `bytesHex` = the message's bytes in hex and `inputId` = the input's id. The message handler does only
 * that (no decoding, no drawing): the task reads the stream's new rows on its own timer.
 *
 * When the input disconnects (a `statechange` of the access with the port `disconnected`) the marker
 * `midi-disconnected` is written; when it is connected again — the same port, or a port with the same
 * name under a new id, as some systems give a re-plugged USB device — the listener is moved to it if it
 * is a new object, the port is opened again, and `midi-reconnected` is written. Rows recorded before
 * are never touched.
 * @param access - the MIDI access the input came from
 * @param input - the input to record
 * @param stream - the task's `midi` stream (`ctx.stream('midi')`)
 */
export function attachMidiRecorder(
  access: MidiAccessLike,
  input: MidiInputLike,
  stream: StreamBuilder,
  options: MidiRecorderOptions,
): MidiRecorder {
  const time = stream.f64('timeStampMs');
  const hex = stream.str('bytesHex');
  const ids = stream.has('inputId') ? stream.str('inputId') : null;
  let current = input;
  let currentId = input.id.slice(0, 128);
  let connected = input.state !== 'disconnected';
  let disconnects = 0;
  let overflowed = false;
  let detached = false;

  const onMessage = (event: Event): void => {
    const data = (event as MidiMessageEventLike).data;
    if (!data || data.length === 0) return;
    if (!stream.hasRoom()) {
      if (!overflowed) {
        overflowed = true;
        options.onOverflow?.();
      }
      return;
    }
    time.push(event.timeStamp);
    hex.push(bytesToHex(data));
    ids?.push(currentId);
    stream.endRow();
  };

  const listenTo = (port: MidiInputLike) => {
    port.addEventListener('midimessage', onMessage);
    // Listening with addEventListener does not open the port in every browser: open it explicitly.
    try {
      void port.open?.()?.catch(() => {});
    } catch {
      // A port that cannot open now says so with a statechange; nothing to record until then.
    }
  };
  const stopListening = (port: MidiInputLike) => port.removeEventListener('midimessage', onMessage);

  const onStateChange = (event: Event): void => {
    if (detached) return;
    const port = (event as MidiConnectionEventLike).port;
    if (!port || (port.type !== undefined && port.type !== 'input')) return;
    const sameDevice =
      port.id === current.id ||
      (!connected && !!port.name && port.name === input.name && port.id !== current.id);
    if (!sameDevice) return;
    if (port.state === 'disconnected' && port.id === current.id && connected) {
      connected = false;
      disconnects++;
      options.mark(MIDI_MARKERS.disconnected, event.timeStamp || undefined);
      options.onStateChange?.('disconnected', current);
    } else if (port.state === 'connected' && !connected) {
      const next = access.inputs.get(port.id) ?? (port as MidiInputLike);
      if (next !== current) {
        stopListening(current);
        current = next;
        currentId = next.id.slice(0, 128);
        listenTo(current);
      } else {
        try {
          void current.open?.()?.catch(() => {});
        } catch {
          // see listenTo
        }
      }
      connected = true;
      options.mark(MIDI_MARKERS.reconnected, event.timeStamp || undefined);
      options.onStateChange?.('connected', current);
    }
  };

  listenTo(current);
  access.addEventListener('statechange', onStateChange);
  return {
    get input() {
      return current;
    },
    get connected() {
      return connected;
    },
    get disconnects() {
      return disconnects;
    },
    detach() {
      if (detached) return;
      detached = true;
      stopListening(current);
      access.removeEventListener('statechange', onStateChange);
    },
  };
}
