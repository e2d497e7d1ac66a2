import { CodedError } from '../../errors/catalogue.js';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import type { QualityFlag } from '../flags.js';
import type { Tap } from '../inputs.js';
import {
  captureFlags,
  pairKeyEvents,
  requiredColumn,
  streamColumn,
  trialWindow,
} from '../typing/key-events.js';
import { inferContinuationStart, type TappingInputWithTargets, type TargetCentre } from './analyzer.js';

/** mm per CSS px at the nominal 96 CSS px per inch. */
export const MM_PER_CSS_PX = 25.4 / 96;

/** Target labels by layout index: the task draws the left target first. */
const LABELS = ['left', 'right'];
const label = (index: number) => LABELS[index] ?? `target-${index}`;

type Params = Recording['params'];
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const positive = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;

/**
 * The screen scale: a calibrated `pxPerMm` in the params (or in `params.layout`) when there is one,
 * else the nominal 96 CSS px per inch (`nominal` true; the task's `layout.pxPerMmNominal` is that
 * nominal value, not a calibration).
 */
export function screenScale(params: Params): { mmPerPx: number; nominal: boolean } {
  const layout = isRecord(params.layout) ? params.layout : {};
  const calibrated = positive(params.pxPerMm) ?? positive(layout.pxPerMm);
  return calibrated ? { mmPerPx: 1 / calibrated, nominal: false } : { mmPerPx: MM_PER_CSS_PX, nominal: true };
}

/** Target centres in CSS px from the task's `layout` param (`targets: [{ centreXPx, centreYPx }]`). */
function layoutCentresPx(params: Params): { xPx: number; yPx: number }[] {
  const layout = params.layout;
  if (!isRecord(layout) || !Array.isArray(layout.targets)) return [];
  const out: { xPx: number; yPx: number }[] = [];
  for (const target of layout.targets) {
    if (!isRecord(target)) return [];
    const { centreXPx, centreYPx } = target;
    if (typeof centreXPx !== 'number' || typeof centreYPx !== 'number') return [];
    out.push({ xPx: centreXPx, yPx: centreYPx });
  }
  return out;
}

/**
 * Taps of a `pointer` stream: each `pointerdown` paired with the next `pointerup` (or
 * `pointercancel`, taken as the release) of the same `pointerId`, at the pointerdown's position;
 * a pointerdown never released is left out. Positions stay in CSS px here.
 */
function pointerTaps(stream: Stream): { downMs: number; upMs: number; xPx: number; yPx: number }[] {
  const type = requiredColumn(stream, 'pointer', 'type', 'str');
  const time = requiredColumn(stream, 'pointer', 'timeStampMs', 'f64');
  const id = requiredColumn(stream, 'pointer', 'pointerId', 'i32');
  const x = requiredColumn(stream, 'pointer', 'xPx', 'f64');
  const y = requiredColumn(stream, 'pointer', 'yPx', 'f64');
  const open = new Map<number, { downMs: number; xPx: number; yPx: number; row: number }>();
  const taps: { downMs: number; upMs: number; xPx: number; yPx: number; row: number }[] = [];
  for (let i = 0; i < type.length; i++) {
    const t = time[i];
    if (typeof t !== 'number') continue;
    if (type[i] === 'pointerdown') {
      open.set(id[i]!, { downMs: t, xPx: x[i] ?? NaN, yPx: y[i] ?? NaN, row: i });
    } else if (type[i] === 'pointerup' || type[i] === 'pointercancel') {
      const down = open.get(id[i]!);
      if (!down) continue;
      open.delete(id[i]!);
      taps.push({ ...down, upMs: t });
    }
  }
  return taps.sort((a, b) => a.row - b.row);
}

/** The continuation start from a marker whose label mentions continuation (e.g. `continuation-start`). */
function continuationMarker(recording: Recording): number | null {
  const markers = recording.streams.markers;
  if (!markers) return null;
  const times = streamColumn(markers, 'timeStampMs', 'f64');
  const labels = streamColumn(markers, 'label', 'str');
  if (!times || !labels) return null;
  for (let i = 0; i < labels.length; i++) {
    const t = times[i];
    if (/continuation/i.test(labels[i]!) && typeof t === 'number') return t;
  }
  return null;
}

/**
 * The output latency a loop-back calibration measured (`params.latencyCalibration.correctionMs`, a
 * finite number of ms), or null when the recording has none.
 */
function latencyCorrection(params: Recording['params']): number | null {
  const calibration = params.latencyCalibration;
  if (typeof calibration !== 'object' || calibration === null || Array.isArray(calibration)) return null;
  const correction = (calibration as Record<string, unknown>).correctionMs;
  return typeof correction === 'number' && Number.isFinite(correction) ? correction : null;
}

