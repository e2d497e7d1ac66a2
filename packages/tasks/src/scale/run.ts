import { abortable, isAbortError } from '../clock';
import { MARKERS, type StreamBuilder } from '../columns';
import type { TaskAudioContext, TaskContext } from '../contract';
import {
  createMetronomeStreamWriter,
  metronomeFacts,
  resumeAudio,
  startMetronome,
  type Metronome,
} from '../metronome';
import {
  connectedInputs,
  inputFacts,
  inputLabel,
  MIDI_TEXT,
  requestMidi,
  type MidiAccessLike,
  type MidiInputLike,
  type MidiMessageEventLike,
  type MidiNavigatorLike,
} from '../midi/access';
import { attachMidiRecorder } from '../midi/recorder';
import { createRunScope, guardWithSecondPress, type RunScope } from '../scope';
import {
  blockDescription,
  blockRuns,
  blockTempoBpm,
  COUNT_IN_CLICKS,
  expectedSequence,
  readScaleParams,
} from './definition';
import { buildScaleUi, scaleButton, setProgress, type ScaleUi } from './ui';

/** Quality flags of the scale task. */
export const SCALE_FLAGS = {
  /** The person finished before every run was played (or before the warm-up time was up). */
  stoppedEarly: 'STOPPED_EARLY',
  /** The browser has no Web MIDI: nothing was recorded. */
  midiUnsupported: 'MIDI_UNSUPPORTED',
  /** The MIDI permission was refused: nothing was recorded. */
  midiDenied: 'MIDI_DENIED',
  /** No MIDI input was connected, and the person gave up: nothing was recorded. */
  noMidiInput: 'NO_MIDI_INPUT',
  /** The MIDI system failed to start. */
  midiFailed: 'MIDI_FAILED',
  /** The recorded input was disconnected at least once (markers `midi-disconnected` / `midi-reconnected`). */
  midiDisconnected: 'MIDI_DISCONNECTED',
  /** A block with a metronome, but the browser gave no audio context: it ended before any playing. */
  noAudio: 'NO_AUDIO',
  /** The sustain pedal was down while playing (core's flag of the same name). */
  sustainPedal: 'SUSTAIN_PEDAL',
  /** The block reached its time limit before every run was played (core's `SHORT_RECORDING`). */
  timeLimit: 'SHORT_RECORDING',
  /** The `midi` stream was full; later messages were dropped. */
  streamFull: 'STREAM_FULL',
  /** Not a single note was played after "go". */
  noNotes: 'NO_NOTES',
} as const;

/** Markers of the scale task, besides `trial-start`, `trial-end`, `stop` and the MIDI ones. */
export const SCALE_MARKERS = {
  /** The count-in ended: one beat after its last click (playing starts here). */
  countInEnd: 'count-in-end',
  /** Block C: the clicks stopped; one beat after the last click. */
  continuationStart: 'continuation-start',
  /** A run (or passage repetition) ended: at its last note-on. */
  runEnd: 'run-end',
  /** The pedal check saw the pedal go down, then up. */
  pedalChecked: 'pedal-checked',
  /** The sustain pedal went down while playing (first time only). */
  pedalDown: 'sustain-pedal-down',
} as const;

/** Words shown in each phase. */
export const SCALE_TEXT = {
  chooseInput: 'Which keyboard will you play?',
  pedal: 'Press the sustain pedal down once and let it go.',
  pedalHeld: 'The sustain pedal seems to be down. Let it go, please: this task is played without the pedal.',
  pedalDuringPlay: 'The sustain pedal is down. Please play without the pedal.',
  noAudio:
    'This browser cannot play sound, so the metronome cannot run here. Try another browser, or choose your own passage or the warm-up.',
  resumeFailed:
    'The sound could not be started. Check that sound is allowed for this page, then press Start again.',
  countIn: 'Listen: two bars of clicks, then play',
  play: 'Play',
  continuation: 'Keep the same pace without the clicks',
  warmUp: 'Play freely to warm up',
  passage: 'Play your passage, rest a moment, then play it again',
} as const;

