import { analyze, parseTaskRecording, scaleFromRecording, type Recording, type Stream } from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAudioContext } from '../metronome';
import { MIDI_MARKERS } from '../midi/recorder';
import { FakeMidiAccess, FakeMidiInput, fakeMidiNavigator, type ScriptedMidiMessage } from '../midi/testing';
import { startRun } from '../testing/harness';
import { MIDI_TEXT } from '../midi/access';
import { createScalePlugin } from './index';
import { expectedSequence } from './definition';
import { SCALE_FLAGS, SCALE_MARKERS } from './run';

afterEach(() => {
  document.body.innerHTML = '';
});

const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
const labels = (r: Recording) => column(r.streams.markers, 'label') as string[];
const markerTimes = (r: Recording, label: string) =>
  labels(r)
    .map((l, i) => (l === label ? (column(r.streams.markers, 'timeStampMs')[i] as number) : null))
    .filter((t): t is number => t !== null);
const button = (element: HTMLElement, className: string) =>
  element.querySelector<HTMLButtonElement>(`.${className}`)!;

/** Notes at exact times: on at t, off 100 ms later. */
function notes(pitches: number[], fromMs: number, ioiMs: number, velocity = 64): ScriptedMidiMessage[] {
  return pitches
    .flatMap((pitch, k) => [
      { timeStamp: fromMs + k * ioiMs, data: [0x90, pitch, velocity] },
      { timeStamp: fromMs + k * ioiMs + 100, data: [0x80, pitch, 64] },
    ])
    .sort((a, b) => a.timeStamp - b.timeStamp);
}

function setup(inputs = [new FakeMidiInput('port-1', 'Digital Piano', 'Acme')]) {
  const access = new FakeMidiAccess(inputs);
  const plugin = createScalePlugin({ navigator: fakeMidiNavigator(access) });
  return { access, plugin, input: inputs[0]! };
}

