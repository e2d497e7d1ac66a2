import { createRunScope, guardWithSecondPress } from '../scope';
import { abortError } from '../clock';
import { MARKERS } from '../columns';
import type { JsonValue, TaskContext } from '../contract';
import { attachKeyboardRecorder } from '../capture/keyboard';
import { attachPointerRecorder } from '../capture/pointer';
import { h } from '../dom';
import { keyLabel, PX_PER_MM_NOMINAL, readTappingParams, type TappingParams } from './definition';
import { TAPPING_FLAGS } from './flags';
import { runSyncContinuation } from './sync';
import {
  bigButton,
  progressBar,
  tappingArea,
  tappingHeader,
  tappingRoot,
  tappingTarget,
  targetDiameterPx,
} from './ui';

export { TAPPING_FLAGS };

/** How long the trial waits after its end for fingers still down to lift (their `pointerup` is kept), ms. */
const SETTLE_MS = 500;
/** How long the Stop button stays armed after the first press, ms. */
const STOP_CONFIRM_MS = 4000;
/** How often the time bar is redrawn, ms. */
const TICK_MS = 200;

interface TappingUi {
  root: HTMLElement;
  area: HTMLElement;
  targets: HTMLElement[];
  stop: HTMLButtonElement;
  message: HTMLElement;
  counter: HTMLElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  timeText: HTMLElement;
}

function buildUi(p: TappingParams): TappingUi {
  const keys = p.input === 'keys';
  const diameterPx = targetDiameterPx(p);
  const gapPx = Math.max(8, Math.round(p.centreDistanceMm * PX_PER_MM_NOMINAL) - diameterPx);
  const timeText = h('span', { className: 'dt-tapping-time', text: `${p.durationS} s` });
  const { bar, fill: barFill } = progressBar(
    'Time left',
    p.durationS,
    p.durationS,
    `${p.durationS} seconds left`,
    100,
  );
  const counter = h('span', { className: 'dt-tapping-count', text: '0' });
  const stop = bigButton('Stop', 'dt-tapping-stop', true);
  const message = h('p', {
    className: 'dt-tapping-message',
    text: keys
      ? `Put two fingers on the ${keyLabel(p.keyLeft)} and ${keyLabel(p.keyRight)} keys.`
      : 'Put two fingers on the two circles.',
    style: { fontSize: '1.25rem', textAlign: 'center', margin: '16px' },
  });
  const targets = [0, 1].map((index) => {
    const code = index === 0 ? p.keyLeft : p.keyRight;
    const side = index === 0 ? 'Left' : 'Right';
    return tappingTarget({
      index,
      keys,
      ariaLabel: keys ? `${side} key: ${keyLabel(code)}` : `${side} target`,
      text: keyLabel(code),
      diameterPx,
    });
  });
  const area = tappingArea(targets, gapPx);
  const header = tappingHeader('Time', bar, counter, stop, timeText);
  const root = tappingRoot('dt-tapping', { 'data-input': p.input }, header, message, area);
  return { root, area, targets, stop, message, counter, bar, barFill, timeText };
}

function geometry(ui: TappingUi): JsonValue {
  const rect = (element: Element) => {
    const r = element.getBoundingClientRect();
    return { leftPx: r.left, topPx: r.top, widthPx: r.width, heightPx: r.height };
  };
  return {
    targets: ui.targets.map((target) => {
      const r = target.getBoundingClientRect();
      return { centreXPx: r.left + r.width / 2, centreYPx: r.top + r.height / 2, diameterPx: r.width };
    }),
    area: rect(ui.area),
    pxPerMmNominal: PX_PER_MM_NOMINAL,
  };
}

/**
 * Runs one tapping trial. Alternating (TAP-A): draws the targets, records from then on (taps during the
 * countdown are kept as false starts), counts down, runs the trial for `durationS` with a time bar and a
 * tap counter, and ends on time or on a confirmed Stop. Synchronisation–continuation (TAP-B): see
 * {@link runSyncContinuation}.
 */
