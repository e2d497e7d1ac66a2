/**
 * The trial protocol shared by the handwriting and precision tasks: a pen surface under a header
 * (progress, time left, instruction, notices) and a row of large buttons (Start now, New page, Redo,
 * Done, Finish), and the run of `trials` trials on it:
 *
 * - timed trials (`trialMs`): each after a 3-2-1 countdown, ending by themselves after `trialMs`, with
 *   a rest of `restMs` between them that ends by itself or on Start now; a trial with nothing drawn
 *   is taken again;
 * - untimed trials (`trialMs` null): one countdown at the start, each trial ended by Done (only once
 *   something is drawn), the next starting at once.
 *
 * Redo discards the trial in progress when something is drawn in it, otherwise the last kept trial
 * (during a rest too), and takes it again (timed: after a countdown). Finish needs two presses. The run
 * ends `timeLimitMs` after the first trial started. Markers: `trial-start`, `trial-<k>`, `trial-end`,
 * `redo-<k>`, `page-<n>`, `rest`, `time-limit`, `stop-request`, `stop`, `resize`; a checkpoint at each
 * trial end; `params.attempts` lists every attempt. The surface is cleared before each trial's
 * countdown, so a pen put down during the countdown (a hold) belongs to the trial.
 */
import { abortError } from '../clock';
import { MARKERS } from '../columns';
import type { TaskContext } from '../contract';
import { h, MIN_TARGET_PX } from '../dom';
import { createRunScope, guardWithSecondPress, type RunScope } from '../scope';
import { NOT_PEN_MESSAGE, PEN_FLAGS } from './flags';
import type { InkSummary } from './ink';
import type { PenSurface } from './surface';

/** How long the Finish button stays armed after the first press, ms. */
export const FINISH_CONFIRM_MS = 4000;
/** How often the time left is redrawn, ms. */
const TICK_MS = 200;

/** Marker labels of the pen protocol (besides `trial-start`, `trial-end`, `stop-request`, `stop`). */
export const PEN_MARKERS = {
  /** `trial-<k>`: the k-th trial (1-based) starts; right after its `trial-start`. */
  trial: (k: number) => `trial-${k}`,
  /** `redo-<k>`: trial k is discarded and taken again (its rows stay in the recording). */
  redo: (k: number) => `redo-${k}`,
  /** `page-<n>`: the person turned to page n (≥ 2) of the trial in progress (the ink was cleared). */
  page: (n: number) => `page-${n}`,
  /** A rest between timed trials starts. */
  rest: 'rest',
  timeLimit: 'time-limit',
  resize: 'resize',
} as const;

/** How an attempt at a trial ended. */
export type PenOutcome = 'kept' | 'redone' | 'empty' | 'stopped' | 'time-limit';

/** One attempt at a trial, as recorded in `params.attempts`. */
export interface PenAttempt {
  /** Which trial of the run (1-based). */
  trial: number;
  /** Its `trial-start` and `trial-end` times, ms on the performance clock. */
  startMs: number;
  endMs: number;
  outcome: PenOutcome;
  /** Ink strokes by pointer type, and rejected (palm) strokes, over all its pages. */
  strokes: InkSummary;
  /** Pages written on (only in protocols with New page). */
  pages?: number;
}

/** A pen task's trials. */
export interface PenProtocol {
  /** Trials to keep. */
  trials: number;
  /** Length of each trial, ms; null: the person ends each trial with Done. */
  trialMs: number | null;
  /** Rest between timed trials, ms (it ends earlier on Start now). */
  restMs: number;
  /** The run ends this long after the first trial started, ms (flag `TIME_LIMIT`). */
  timeLimitMs: number;
  /** Whether a New page button clears the ink during a trial (long writing on a small screen). */
  pages: boolean;
  /** The progress label of trial k, e.g. "Sentence 2 of 3". */
  label(k: number): string;
  /** What to do in trial k (shown before its countdown and during it, and announced). */
  instruction(k: number): string;
  /** Said when Done is pressed before anything is drawn. */
  nothingDrawn: string;
}

/** Class-name prefix and elements of a pen task's layout. */
export interface PenTaskUi {
  root: HTMLElement;
  progress: HTMLElement;
  /** The time left (timed trials and rests). */
  time: HTMLElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  message: HTMLElement;
  notice: HTMLElement;
  start: HTMLButtonElement;
  page: HTMLButtonElement;
  redo: HTMLButtonElement;
  done: HTMLButtonElement;
  finish: HTMLButtonElement;
}

