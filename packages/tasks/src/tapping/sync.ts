import { createRunScope, guardWithSecondPress } from '../scope';
import { abortable, isAbortError, sleep } from '../clock';
import { MARKERS } from '../columns';
import type { JsonValue, TaskAudioContext, TaskContext } from '../contract';
import { attachKeyboardRecorder } from '../capture/keyboard';
import { attachPointerRecorder } from '../capture/pointer';
import { h } from '../dom';
import {
  createMetronomeStreamWriter,
  metronomeFacts,
  resumeAudio,
  startMetronome,
  type Metronome,
  type MetronomeResult,
} from '../metronome';
import { calibrationDevice, loadLatencyCalibration, localStorageOf } from '../metronome/calibration-store';
import { keyLabel, PX_PER_MM_NOMINAL, type TappingParams } from './definition';
import { TAPPING_FLAGS } from './flags';
import {
  bigButton,
  progressBar,
  tappingArea,
  tappingHeader,
  tappingRoot,
  tappingTarget,
  targetDiameterPx,
} from './ui';

/** Markers of the synchronisation–continuation protocol, besides `trial-start` and `trial-end`. */
export const SYNC_MARKERS = {
  /** The paced phase begins (at "go" of the countdown; the first click follows 100 ms later). */
  pacedStart: 'paced-start',
  /**
   * The unpaced phase begins: half a click interval after the last click, the boundary core's analysis
   * also infers (taps before it are paired with clicks; continuation intervals are counted after it).
   */
  continuationStart: 'continuation-start',
  /** The continuation phase ended on its time limit before the person made `continuationTaps` taps. */
  continuationTimeLimit: 'continuation-time-limit',
} as const;

/** Words shown and announced in each phase. */
export const SYNC_TEXT = {
  paced: 'Tap with the beat',
  continuation: 'Keep going without the beat',
  noAudio:
    'This browser cannot play sound, so the rhythm test cannot run here. Try another browser, or choose the speed test.',
  resumeFailed:
    'The sound could not be started. Check that sound is allowed for this page, then press Start the beat again.',
  highLatency:
    'Your sound seems to come through wireless headphones or speakers, which delay each click by a varying amount. ' +
    'For comparable results use the built-in speaker or wired headphones next time; this session is marked.',
} as const;

/** Base + output latency from which the sound is taken for a wireless output, s (measures.md 6.5). */
const HIGH_AUDIO_LATENCY_S = 0.1;

/** How long the trial waits after its end for fingers still down to lift, ms. */
const SETTLE_MS = 500;
/** How long the Stop button stays armed after the first press, ms. */
const STOP_CONFIRM_MS = 4000;
/** Delay of the first click after "go", ms. */
const FIRST_CLICK_DELAY_MS = 100;

interface SyncUi {
  root: HTMLElement;
  area: HTMLElement;
  target: HTMLElement;
  phase: HTMLElement;
  message: HTMLElement;
  start: HTMLButtonElement;
  stop: HTMLButtonElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  counter: HTMLElement;
}

function buildSyncUi(p: TappingParams, total: number): SyncUi {
  const keys = p.input === 'keys';
  const { bar, fill: barFill } = progressBar('Progress', total, 0, 'Not started', 0);
  const counter = h('span', { className: 'dt-tapping-count', text: '0' });
  const stop = bigButton('Stop', 'dt-tapping-stop', true);
  const start = bigButton('Start the beat', 'dt-tapping-start', false);
  const phase = h('p', {
    className: 'dt-tapping-phase',
    text: 'Get ready',
    style: { fontSize: '1.75rem', fontWeight: '700', textAlign: 'center', margin: '16px 16px 0' },
  });
  const message = h('p', {
    className: 'dt-tapping-message',
    text: keys
      ? `Put one finger on the ${keyLabel(p.syncKey)} key. When you press Start the beat, you will hear clicks. ` +
        `Press the key with each click. When the clicks stop, keep pressing at the same pace until the bar is full.`
      : 'Put one finger on the circle. When you press Start the beat, you will hear clicks. ' +
        'Tap the circle with each click. When the clicks stop, keep tapping at the same pace until the bar is full.',
    style: { fontSize: '1.25rem', textAlign: 'center', margin: '16px' },
  });
  const target = tappingTarget({
    index: 0,
    keys,
    ariaLabel: keys ? `Key: ${keyLabel(p.syncKey)}` : 'Target',
    text: keyLabel(p.syncKey),
    diameterPx: targetDiameterPx(p),
  });
  const area = tappingArea([target]);
  const header = tappingHeader('Progress', bar, counter, stop);
  const controls = h('div', { style: { display: 'flex', justifyContent: 'center', padding: '8px' } }, start);
  const root = tappingRoot(
    'dt-tapping dt-tapping-sync',
    { 'data-input': p.input, 'data-protocol': 'sync-continuation' },
    header,
    phase,
    message,
    controls,
    area,
  );
  return { root, area, target, phase, message, start, stop, bar, barFill, counter };
}