/** Stop-button confirmation window, ms. */
const STOP_CONFIRM_MS = 4000;
/** How often the display reads the new MIDI rows, ms. */
const TICK_MS = 100;
/** Most time the run waits after its end for keys still down to be released, ms. */
const SETTLE_MS = 1000;
/** Fewest notes of a group (notes between pauses) that counts as a run attempt: scales, passage. */
const MIN_RUN_NOTES = { scale: 10, passage: 3 } as const;
/** How long the pedal check waits before it says the pedal seems held, ms. */
const PEDAL_HELD_MS = 3000;

/** Options of {@link createScaleRun}. */
export interface ScaleRunOptions {
  /** Where `requestMIDIAccess` comes from (default the page's `navigator`); tests pass a fake. */
  navigator?: MidiNavigatorLike;
}

/** A channel message read back from the stream by the display (outside the MIDI handler). */
interface Decoded {
  ms: number;
  type: number;
  data1: number;
  data2: number;
}

/** Reads the midi rows added since the last call. */
function streamReader(stream: StreamBuilder): () => Decoded[] {
  const time = stream.f64('timeStampMs');
  const hex = stream.str('bytesHex');
  let next = 0;
  return () => {
    const out: Decoded[] = [];
    for (; next < stream.rows; next++) {
      const text = hex.get(next);
      if (text.length < 6) continue;
      const status = parseInt(text.slice(0, 2), 16);
      if (status < 0x80 || status >= 0xf0) continue;
      out.push({
        ms: time.get(next) ?? NaN,
        type: status & 0xf0,
        data1: parseInt(text.slice(2, 4), 16),
        data2: parseInt(text.slice(4, 6), 16),
      });
    }
    return out;
  };
}

/** Shows buttons and resolves with the value of the one pressed (its handler may run `onPress` first). */
function choose<T>(
  scope: RunScope,
  ui: ScaleUi,
  choices: { label: string; value: T; className?: string }[],
  onPress?: (value: T) => void,
): Promise<T> {
  ui.controls.replaceChildren();
  return new Promise<T>((resolve) => {
    for (const choice of choices) {
      const button = scaleButton(choice.label, choice.className ?? 'dt-scale-choice');
      scope.listen(button, 'click', () => {
        onPress?.(choice.value);
        ui.controls.replaceChildren();
        resolve(choice.value);
      });
      ui.controls.append(button);
    }
    (ui.controls.firstElementChild as HTMLElement | null)?.focus({ preventScroll: true });
  });
}

/**
 * Gets a MIDI input to record: asks for access, explains what is wrong (with a Try again while no input
 * is connected, which also goes on by itself when a keyboard is plugged in), and lets the person choose
 * when there are several inputs. Returns null (after the problem's flag) when there is none.
 */
async function chooseInput(
  ctx: TaskContext,
  scope: RunScope,
  ui: ScaleUi,
  navigatorLike: MidiNavigatorLike | undefined,
): Promise<{ access: MidiAccessLike; input: MidiInputLike } | null> {
  const { signal } = ctx;
  for (;;) {
    const result = await abortable(signal, requestMidi(navigatorLike));
    let access: MidiAccessLike;
    let inputs: MidiInputLike[];
    if (result.ok) {
      access = result.access;
      inputs = result.inputs;
    } else if (result.problem === 'no-input' && result.access) {
      access = result.access;
      ui.phase.textContent = 'No keyboard found';
      ui.message.textContent = result.message;
      ctx.announce(result.message);
      const plugged = new Promise<'plugged'>((resolve) =>
        scope.listen(access, 'statechange', () => {
          if (connectedInputs(access).length > 0) resolve('plugged');
        }),
      );
      const answer = await abortable(
        signal,
        Promise.race([
          plugged,
          choose(scope, ui, [
            { label: 'Try again', value: 'again' as const, className: 'dt-scale-retry' },
            { label: 'Give up', value: 'give-up' as const, className: 'dt-scale-give-up' },
          ]),
        ]),
      );
      if (answer === 'give-up') {
        ctx.flag(SCALE_FLAGS.noMidiInput);
        return null;
      }
      inputs = connectedInputs(access);
      if (inputs.length === 0) continue;
    } else {
      const flag =
        result.problem === 'unsupported'
          ? SCALE_FLAGS.midiUnsupported
          : result.problem === 'denied'
            ? SCALE_FLAGS.midiDenied
            : SCALE_FLAGS.midiFailed;
      ctx.flag(flag);
      if (result.error) ctx.setParam('midiError', result.error.slice(0, 200));
      ui.phase.textContent =
        result.problem === 'unsupported' ? 'MIDI is not available here' : 'No MIDI access';
      ui.message.textContent = result.message;
      ctx.announce(result.message);
      await abortable(signal, choose(scope, ui, [{ label: 'OK', value: 'ok', className: 'dt-scale-ok' }]));
      return null;
    }
    ui.controls.replaceChildren();
    if (inputs.length === 1) return { access, input: inputs[0]! };
    ui.phase.textContent = SCALE_TEXT.chooseInput;
    ui.message.textContent = 'Press the name of the keyboard you will play.';
    ctx.announce(SCALE_TEXT.chooseInput);
    const input = await abortable(
      signal,
      choose(
        scope,
        ui,
        inputs.map((port) => ({ label: inputLabel(port), value: port, className: 'dt-scale-input' })),
      ),
    );
    return { access, input };
  }
}