/**
 * A tapping recording → tapping input (with the target centres, when the layout gives them).
 * Source of the taps: `params.input` (`keys`: the keyboard stream, `pointer`: the pointer stream);
 * without it, whichever stream has taps (pointer first).
 * - Keys: presses paired from the keyboard stream (auto-repeat dropped: AUTO_REPEAT_DROPPED); only
 *   `params.keyLeft`/`keyRight` count, labelled `left`/`right` (synchronisation–continuation:
 *   `params.syncKey`; without those params every key counts,
 *   labelled by its code); no positions.
 * - Pointer: pointerdown–pointerup pairs; positions converted from CSS px to mm with a calibrated
 *   `pxPerMm` param, else at 96 px per inch (flag NOMINAL_SCALE); each tap is labelled with the nearest
 *   target of `params.layout.targets` (index 0 `left`, 1 `right`), whose centres become
 *   `targetCentresMm`.
 * Taps whose down time lies outside the trial (markers trial-start…trial-end: taps during the
 * countdown are false starts) are left out. Click times come from the `metronome` stream
 * (`clickTimeMs`); with `params.protocol` `sync-continuation` (one target) taps have no target, so no
 * alternation is judged; the continuation phase starts at a marker labelled `…continuation…`, else half a
 * click interval after the last click (when taps follow). With clicks, `params.latencyCalibration`
 * (a loop-back calibration's `correctionMs`) gives the latency correction, else it is null (the mean
 * asynchrony is then not computed). Capture flags (TAB_HIDDEN, …) are passed on.
 * @throws CodedError `E_TASK_MISMATCH` for a recording of another task, `E_INPUT_COLUMNS` when the
 *   stream to read is missing or lacks a column
 */
export function tappingFromRecording(recording: Recording): TappingInputWithTargets {
  if (recording.taskId !== 'tapping') {
    throw new CodedError('E_TASK_MISMATCH', `this is a ${recording.taskId} recording, not tapping`);
  }
  const params = recording.params;
  const flags: QualityFlag[] = captureFlags(recording);
  const trial = trialWindow(recording);
  const inTrial = (downMs: number) => trial === null || (downMs >= trial.startMs && downMs <= trial.endMs);
  const { keyboard, pointer } = recording.streams;

  const keyTaps = (): Tap[] => {
    if (!keyboard) throw new CodedError('E_INPUT_COLUMNS', 'the recording has no keyboard stream');
    const paired = pairKeyEvents(keyboard);
    if (paired.autoRepeatDropped > 0) flags.push('AUTO_REPEAT_DROPPED');
    const sync = params.protocol === 'sync-continuation' && typeof params.syncKey === 'string';
    const keys = sync ? [params.syncKey] : [params.keyLeft, params.keyRight];
    const useKeys = keys.every((k) => typeof k === 'string' && k !== '' && k !== 'auto');
    const taps: Tap[] = [];
    for (const press of paired.presses) {
      const index = useKeys ? keys.indexOf(press.code) : -1;
      if (useKeys && index < 0) continue;
      taps.push({
        downMs: press.downMs,
        upMs: press.upMs,
        target: useKeys ? label(index) : (press.code ?? press.key),
        xMm: null,
        yMm: null,
      });
    }
    return taps;
  };

  let targetCentresMm: Record<string, TargetCentre> | null = null;
  const screenTaps = (): Tap[] => {
    if (!pointer) throw new CodedError('E_INPUT_COLUMNS', 'the recording has no pointer stream');
    const { mmPerPx, nominal } = screenScale(params);
    const centres = layoutCentresPx(params);
    if (centres.length) {
      targetCentresMm = Object.fromEntries(
        centres.map((c, i) => [label(i), { xMm: c.xPx * mmPerPx, yMm: c.yPx * mmPerPx }]),
      );
    }
    const taps = pointerTaps(pointer).map((tap): Tap => {
      let target: string | null = null;
      if (centres.length && Number.isFinite(tap.xPx) && Number.isFinite(tap.yPx)) {
        let best = 0;
        centres.forEach((c, i) => {
          const b = centres[best]!;
          if (Math.hypot(tap.xPx - c.xPx, tap.yPx - c.yPx) < Math.hypot(tap.xPx - b.xPx, tap.yPx - b.yPx))
            best = i;
        });
        target = label(best);
      }
      return {
        downMs: tap.downMs,
        upMs: tap.upMs,
        target,
        xMm: Number.isFinite(tap.xPx) ? tap.xPx * mmPerPx : null,
        yMm: Number.isFinite(tap.yPx) ? tap.yPx * mmPerPx : null,
      };
    });
    if (nominal && taps.some((tap) => tap.xMm !== null)) flags.push('NOMINAL_SCALE');
    return taps;
  };

  let taps: Tap[];
  if (params.input === 'keys') taps = keyTaps();
  else if (params.input === 'pointer') taps = screenTaps();
  else if (pointer && pointerTaps(pointer).length > 0) taps = screenTaps();
  else if (keyboard) taps = keyTaps();
  else throw new CodedError('E_INPUT_COLUMNS', 'the recording has neither a keyboard nor a pointer stream');
  taps = taps.filter((tap) => inTrial(tap.downMs)).sort((a, b) => a.downMs - b.downMs);
  // synchronisation–continuation taps one target: there is no alternation to judge
  if (params.protocol === 'sync-continuation') taps = taps.map((tap) => ({ ...tap, target: null }));

  const metronome = recording.streams.metronome;
  const clicks = metronome ? (streamColumn(metronome, 'clickTimeMs', 'f64') ?? []) : [];
  const beatsMs = [...new Set(clicks.filter((t): t is number => typeof t === 'number'))].sort(
    (a, b) => a - b,
  );
  return {
    task: 'tapping',
    taps,
    beatsMs,
    continuationFromMs: continuationMarker(recording) ?? inferContinuationStart(taps, beatsMs),
    latencyCorrectionMs: beatsMs.length > 0 ? latencyCorrection(params) : undefined,
    flags: [...new Set(flags)].sort(),
    targetCentresMm,
  };
}