/** A large button of a pen task (at least 64 px high). */
export function penButton(text: string, className: string): HTMLButtonElement {
  return h('button', {
    className,
    text,
    attrs: { type: 'button' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '140px',
      fontSize: '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
    },
  });
}

/**
 * The layout of a pen task: header (progress, time left with a bar, instruction), an optional block
 * above the surface (e.g. the text to copy), notices, the surface, and the buttons. Classes are
 * `<prefix>-progress`, `-time`, `-bar`, `-message`, `-notice`, `-start`, `-page`, `-redo`, `-done`,
 * `-finish`. Every button starts disabled.
 */
export function buildPenTaskUi(options: {
  prefix: string;
  surface: PenSurface;
  above?: HTMLElement | null;
  attrs?: Record<string, string>;
}): PenTaskUi {
  const { prefix, surface } = options;
  const progress = h('span', {
    className: `${prefix}-progress`,
    style: { fontSize: '1.25rem', fontWeight: '700' },
  });
  const time = h('span', {
    className: `${prefix}-time`,
    attrs: { 'aria-hidden': 'true' },
    style: { fontSize: '1.25rem', fontVariantNumeric: 'tabular-nums', display: 'none' },
  });
  const barFill = h('div', {
    style: { height: '100%', width: '100%', background: 'var(--dt-bar-fg, #1e3a8a)' },
  });
  const bar = h(
    'div',
    {
      className: `${prefix}-bar`,
      attrs: { role: 'progressbar', 'aria-label': 'Time left', 'aria-valuemin': '0' },
      style: {
        width: '160px',
        height: '12px',
        background: 'var(--dt-bar-bg, #dbeafe)',
        borderRadius: '6px',
        overflow: 'hidden',
        display: 'none',
      },
    },
    barFill,
  );
  const message = h('p', {
    className: `${prefix}-message`,
    style: { fontSize: '1.25rem', margin: '0', flex: '1', minWidth: '16rem' },
  });
  const notice = h('p', {
    className: `${prefix}-notice`,
    attrs: { role: 'note' },
    style: { fontSize: '1rem', margin: '0 16px', color: 'var(--dt-notice-fg, #92400e)' },
  });
  const start = penButton('Start now', `${prefix}-start`);
  const page = penButton('New page', `${prefix}-page`);
  const redo = penButton('Redo', `${prefix}-redo`);
  const done = penButton('Done', `${prefix}-done`);
  const finish = penButton('Finish', `${prefix}-finish`);
  for (const b of [start, page, redo, done, finish]) b.disabled = true;
  start.style.display = 'none';
  const header = h(
    'div',
    {
      className: `${prefix}-header`,
      style: { display: 'flex', alignItems: 'center', gap: '16px', padding: '12px 16px', flexWrap: 'wrap' },
    },
    progress,
    time,
    bar,
    message,
  );
  const footer = h(
    'div',
    {
      className: `${prefix}-footer`,
      style: {
        display: 'flex',
        gap: '16px',
        padding: '12px 16px',
        justifyContent: 'flex-end',
        flexWrap: 'wrap',
      },
    },
    start,
    page,
    redo,
    done,
    finish,
  );
  const root = h(
    'div',
    {
      className: prefix,
      attrs: { tabindex: '-1', ...options.attrs },
      style: {
        display: 'flex',
        flexDirection: 'column',
        height: '100%',
        minHeight: '480px',
        userSelect: 'none',
        outline: 'none',
      },
    },
    header,
    ...(options.above ? [options.above] : []),
    notice,
    surface.root,
    footer,
  );
  root.style.setProperty('-webkit-user-select', 'none');
  return { root, progress, time, bar, barFill, message, notice, start, page, redo, done, finish };
}

/** Notices under the header, each said once (and announced). */
export function createNotices(
  element: HTMLElement,
  announce: (message: string) => void,
): { add(text: string): void; list(): readonly string[] } {
  const notices: string[] = [];
  return {
    add(text) {
      if (notices.includes(text)) return;
      notices.push(text);
      element.textContent = notices.join(' ');
      announce(text);
    },
    list: () => notices,
  };
}