export async function runTapping(ctx: TaskContext): Promise<void> {
  const p = readTappingParams(ctx.params, ctx.hand);
  if (p.protocol === 'sync-continuation') return runSyncContinuation(ctx, p);
  const keys = p.input === 'keys';
  const durationMs = p.durationS * 1000;
  const { clock, signal } = ctx;
  ctx.setParam('keyLeft', p.keyLeft);
  ctx.setParam('keyRight', p.keyRight);

  const ui = buildUi(p);
  const scope = createRunScope(clock);
  const { later, listen } = scope;

  let startMs: number | null = null;
  let ended = false;
  let taps = 0;
  const down = new Set<number | string>();
  const onTap = (index: number, pressed: boolean) => {
    const target = ui.targets[index]!;
    target.style.background = pressed
      ? 'var(--dt-target-active-bg, #1e3a8a)'
      : 'var(--dt-target-bg, #dbeafe)';
    target.style.color = pressed ? 'var(--dt-target-active-fg, #fff)' : '';
    if (pressed && startMs !== null && !ended) {
      taps++;
      ui.counter.textContent = String(taps);
    }
  };
  const streamFull = () => ctx.flag(TAPPING_FLAGS.streamFull);

  ctx.element.append(ui.root);
  try {
    if (keys) {
      const codes = [p.keyLeft, p.keyRight];
      const stream = ctx.stream('keyboard', ['keyLocationIndex']);
      scope.onDispose(
        attachKeyboardRecorder(window, stream, { preventDefault: new Set(codes), onOverflow: streamFull }),
      );
      listen(window, 'keydown', (event) => {
        const e = event as KeyboardEvent;
        const index = codes.indexOf(e.code);
        if (index < 0) return;
        down.add(e.code);
        if (!e.repeat) onTap(index, true);
      });
      listen(window, 'keyup', (event) => {
        const e = event as KeyboardEvent;
        const index = codes.indexOf(e.code);
        if (index < 0) return;
        down.delete(e.code);
        onTap(index, false);
      });
    } else {
      const stream = ctx.stream('pointer');
      scope.onDispose(attachPointerRecorder(ui.area, stream, { moves: 'pressed', onOverflow: streamFull }));
      listen(ui.area, 'pointerdown', (event) => {
        const e = event as PointerEvent;
        down.add(e.pointerId);
        // Mouse and pen: keep the release on the area even if the pointer slides off (touch does this itself).
        try {
          (e.target as Element | null)?.setPointerCapture?.(e.pointerId);
        } catch {
          // An inactive pointer id (synthetic events) cannot be captured; nothing is lost.
        }
        const target = (e.target as Element | null)?.closest?.('[data-target]');
        if (target) onTap(Number(target.getAttribute('data-target')), true);
      });
      const release = (event: Event) => {
        down.delete((event as PointerEvent).pointerId);
        const target = ((event as PointerEvent).target as Element | null)?.closest?.('[data-target]');
        if (target) onTap(Number(target.getAttribute('data-target')), false);
      };
      listen(ui.area, 'pointerup', release);
      listen(ui.area, 'pointercancel', release);
      // A long press must not open a menu or select text.
      listen(ui.root, 'contextmenu', (event) => event.preventDefault());
    }

    const goMs = await ctx.countdown();
    startMs = goMs;
    ctx.mark(MARKERS.trialStart, goMs);
    ctx.setParam('layout', geometry(ui));
    ui.message.textContent = keys
      ? `Press ${keyLabel(p.keyLeft)} and ${keyLabel(p.keyRight)} in turn, fast and evenly.`
      : 'Tap left, right, left, right, fast and evenly.';
    ui.stop.disabled = false;
    ui.root.focus({ preventScroll: true });
    listen(window, 'resize', () => {
      ctx.flag(TAPPING_FLAGS.layoutChanged);
      ctx.mark('resize');
    });

    const reason = await new Promise<'time' | 'stop'>((resolve, reject) => {
      const end = (why: 'time' | 'stop') => {
        if (!ended) {
          ended = true;
          resolve(why);
        }
      };
      later(() => end('time'), durationMs);
      let announcedTen = durationMs <= 12_000;
      const tick = () => {
        const leftMs = Math.max(0, goMs + durationMs - clock.now());
        const leftS = Math.ceil(leftMs / 1000);
        ui.barFill.style.width = `${(100 * leftMs) / durationMs}%`;
        ui.timeText.textContent = `${leftS} s`;
        ui.bar.setAttribute('aria-valuenow', String(leftS));
        ui.bar.setAttribute('aria-valuetext', `${leftS} seconds left`);
        if (!announcedTen && leftMs <= 10_000) {
          announcedTen = true;
          ctx.announce('10 seconds left');
        }
        if (!ended) later(tick, TICK_MS);
      };
      tick();
      // Guard against an accidental touch: the first press only arms the button.
      guardWithSecondPress(scope, ctx, ui.stop, {
        label: 'Stop',
        armedLabel: 'Press again to stop',
        announcement: 'Press Stop again to end the task.',
        confirmMs: STOP_CONFIRM_MS,
        isActive: () => !ended,
        onConfirm: () => {
          ctx.mark(MARKERS.stop);
          end('stop');
        },
      });
      const onAbort = () => {
        ended = true;
        reject(abortError(signal));
      };
      if (signal.aborted) onAbort();
      else listen(signal, 'abort', onAbort, { once: true });
    });

    const endMs = clock.now();
    ctx.mark(MARKERS.trialEnd, endMs);
    if (reason === 'stop') ctx.flag(TAPPING_FLAGS.stoppedEarly);
    if (taps === 0) ctx.flag(TAPPING_FLAGS.noTaps);
    ui.stop.disabled = true;
    ui.message.textContent =
      reason === 'stop' ? `Stopped. You tapped ${taps} times.` : `Time is up. You tapped ${taps} times.`;
    ctx.announce(ui.message.textContent);
    ctx.checkpoint();
    // Keep recording until fingers still down have lifted, so the last tap's release is not lost.
    if (down.size > 0) {
      await new Promise<void>((resolve) => {
        const check = () => (down.size === 0 ? resolve() : undefined);
        const timeout = later(resolve, SETTLE_MS);
        const lifted = () => {
          check();
          if (down.size === 0) clock.clearTimeout(timeout);
        };
        listen(keys ? window : ui.area, keys ? 'keyup' : 'pointerup', lifted);
        if (!keys) listen(ui.area, 'pointercancel', lifted);
        listen(signal, 'abort', () => resolve(), { once: true });
      });
    }
  } finally {
    scope.dispose();
    ui.root.remove();
  }
}