describe('scale task run', () => {
  it('block A: pedal check, count-in, 2 runs with the metronome; exact rows, markers, params, analysis', async () => {
    const { plugin, input } = setup();
    let audio: FakeAudioContext | null = null;
    const run = startRun(plugin, {
      params: { block: 'a-120', runs: 2 },
      audio: (clock) => (audio = new FakeAudioContext(() => clock.now(), { state: 'suspended' })),
    });
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-scale-phase')!.textContent).toBe('Sustain pedal');
    // The pedal check's own press is not recorded (core would flag SUSTAIN_PEDAL for it).
    input.send([0xb0, 64, 127], 10_050);
    input.send([0xb0, 64, 0], 10_250);
    await run.clock.advance(300);
    button(run.element, 'dt-scale-start').click();
    expect(audio!.resumeCalls).toBe(1);
    await run.clock.advance(3000);
    const go = 13_300;

    const up = expectedSequence('right')[0]!.pitches;
    const playFrom = go + 100 + 8 * 500; // the beat after the 2-bar count-in
    const first = notes(up, playFrom, 125);
    const second = notes(up, playFrom + 6000, 125);
    input.playOn(run.clock, [...first, ...second]);
    await run.clock.advance(4100 + 6000 + 29 * 125 + 2000);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(column(recording.streams.midi, 'timeStampMs')).toEqual(
      [...first, ...second].map((m) => m.timeStamp),
    );
    expect(column(recording.streams.midi, 'bytesHex')).toEqual(
      [...first, ...second].map((m) => m.data.map((b) => b.toString(16).padStart(2, '0')).join('')),
    );
    expect(new Set(column(recording.streams.midi, 'inputId') as string[])).toEqual(new Set(['port-1']));
    expect(markerTimes(recording, 'trial-start')).toEqual([go]);
    expect(labels(recording)).toContain(SCALE_MARKERS.pedalChecked);
    // a checkpoint after each run, holding that run's rows
    const runEnds = run.checkpoints.filter((c) => labels(c.recording).includes(SCALE_MARKERS.runEnd));
    expect(runEnds[0]!.recording.params.runsPlayed).toBe(1);
    expect(markerTimes(recording, SCALE_MARKERS.countInEnd)).toHaveLength(1);
    expect(markerTimes(recording, SCALE_MARKERS.runEnd)).toEqual([
      playFrom + 28 * 125,
      playFrom + 6000 + 28 * 125,
    ]);
    expect(recording.params).toMatchObject({
      block: 'a-120',
      tempoBpm: 120,
      runsAsked: 2,
      runsPlayed: 2,
      runsMatched: 2,
      sustainPedalCheck: 'pressed-and-released',
      midiInput: { id: 'port-1', name: 'Digital Piano', manufacturer: 'Acme', version: '1.0' },
    });
    expect(recording.flags).not.toContain(SCALE_FLAGS.stoppedEarly);
    // clicks every 500 ms on the audio clock (the mapped times follow the output timestamps), accent on every 4th
    const clicks = (column(recording.streams.metronome, 'audioTimeS') as number[]).map((s) => s * 1000);
    expect(clicks.length).toBeGreaterThan(20);
    expect(column(recording.streams.metronome, 'accent').slice(0, 5)).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    for (let k = 1; k < clicks.length; k++) expect(clicks[k]! - clicks[k - 1]!).toBeCloseTo(500, 6);

    const output = analyze(scaleFromRecording(recording), { hand: 'right' });
    expect(output.metrics.note_count).toBe(58);
    expect(output.metrics.ioi_mean_ms).toBeCloseTo(125, 9);
    expect(output.metrics.ioi_sd_ms).toBeCloseTo(0, 9);
    expect(output.quality_flags).not.toContain('SUSTAIN_PEDAL');
    expect(output.quality_flags).not.toContain('WRONG_NOTES');
  });

  it('block D: keeps every row across a disconnect and reconnect, marks both and flags it', async () => {
    const { plugin, input, access } = setup();
    const run = startRun(plugin, { params: { block: 'd-passage', runs: 2 } });
    await run.clock.advance(0);
    button(run.element, 'dt-scale-no-pedal').click();
    await run.clock.advance(0);
    button(run.element, 'dt-scale-start').click();
    await run.clock.advance(3000);
    const phrase = [67, 69, 71, 72, 74];
    const a = notes(phrase, 13_500, 200);
    const b = notes(phrase, 17_000, 200);
    input.playOn(run.clock, a);
    await run.clock.advance(2000); // 15 000
    access.disconnect(input, 15_100);
    await run.clock.advance(500);
    access.connect(input, 15_600);
    input.playOn(run.clock, b);
    await run.clock.advance(4500);
    const recording = await run.done;
    expect(column(recording.streams.midi, 'timeStampMs')).toEqual([...a, ...b].map((m) => m.timeStamp));
    expect(markerTimes(recording, MIDI_MARKERS.disconnected)).toEqual([15_100]);
    expect(markerTimes(recording, MIDI_MARKERS.reconnected)).toEqual([15_600]);
    expect(recording.flags).toContain(SCALE_FLAGS.midiDisconnected);
    expect(recording.params).toMatchObject({
      block: 'd-passage',
      tempoBpm: null,
      runsPlayed: 2,
      sustainPedalCheck: 'no-pedal',
    });
    expect(recording.streams.metronome).toBeUndefined();
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });

  it('lets the person choose among several inputs with large buttons', async () => {
    const { plugin } = setup([
      new FakeMidiInput('a', 'Synth A', 'One'),
      new FakeMidiInput('b', 'Piano B', 'Two'),
    ]);
    const run = startRun(plugin, { params: { block: 'warm-up', warmUpS: 10 } });
    await run.clock.advance(0);
    const choices = [...run.element.querySelectorAll<HTMLButtonElement>('.dt-scale-input')];
    expect(choices.map((c) => c.textContent)).toEqual(['Synth A (One)', 'Piano B (Two)']);
    expect(parseInt(choices[0]!.style.minHeight, 10)).toBeGreaterThanOrEqual(64);
    choices[1]!.click();
    await run.clock.advance(0);
    button(run.element, 'dt-scale-no-pedal').click();
    await run.clock.advance(0);
    button(run.element, 'dt-scale-start').click();
    await run.clock.advance(3000 + 10_000 + 200);
    const recording = await run.done;
    expect(recording.params.midiInput).toMatchObject({ id: 'b', name: 'Piano B' });
    expect(recording.params).toMatchObject({ block: 'warm-up', analysed: false });
    expect(recording.flags).toContain(SCALE_FLAGS.noNotes);
    expect(recording.flags).not.toContain(SCALE_FLAGS.stoppedEarly);
  });

  it('without Web MIDI says which browsers work, flags it and still gives a valid recording', async () => {
    const plugin = createScalePlugin({ navigator: {} });
    const run = startRun(plugin);
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-scale-message')!.textContent).toBe(MIDI_TEXT.unsupported);
    button(run.element, 'dt-scale-ok').click();
    const recording = await run.done;
    expect(recording.flags).toContain(SCALE_FLAGS.midiUnsupported);
    expect(column(recording.streams.midi, 'timeStampMs')).toEqual([]);
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });

  it('a refused permission is told apart; no input offers Try again and goes on when a keyboard is plugged in', async () => {
    const denied = startRun(
      createScalePlugin({ navigator: fakeMidiNavigator({ rejectWith: 'SecurityError' }) }),
    );
    await denied.clock.advance(0);
    expect(denied.element.querySelector('.dt-scale-message')!.textContent).toBe(MIDI_TEXT.denied);
    button(denied.element, 'dt-scale-ok').click();
    expect((await denied.done).flags).toContain(SCALE_FLAGS.midiDenied);

    const access = new FakeMidiAccess([]);
    const run = startRun(createScalePlugin({ navigator: fakeMidiNavigator(access) }), {
      params: { block: 'd-passage' },
    });
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-scale-message')!.textContent).toBe(MIDI_TEXT.noInput);
    expect(button(run.element, 'dt-scale-retry')).not.toBeNull();
    access.connect(new FakeMidiInput('late', 'Late Piano'), 10_500);
    await run.clock.advance(0);
    expect(run.element.querySelector('.dt-scale-phase')!.textContent).toBe('Sustain pedal');
    run.controller.abort();
    await expect(run.done).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('Finish needs two presses; early finish flags STOPPED_EARLY; pedal while playing flags SUSTAIN_PEDAL', async () => {
    const { plugin, input } = setup();
    const run = startRun(plugin, {
      params: { block: 'b-80' },
      audio: (clock) => new FakeAudioContext(() => clock.now()),
    });
    await run.clock.advance(0);
    button(run.element, 'dt-scale-no-pedal').click();
    await run.clock.advance(0);
    button(run.element, 'dt-scale-start').click();
    await run.clock.advance(3000);
    input.playOn(run.clock, [
      { timeStamp: 14_000, data: [0xb0, 64, 100] },
      ...notes([60, 62, 64], 14_100, 187.5),
    ]);
    await run.clock.advance(2000);
    const finish = button(run.element, 'dt-scale-finish');
    finish.click();
    await run.clock.advance(100);
    expect(finish.textContent).toBe('Press again to finish');
    finish.click();
    const recording = await run.done;
    expect(recording.flags).toEqual(
      expect.arrayContaining([SCALE_FLAGS.stoppedEarly, SCALE_FLAGS.sustainPedal]),
    );
    expect(markerTimes(recording, SCALE_MARKERS.pedalDown)).toEqual([14_000]);
    expect(recording.params).toMatchObject({ tempoBpm: 80, runsAsked: 12, runsPlayed: 0 });
    expect(labels(recording)).toEqual(expect.arrayContaining(['stop-request', 'stop', 'trial-end']));
  });
});