const NO_INK: InkSummary = { pen: 0, touch: 0, mouse: 0, other: 0, rejected: 0 };
const addSummary = (a: InkSummary, b: InkSummary): InkSummary => ({
  pen: a.pen + b.pen,
  touch: a.touch + b.touch,
  mouse: a.mouse + b.mouse,
  other: a.other + b.other,
  rejected: a.rejected + b.rejected,
});

/** The JSON of `params.attempts`. */
export function attemptsParam(attempts: readonly PenAttempt[]) {
  return attempts.map((a) => ({ ...a, strokes: { ...a.strokes } }));
}

/** What the person pressed, or what the clock said. */
type Cue = 'done' | 'redo' | 'finish' | 'time' | 'limit' | 'start';

/** What {@link runPenProtocol} works with. */
export interface PenProtocolRun {
  ctx: TaskContext;
  surface: PenSurface;
  ui: PenTaskUi;
  protocol: PenProtocol;
  /** Says that a finger or mouse is drawing (once); the protocol also flags `NOT_PEN`. */
  tellNotPen(): void;
  /** Draws the guides for the surface's current size and records their geometry (start, resize). */
  layout(): void;
}

/**
 * Runs the trials of `run.protocol` on the laid-out surface (see the module comment) until they are
 * kept, Finish is confirmed, or the time limit; flags `STOPPED_EARLY` (fewer kept than asked),
 * `TIME_LIMIT`, `NOT_PEN` (ink by finger or mouse), `LAYOUT_CHANGED` (resize).
 * @returns the attempts (also in `params.attempts`)
 * @throws AbortError when `ctx.signal` aborts
 */
