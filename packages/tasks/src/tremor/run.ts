import { TREMOR_TRIAL_MARKERS } from '@dystrack/core';
import { abortable, sleep } from '../clock';
import { MARKERS } from '../columns';
import type { JsonValue, TaskContext } from '../contract';
import { h, MIN_TARGET_PX } from '../dom';
import { resumeAudio } from '../metronome';
import { createRunScope, guardWithSecondPress } from '../scope';
import { browserSpeech, browserVibrate, createCues, type Cues, type SpeechLike } from './cues';
import { readTremorParams, TREMOR_POSITIONS, type TremorPositionId } from './definition';
import { assessTrial, type TrialProblem, type TrialQuality } from './quality';
import {
  createBrowserSensors,
  startSensorRecorder,
  type SensorPermission,
  type SensorRecorder,
  type SensorSource,
  type SensorStreams,
} from './sensors';

/** Quality flags of the tremor task (core's names where core has one). */
export const TREMOR_FLAGS = {
  /** The person finished before every position was done. */
  stoppedEarly: 'STOPPED_EARLY',
  /** The motion-sensor permission was refused, and the person ended the task. */
  permissionDenied: 'SENSOR_PERMISSION_DENIED',
  /** A kept trial had no sensor readings at all. */
  noSensor: 'NO_SENSOR',
  /** A kept trial's sensor delivered under 40 Hz. */
  lowRate: 'LOW_SAMPLING_RATE',
  /** A kept trial had gaps over 100 ms. */
  gaps: 'SAMPLE_GAPS',
  /** The page was hidden during a kept trial. */
  hidden: 'TAB_HIDDEN',
  /** A sensor stream was full: later readings were dropped. */
  streamFull: 'STREAM_FULL',
} as const;

/** The flag a kept trial's problem adds. */
const PROBLEM_FLAG: Record<TrialProblem, string> = {
  'permission-denied': TREMOR_FLAGS.permissionDenied,
  'no-sensor': TREMOR_FLAGS.noSensor,
  'low-rate': TREMOR_FLAGS.lowRate,
  gaps: TREMOR_FLAGS.gaps,
  hidden: TREMOR_FLAGS.hidden,
};

/**
 * Markers of the tremor task, besides `trial-start`, `trial-end`, `countdown-n` and `stop-request`.
 * Those that say which attempt is analysed are core's (core reads them: analysis/tremor/trial.ts).
 */
export const TREMOR_MARKERS = {
  /** Prefix of the marker that opens a position's attempt: `position:rest`. */
  positionPrefix: TREMOR_TRIAL_MARKERS.positionPrefix,
  sensorOn: 'sensor-on',
  sensorOff: 'sensor-off',
  cueStart: 'cue-start',
  cueEnd: 'cue-end',
  kept: TREMOR_TRIAL_MARKERS.kept,
  flagged: TREMOR_TRIAL_MARKERS.flagged,
  discarded: TREMOR_TRIAL_MARKERS.discarded,
  hidden: 'hidden-during-trial',
  permissionDenied: 'permission-denied',
  finish: 'finish',
} as const;

/** Words shown to the person. */
export const TREMOR_TEXT = {
  start: 'Start',
  finish: 'Finish',
  finishArmed: 'Press again to finish',
  keep: 'Keep it, marked as unreliable',
  discard: 'Discard it and do it again',
  tryAgain: 'Ask again',
  end: 'End the task',
  prepare: 'Get into position. Ticks count down, then one beep: hold.',
  hold: 'Hold the position until the two beeps.',
  relax: 'Done. Relax your arm.',
  done: 'This position is done. Thank you.',
  finished: 'Finished.',
  permissionDenied:
    'The phone did not allow this page to use its motion sensors. Press Ask again and choose Allow. On an iPhone, if nothing is asked, close the page, open it again and press Start.',
  problems: {
    'permission-denied': 'The motion sensors were not allowed.',
    'no-sensor':
      'The phone sent no motion readings. This browser or device may have no motion sensor, or it is switched off.',
    'low-rate':
      'The phone sent its motion readings too slowly (fewer than 40 per second) to measure a tremor.',
    gaps: 'The motion readings stopped for a moment during the position.',
    hidden: 'The screen turned off or another app was opened during the position.',
  } satisfies Record<TrialProblem, string>,
  problemQuestion:
    'This position cannot be measured reliably. Keep it with a note, or discard it and do it again?',
} as const;

/** How long the Finish button stays armed after its first press, ms. */
const FINISH_CONFIRM_MS = 4000;
/** Readings arrive a little after they are stamped: the sensors stay on this long after a trial, ms. */
const SETTLE_MS = 300;