function syncGeometry(ui: SyncUi): JsonValue {
  const r = ui.target.getBoundingClientRect();
  const a = ui.area.getBoundingClientRect();
  return {
    targets: [{ centreXPx: r.left + r.width / 2, centreYPx: r.top + r.height / 2, diameterPx: r.width }],
    area: { leftPx: a.left, topPx: a.top, widthPx: a.width, heightPx: a.height },
    pxPerMmNominal: PX_PER_MM_NOMINAL,
  };
}

/**
 * TAP-B, synchronisation–continuation (measures.md 6.2): one target (or one key), a Start-the-beat
 * button that resumes the audio context inside the click, the countdown, `pacedClicks` metronome clicks
 * every `intervalMs` (stream `metronome`) to tap along with, then, half an interval after the last
 * click, the unpaced phase until `continuationTaps` taps (or twice as many intervals). Markers
 * `trial-start` and `paced-start` at "go", `continuation-start`, `trial-end`. Without an audio context it
 * says so and ends with the flag `NO_AUDIO`, before anything is tapped.
 */
export async function runSyncContinuation(ctx: TaskContext, p: TappingParams): Promise<void> {
  const keys = p.input === 'keys';
  const { clock, signal } = ctx;
  const intervalMs = p.intervalMs;
  const total = p.pacedClicks + p.continuationTaps;

  const ui = buildSyncUi(p, total);
  const scope = createRunScope(clock);
  const { later, listen } = scope;

  type Phase = 'ready' | 'paced' | 'continuation' | 'ended';
  let phase: Phase = 'ready';
  let taps = 0;
  let continuationFromMs = Infinity;
  let continuationTaps = 0;
  let clicksPlayed = 0;
  let onContinuationTap: (() => void) | null = null;
  const down = new Set<number | string>();
  const progress = () => {
    const done = Math.min(total, clicksPlayed + continuationTaps);
    ui.barFill.style.width = `${(100 * done) / total}%`;
    ui.bar.setAttribute('aria-valuenow', String(done));
    ui.bar.setAttribute(
      'aria-valuetext',
      phase === 'continuation'
        ? `${continuationTaps} of ${p.continuationTaps} taps without the beat`
        : `Beat ${clicksPlayed} of ${p.pacedClicks}`,
    );
  };
  const onTap = (pressed: boolean, timeStampMs: number) => {
    ui.target.style.background = pressed
      ? 'var(--dt-target-active-bg, #1e3a8a)'
      : 'var(--dt-target-bg, #dbeafe)';
    ui.target.style.color = pressed ? 'var(--dt-target-active-fg, #fff)' : '';
    if (!pressed || (phase !== 'paced' && phase !== 'continuation')) return;
    taps++;
    ui.counter.textContent = String(taps);
    if (phase === 'continuation' && timeStampMs > continuationFromMs) {
      continuationTaps++;
      progress();
      onContinuationTap?.();
    }
  };
  const streamFull = () => ctx.flag(TAPPING_FLAGS.streamFull);

  let metronome: Metronome | null = null;
  ctx.element.append(ui.root);
  try {
    const audio: TaskAudioContext | null = ctx.audio();
    if (!audio) {
      // Tapping without a beat would record nothing this protocol measures.
      ctx.flag(TAPPING_FLAGS.noAudio);
      ui.phase.textContent = 'No sound';
      ui.message.textContent = SYNC_TEXT.noAudio;
      ui.start.textContent = 'OK';
      ctx.announce(SYNC_TEXT.noAudio);
      ui.start.focus({ preventScroll: true });
      await abortable(
        signal,
        new Promise<void>((resolve) => listen(ui.start, 'click', () => resolve(), { once: true })),
      );
      return;
    }

    if (keys) {
      const stream = ctx.stream('keyboard', ['keyLocationIndex']);
      scope.onDispose(
        attachKeyboardRecorder(window, stream, {
          preventDefault: new Set([p.syncKey]),
          onOverflow: streamFull,
        }),
      );
      listen(window, 'keydown', (event) => {
        const e = event as KeyboardEvent;
        if (e.code !== p.syncKey) return;
        down.add(e.code);
        if (!e.repeat) onTap(true, e.timeStamp);
      });
      listen(window, 'keyup', (event) => {
        const e = event as KeyboardEvent;
        if (e.code !== p.syncKey) return;
        down.delete(e.code);
        onTap(false, e.timeStamp);
      });
    } else {
      const stream = ctx.stream('pointer');
      scope.onDispose(attachPointerRecorder(ui.area, stream, { moves: 'pressed', onOverflow: streamFull }));
      listen(ui.area, 'pointerdown', (event) => {
        const e = event as PointerEvent;
        down.add(e.pointerId);
        try {
          (e.target as Element | null)?.setPointerCapture?.(e.pointerId);
        } catch {
          // An inactive pointer id (synthetic events) cannot be captured; nothing is lost.
        }
        if ((e.target as Element | null)?.closest?.('[data-target]')) onTap(true, e.timeStamp);
      });
      const release = (event: Event) => {
        const e = event as PointerEvent;
        down.delete(e.pointerId);
        if ((e.target as Element | null)?.closest?.('[data-target]')) onTap(false, e.timeStamp);
      };
      listen(ui.area, 'pointerup', release);
      listen(ui.area, 'pointercancel', release);
      listen(ui.root, 'contextmenu', (event) => event.preventDefault());
    }

    // Start the beat: the audio context must be resumed inside the person's click (browsers start it
    // suspended), so resumeAudio is called synchronously in the handler, before any await.
    ui.start.focus({ preventScroll: true });
    for (;;) {
      const resumed = await abortable(
        signal,
        new Promise<{ result: Promise<void> }>((resolve) => {
          const onClick = () => {
            ui.start.removeEventListener('click', onClick);
            ui.start.disabled = true;
            resolve({ result: resumeAudio(audio) });
          };
          ui.start.addEventListener('click', onClick);
          scope.onDispose(() => ui.start.removeEventListener('click', onClick));
        }),
      );
      try {
        await abortable(signal, resumed.result);
        break;
      } catch (error) {
        if (signal.aborted || isAbortError(error)) throw error;
        ctx.mark('audio-refused');
        ui.message.textContent = SYNC_TEXT.resumeFailed;
        ctx.announce(SYNC_TEXT.resumeFailed);
        ui.start.disabled = false;
        ui.start.focus({ preventScroll: true });
      }
    }
    ui.start.parentElement?.remove();
    ui.root.focus({ preventScroll: true });

    // Wireless output delays every click by a large, varying amount (measures.md 6.5): say so and flag it
    const latencyS = (audio.baseLatency ?? 0) + (audio.outputLatency ?? 0);
    const wireless = latencyS >= HIGH_AUDIO_LATENCY_S;
    if (wireless) {
      ctx.flag(TAPPING_FLAGS.highAudioLatency);
      ctx.mark('high-audio-latency');
    }
    // The sound timing check of this device, if it still applies: the analysis then corrects the mean
    // asynchrony by the measured output latency (measures.md 6.5); without it the mean is not computed.
    const view = ctx.element.ownerDocument.defaultView;
    const found = loadLatencyCalibration(
      localStorageOf(view),
      calibrationDevice(audio, view?.navigator.userAgent ?? ''),
    );
    if ('calibration' in found)
      ctx.setParam('latencyCalibration', JSON.parse(JSON.stringify(found.calibration)) as JsonValue);
    else ctx.setParam('latencyCalibrationMissing', found.invalid);
    ui.message.textContent =
      (wireless ? `${SYNC_TEXT.highLatency} ` : '') +
      (keys ? `Put one finger on the ${keyLabel(p.syncKey)} key.` : 'Put one finger on the circle.');
    if (wireless) ctx.announce(SYNC_TEXT.highLatency);
    const goMs = await ctx.countdown();
    ctx.mark(MARKERS.trialStart, goMs);
    ctx.mark(SYNC_MARKERS.pacedStart, goMs);
    ctx.setParam('layout', syncGeometry(ui));
    listen(window, 'resize', () => {
      ctx.flag(TAPPING_FLAGS.layoutChanged);
      ctx.mark('resize');
    });
    phase = 'paced';
    ui.phase.textContent = SYNC_TEXT.paced;
    ui.message.textContent = keys
      ? `Press ${keyLabel(p.syncKey)} with each click.`
      : 'Tap the circle with each click.';
    ctx.announce(`${SYNC_TEXT.paced}.`);
    progress();

    // Stop: two presses within 4 s, as in the alternating protocol.
    let stopped = false;
    let stopWaiter: (() => void) | null = null;
    ui.stop.disabled = false;
    guardWithSecondPress(scope, ctx, ui.stop, {
      label: 'Stop',
      armedLabel: 'Press again to stop',
      announcement: 'Press Stop again to end the task.',
      confirmMs: STOP_CONFIRM_MS,
      isActive: () => phase !== 'ended' && !stopped,
      onConfirm: () => {
        ctx.mark(MARKERS.stop);
        stopped = true;
        metronome?.stop();
        stopWaiter?.();
      },
    });

    const writeClick = createMetronomeStreamWriter(ctx.stream('metronome'), streamFull);
    metronome = startMetronome({
      context: audio,
      intervalMs,
      clicks: p.pacedClicks,
      firstClickDelayMs: FIRST_CLICK_DELAY_MS,
      clock,
      signal,
      onClick: (click) => {
        writeClick(click);
        clicksPlayed++;
        progress();
      },
    });
    const result: MetronomeResult = await metronome.done;
    ctx.setParam('metronome', metronomeFacts(result));

    if (!stopped) {
      // The continuation phase starts half an interval after the last click.
      const lastClickMs = result.clicks.at(-1)?.clickTimeMs;
      const waitMs = lastClickMs === undefined ? 0 : lastClickMs + intervalMs / 2 - clock.now();
      if (waitMs > 0) await sleep(clock, waitMs, signal);
      continuationFromMs = clock.now();
      ctx.mark(SYNC_MARKERS.continuationStart, continuationFromMs);
      phase = 'continuation';
      ui.phase.textContent = SYNC_TEXT.continuation;
      ui.message.textContent = keys
        ? `Keep pressing ${keyLabel(p.syncKey)} at the same pace until the bar is full.`
        : 'Keep tapping at the same pace until the bar is full.';
      ctx.announce(`${SYNC_TEXT.continuation}.`);
      progress();

      const limitMs = 2 * p.continuationTaps * intervalMs;
      const why = await abortable(
        signal,
        new Promise<'taps' | 'time' | 'stop'>((resolve) => {
          stopWaiter = () => resolve('stop');
          later(() => resolve('time'), limitMs);
          onContinuationTap = () => {
            // End half an interval after the last tap asked for, so that its release is kept too.
            if (continuationTaps === p.continuationTaps) later(() => resolve('taps'), intervalMs / 2);
          };
        }),
      );
      if (why === 'time') {
        ctx.mark(SYNC_MARKERS.continuationTimeLimit);
        ctx.flag(TAPPING_FLAGS.tooFewContinuationTaps);
      }
    }

    phase = 'ended';
    ctx.mark(MARKERS.trialEnd, clock.now());
    if (stopped) ctx.flag(TAPPING_FLAGS.stoppedEarly);
    if (taps === 0) ctx.flag(TAPPING_FLAGS.noTaps);
    ui.stop.disabled = true;
    ui.phase.textContent = 'Done';
    ui.message.textContent = stopped
      ? `Stopped. You tapped ${taps} times.`
      : `Done. You tapped ${taps} times.`;
    ctx.announce(ui.message.textContent);
    ctx.checkpoint();
    if (down.size > 0) {
      await new Promise<void>((resolve) => {
        const timeout = later(resolve, SETTLE_MS);
        const lifted = () => {
          if (down.size > 0) return;
          scope.cancel(timeout);
          resolve();
        };
        listen(keys ? window : ui.area, keys ? 'keyup' : 'pointerup', lifted);
        if (!keys) listen(ui.area, 'pointercancel', lifted);
        listen(signal, 'abort', () => resolve(), { once: true });
      });
    }
  } finally {
    metronome?.stop();
    scope.dispose();
    ui.root.remove();
  }
}
