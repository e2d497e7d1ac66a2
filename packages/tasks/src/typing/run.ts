import { createRunScope, guardWithSecondPress } from '../scope';
import { abortError } from '../clock';
import { MARKERS } from '../columns';
import type { JsonValue, TaskContext } from '../contract';
import { attachKeyboardRecorder } from '../capture/keyboard';
import { h, MIN_TARGET_PX } from '../dom';
import {
  drillBlocks,
  FINGER_NAMES,
  keyCapLabel,
  readTypingParams,
  type DrillBlock,
  type TypingParams,
} from './definition';
import { COPY_TEXTS, copyProgress, editDistance, type CopyText } from './texts';

/** Quality flags of the typing task. */
export const TYPING_FLAGS = {
  /** The person pressed Finish before the text (or the last drill) was done. */
  stoppedEarly: 'STOPPED_EARLY',
  /** The run reached `timeLimitS` and was ended there. */
  timeLimit: 'TIME_LIMIT',
  /** Not a single key was pressed during the trials (copy mode ends after 2 min without a key). */
  noKeys: 'NO_KEYS',
  /** The keyboard stream was full and events were dropped. */
  streamFull: 'STREAM_FULL',
} as const;

/** How long the task waits after its end for keys still down to be released (their `keyup` is kept), ms. */
const SETTLE_MS = 500;
/** How long the Finish button stays armed after the first press, ms. */
const FINISH_CONFIRM_MS = 4000;
/** How often time displays are redrawn, ms. */
const TICK_MS = 250;
/** The time left at which the run warns that its time limit is near, ms. */
const WARN_BEFORE_LIMIT_MS = 60_000;
/** Copy mode: with no key pressed this long after the start, the run ends (a broken keyboard, nobody there), ms. */
const NO_KEYS_END_MS = 120_000;
/** Fractions of the copy text at which progress is announced to screen readers. */
const MILESTONES = [0.25, 0.5, 0.75] as const;

type EndReason = 'done' | 'stop' | 'time' | 'idle';
type EarlyEnd = Exclude<EndReason, 'done'>;

/**
 * Facts of a copy-text run for `recording.params.copy`: counts only, never the typed text.
 * `errors` is the edit distance between what was typed and as much of the text (errors left uncorrected).
 */
export function copyFacts(source: CopyText, typed: string, completed: boolean): JsonValue {
  const progress = copyProgress(typed, source.text);
  const expected = [...source.text].slice(0, progress.typedLength).join('');
  return {
    language: source.language,
    textLength: progress.total,
    typedLength: progress.typedLength,
    errors: editDistance(typed, expected),
    completed,
  };
}