/**
 * Makes the scale task's `run`, with its source of Web MIDI.
 *
 * A run: get a MIDI input ({@link requestMidi}; one is taken as it is, several are offered as large
 * buttons); record it from then on (stream `midi`, see `attachMidiRecorder`); the pedal check (press
 * and release the sustain pedal, or say there is none: `params.sustainPedalCheck`); for blocks with a
 * metronome a Start button that resumes the audio inside the press; the countdown; then the block:
 * - A and B: the metronome at the block's tempo (one click per beat, accent on beat 1, stream
 *   `metronome`), 2-bar count-in (marker `count-in-end`), until every run is played;
 * - C: 8 clicks of count-in at 120 bpm, then no clicks (marker `continuation-start`);
 * - D: no metronome (unless `passageMetronome`); warm-up: `warmUpS` of free playing.
 * A run ends at a silence of `pauseS` after at least 10 notes (3 for the passage): marker `run-end`
 * at its last note-on, a checkpoint, and the progress display "Run k of N" (with how many matched the
 * expected scale exactly). The block ends when every run is played, on its time limit (`maxMinutes`,
 * flag `SHORT_RECORDING`) or on Finish pressed twice (flag `STOPPED_EARLY` if runs were missing).
 * Params set: `tempoBpm` (null without a metronome), `block`, `expectedSequence` (or null),
 * `scaleDescription`, `midiInput` {id, name, manufacturer, version}, `runsAsked`, `runsPlayed`,
 * `runsMatched`, `sustainPedalCheck`, `metronome` (facts), `passagePauseMs`, `analysed`.
 */