export async function runPenProtocol(run: PenProtocolRun): Promise<PenAttempt[]> {
  const { ctx, surface, ui, protocol: p } = run;
  const { clock, signal } = ctx;
  const scope: RunScope = createRunScope(clock);
  const timed = p.trialMs !== null;
  const attempts: PenAttempt[] = [];
  const kept = () => attempts.filter((a) => a.outcome === 'kept').length;
  let trial = 1;
  let trialStartMs = 0;
  let carried = NO_INK;
  let pages = 1;
  let phase: 'countdown' | 'trial' | 'rest' | 'ended' = 'countdown';
  let phaseEndMs = 0;
  let limitReached = false;
  let finishConfirmed = false;
  let waiting: ((cue: Cue) => void) | null = null;

  const cue = (c: Cue) => {
    if (c === 'limit') limitReached = true;
    if (c === 'finish') finishConfirmed = true;
    const resolve = waiting;
    waiting = null;
    resolve?.(c);
  };
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortError(signal));
    else scope.listen(signal, 'abort', () => reject(abortError(signal)), { once: true });
  });
  aborted.catch(() => {});
  const next = () =>
    Promise.race([
      new Promise<Cue>((resolve) => {
        if (limitReached) resolve('limit');
        else if (finishConfirmed) resolve('finish');
        else waiting = resolve;
      }),
      aborted,
    ]);

  const summary = () => addSummary(carried, surface.summary());
  const inkCount = () => {
    const s = summary();
    return s.pen + s.touch + s.mouse + s.other;
  };
  const say = (text: string) => {
    ui.message.textContent = text;
    ctx.announce(text);
  };
  const publish = () => ctx.setParam('attempts', attemptsParam(attempts));
  const setPhase = (next: typeof phase) => {
    phase = next;
    const inTrial = next === 'trial';
    ui.redo.disabled = !(inTrial || next === 'rest');
    ui.finish.disabled = !(inTrial || next === 'rest');
    ui.done.disabled = !inTrial;
    ui.page.disabled = !inTrial;
    ui.start.disabled = next !== 'rest';
    ui.start.style.display = next === 'rest' ? '' : 'none';
    const clockShown = (inTrial && timed) || next === 'rest';
    ui.time.style.display = clockShown ? '' : 'none';
    ui.bar.style.display = inTrial && timed ? '' : 'none';
    if (clockShown) tick();
  };
  ui.done.style.display = timed ? 'none' : '';
  ui.page.style.display = p.pages ? '' : 'none';

  let ticker: number | null = null;
  let announcedTen = false;
  const tick = () => {
    scope.cancel(ticker);
    ticker = null;
    if (phase !== 'rest' && !(phase === 'trial' && timed)) return;
    const leftMs = Math.max(0, phaseEndMs - clock.now());
    const leftS = Math.ceil(leftMs / 1000);
    if (phase === 'rest') {
      ui.time.textContent = `${p.label(trial)} starts in ${leftS} s`;
    } else {
      ui.time.textContent = `${leftS} s left`;
      ui.barFill.style.width = `${(100 * leftMs) / p.trialMs!}%`;
      ui.bar.setAttribute('aria-valuenow', String(leftS));
      ui.bar.setAttribute('aria-valuetext', `${leftS} seconds left`);
      if (!announcedTen && p.trialMs! > 20_000 && leftMs <= 10_000) {
        announcedTen = true;
        ctx.announce('10 seconds left');
      }
    }
    ticker = scope.later(tick, TICK_MS);
  };
  ui.bar.setAttribute('aria-valuemax', String(Math.round((p.trialMs ?? 0) / 1000)));

  /** Clears the surface for trial k (before its countdown). */
  const prepare = (k: number) => {
    surface.clear();
    carried = NO_INK;
    pages = 1;
    trial = k;
    ui.progress.textContent = p.label(k);
    ui.message.textContent = p.instruction(k);
  };
  let trialTimer: number | null = null;
  let limitTimerSet = false;
  const begin = (atMs: number) => {
    trialStartMs = atMs;
    ctx.mark(MARKERS.trialStart, atMs);
    ctx.mark(PEN_MARKERS.trial(trial), atMs);
    announcedTen = false;
    if (!limitTimerSet) {
      limitTimerSet = true;
      scope.later(() => cue('limit'), Math.max(0, atMs + p.timeLimitMs - clock.now()));
    }
    if (timed) {
      phaseEndMs = atMs + p.trialMs!;
      trialTimer = scope.later(() => cue('time'), Math.max(0, phaseEndMs - clock.now()));
    }
    setPhase('trial');
    say(`${p.label(trial)}. ${p.instruction(trial)}`);
    ui.root.focus({ preventScroll: true });
  };
  /** Ends the trial in progress. */
  const close = (outcome: PenOutcome): number => {
    scope.cancel(trialTimer);
    trialTimer = null;
    const now = clock.now();
    const strokes = summary();
    const empty = strokes.pen + strokes.touch + strokes.mouse + strokes.other === 0;
    ctx.mark(MARKERS.trialEnd, now);
    if (strokes.touch + strokes.mouse + strokes.other > 0) {
      ctx.flag(PEN_FLAGS.notPen);
      run.tellNotPen();
    }
    attempts.push({
      trial,
      startMs: trialStartMs,
      endMs: now,
      outcome: empty && outcome !== 'redone' ? 'empty' : outcome,
      strokes,
      ...(p.pages ? { pages } : {}),
    });
    publish();
    ctx.checkpoint();
    return now;
  };
  /** Marks the last kept attempt redone; returns its trial, or null when none was kept. */
  const undoLastKept = (): number | null => {
    const last = [...attempts].reverse().find((a) => a.outcome === 'kept');
    if (!last) return null;
    last.outcome = 'redone';
    publish();
    return last.trial;
  };
  const stop = (inTrial: boolean) => {
    if (inTrial) close('stopped');
    ctx.mark(MARKERS.stop);
    if (kept() < p.trials) ctx.flag(PEN_FLAGS.stoppedEarly);
    say('Finished. Thank you.');
  };
  const timeUp = (inTrial: boolean) => {
    if (inTrial) close('time-limit');
    ctx.mark(PEN_MARKERS.timeLimit);
    ctx.flag(PEN_FLAGS.timeLimit);
    say('Time is up. Thank you.');
  };

  scope.listen(ui.done, 'click', () => {
    if (phase === 'trial') cue('done');
  });
  scope.listen(ui.redo, 'click', () => {
    if (phase === 'trial' || phase === 'rest') cue('redo');
  });
  scope.listen(ui.start, 'click', () => {
    if (phase === 'rest') cue('start');
  });
  scope.listen(ui.page, 'click', () => {
    if (phase !== 'trial') return;
    carried = addSummary(carried, surface.summary());
    surface.clear();
    pages++;
    ctx.mark(PEN_MARKERS.page(pages));
    say(`Page ${pages}. Go on writing.`);
  });
  guardWithSecondPress(scope, ctx, ui.finish, {
    label: 'Finish',
    armedLabel: 'Press again to finish',
    announcement: 'Press Finish again to end the task.',
    confirmMs: FINISH_CONFIRM_MS,
    isActive: () => phase === 'trial' || phase === 'rest',
    onConfirm: () => cue('finish'),
  });
  scope.listen(window, 'resize', () => {
    if (phase === 'ended') return;
    ctx.flag(PEN_FLAGS.layoutChanged);
    ctx.mark(PEN_MARKERS.resize);
    run.layout();
  });

  try {
    let countdown = true;
    prepare(1);
    for (;;) {
      // the start of trial `trial`
      let goMs: number;
      if (countdown) {
        setPhase('countdown');
        ctx.announce(`${p.label(trial)}. ${p.instruction(trial)}`);
        goMs = await Promise.race([ctx.countdown(), aborted]);
        if (limitReached) {
          timeUp(false);
          break;
        }
      } else goMs = clock.now();
      begin(goMs);

      // the trial, until something ends it
      let after: 'next' | 'again' | 'end' = 'end';
      for (;;) {
        const c = await next();
        if (c === 'done') {
          if (timed) continue;
          if (inkCount() === 0) {
            say(p.nothingDrawn);
            continue;
          }
          close('kept');
          after = 'next';
        } else if (c === 'time') {
          close('kept');
          after = 'next';
        } else if (c === 'redo') {
          if (inkCount() > 0) {
            const now = close('redone');
            ctx.mark(PEN_MARKERS.redo(trial), now);
            after = 'again';
          } else {
            const current = trial;
            const previous = [...attempts].reverse().find((a) => a.outcome === 'kept');
            if (!previous) {
              say(`Nothing to redo yet. ${p.instruction(current)}`);
              continue;
            }
            const now = close('empty');
            undoLastKept();
            ctx.mark(PEN_MARKERS.redo(previous.trial), now);
            trial = previous.trial;
            after = 'again';
          }
        } else if (c === 'finish') {
          stop(true);
          after = 'end';
        } else if (c === 'limit') {
          timeUp(true);
          after = 'end';
        } else continue;
        break;
      }
      if (after === 'end') break;
      if (kept() >= p.trials) {
        say(kept() === 1 ? 'Done. Thank you.' : `Done: ${kept()} of ${p.trials}. Thank you.`);
        break;
      }
      const k = after === 'again' ? trial : kept() + 1;
      if (!timed) {
        prepare(k);
        countdown = false;
        continue;
      }
      if (after === 'again') {
        prepare(k);
        countdown = true;
        continue;
      }
      // a rest before the next timed trial
      const lastEmpty = attempts.at(-1)?.outcome === 'empty';
      prepare(k);
      ctx.mark(PEN_MARKERS.rest);
      phaseEndMs = clock.now() + p.restMs;
      setPhase('rest');
      say(
        `${lastEmpty ? 'Nothing was drawn, so this one is taken again. ' : ''}Rest a moment. ` +
          `${p.label(k)} starts by itself, or press Start now.`,
      );
      const restTimer = scope.later(() => cue('start'), p.restMs);
      let ended = false;
      for (;;) {
        const c = await next();
        if (c === 'start') break;
        if (c === 'redo') {
          const previous = undoLastKept();
          if (previous === null) {
            say('Nothing to redo yet.');
            continue;
          }
          ctx.mark(PEN_MARKERS.redo(previous));
          prepare(previous);
          break;
        }
        if (c === 'finish') {
          stop(false);
          ended = true;
          break;
        }
        if (c === 'limit') {
          timeUp(false);
          ended = true;
          break;
        }
      }
      scope.cancel(restTimer);
      if (ended) break;
      countdown = true;
    }
    setPhase('ended');
    return attempts;
  } finally {
    phase = 'ended';
    scope.dispose();
  }
}

/** Notices of a pen run: not a pen (said once, the flag comes per attempt). */
export function notPenTeller(notices: { add(text: string): void }): () => void {
  let told = false;
  return () => {
    if (told) return;
    told = true;
    notices.add(NOT_PEN_MESSAGE);
  };
}