/** Options of {@link createTremorRun}: the sources the run uses (tests and end-to-end stubs pass fakes). */
export interface TremorRunOptions {
  /** Default: the browser's sensors. */
  sensors?: SensorSource;
  /** Default: `navigator.vibrate` where it exists. */
  vibrate?: ((pattern: number[]) => boolean) | null;
  /** Default: the browser's speech synthesis where it exists. */
  speech?: SpeechLike | null;
}

/** One trial as `recording.params.trials` holds it. */
export interface TrialRecord extends Omit<TrialQuality, 'rows'> {
  position: TremorPositionId;
  /** 1 for the first attempt at the position, 2 for a redo, … */
  attempt: number;
  startMs: number;
  endMs: number;
  rows: { motion: number; accelerometer: number | null; gyroscope: number | null };
  outcome: 'kept' | 'flagged' | 'discarded';
}

interface TremorUi {
  root: HTMLElement;
  progress: HTMLElement;
  title: HTMLElement;
  steps: HTMLOListElement;
  during: HTMLElement;
  status: HTMLElement;
  controls: HTMLElement;
  finish: HTMLButtonElement;
}

function button(label: string, className: string, large = false): HTMLButtonElement {
  return h('button', {
    className,
    text: label,
    attrs: { type: 'button' },
    style: {
      minHeight: `${large ? 96 : MIN_TARGET_PX}px`,
      minWidth: large ? '280px' : '160px',
      fontSize: large ? '1.5rem' : '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
    },
  });
}

function buildUi(): TremorUi {
  const progress = h('p', {
    className: 'dt-tremor-progress',
    style: { fontSize: '1.25rem', margin: '0', flex: '1' },
  });
  const finish = button(TREMOR_TEXT.finish, 'dt-tremor-finish');
  const title = h('h2', {
    className: 'dt-tremor-title',
    style: { fontSize: '1.75rem', margin: '16px 0 8px' },
  });
  const steps = h('ol', { className: 'dt-tremor-steps', style: { fontSize: '1.25rem', lineHeight: '1.5' } });
  const during = h('p', { className: 'dt-tremor-during', style: { fontSize: '1.25rem', fontWeight: '600' } });
  const status = h('p', {
    className: 'dt-tremor-status',
    style: { fontSize: '1.5rem', minHeight: '2em', textAlign: 'center' },
  });
  const controls = h('div', {
    className: 'dt-tremor-controls',
    style: { display: 'flex', flexWrap: 'wrap', gap: '16px', justifyContent: 'center', padding: '16px' },
  });
  const header = h(
    'div',
    { className: 'dt-tremor-header', style: { display: 'flex', alignItems: 'center', gap: '16px' } },
    progress,
    finish,
  );
  const root = h(
    'div',
    {
      className: 'dt-tremor',
      attrs: { tabindex: '-1' },
      style: {
        display: 'flex',
        flexDirection: 'column',
        minHeight: '420px',
        padding: '16px',
        outline: 'none',
      },
    },
    header,
    title,
    steps,
    during,
    status,
    controls,
  );
  return { root, progress, title, steps, during, status, controls, finish };
}

/** Runs the tremor task with the browser's sensors, vibration and speech. */
export function runTremor(ctx: TaskContext): Promise<void> {
  return createTremorRun()(ctx);
}

/**
 * The tremor run with its own sources: one position (`params.position`, or the first of the plan).
 * Its instructions and Start (which, from the click, resumes the audio and asks for the motion
 * permission on iOS), time to get into position, the 3-2-1 countdown with ticks, one beep (and a
 * vibration) at "go", the trial, two beeps at the end; then the trial's rate and gaps are checked, and
 * a problem (no readings, under 40 Hz, gaps over 100 ms, page hidden) is explained with two large
 * buttons: keep it flagged (the run ends), or discard it and do it again. A trial without a problem
 * ends the run. Finish (pressed twice, before a trial) ends it without one (STOPPED_EARLY).
 */
