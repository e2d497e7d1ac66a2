/**
 * Web MIDI behind a small interface (measures.md 2.2 Setup and 2.6): the parts of `MIDIAccess`,
 * `MIDIInput` and `MIDIMessageEvent` the scale task uses, so that tests and the end-to-end stub can
 * hand in a fake ({@link FakeMidiAccess} in `./testing`), and {@link requestMidi}, which tells apart the
 * reasons why no keyboard can be recorded.
 */

/** The parts of a `MIDIMessageEvent` the recorder reads. */
export interface MidiMessageEventLike extends Event {
  /** The raw message bytes, status byte first (Web MIDI never uses running status). */
  readonly data: Uint8Array | null;
}

/** The parts of a `MIDIConnectionEvent` (`statechange`) the recorder reads. */
export interface MidiConnectionEventLike extends Event {
  readonly port: MidiPortLike | null;
}

/** The parts of a `MIDIPort` the task reads. */
export interface MidiPortLike {
  readonly id: string;
  readonly name?: string | null;
  readonly manufacturer?: string | null;
  readonly version?: string | null;
  readonly type?: string;
  /** `connected` or `disconnected`. */
  readonly state: string;
  /** `open`, `closed` or `pending`. */
  readonly connection?: string;
}

/**
 * The parts of a `MIDIInput` the task uses: an event target of `midimessage` (with `onmidimessage` as
 * the other way to listen; setting it opens the port implicitly, as `open()` does).
 */
export interface MidiInputLike extends MidiPortLike, EventTarget {
  onmidimessage?: ((event: MidiMessageEventLike) => void) | null;
  open?(): Promise<unknown>;
}

/** The parts of a `MIDIInputMap` the task uses (a real one is a read-only `Map`). */
export interface MidiInputMapLike {
  forEach(callback: (input: MidiInputLike, id: string) => void): void;
  get(id: string): MidiInputLike | undefined;
  readonly size: number;
}

/** The parts of a `MIDIAccess` the task uses. */
export interface MidiAccessLike extends EventTarget {
  readonly inputs: MidiInputMapLike;
  onstatechange?: ((event: MidiConnectionEventLike) => void) | null;
}

/** The parts of `navigator` {@link requestMidi} reads. */
export interface MidiNavigatorLike {
  requestMIDIAccess?: (options?: { sysex?: boolean; software?: boolean }) => Promise<MidiAccessLike>;
}

/** Why no MIDI keyboard can be recorded. */
export type MidiProblem = 'unsupported' | 'denied' | 'no-input' | 'failed';

/** The outcome of {@link requestMidi}. */
export type MidiRequestResult =
  | { ok: true; access: MidiAccessLike; inputs: MidiInputLike[] }
  | { ok: false; problem: MidiProblem; message: string; access?: MidiAccessLike; error?: string };

/** What the person is told for each problem. */
export const MIDI_TEXT = {
  unsupported:
    'This browser cannot read a MIDI keyboard. Please use Chrome, Edge, Opera or Firefox on a desktop or laptop computer. ' +
    'Safari (on a Mac, iPhone or iPad) and every browser on iPhone or iPad cannot read MIDI yet.',
  denied:
    'The browser was not allowed to use MIDI devices. Allow MIDI for this site (in the address bar or the site settings), then try again.',
  noInput:
    'No MIDI keyboard was found. Connect the keyboard (by USB, or through a MIDI interface), switch it on, then press Try again.',
  failed: 'The MIDI system of this computer could not be started. Reconnect the keyboard, then try again.',
  disconnected:
    'The keyboard was disconnected. Connect it again: the recording goes on, and what you played so far is kept.',
  reconnected: 'The keyboard is connected again.',
  nonMidiInstrument:
    'Guitar and other instruments without a MIDI output are not supported yet: this task needs a keyboard (or digital piano) with MIDI.',
} as const;

/** The connected inputs of an access, in the map's order. */
export function connectedInputs(access: MidiAccessLike): MidiInputLike[] {
  const inputs: MidiInputLike[] = [];
  access.inputs.forEach((input) => {
    if (input.state !== 'disconnected') inputs.push(input);
  });
  return inputs;
}

/** A short label of an input for buttons and messages: its name, and its maker when the name lacks it. */
export function inputLabel(input: MidiPortLike): string {
  const name = input.name?.trim() || 'MIDI input';
  const maker = input.manufacturer?.trim();
  return maker && !name.toLowerCase().includes(maker.toLowerCase()) ? `${name} (${maker})` : name;
}

/**
 * The recording facts of an input for `recording.params` (measures.md 1.2: port name and manufacturer;
 * device names are kept in the recording).
 */
export function inputFacts(input: MidiPortLike): {
  id: string;
  name: string | null;
  manufacturer: string | null;
  version: string | null;
} {
  return {
    id: input.id.slice(0, 128),
    name: input.name?.slice(0, 200) ?? null,
    manufacturer: input.manufacturer?.slice(0, 200) ?? null,
    version: input.version?.slice(0, 100) ?? null,
  };
}

/**
 * Asks for Web MIDI (`requestMIDIAccess({ sysex: false })`) and tells apart what can go wrong:
 * - `unsupported`: the browser has no Web MIDI (Safari, every iOS browser; or an insecure page);
 * - `denied`: the permission was refused (`SecurityError` or `NotAllowedError`);
 * - `no-input`: access was given but no input is connected (`access` is returned, so the caller can
 *   wait for a `statechange` or ask again);
 * - `failed`: any other error (e.g. `AbortError`, `InvalidStateError`: the MIDI system did not start).
 * Never rejects.
 * @param navigatorLike - `navigator`, or a fake with `requestMIDIAccess`
 */
export async function requestMidi(navigatorLike: MidiNavigatorLike | undefined): Promise<MidiRequestResult> {
  const request = navigatorLike?.requestMIDIAccess;
  if (typeof request !== 'function') {
    return { ok: false, problem: 'unsupported', message: MIDI_TEXT.unsupported };
  }
  let access: MidiAccessLike;
  try {
    access = await request.call(navigatorLike, { sysex: false });
  } catch (error) {
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    const text = String(name ?? error);
    if (name === 'SecurityError' || name === 'NotAllowedError') {
      return { ok: false, problem: 'denied', message: MIDI_TEXT.denied, error: text };
    }
    if (name === 'NotSupportedError') {
      return { ok: false, problem: 'unsupported', message: MIDI_TEXT.unsupported, error: text };
    }
    return { ok: false, problem: 'failed', message: MIDI_TEXT.failed, error: text };
  }
  const inputs = connectedInputs(access);
  if (inputs.length === 0) return { ok: false, problem: 'no-input', message: MIDI_TEXT.noInput, access };
  return { ok: true, access, inputs };
}