export function createScaleRun(options: ScaleRunOptions = {}): (ctx: TaskContext) => Promise<void> {
  return async (ctx) => {
    const navigatorLike =
      options.navigator ?? (typeof navigator === 'undefined' ? undefined : (navigator as MidiNavigatorLike));
    const p = readScaleParams(ctx.params);
    const { clock, signal } = ctx;
    const tempoBpm = blockTempoBpm(p);
    const runsAsked = blockRuns(p);
    const scale = p.block !== 'warm-up' && p.block !== 'd-passage';
    const expected = scale ? expectedSequence(ctx.hand) : null;
    ctx.setParam('block', p.block);
    ctx.setParam('tempoBpm', tempoBpm);
    ctx.setParam('scaleDescription', blockDescription(p, ctx.hand));
    ctx.setParam('expectedSequence', expected);
    ctx.setParam('runsAsked', runsAsked);
    ctx.setParam('passagePauseMs', p.pauseS * 1000);
    ctx.setParam('analysed', p.block !== 'warm-up');

    // The midi stream is required by the recording spec: it exists (empty) even when no MIDI is available.
    const stream = ctx.stream('midi');
    const ui = buildScaleUi();
    const scope = createRunScope(clock);
    let metronome: Metronome | null = null;
    ctx.element.append(ui.root);
    try {
      const chosen = await chooseInput(ctx, scope, ui, navigatorLike);
      if (!chosen) return;
      const { access, input } = chosen;
      ctx.setParam('midiInput', inputFacts(input));
      // Pedal check (measures.md 2.2 Setup: CC 64 must not be pressed), before recording starts: core's
      // analysis flags any CC 64 ≥ 64 of the stream, so the check's own press is not recorded.
      const pedalState = { down: false, cycle: false };
      const onPedal = (event: Event) => {
        const d = (event as MidiMessageEventLike).data;
        if (!d || d.length < 3 || (d[0]! & 0xf0) !== 0xb0 || d[1] !== 64) return;
        const down = d[2]! >= 64;
        if (!down && pedalState.down) pedalState.cycle = true;
        pedalState.down = down;
      };
      input.addEventListener('midimessage', onPedal);
      try {
        void input.open?.()?.catch(() => {});
      } catch {
        // The recorder opens it again.
      }
      ui.phase.textContent = 'Sustain pedal';
      ui.message.textContent = SCALE_TEXT.pedal;
      ctx.announce(SCALE_TEXT.pedal);
      const pedalStart = clock.now();
      let pedalTimer: number | null = null;
      const pedal = await abortable(
        signal,
        new Promise<'pressed-and-released' | 'no-pedal'>((resolve) => {
          void choose(scope, ui, [
            { label: 'I have no pedal', value: 'no-pedal' as const, className: 'dt-scale-no-pedal' },
          ]).then(resolve);
          const poll = () => {
            if (pedalState.cycle && !pedalState.down) return resolve('pressed-and-released');
            if (pedalState.down && clock.now() - pedalStart > PEDAL_HELD_MS)
              ui.hint.textContent = SCALE_TEXT.pedalHeld;
            pedalTimer = scope.later(poll, TICK_MS);
          };
          poll();
        }),
      ).finally(() => {
        scope.cancel(pedalTimer);
        input.removeEventListener('midimessage', onPedal);
      });
      ui.controls.replaceChildren();
      ui.hint.textContent = '';
      // Skipped with the pedal still down: it will be down while playing too (no CC 64 message will say so).
      const heldDown = pedal === 'no-pedal' && pedalState.down;
      ctx.setParam('sustainPedalCheck', heldDown ? 'held-down' : pedal);
      if (heldDown) ctx.flag(SCALE_FLAGS.sustainPedal);
      if (pedal === 'pressed-and-released') ctx.mark(SCALE_MARKERS.pedalChecked);

      const recorder = attachMidiRecorder(access, input, stream, {
        mark: (label, t) => ctx.mark(label, t),
        onOverflow: () => ctx.flag(SCALE_FLAGS.streamFull),
        onStateChange: (state) => {
          if (state === 'disconnected') {
            ctx.flag(SCALE_FLAGS.midiDisconnected);
            ui.hint.textContent = MIDI_TEXT.disconnected;
            ctx.announce(MIDI_TEXT.disconnected);
          } else {
            ui.hint.textContent = MIDI_TEXT.reconnected;
            ctx.announce(MIDI_TEXT.reconnected);
          }
        },
      });
      scope.onDispose(() => recorder.detach());
      const read = streamReader(stream);

      // Everything the display knows comes from the stream, read on a timer (never in the handler).
      let phase: 'ready' | 'playing' | 'ended' = 'ready';
      let noteCount = 0;
      let pedalDown = false;
      let pedalFlagged = false;
      const open = new Map<number, number>();
      const group: { pitches: number[]; lastOnMs: number } = { pitches: [], lastOnMs: -Infinity };
      let runsPlayed = 0;
      let runsMatched = 0;
      let onTick: (() => void) | null = null;
      const consume = () => {
        for (const m of read()) {
          const key = m.data1;
          if (m.type === 0x90 && m.data2 > 0) {
            open.set(key, (open.get(key) ?? 0) + 1);
            if (phase === 'playing') {
              noteCount++;
              group.pitches.push(m.data1);
              group.lastOnMs = m.ms;
            }
          } else if (m.type === 0x80 || m.type === 0x90) {
            const n = open.get(key) ?? 0;
            if (n <= 1) open.delete(key);
            else open.set(key, n - 1);
          } else if (m.type === 0xb0 && m.data1 === 64) {
            pedalDown = m.data2 >= 64;
            if (pedalDown && phase === 'playing' && !pedalFlagged) {
              pedalFlagged = true;
              ctx.flag(SCALE_FLAGS.sustainPedal);
              ctx.mark(SCALE_MARKERS.pedalDown, m.ms);
              ui.hint.textContent = SCALE_TEXT.pedalDuringPlay;
              ctx.announce(SCALE_TEXT.pedalDuringPlay);
            }
          } else if (m.type === 0xb0 && (m.data1 === 120 || m.data1 === 123)) {
            open.clear();
          }
        }
        ui.notes.textContent = String(noteCount);
      };
      const tick = () => {
        consume();
        onTick?.();
        if (phase !== 'ended') scope.later(tick, TICK_MS);
      };
      tick();

      // Start: the audio context must be resumed inside the press (browsers start it suspended).
      let audio: TaskAudioContext | null = null;
      if (tempoBpm !== null) {
        audio = ctx.audio();
        if (!audio) {
          ctx.flag(SCALE_FLAGS.noAudio);
          ui.phase.textContent = 'No sound';
          ui.message.textContent = SCALE_TEXT.noAudio;
          ctx.announce(SCALE_TEXT.noAudio);
          await abortable(
            signal,
            choose(scope, ui, [{ label: 'OK', value: 'ok', className: 'dt-scale-ok' }]),
          );
          return;
        }
      }
      ui.phase.textContent = 'Ready';
      ui.message.textContent =
        p.block === 'd-passage'
          ? 'Get ready to play your passage. Leave a short pause between repetitions.'
          : p.block === 'warm-up'
            ? 'Get ready to play freely.'
            : `Put your ${ctx.hand === 'both' ? 'hands' : `${ctx.hand} hand`} on the starting C.`;
      for (;;) {
        let resumed: Promise<void> = Promise.resolve();
        await abortable(
          signal,
          choose(scope, ui, [{ label: 'Start', value: 'start', className: 'dt-scale-start' }], () => {
            if (audio) resumed = resumeAudio(audio);
          }),
        );
        try {
          await abortable(signal, resumed);
          break;
        } catch (error) {
          if (signal.aborted || isAbortError(error)) throw error;
          ctx.mark('audio-refused');
          ui.message.textContent = SCALE_TEXT.resumeFailed;
          ctx.announce(SCALE_TEXT.resumeFailed);
        }
      }
      ui.root.focus({ preventScroll: true });

      const goMs = await ctx.countdown();
      ctx.mark(MARKERS.trialStart, goMs);
      phase = 'playing';
      const total = runsAsked;
      const progressText = () =>
        total === 0
          ? ''
          : `Run ${Math.min(runsPlayed + 1, total)} of ${total}` +
            (expected && runsPlayed > 0 ? ` (${runsMatched} played as written)` : '');
      setProgress(ui, 0, Math.max(total, 1), progressText());

      let finished = false;
      let finishResolve: ((why: 'runs' | 'time' | 'stop') => void) | null = null;
      const end = (why: 'runs' | 'time' | 'stop') => {
        if (finished) return;
        finished = true;
        finishResolve?.(why);
      };
      ui.finish.disabled = false;
      guardWithSecondPress(scope, ctx, ui.finish, {
        label: 'Finish',
        armedLabel: 'Press again to finish',
        announcement: 'Press Finish again to end the task.',
        confirmMs: STOP_CONFIRM_MS,
        isActive: () => !finished,
        onConfirm: () => {
          ctx.mark(MARKERS.stop);
          end('stop');
        },
      });

      if (tempoBpm !== null && audio) {
        const intervalMs = 60_000 / tempoBpm;
        const writeClick = createMetronomeStreamWriter(ctx.stream('metronome'), () =>
          ctx.flag(SCALE_FLAGS.streamFull),
        );
        const countIn = p.block !== 'd-passage';
        ui.phase.textContent = countIn ? SCALE_TEXT.countIn : SCALE_TEXT.passage;
        ui.message.textContent = '';
        ctx.announce(ui.phase.textContent);
        metronome = startMetronome({
          context: audio,
          intervalMs,
          clicks: p.block === 'c-continuation' ? COUNT_IN_CLICKS : undefined,
          accents: [true, false, false, false],
          clock,
          signal,
          onClick: (click) => {
            writeClick(click);
            if (countIn && click.index === COUNT_IN_CLICKS - 1) {
              ctx.mark(SCALE_MARKERS.countInEnd, click.clickTimeMs + intervalMs);
              if (p.block === 'c-continuation') {
                ctx.mark(SCALE_MARKERS.continuationStart, click.clickTimeMs + intervalMs);
                ui.phase.textContent = SCALE_TEXT.continuation;
              } else ui.phase.textContent = SCALE_TEXT.play;
              ctx.announce(ui.phase.textContent);
            } else if (countIn && click.index < COUNT_IN_CLICKS - 1) {
              ui.message.textContent = `${(click.index % 4) + 1}`;
            }
          },
        });
        // Block C: the metronome ends by itself; its facts are kept when it does.
        void metronome.done.then(
          (result) => ctx.setParam('metronome', metronomeFacts(result)),
          () => {},
        );
      } else {
        ui.phase.textContent = p.block === 'warm-up' ? SCALE_TEXT.warmUp : SCALE_TEXT.passage;
        ui.message.textContent = '';
        ctx.announce(ui.phase.textContent);
      }

      const pauseMs = p.pauseS * 1000;
      const minNotes = scale ? MIN_RUN_NOTES.scale : MIN_RUN_NOTES.passage;
      const limitMs = p.block === 'warm-up' ? p.warmUpS * 1000 : p.maxMinutes * 60_000;
      const matches = (pitches: number[]) =>
        expected !== null &&
        expected.length === 1 &&
        pitches.length === expected[0]!.pitches.length &&
        pitches.every((pitch, i) => pitch === expected[0]!.pitches[i]);
      const why = await abortable(
        signal,
        new Promise<'runs' | 'time' | 'stop'>((resolve) => {
          finishResolve = resolve;
          scope.later(() => end('time'), limitMs);
          onTick = () => {
            if (p.block === 'warm-up') {
              const leftMs = Math.max(0, goMs + limitMs - clock.now());
              setProgress(ui, limitMs - leftMs, limitMs, `${Math.ceil(leftMs / 1000)} s left`);
              return;
            }
            if (group.pitches.length > 0 && clock.now() - group.lastOnMs >= pauseMs) {
              if (group.pitches.length >= minNotes) {
                runsPlayed++;
                if (matches(group.pitches)) runsMatched++;
                ctx.mark(SCALE_MARKERS.runEnd, group.lastOnMs);
                ctx.setParam('runsPlayed', runsPlayed);
                ctx.setParam('runsMatched', runsMatched);
                ctx.checkpoint();
                ctx.announce(`Run ${runsPlayed} of ${total} done.`);
              }
              group.pitches = [];
              setProgress(ui, runsPlayed, total, progressText());
              if (runsPlayed >= total) end('runs');
            }
          };
        }),
      );
      onTick = null;
      metronome?.stop();
      if (metronome) ctx.setParam('metronome', metronomeFacts(await metronome.done));

      phase = 'ended';
      consume();
      ctx.mark(MARKERS.trialEnd, clock.now());
      ctx.setParam('runsPlayed', runsPlayed);
      ctx.setParam('runsMatched', runsMatched);
      if (why === 'stop' && (p.block === 'warm-up' || runsPlayed < total)) ctx.flag(SCALE_FLAGS.stoppedEarly);
      if (why === 'time' && p.block !== 'warm-up' && runsPlayed < total) ctx.flag(SCALE_FLAGS.timeLimit);
      if (noteCount === 0) ctx.flag(SCALE_FLAGS.noNotes);
      ui.finish.disabled = true;
      ui.phase.textContent = 'Done';
      ui.message.textContent =
        p.block === 'warm-up'
          ? `Warm-up done. You played ${noteCount} notes.`
          : `${why === 'stop' ? 'Finished' : 'Done'}. You played ${runsPlayed} ${p.block === 'd-passage' ? 'repetitions' : 'runs'}.`;
      ctx.announce(ui.message.textContent);
      ctx.checkpoint();
      // Keep recording until the keys still down are released, so the last note-offs are kept.
      if (open.size > 0) {
        await new Promise<void>((resolve) => {
          const deadline = clock.now() + SETTLE_MS;
          const wait = () => {
            consume();
            if (open.size === 0 || clock.now() >= deadline || signal.aborted) resolve();
            else scope.later(wait, TICK_MS);
          };
          wait();
        });
      }
    } finally {
      metronome?.stop();
      scope.dispose();
      ui.root.remove();
    }
  };
}

/** The scale task's `run` with the page's Web MIDI. */
export const runScale: (ctx: TaskContext) => Promise<void> = createScaleRun();