export function createTremorRun(options: TremorRunOptions = {}): (ctx: TaskContext) => Promise<void> {
  return async (ctx) => {
    const p = readTremorParams(ctx.params, ctx.hand);
    const source = options.sensors ?? createBrowserSensors();
    const { clock, signal } = ctx;
    const scope = createRunScope(clock);
    const ui = buildUi();
    const cues = createCues({
      audio: () => ctx.audio(),
      vibrate: p.vibration ? (options.vibrate === undefined ? browserVibrate() : options.vibrate) : null,
      speech: p.speech ? (options.speech === undefined ? browserSpeech() : options.speech) : null,
    });
    const streams: SensorStreams = {
      motion: ctx.stream('motion'),
      accelerometer: source.apis.accelerometer ? ctx.stream('accelerometer') : null,
      gyroscope: source.apis.gyroscope ? ctx.stream('gyroscope') : null,
    };
    const trials: TrialRecord[] = [];
    const attempts = new Map<TremorPositionId, number>();
    let permission: SensorPermission | null = null;
    let recorder: SensorRecorder | null = null;
    const facts = () => {
      ctx.setParam('trials', trials as unknown as JsonValue);
      ctx.setParam('sensors', {
        apis: { ...source.apis },
        permission,
        frequencyHz: p.sensorHz,
        errors: [...(recorder?.errors ?? [])],
        full: [...(recorder?.full ?? [])],
      });
      ctx.setParam('cues', cues.facts());
    };
    facts();

    // The Finish button: active between trials; its confirmation resolves the current wait.
    let onFinish: (() => void) | null = null;
    guardWithSecondPress(scope, ctx, ui.finish, {
      label: TREMOR_TEXT.finish,
      armedLabel: TREMOR_TEXT.finishArmed,
      announcement: 'Press Finish again to end the task.',
      confirmMs: FINISH_CONFIRM_MS,
      isActive: () => onFinish !== null,
      onConfirm: () => onFinish?.(),
    });

    /** Shows buttons and waits for one of them (or Finish, when `finish` is true). */
    const choose = <T extends string>(
      choices: { label: string; value: T; className: string; large?: boolean }[],
      onPress?: (value: T) => void,
      finish = true,
    ): Promise<T | 'finish'> => {
      ui.controls.replaceChildren();
      ui.finish.disabled = !finish;
      const waiting = new Promise<T | 'finish'>((resolve) => {
        const done = (value: T | 'finish') => {
          onFinish = null;
          ui.controls.replaceChildren();
          resolve(value);
        };
        if (finish) onFinish = () => done('finish');
        for (const choice of choices) {
          const b = button(choice.label, choice.className, choice.large);
          scope.listen(b, 'click', () => {
            onPress?.(choice.value);
            done(choice.value);
          });
          ui.controls.append(b);
        }
        (ui.controls.firstElementChild as HTMLElement | null)?.focus({ preventScroll: true });
      });
      return abortable(signal, waiting);
    };

    /** From a click: resume the audio and, until granted, ask for the sensor permission. */
    let permissionRequest: Promise<SensorPermission> | null = null;
    const fromGesture = () => {
      const audio = ctx.audio();
      if (audio && audio.state !== 'running') resumeAudio(audio).catch(() => {});
      if (permission !== 'granted' && permission !== 'not-required')
        permissionRequest = source.requestPermission();
    };

    /** Gets the permission (asking again while refused); false when the person ends the task. */
    const ensurePermission = async (): Promise<boolean> => {
      for (;;) {
        if (permissionRequest) {
          permission = await abortable(signal, permissionRequest);
          permissionRequest = null;
        }
        if (permission === 'granted' || permission === 'not-required') return true;
        ctx.mark(TREMOR_MARKERS.permissionDenied);
        cues.play('attention');
        ui.status.textContent = TREMOR_TEXT.permissionDenied;
        ctx.announce(TREMOR_TEXT.permissionDenied);
        facts();
        const choice = await choose(
          [
            { label: TREMOR_TEXT.tryAgain, value: 'retry', className: 'dt-tremor-retry', large: true },
            { label: TREMOR_TEXT.end, value: 'end', className: 'dt-tremor-end', large: true },
          ],
          (value) => {
            if (value === 'retry') fromGesture();
          },
          false,
        );
        if (choice !== 'retry') {
          ctx.flag(TREMOR_FLAGS.permissionDenied);
          return false;
        }
        ui.status.textContent = '';
      }
    };

    let hidden = false;
    let endTrialNow: ((why: 'hidden') => void) | null = null;
    scope.listen(document, 'visibilitychange', () => {
      if (document.visibilityState !== 'hidden' || recorder === null) return;
      hidden = true;
      ctx.mark(TREMOR_MARKERS.hidden);
      endTrialNow?.('hidden');
    });

    /** One trial of a position, from Start to the end of its quality check. Returns whether to redo it. */
    const runTrial = async (
      position: TremorPositionId,
      durationS: number,
      cuesRef: Cues,
    ): Promise<boolean> => {
      const attempt = (attempts.get(position) ?? 0) + 1;
      attempts.set(position, attempt);
      hidden = false;
      ctx.mark(`${TREMOR_MARKERS.positionPrefix}${position}`);
      recorder!.arm(true);
      ctx.mark(TREMOR_MARKERS.sensorOn);
      cuesRef.say(TREMOR_POSITIONS[position].spoken);
      ui.status.textContent = TREMOR_TEXT.prepare;
      ctx.announce(TREMOR_TEXT.prepare);
      if (p.prepareS > 0) await sleep(clock, p.prepareS * 1000, signal);
      // Ticks with the countdown's numbers and the start beep at "go", on the audio clock.
      const audioNow = cuesRef.audioNow();
      if (audioNow !== null) {
        for (let k = 0; k < 3; k++) cuesRef.play('tick', audioNow + 0.02 + k);
        cuesRef.play('start', audioNow + 3.02);
      }
      const goMs = await ctx.countdown();
      cuesRef.buzz('start');
      ctx.mark(MARKERS.trialStart, goMs);
      ctx.mark(TREMOR_MARKERS.cueStart, goMs);
      ui.status.textContent = TREMOR_TEXT.hold;
      const reason = hidden
        ? 'hidden'
        : await abortable(
            signal,
            new Promise<'time' | 'hidden'>((resolve) => {
              const timer = scope.later(() => resolve('time'), durationS * 1000);
              endTrialNow = (why) => {
                scope.cancel(timer);
                resolve(why);
              };
            }),
          );
      endTrialNow = null;
      const endMs = clock.now();
      ctx.mark(MARKERS.trialEnd, endMs);
      cuesRef.play('end');
      ctx.mark(TREMOR_MARKERS.cueEnd, endMs);
      ui.status.textContent = TREMOR_TEXT.relax;
      ctx.announce(TREMOR_TEXT.relax);
      if (reason === 'time') await sleep(clock, SETTLE_MS, signal);
      recorder!.arm(false);
      ctx.mark(TREMOR_MARKERS.sensorOff);
      if (recorder!.full.size > 0) ctx.flag(TREMOR_FLAGS.streamFull);

      const quality = assessTrial(streams, goMs, endMs, { hidden });
      const record: TrialRecord = { ...quality, position, attempt, startMs: goMs, endMs, outcome: 'kept' };
      trials.push(record);
      facts();
      ctx.checkpoint();
      if (quality.problems.length === 0) {
        ctx.mark(TREMOR_MARKERS.kept);
        return false;
      }
      cuesRef.play('attention');
      const message = [
        ...quality.problems.map((problem) => TREMOR_TEXT.problems[problem]),
        TREMOR_TEXT.problemQuestion,
      ].join(' ');
      ui.status.textContent = message;
      ctx.announce(message);
      const choice = await choose(
        [
          { label: TREMOR_TEXT.keep, value: 'keep', className: 'dt-tremor-keep', large: true },
          { label: TREMOR_TEXT.discard, value: 'discard', className: 'dt-tremor-discard', large: true },
        ],
        undefined,
        false,
      );
      ui.status.textContent = '';
      if (choice === 'discard') {
        record.outcome = 'discarded';
        ctx.mark(TREMOR_MARKERS.discarded);
      } else {
        record.outcome = 'flagged';
        ctx.mark(TREMOR_MARKERS.flagged);
        for (const problem of quality.problems) ctx.flag(PROBLEM_FLAG[problem]);
      }
      facts();
      ctx.checkpoint();
      return record.outcome === 'discarded';
    };

    ctx.element.append(ui.root);
    try {
      const { position, durationS } = p;
      const info = TREMOR_POSITIONS[position];
      ctx.setParam('position', position);
      ui.progress.textContent = p.index >= 0 ? `Position ${p.index + 1} of ${p.plan.length}` : '';
      ui.title.textContent = info.title;
      ui.steps.replaceChildren(...info.steps[p.mount].map((text) => h('li', { text })));
      ui.during.textContent = `${info.during} (${durationS} seconds)`;
      ctx.announce(`${ui.progress.textContent ? `${ui.progress.textContent}: ` : ''}${info.title}`);
      for (;;) {
        const choice = await choose(
          [{ label: TREMOR_TEXT.start, value: 'start', className: 'dt-tremor-start', large: true }],
          () => fromGesture(),
        );
        if (choice === 'finish') {
          ctx.mark(TREMOR_MARKERS.finish);
          ctx.flag(TREMOR_FLAGS.stoppedEarly);
          ui.status.textContent = TREMOR_TEXT.finished;
          break;
        }
        if (!(await ensurePermission())) break;
        recorder ??= startSensorRecorder(source, streams, { frequencyHz: p.sensorHz, clock });
        ui.finish.disabled = true;
        const again = await runTrial(position, durationS, cues);
        if (!again) {
          ui.status.textContent = TREMOR_TEXT.done;
          ctx.announce(TREMOR_TEXT.done);
          break;
        }
      }
      facts();
    } finally {
      recorder?.stop();
      cues.stop();
      scope.dispose();
      ui.root.remove();
    }
  };
}
