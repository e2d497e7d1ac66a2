import { simulateScale, TASK_RECORDING_SPECS, type Note } from '@dystrack/core';
import { MARKERS, StreamSet } from '../columns';
import type { Hand, JsonValue, SimulateOptions, TaskCapture } from '../contract';
import { createRng, type Rng } from '../rng';
import { bytesToHex } from '../midi/recorder';
import {
  blockDescription,
  blockRuns,
  blockTempoBpm,
  COUNT_IN_CLICKS,
  expectedSequence,
  readScaleParams,
  startPitch,
  type ScaleParams,
} from './definition';
import { SCALE_MARKERS } from './run';

/** The simulated keyboard. */
const SIM_INPUT = {
  id: 'sim-input-1',
  name: 'Simulated MIDI keyboard',
  manufacturer: 'Dystrack',
  version: '1',
};
/** "Go" of the simulated countdown, ms on the simulated performance clock. */
const GO_MS = 20_000;
const FIRST_CLICK_DELAY_MS = 100;

/** Onset jitter of the simulated hands, ms SD: the left hand plays as the affected one. */
export const SIMULATED_JITTER_MS: Readonly<Record<Hand, number>> = { right: 6, left: 12, both: 9 };

/** Note-on and note-off rows of notes, in time order (on before off at equal times). */
function noteRows(notes: readonly Note[]): { ms: number; bytes: number[] }[] {
  const rows = notes.flatMap((n, i) => {
    const channel = n.channel ?? 0;
    const on = { ms: n.onMs, bytes: [0x90 | channel, n.pitch, n.velocity], order: 0, i };
    return n.offMs === null
      ? [on]
      : [on, { ms: n.offMs, bytes: [0x80 | channel, n.pitch, 0x40], order: 1, i }];
  });
  rows.sort((a, b) => a.ms - b.ms || a.order - b.order || a.i - b.i);
  return rows;
}

/** A short melodic passage (its pitches and rhythm), the same for a seed. */
function passage(rng: Rng, hand: Hand): { pitch: number; durMs: number }[] {
  const base = startPitch(hand) + 7;
  const steps = [0, 2, 4, 5, 7, 5, 4, 2, 4, 7, 9, 7, 5, 4, 2, 0];
  const rhythm = [150, 150, 300];
  return steps.map((step, i) => ({ pitch: base + step + (rng.chance(0.2) ? 12 : 0), durMs: rhythm[i % 3]! }));
}

/**
 * A synthetic scale session of the given block, built on core's `simulateScale` for the scale blocks:
 * countdown markers, the metronome stream (one click per beat from 100 ms after "go", the count-in's
 * 8 clicks then on to the end for A and B, only the 8 for C), the `midi` stream with note-on and
 * note-off rows of `runs` up-and-down runs (onset jitter by hand: {@link SIMULATED_JITTER_MS}, 5 %
 * runs with an error), `run-end` markers, and the params a real run sets. Block C plays on at 2 %
 * slower than the metronome; block D repeats a 16-note passage with pauses of 2.5–3 s; the warm-up
 * plays notes at about 6 per second for `warmUpS`. With `longest`, a scale block plays as many runs as
 * fit in the task's longest recording (30 min).
 */
