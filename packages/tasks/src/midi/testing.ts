import type { Clock } from '../clock';
import type { MidiAccessLike, MidiInputLike, MidiInputMapLike, MidiNavigatorLike } from './access';

/** One scripted message: its bytes and the `timeStamp` its event carries (performance clock, ms). */
export interface ScriptedMidiMessage {
  timeStamp: number;
  data: readonly number[];
}

/** An event with a chosen `timeStamp` (the DOM sets it itself; tests need exact values). */
function stampedEvent<T extends object>(type: string, timeStamp: number, extra: T): Event & T {
  const event = new Event(type);
  Object.defineProperty(event, 'timeStamp', { value: timeStamp });
  for (const [key, value] of Object.entries(extra)) Object.defineProperty(event, key, { value });
  return event as Event & T;
}

/**
 * A fake `MIDIInput`: dispatches `midimessage` events with scripted time stamps and bytes (only while
 * connected, as a real port), and counts `open()` calls.
 */
export class FakeMidiInput extends EventTarget implements MidiInputLike {
  readonly type = 'input';
  state: 'connected' | 'disconnected' = 'connected';
  connection: 'open' | 'closed' | 'pending' = 'closed';
  onmidimessage: MidiInputLike['onmidimessage'] = null;
  opens = 0;
  /** Messages sent while disconnected (lost, as with a real cable pulled). */
  lost = 0;

  constructor(
    readonly id: string,
    readonly name: string | null = 'Fake Piano',
    readonly manufacturer: string | null = 'Fake Instruments',
    readonly version: string | null = '1.0',
  ) {
    super();
  }

  open(): Promise<this> {
    this.opens++;
    if (this.state === 'connected') this.connection = 'open';
    return Promise.resolve(this);
  }

  /** Dispatches one message now, with this `timeStamp`; returns false when the port is disconnected. */
  send(data: readonly number[], timeStamp: number): boolean {
    if (this.state !== 'connected') {
      this.lost++;
      return false;
    }
    const event = stampedEvent('midimessage', timeStamp, { data: new Uint8Array(data) });
    this.dispatchEvent(event);
    this.onmidimessage?.(event);
    return true;
  }

  /** Dispatches the messages now, in order. */
  play(messages: readonly ScriptedMidiMessage[]): void {
    for (const message of messages) this.send(message.data, message.timeStamp);
  }

  /**
   * Schedules each message on `clock` for the moment its `timeStamp` is reached (messages in the past
   * go at once), as a keyboard would send them in real time.
   */
  playOn(clock: Clock, messages: readonly ScriptedMidiMessage[]): void {
    for (const message of messages) {
      clock.setTimeout(() => this.send(message.data, message.timeStamp), message.timeStamp - clock.now());
    }
  }
}

/** A read-only map of fake inputs. */
class FakeInputMap implements MidiInputMapLike {
  constructor(private readonly map: Map<string, FakeMidiInput>) {}
  forEach(callback: (input: MidiInputLike, id: string) => void): void {
    this.map.forEach((input, id) => callback(input, id));
  }
  get(id: string): FakeMidiInput | undefined {
    return this.map.get(id);
  }
  get size(): number {
    return this.map.size;
  }
}

/**
 * A fake `MIDIAccess` for tests and the end-to-end stub: holds fake inputs, and plugs and unplugs them
 * with `statechange` events as a browser does.
 * @example
 * const piano = new FakeMidiInput('in-1', 'Digital Piano', 'Yamaha');
 * const access = new FakeMidiAccess([piano]);
 * const navigatorLike = fakeMidiNavigator(access);
 * piano.play([{ timeStamp: 1000.5, data: [0x90, 60, 64] }]);
 */
export class FakeMidiAccess extends EventTarget implements MidiAccessLike {
  private readonly map = new Map<string, FakeMidiInput>();
  readonly inputs: FakeInputMap = new FakeInputMap(this.map);
  onstatechange: MidiAccessLike['onstatechange'] = null;
  readonly sysexEnabled = false;

  constructor(inputs: readonly FakeMidiInput[] = []) {
    super();
    for (const input of inputs) this.map.set(input.id, input);
  }

  /** Unplugs an input: its state becomes `disconnected` and a `statechange` is dispatched. */
  disconnect(input: FakeMidiInput, timeStamp = 0): void {
    input.state = 'disconnected';
    input.connection = 'closed';
    this.dispatchState(input, timeStamp);
  }

  /**
   * Plugs an input in: a known one again, or a new one (added to `inputs`; a re-plugged device that
   * the system gives a new id is a new object with the same name).
   */
  connect(input: FakeMidiInput, timeStamp = 0): void {
    this.map.set(input.id, input);
    input.state = 'connected';
    this.dispatchState(input, timeStamp);
  }

  private dispatchState(input: FakeMidiInput, timeStamp: number): void {
    const event = stampedEvent('statechange', timeStamp, { port: input });
    this.dispatchEvent(event);
    this.onstatechange?.(event);
  }
}

/**
 * A navigator whose `requestMIDIAccess` resolves with `access`, or rejects with a `DOMException` of the
 * given name (`SecurityError`, `NotAllowedError`, …).
 */
export function fakeMidiNavigator(access: FakeMidiAccess | { rejectWith: string }): MidiNavigatorLike & {
  requests: { sysex?: boolean; software?: boolean }[];
} {
  const requests: { sysex?: boolean; software?: boolean }[] = [];
  return {
    requests,
    requestMIDIAccess(options) {
      requests.push({ ...options });
      if ('rejectWith' in access) {
        return Promise.reject(new DOMException('MIDI refused', access.rejectWith));
      }
      return Promise.resolve(access);
    },
  };
}
