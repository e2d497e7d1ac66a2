import { describe, expect, it } from 'vitest';
import { StreamSet } from '../columns';
import { MIDI_TEXT, requestMidi } from './access';
import { attachMidiRecorder, bytesToHex, MIDI_MARKERS } from './recorder';
import { FakeMidiAccess, FakeMidiInput, fakeMidiNavigator } from './testing';

describe('requestMidi', () => {
  it('says which browsers work when there is no Web MIDI', async () => {
    const result = await requestMidi({});
    expect(result).toEqual({ ok: false, problem: 'unsupported', message: MIDI_TEXT.unsupported });
    expect(MIDI_TEXT.unsupported).toMatch(/Chrome, Edge, Opera or Firefox/);
    expect(MIDI_TEXT.unsupported).toMatch(/Safari/);
    expect((await requestMidi(undefined)).ok).toBe(false);
  });

  it('tells a refused permission (SecurityError, NotAllowedError) from other failures', async () => {
    for (const name of ['SecurityError', 'NotAllowedError']) {
      const result = await requestMidi(fakeMidiNavigator({ rejectWith: name }));
      expect(result).toMatchObject({ ok: false, problem: 'denied', message: MIDI_TEXT.denied });
    }
    const failed = await requestMidi(fakeMidiNavigator({ rejectWith: 'AbortError' }));
    expect(failed).toMatchObject({ ok: false, problem: 'failed' });
  });

  it('reports no input when access is given but nothing is connected, and asks without sysex', async () => {
    const access = new FakeMidiAccess([]);
    const navigatorLike = fakeMidiNavigator(access);
    const result = await requestMidi(navigatorLike);
    expect(result).toEqual({ ok: false, problem: 'no-input', message: MIDI_TEXT.noInput, access });
    expect(navigatorLike.requests).toEqual([{ sysex: false }]);
  });

  it('lists the connected inputs only', async () => {
    const a = new FakeMidiInput('a', 'Piano A');
    const b = new FakeMidiInput('b', 'Piano B');
    b.state = 'disconnected';
    const result = await requestMidi(fakeMidiNavigator(new FakeMidiAccess([a, b])));
    expect(result.ok && result.inputs).toEqual([a]);
  });
});

describe('attachMidiRecorder', () => {
  const setup = () => {
    const streams = new StreamSet('scale');
    const stream = streams.stream('midi');
    const marks: [string, number | undefined][] = [];
    const input = new FakeMidiInput('port-1', 'Stage Piano', 'Acme');
    const access = new FakeMidiAccess([input]);
    const states: string[] = [];
    const recorder = attachMidiRecorder(access, input, stream, {
      mark: (label, t) => marks.push([label, t]),
      onStateChange: (state) => states.push(state),
    });
    return { stream, marks, input, access, recorder, states };
  };

  it('hex-encodes message bytes', () => {
    expect(bytesToHex([0x90, 0x3c, 0x40])).toBe('903c40');
    expect(bytesToHex(new Uint8Array([0xb0, 0x40, 0x7f]))).toBe('b0407f');
  });

  it('stores each message with its event time stamp, bytes and input id, and opens the port', () => {
    const { stream, input } = setup();
    input.play([
      { timeStamp: 1000.125, data: [0x90, 60, 64] },
      { timeStamp: 1000.125, data: [0xfe] },
      { timeStamp: 1123.5, data: [0x80, 60, 0x40] },
    ]);
    expect(stream.snapshot().columns).toEqual({
      timeStampMs: { type: 'f64', values: [1000.125, 1000.125, 1123.5] },
      bytesHex: { type: 'str', values: ['903c40', 'fe', '803c40'] },
      inputId: { type: 'str', values: ['port-1', 'port-1', 'port-1'] },
    });
    expect(input.opens).toBe(1);
  });

  it('keeps every row across a disconnect and a reconnect of the same port, with markers', () => {
    const { stream, input, access, marks, recorder, states } = setup();
    input.send([0x90, 60, 64], 1000);
    access.disconnect(input, 1100);
    expect(input.send([0x80, 60, 0], 1150)).toBe(false); // lost while unplugged
    access.connect(input, 1200);
    input.send([0x90, 62, 70], 1300);
    expect(stream.snapshot().columns.bytesHex!.values).toEqual(['903c40', '903e46']);
    expect(stream.snapshot().columns.timeStampMs!.values).toEqual([1000, 1300]);
    expect(marks).toEqual([
      [MIDI_MARKERS.disconnected, 1100],
      [MIDI_MARKERS.reconnected, 1200],
    ]);
    expect(states).toEqual(['disconnected', 'connected']);
    expect(recorder.disconnects).toBe(1);
    expect(input.opens).toBe(2);
  });

  it('follows a re-plugged device that comes back under a new id (same name)', () => {
    const { stream, input, access, marks, recorder } = setup();
    access.disconnect(input, 500);
    const replugged = new FakeMidiInput('port-9', 'Stage Piano', 'Acme');
    access.connect(replugged, 600);
    replugged.send([0x90, 64, 80], 700);
    expect(recorder.input).toBe(replugged);
    expect(stream.snapshot().columns.inputId!.values).toEqual(['port-9']);
    expect(marks.map((m) => m[0])).toEqual([MIDI_MARKERS.disconnected, MIDI_MARKERS.reconnected]);
  });

  it('ignores other ports and stops recording on detach', () => {
    const { stream, input, access, marks, recorder } = setup();
    const other = new FakeMidiInput('port-2', 'Drum Pad');
    access.connect(other, 10);
    other.send([0x99, 36, 100], 20);
    recorder.detach();
    input.send([0x90, 60, 64], 30);
    expect(stream.rows).toBe(0);
    expect(marks).toEqual([]);
  });

  it('drops messages once the stream is full and says so once', () => {
    const streams = new StreamSet('scale');
    const stream = streams.stream('midi');
    const input = new FakeMidiInput('p');
    let overflows = 0;
    attachMidiRecorder(new FakeMidiAccess([input]), input, stream, {
      mark: () => {},
      onOverflow: () => overflows++,
    });
    for (let i = 0; i < stream.maxRows + 3; i++) input.send([0xf8], i);
    expect(stream.rows).toBe(stream.maxRows);
    expect(overflows).toBe(1);
  });
});