export function simulateScaleCapture(options: SimulateOptions): TaskCapture {
  const p: ScaleParams = readScaleParams(options.params);
  const { hand } = options;
  const rng = createRng(options.seed);
  const streams = new StreamSet('scale');
  const flags: string[] = [];
  const params: Record<string, JsonValue> = {};
  const mark = (label: string, ms: number) => streams.mark(label, ms);
  for (const [i, value] of [3, 2, 1].entries()) mark(`countdown-${value}`, GO_MS - 3000 + 1000 * i);
  mark(SCALE_MARKERS.pedalChecked, GO_MS - 6000);
  mark(MARKERS.trialStart, GO_MS);

  const tempoBpm = blockTempoBpm(p);
  const scale = p.block !== 'warm-up' && p.block !== 'd-passage';
  let runs = blockRuns(p);
  const intervalMs = tempoBpm === null ? 0 : 60_000 / tempoBpm;
  const firstClickMs = GO_MS + FIRST_CLICK_DELAY_MS;
  const playFromMs = tempoBpm === null ? GO_MS + 800 : firstClickMs + COUNT_IN_CLICKS * intervalMs;
  const pauseMs = p.pauseS * 1000;
  let notes: Note[] = [];
  const runEnds: number[] = [];

  if (scale) {
    const bpm = p.block === 'c-continuation' ? 120 * 0.98 : tempoBpm!;
    const restMs = Math.max(pauseMs + 200, 4 * (60_000 / bpm));
    if (options.longest) {
      const repMs = 29 * (15_000 / bpm) + restMs + 500;
      runs = Math.floor(
        (TASK_RECORDING_SPECS.scale.maxDurationS * 1000 - (playFromMs - GO_MS) - 10_000) / repMs,
      );
    }
    const hands: ('left' | 'right')[] = hand === 'both' ? ['left', 'right'] : [hand];
    for (const [h, oneHand] of hands.entries()) {
      const simulated = simulateScale(
        options.seed * 7 + h,
        {
          bpm,
          jitterSdMs: SIMULATED_JITTER_MS[hand],
          velocityMean: 72,
          velocitySd: 8,
          errorRate: 0.05,
          legatoMs: 10,
        },
        { repetitions: runs, startPitch: startPitch(oneHand), startMs: playFromMs, restMs },
      );
      notes.push(...simulated.input.notes);
      if (h === 0) {
        for (let r = 0; r < runs; r++) {
          const down = simulated.truth.runs[2 * r + 1]!.notes;
          runEnds.push(Math.max(...down.map((n) => n.onMs)));
        }
      }
    }
  } else if (p.block === 'd-passage') {
    const phrase = passage(rng, hand);
    let t = playFromMs;
    for (let r = 0; r < runs; r++) {
      let last = t;
      for (const { pitch, durMs } of phrase) {
        const onMs = t + rng.normal(0, SIMULATED_JITTER_MS[hand]);
        notes.push({
          pitch,
          onMs,
          offMs: onMs + durMs * 0.9,
          velocity: Math.round(rng.normal(70, 10)),
          channel: 0,
        });
        last = onMs;
        t += durMs;
      }
      runEnds.push(last);
      t = last + pauseMs + rng.uniform(1000, 1500);
    }
  } else {
    let pitch = startPitch(hand) + 12;
    for (let t = playFromMs; t < GO_MS + p.warmUpS * 1000 - 500; t += rng.uniform(120, 220)) {
      pitch = Math.min(108, Math.max(21, pitch + rng.int(-4, 4)));
      notes.push({ pitch, onMs: t, offMs: t + 110, velocity: rng.int(50, 90), channel: 0 });
    }
  }
  notes = notes.map((n) => ({ ...n, velocity: Math.min(127, Math.max(1, n.velocity)) }));
  for (const ms of runEnds) mark(SCALE_MARKERS.runEnd, ms);

  const lastNoteMs = notes.reduce((m, n) => Math.max(m, n.offMs ?? n.onMs), GO_MS);
  const endMs = p.block === 'warm-up' ? GO_MS + p.warmUpS * 1000 : Math.max(...runEnds, GO_MS) + pauseMs + 50;

  const midi = streams.stream('midi');
  const time = midi.f64('timeStampMs');
  const hex = midi.str('bytesHex');
  const input = midi.str('inputId');
  for (const row of noteRows(notes)) {
    time.push(row.ms);
    hex.push(bytesToHex(row.bytes));
    input.push(SIM_INPUT.id);
    midi.endRow();
  }

  if (tempoBpm !== null) {
    const metronome = streams.stream('metronome');
    const last =
      p.block === 'c-continuation' ? COUNT_IN_CLICKS : Math.floor((endMs - firstClickMs) / intervalMs) + 1;
    const anchorS = 3.2;
    for (let k = 0; k < last; k++) {
      const clickTimeMs = firstClickMs + k * intervalMs;
      metronome.f64('clickTimeMs').push(clickTimeMs);
      metronome.f64('audioTimeS').push(anchorS + (clickTimeMs - GO_MS) / 1000);
      metronome.bool('accent').push(k % 4 === 0);
      metronome.f64('baseLatencyS').push(0.01);
      metronome.f64('outputLatencyS').push(0.02);
      metronome.str('mapping').push('outputTimestamp');
      metronome.endRow();
    }
    const countInEnd = firstClickMs + COUNT_IN_CLICKS * intervalMs;
    mark(SCALE_MARKERS.countInEnd, countInEnd);
    if (p.block === 'c-continuation') mark(SCALE_MARKERS.continuationStart, countInEnd);
    params.metronome = {
      intervalMs,
      firstClickAudioTimeS: anchorS + FIRST_CLICK_DELAY_MS / 1000,
      clicksPlayed: last,
      missedCount: 0,
      missedIndices: [],
      interrupted: false,
      latency: [
        { fromIndex: 0, clicks: last, mapping: 'outputTimestamp', baseLatencyS: 0.01, outputLatencyS: 0.02 },
      ],
      latencyTruncated: false,
    };
  }
  mark(MARKERS.trialEnd, Math.max(endMs, lastNoteMs));

  Object.assign(params, {
    block: p.block,
    tempoBpm,
    scaleDescription: blockDescription(p, hand),
    expectedSequence: scale ? expectedSequence(hand) : null,
    runsAsked: blockRuns(p),
    runsPlayed: runEnds.length,
    // every simulated run is played as written; the live count matches one hand's sequence only
    runsMatched: scale && hand !== 'both' ? runEnds.length : 0,
    passagePauseMs: pauseMs,
    analysed: p.block !== 'warm-up',
    midiInput: { ...SIM_INPUT },
    sustainPedalCheck: 'pressed-and-released',
  } satisfies Record<string, JsonValue>);
  return streams.capture(flags, params, Math.max(endMs, lastNoteMs));
}