/** A drill as JSON for `recording.params.drills`. */
function drillJson(block: DrillBlock): JsonValue {
  return { drill: block.drill, hand: block.hand, finger: block.finger, codes: [...block.codes] };
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What to do in a drill, in words. */
function drillText(block: DrillBlock, layout: ReadonlyMap<string, string> | null): string {
  const keys = block.codes.map((code) => keyCapLabel(code, layout));
  return block.drill === 'roll'
    ? `${capitalised(block.hand)} hand: press ${keys.join(' ')} in turn, again and again, as fast and as evenly as you can.`
    : `${capitalised(block.hand)} ${FINGER_NAMES[block.finger!]}: press ${keys.join(' and ')} in turn with that finger only, as fast and as evenly as you can.`;
}

interface TypingUi {
  root: HTMLElement;
  label: HTMLElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  valueText: HTMLElement;
  counter: HTMLElement;
  limitText: HTMLElement;
  finish: HTMLButtonElement;
  message: HTMLElement;
  textDone: HTMLElement;
  textCurrent: HTMLElement;
  textRest: HTMLElement;
  input: HTMLTextAreaElement;
  keys: HTMLElement;
  startNow: HTMLButtonElement;
}

const BIG_TEXT = 'clamp(1.5rem, 3vw, 2rem)';

function buildUi(p: TypingParams, source: CopyText, drills: number): TypingUi {
  const copy = p.mode === 'copy';
  const total = [...source.text].length;
  const barFill = h('div', {
    className: 'dt-typing-bar-fill',
    style: { height: '100%', width: copy ? '0%' : '100%', background: 'var(--dt-bar-fg, #1d4ed8)' },
  });
  const bar = h(
    'div',
    {
      className: 'dt-typing-bar',
      style: {
        flex: '1',
        minWidth: '160px',
        height: '24px',
        background: 'var(--dt-bar-bg, #e5e7eb)',
        borderRadius: '12px',
        overflow: 'hidden',
      },
      attrs: copy
        ? {
            role: 'progressbar',
            'aria-label': 'Progress through the text',
            'aria-valuemin': '0',
            'aria-valuemax': String(total),
            'aria-valuenow': '0',
            'aria-valuetext': `0 of ${total} characters`,
          }
        : {
            role: 'progressbar',
            'aria-label': 'Time left in this drill',
            'aria-valuemin': '0',
            'aria-valuemax': String(p.drillDurationS),
            'aria-valuenow': String(p.drillDurationS),
            'aria-valuetext': `${p.drillDurationS} seconds left`,
          },
    },
    barFill,
  );
  const label = h('span', {
    className: 'dt-typing-label',
    text: copy ? 'Progress' : `Drill 1 of ${drills}`,
  });
  const valueText = h('span', {
    className: 'dt-typing-value',
    text: copy ? `0 / ${total}` : `${p.drillDurationS} s`,
    attrs: { 'aria-hidden': 'true' },
    style: { fontVariantNumeric: 'tabular-nums' },
  });
  const counter = h('span', { className: 'dt-typing-count', text: '0' });
  const limitText = h('span', {
    className: 'dt-typing-limit',
    text: copy ? `Up to ${Math.round(p.timeLimitS / 60)} min, no hurry` : '',
    style: { fontVariantNumeric: 'tabular-nums' },
  });
  const finish = h('button', {
    className: 'dt-typing-finish',
    text: 'Finish',
    attrs: { type: 'button', disabled: '' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '160px',
      fontSize: '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
    },
  });
  const header = h(
    'div',
    {
      className: 'dt-typing-header',
      style: { display: 'flex', alignItems: 'center', gap: '16px', flexWrap: 'wrap' },
    },
    label,
    bar,
    valueText,
    ...(copy ? [] : [h('span', { text: 'Presses: ' }, counter)]),
    limitText,
    finish,
  );
  const message = h('p', {
    className: 'dt-typing-message',
    style: { fontSize: '1.375rem', lineHeight: '1.5', margin: '0' },
  });

  const textDone = h('span', {
    className: 'dt-typing-done',
    style: { background: 'var(--dt-typing-done-bg, #dcfce7)', color: 'var(--dt-typing-done-fg, #14532d)' },
  });
  const textCurrent = h('span', {
    className: 'dt-typing-current',
    style: {
      background: 'var(--dt-typing-current-bg, #fde047)',
      outline: '2px solid var(--dt-typing-current-border, #713f12)',
    },
  });
  const textRest = h('span', { className: 'dt-typing-rest', text: source.text });
  const text = h(
    'p',
    {
      className: 'dt-typing-text',
      attrs: { lang: source.language, 'aria-label': 'Text to copy' },
      style: {
        fontSize: BIG_TEXT,
        lineHeight: '1.8',
        margin: '0',
        padding: '16px 20px',
        maxWidth: '46em',
        border: '2px solid var(--dt-text-border, #9ca3af)',
        borderRadius: '12px',
        background: 'var(--dt-text-bg, #f9fafb)',
        userSelect: 'none',
      },
    },
    textDone,
    textCurrent,
    textRest,
  );
  const input = h('textarea', {
    className: 'dt-typing-input',
    attrs: {
      lang: source.language,
      'aria-label': 'Type the text here',
      autocomplete: 'off',
      autocorrect: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      rows: '5',
    },
    style: {
      fontSize: BIG_TEXT,
      lineHeight: '1.6',
      width: '100%',
      maxWidth: '46em',
      minHeight: '6em',
      boxSizing: 'border-box',
      padding: '16px 20px',
      border: '3px solid var(--dt-input-border, #1e3a8a)',
      borderRadius: '12px',
      resize: 'vertical',
    },
  });
  input.readOnly = true;

  const keys = h('div', {
    className: 'dt-typing-keys',
    style: {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      gap: '16px',
      flexWrap: 'wrap',
      minHeight: '200px',
    },
  });
  const startNow = h('button', {
    className: 'dt-typing-start',
    text: 'Start now',
    attrs: { type: 'button' },
    style: {
      minHeight: `${MIN_TARGET_PX}px`,
      minWidth: '200px',
      fontSize: '1.25rem',
      padding: '0 24px',
      cursor: 'pointer',
      alignSelf: 'center',
    },
  });
  startNow.hidden = true;

  const root = h(
    'div',
    {
      className: 'dt-typing',
      attrs: { tabindex: '-1', 'data-mode': p.mode },
      style: {
        display: 'flex',
        flexDirection: 'column',
        gap: '20px',
        padding: '16px',
        minHeight: '420px',
        fontSize: '1.25rem',
        outline: 'none',
      },
    },
    header,
    message,
    ...(copy ? [text, input] : [keys, startNow]),
  );
  return {
    root,
    label,
    bar,
    barFill,
    valueText,
    counter,
    limitText,
    finish,
    message,
    textDone,
    textCurrent,
    textRest,
    input,
    keys,
    startNow,
  };
}

/** Draws the key caps of a drill (at least {@link MIN_TARGET_PX}, labelled for screen readers). */
function drawKeys(ui: TypingUi, block: DrillBlock, layout: ReadonlyMap<string, string> | null): void {
  const sizePx = Math.max(MIN_TARGET_PX, 96);
  ui.keys.replaceChildren(
    ...block.codes.map((code) => {
      const text = keyCapLabel(code, layout);
      return h('div', {
        className: 'dt-typing-key',
        attrs: { 'data-code': code, role: 'img', 'aria-label': `Key ${text}` },
        text,
        style: {
          width: `${sizePx}px`,
          height: `${sizePx}px`,
          flex: 'none',
          boxSizing: 'border-box',
          borderRadius: '16px',
          border: '4px solid var(--dt-target-border, #1e3a8a)',
          background: 'var(--dt-target-bg, #dbeafe)',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontSize: '2.5rem',
          fontWeight: '700',
        },
      });
    }),
  );
}

/** The person's keyboard layout from `navigator.keyboard.getLayoutMap()` where the browser has it. */
function layoutMap(): Promise<ReadonlyMap<string, string>> | null {
  const keyboard = (
    globalThis.navigator as
      (Navigator & { keyboard?: { getLayoutMap?: () => Promise<ReadonlyMap<string, string>> } }) | undefined
  )?.keyboard;
  try {
    return keyboard?.getLayoutMap?.() ?? null;
  } catch {
    return null;
  }
}

/**
 * Runs the typing task. Copy mode: draws the text and an input field, records from then on (keys
 * pressed during the countdown are kept as false starts), counts down, then the person types; the
 * trial ends when as many characters as the text has were typed, on a confirmed Finish, at the
 * time limit, or 2 min after the start when no key was pressed at all. Drill mode: each drill
 * (roll, same-finger; per hand) has a countdown, a trial of `drillDurationS` with a time bar, and a
 * rest after it that ends by itself (or on Start now). Every key event is recorded with
 * `event.timeStamp` through the shared keyboard recorder; `key` only when `storeText` is true.
 */
export async function runTyping(ctx: TaskContext): Promise<void> {
  const p = readTypingParams(ctx.params);
  const { clock, signal } = ctx;
  const copy = p.mode === 'copy';
  const source: CopyText = COPY_TEXTS[p.text];
  const blocks = copy ? [] : drillBlocks(p, ctx.hand);
  const limitMs = p.timeLimitS * 1000;
  if (copy) ctx.setParam('copy', copyFacts(source, '', false));
  else ctx.setParam('drills', blocks.map(drillJson));

  const ui = buildUi(p, source, blocks.length);
  const scope = createRunScope(clock);
  const { later, cancel, listen } = scope;

  let inTrial = false;
  let finished = false;
  let keydowns = 0;
  let presses = 0;
  let block: DrillBlock | null = null;
  let layout: ReadonlyMap<string, string> | null = null;
  let endReason = null as EarlyEnd | null;
  let endRun: (reason: EarlyEnd) => void = () => {};
  const down = new Set<string>();

  ctx.element.append(ui.root);
  try {
    const stream = ctx.stream('keyboard', p.storeText ? ['keyLocationIndex', 'key'] : ['keyLocationIndex']);
    const onOverflow = () => ctx.flag(TYPING_FLAGS.streamFull);
    scope.onDispose(
      attachKeyboardRecorder(window, stream, {
        preventDefault: new Set(blocks.flatMap((b) => b.codes)),
        onOverflow,
        composition: true,
      }),
    );

    const showKey = (code: string, pressed: boolean) => {
      const cap = ui.keys.querySelector<HTMLElement>(`[data-code="${code}"]`);
      if (!cap) return;
      cap.style.background = pressed ? 'var(--dt-target-active-bg, #1e3a8a)' : 'var(--dt-target-bg, #dbeafe)';
      cap.style.color = pressed ? 'var(--dt-target-active-fg, #fff)' : '';
    };
    listen(window, 'keydown', (event) => {
      const e = event as KeyboardEvent;
      down.add(e.code);
      if (!inTrial || e.repeat || e.isComposing) return;
      keydowns++;
      if (block?.codes.includes(e.code)) {
        presses++;
        ui.counter.textContent = String(presses);
        showKey(e.code, true);
      }
    });
    listen(window, 'keyup', (event) => {
      const e = event as KeyboardEvent;
      down.delete(e.code);
      showKey(e.code, false);
    });
    // Blur ends every key press without a keyup: forget them, so the end does not wait for them.
    listen(window, 'blur', () => down.clear());

    const runEnded = new Promise<EarlyEnd>((resolve, reject) => {
      endRun = (reason) => {
        if (endReason !== null || finished) return;
        endReason = reason;
        resolve(reason);
      };
      const onAbort = () => reject(abortError(signal));
      if (signal.aborted) onAbort();
      else listen(signal, 'abort', onAbort, { once: true });
    });
    runEnded.catch(() => {});

    // Guard against a slip: the first press only arms the button.
    const disarmFinish = guardWithSecondPress(scope, ctx, ui.finish, {
      label: 'Finish',
      armedLabel: 'Press again to finish',
      announcement: 'Press Finish again to end the task.',
      confirmMs: FINISH_CONFIRM_MS,
      isActive: () => !finished && endReason === null && !ui.finish.disabled,
      onConfirm: () => {
        ctx.mark(MARKERS.stop);
        endRun('stop');
      },
    });

    let limitStarted = false;
    const startLimit = (goMs: number) => {
      if (limitStarted) return;
      limitStarted = true;
      const sinceGo = clock.now() - goMs;
      later(() => {
        if (finished) return;
        ctx.mark('time-limit');
        endRun('time');
      }, limitMs - sinceGo);
      if (limitMs <= WARN_BEFORE_LIMIT_MS) return;
      later(
        () => {
          if (finished) return;
          ctx.announce('One minute left.');
          const tick = () => {
            if (finished || endReason !== null) return;
            const leftS = Math.max(0, Math.ceil((goMs + limitMs - clock.now()) / 1000));
            ui.limitText.textContent = `${leftS} s left`;
            later(tick, 1000);
          };
          tick();
        },
        limitMs - WARN_BEFORE_LIMIT_MS - sinceGo,
      );
    };
    const startTrial = (goMs: number) => {
      ctx.mark(MARKERS.trialStart, goMs);
      startLimit(goMs);
      inTrial = true;
    };
    const endTrial = (reason: EndReason) => {
      inTrial = false;
      ctx.mark(MARKERS.trialEnd, clock.now());
      if (reason === 'stop') ctx.flag(TYPING_FLAGS.stoppedEarly);
      if (reason === 'time') ctx.flag(TYPING_FLAGS.timeLimit);
      if (reason === 'idle') ctx.flag(TYPING_FLAGS.noKeys);
      if (copy) ctx.setParam('copy', copyFacts(source, ui.input.value, reason === 'done'));
      ctx.checkpoint();
    };

    const runCopy = async (): Promise<EndReason> => {
      const total = [...source.text].length;
      let milestone = 0;
      const render = () => {
        const progress = copyProgress(ui.input.value, source.text);
        const chars = [...source.text];
        ui.textDone.textContent = chars.slice(0, progress.done).join('');
        ui.textCurrent.textContent = chars[progress.done] ?? '';
        ui.textRest.textContent = chars.slice(progress.done + 1).join('');
        ui.barFill.style.width = `${(100 * progress.done) / total}%`;
        ui.bar.setAttribute('aria-valuenow', String(progress.done));
        ui.bar.setAttribute('aria-valuetext', `${progress.done} of ${total} characters`);
        ui.valueText.textContent = `${progress.done} / ${total}`;
        let passed = milestone;
        while (passed < MILESTONES.length && progress.done >= MILESTONES[passed]! * total) passed++;
        if (passed > milestone && !progress.complete) {
          milestone = passed;
          ctx.announce(`${Math.round(MILESTONES[passed - 1]! * 100)} percent of the text done.`);
        }
        return progress;
      };
      render();
      // A plain field: no autocorrect; no paste or drop (the text is to be typed); one paragraph, so
      // Enter adds nothing (except to confirm an IME composition).
      listen(ui.input, 'paste', (event) => event.preventDefault());
      listen(ui.input, 'drop', (event) => event.preventDefault());
      listen(ui.input, 'keydown', (event) => {
        const e = event as KeyboardEvent;
        if (e.key === 'Enter' && !e.isComposing) e.preventDefault();
      });
      ui.message.textContent = 'Put your hands on the keyboard. You can type when the countdown ends.';
      ui.input.focus({ preventScroll: true });

      const goMs = await ctx.countdown();
      startTrial(goMs);
      ui.input.readOnly = false;
      ui.input.focus({ preventScroll: true });
      ui.finish.disabled = false;
      ui.message.textContent =
        ctx.hand === 'both'
          ? 'Type the text below at your normal speed, as you usually do.'
          : `Type the text below with your ${ctx.hand} hand only, at your normal speed.`;
      ctx.announce(ui.message.textContent);
      later(() => {
        if (keydowns > 0 || finished) return;
        ui.message.textContent =
          'No key pressed yet. Start typing when you are ready; without a key press the task ends in 1 minute.';
        ctx.announce(ui.message.textContent);
      }, NO_KEYS_END_MS - 60_000);
      later(() => {
        if (keydowns > 0 || finished) return;
        ctx.mark('no-keys');
        endRun('idle');
      }, NO_KEYS_END_MS);
      const done = new Promise<'done'>((resolve) => {
        listen(ui.input, 'input', () => {
          if (render().complete && inTrial) resolve('done');
        });
      });
      const reason = await Promise.race([done, runEnded]);
      ui.input.readOnly = true;
      endTrial(reason);
      return reason;
    };

    const rest = async (index: number): Promise<'next' | EarlyEnd> => {
      const next = blocks[index]!;
      const restMs = p.restS * 1000;
      const startMs = clock.now();
      ctx.mark('rest', startMs);
      ui.startNow.hidden = false;
      ui.startNow.focus({ preventScroll: true });
      const say = (leftS: number) =>
        `Rest. The next drill starts in ${leftS} s, or press Start now. Next: ${drillText(next, layout)}`;
      ui.message.textContent = say(p.restS);
      ctx.announce(`Drill ${index} of ${blocks.length} done. ${say(p.restS)}`);
      let tickHandle: number | null = null;
      let endHandle: number | null = null;
      const started = new Promise<'next'>((resolve) => {
        endHandle = later(() => resolve('next'), restMs);
        const tick = () => {
          ui.message.textContent = say(Math.max(0, Math.ceil((startMs + restMs - clock.now()) / 1000)));
          tickHandle = later(tick, 1000);
        };
        tickHandle = later(tick, 1000);
        listen(ui.startNow, 'click', () => resolve('next'), { once: true });
      });
      const reason = await Promise.race([started, runEnded]);
      cancel(tickHandle);
      cancel(endHandle);
      ui.startNow.hidden = true;
      return reason;
    };

    const runDrills = async (): Promise<EndReason> => {
      const pending = layoutMap();
      pending?.then(
        (map) => {
          layout = map;
          if (block && !finished) drawKeys(ui, block, layout);
        },
        () => {},
      );
      const durationMs = p.drillDurationS * 1000;
      for (let index = 0; index < blocks.length; index++) {
        const current = blocks[index]!;
        block = current;
        ui.label.textContent = `Drill ${index + 1} of ${blocks.length}`;
        drawKeys(ui, current, layout);
        if (index > 0) {
          ui.finish.disabled = false;
          const reason = await rest(index);
          if (reason !== 'next') return reason;
        }
        // No Finish during a countdown: the countdown always runs to its end.
        ui.finish.disabled = true;
        ui.root.focus({ preventScroll: true });
        ui.message.textContent = `${drillText(current, layout)} Put your fingers on the keys; the drill starts after the countdown.`;
        ctx.announce(ui.message.textContent);
        const goMs = await ctx.countdown();
        if (endReason !== null) return endReason; // the time limit ran out during the countdown
        ctx.mark(`drill-${index + 1}-${current.drill}-${current.hand}`, goMs);
        startTrial(goMs);
        presses = 0;
        ui.counter.textContent = '0';
        ui.finish.disabled = false;
        ui.message.textContent = drillText(current, layout);
        const timeUp = new Promise<'done'>((resolve) => {
          later(() => resolve('done'), durationMs);
          const tick = () => {
            if (!inTrial) return;
            const leftMs = Math.max(0, goMs + durationMs - clock.now());
            const leftS = Math.ceil(leftMs / 1000);
            ui.barFill.style.width = `${(100 * leftMs) / durationMs}%`;
            ui.valueText.textContent = `${leftS} s`;
            ui.bar.setAttribute('aria-valuenow', String(leftS));
            ui.bar.setAttribute('aria-valuetext', `${leftS} seconds left`);
            if (leftMs > 0) later(tick, Math.min(TICK_MS, leftMs));
          };
          tick();
        });
        const reason = await Promise.race([timeUp, runEnded]);
        endTrial(reason);
        ui.barFill.style.width = '100%';
        if (reason !== 'done') return reason;
      }
      return 'done';
    };

    const reason = copy ? await runCopy() : await runDrills();
    finished = true;
    disarmFinish();
    ui.finish.disabled = true;
    if (reason === 'stop') ctx.flag(TYPING_FLAGS.stoppedEarly);
    if (reason === 'time') ctx.flag(TYPING_FLAGS.timeLimit);
    if (keydowns === 0) ctx.flag(TYPING_FLAGS.noKeys);
    const typed = copyProgress(ui.input.value, source.text);
    const count = `You typed ${typed.done} of ${typed.total} characters.`;
    ui.message.textContent = copy
      ? {
          done: 'Done: you typed the whole text. Thank you.',
          stop: `Finished. ${count}`,
          time: `Time is up. ${count}`,
          idle: 'No key was pressed, so the task has ended.',
        }[reason]
      : {
          done: 'All drills done. Thank you.',
          stop: 'Finished before the last drill.',
          time: 'Time is up.',
          idle: 'No key was pressed, so the task has ended.',
        }[reason];
    ctx.announce(ui.message.textContent);
    // Keep recording until keys still down are released, so the last key's release is not lost.
    if (down.size > 0) {
      await new Promise<void>((resolve) => {
        const timeout = later(resolve, SETTLE_MS);
        listen(window, 'keyup', () => {
          if (down.size > 0) return;
          cancel(timeout);
          resolve();
        });
        listen(signal, 'abort', () => resolve(), { once: true });
      });
    }
  } finally {
    finished = true;
    scope.dispose();
    ui.root.remove();
  }
}
