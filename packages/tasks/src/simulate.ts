import type { DeviceV1, Recording, SessionContextV1 } from '@dystrack/core';
import type { StreamBuilder } from './columns';
import type { Hand, TaskParams, TaskPlugin } from './contract';
import { resolveParams } from './params';
import { EMPTY_SESSION_CONTEXT } from './pre-session';
import { buildRecording, FLAGS } from './recording';
import { createRng } from './rng';

export interface SimulateRecordingOptions {
  hand: Hand;
  /** Same seed, same recording (id included). Default 1. */
  seed?: number;
  /** The longest recording the task allows (its maximum duration). */
  longest?: boolean;
  /** Pre-session answers (default: all skipped). */
  context?: SessionContextV1;
  params?: Readonly<Partial<TaskParams>>;
  /** Default: a UUID drawn from the seed. */
  id?: string;
  /** Wall-clock start (default: a date drawn from the seed in 2026). */
  startedAt?: string;
}

/** The device of simulated recordings. */
export const SIMULATED_DEVICE: DeviceV1 = Object.freeze({
  userAgent: 'Dystrack simulator (synthetic participant)',
  platform: 'simulated',
  language: 'en',
  hardwareConcurrency: 4,
  maxTouchPoints: 5,
  screenWidthPx: 1280,
  screenHeightPx: 800,
  devicePixelRatio: 2,
  inputDevice: 'simulated',
});

/** Time 0 of the simulated performance clock: the simulated page loaded at this wall-clock time. */
const SIMULATED_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * A synthetic recording of a task: the task's `simulate()` capture in the same envelope a real run
 * gets ({@link buildRecording}), with a synthetic device and timing and the flag `SIMULATED`.
 * Deterministic for a seed. Passes core's `parseTaskRecording`.
 * @throws RangeError for a hand the task does not allow or bad params
 */
export function simulateRecording(plugin: TaskPlugin, options: SimulateRecordingOptions): Recording {
  const { definition } = plugin;
  if (!definition.hands.includes(options.hand)) {
    throw new RangeError(`the ${definition.id} task cannot be run with hand "${options.hand}"`);
  }
  const seed = options.seed ?? 1;
  const params = resolveParams(definition, options.params);
  const rng = createRng(seed ^ 0x5eed);
  const id = options.id ?? rng.uuid();
  const timeOriginMs = SIMULATED_EPOCH_MS + Math.floor(rng.uniform(0, 365 * 86_400_000));
  const capture = plugin.simulate({ hand: options.hand, params, seed, longest: options.longest ?? false });
  // As in a real run, the wall-clock start is a little before the first marker (the countdown).
  const firstMarker = capture.streams.markers?.columns.timeStampMs?.values[0];
  const startMs =
    timeOriginMs + Math.floor(typeof firstMarker === 'number' ? Math.max(0, firstMarker - 300) : 0);
  return buildRecording(
    plugin,
    capture,
    {
      id,
      hand: options.hand,
      params,
      context: { ...(options.context ?? EMPTY_SESSION_CONTEXT) },
      startedAt: options.startedAt ?? new Date(startMs).toISOString(),
    },
    {
      device: { ...SIMULATED_DEVICE },
      timing: {
        crossOriginIsolated: true,
        resolutionMs: 0.005,
        pollingEstimateHz: null,
        hiddenCount: 0,
        hiddenMs: 0,
        timeOriginMs,
      },
      flags: [FLAGS.simulated],
    },
  );
}

/** One simulated row of the `pointer` stream, every value as it is to be stored. */
export interface PointerStreamRow {
  type: 'pointerdown' | 'pointermove' | 'pointerup';
  /** Time, ms on the performance clock. */
  t: number;
  id: number;
  pointerType: 'pen' | 'touch' | 'mouse';
  isPrimary: boolean;
  /** Client position, CSS px. */
  x: number;
  y: number;
  pressure: number;
  tiltX: number;
  tiltY: number;
  altitudeRad: number;
  azimuthRad: number;
  widthPx: number;
  heightPx: number;
  buttons: number;
}

/**
 * A writer of simulated rows into a `pointer` stream with all 18 columns the pointer recorder stores
 * (moves are coalesced samples; no tangential pressure or twist), shared by every pointer task's simulator.
 */
export function pointerStreamWriter(stream: StreamBuilder): (row: PointerStreamRow) => void {
  const col = {
    type: stream.str('type'),
    time: stream.f64('timeStampMs'),
    coalesced: stream.bool('coalesced'),
    pointerId: stream.i32('pointerId'),
    pointerType: stream.str('pointerType'),
    isPrimary: stream.bool('isPrimary'),
    x: stream.f64('xPx'),
    y: stream.f64('yPx'),
    pressure: stream.f64('pressureNorm'),
    tangential: stream.f64('tangentialPressureNorm'),
    tiltX: stream.f64('tiltXDeg'),
    tiltY: stream.f64('tiltYDeg'),
    twist: stream.f64('twistDeg'),
    altitude: stream.f64('altitudeAngleRad'),
    azimuth: stream.f64('azimuthAngleRad'),
    width: stream.f64('widthPx'),
    height: stream.f64('heightPx'),
    buttons: stream.i32('buttonsMaskId'),
  };
  return (row) => {
    col.type.push(row.type);
    col.time.push(row.t);
    col.coalesced.push(row.type === 'pointermove');
    col.pointerId.push(row.id);
    col.pointerType.push(row.pointerType);
    col.isPrimary.push(row.isPrimary);
    col.x.push(row.x);
    col.y.push(row.y);
    col.pressure.push(row.pressure);
    col.tangential.push(0);
    col.tiltX.push(row.tiltX);
    col.tiltY.push(row.tiltY);
    col.twist.push(0);
    col.altitude.push(row.altitudeRad);
    col.azimuth.push(row.azimuthRad);
    col.width.push(row.widthPx);
    col.height.push(row.heightPx);
    col.buttons.push(row.buttons);
    stream.endRow();
  };
}
