/**
 * Pieces shared by the pen tasks' simulators (spiral, handwriting, precision): the simulated device
 * and its card calibration, the pen's sample clock, and a writer that fills every column of the
 * `pointer` stream as the browser recorder does.
 */
import type { StreamBuilder } from '../columns';
import type { Rng } from '../rng';
import { pointerStreamWriter } from '../simulate';
import { CARD_WIDTH_MM, type ScreenCalibration } from './calibration';

/** Sampling rate of the simulated pen (Apple Pencil on an iPad Pro, measures.md 9.3), Hz. */
export const SIMULATED_PEN_HZ = 240;

/** SD of the simulated pen's sample-interval jitter, ms. */
export const SIMULATED_JITTER_MS = 0.15;

/**
 * A card calibration of the simulated 1280 × 800 screen: 3.4–4.6 px/mm, in whole px steps of the card
 * width, as the calibration UI gives.
 */
export function simulatedCalibration(rng: Rng): ScreenCalibration {
  const cardWidthPx = Math.round(CARD_WIDTH_MM * rng.uniform(3.4, 4.6));
  return {
    version: 1,
    pxPerMm: cardWidthPx / CARD_WIDTH_MM,
    cardWidthPx,
    calibratedAt: '2026-01-01T00:00:00.000Z',
    devicePixelRatio: 2,
    screenWidthPx: 1280,
    screenHeightPx: 800,
    visualViewportScale: 1,
  };
}

/** The time of the pen's next sample after `t`, ms: 1/240 s with 0.15-ms jitter, at least 1 ms on. */
export function nextSampleMs(rng: Rng, t: number): number {
  return Math.max(t + 1, t + 1000 / SIMULATED_PEN_HZ + rng.normal(0, SIMULATED_JITTER_MS));
}

/** One simulated pointer row (a pen in contact, or its release). */
export interface SimulatedPointerRow {
  type: 'pointerdown' | 'pointermove' | 'pointerup';
  /** Time, ms on the performance clock. */
  t: number;
  id: number;
  /** Client position, CSS px. */
  x: number;
  y: number;
  pressure: number;
  tiltX: number;
  tiltY: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A writer of pen rows into a `pointer` stream with every column filled, as the recorder stores a pen:
 * moves are coalesced samples, `pointerType` pen, primary, buttons 1 in contact and 0 at the release
 * (pressure 0 there), altitude and azimuth derived from the tilts.
 */
export function penPointerWriter(stream: StreamBuilder): (row: SimulatedPointerRow) => void {
  const write = pointerStreamWriter(stream);
  return (row) => {
    const up = row.type === 'pointerup';
    const tanX = Math.tan((row.tiltX * Math.PI) / 180);
    const tanY = Math.tan((row.tiltY * Math.PI) / 180);
    write({
      type: row.type,
      t: round(row.t, 3),
      id: row.id,
      pointerType: 'pen',
      isPrimary: true,
      x: round(row.x, 2),
      y: round(row.y, 2),
      pressure: up ? 0 : round(row.pressure, 4),
      tiltX: round(row.tiltX, 1),
      tiltY: round(row.tiltY, 1),
      altitudeRad: round(Math.atan(1 / Math.hypot(tanX, tanY)), 4),
      azimuthRad: round((Math.atan2(tanY, tanX) + 2 * Math.PI) % (2 * Math.PI), 4),
      widthPx: 1,
      heightPx: 1,
      buttons: up ? 0 : 1,
    });
  };
}

/** The pen tilt of a simulated hand: tilted towards the writing hand's side, and a little back. */
export function simulatedTilt(rng: Rng, hand: 'left' | 'right' | 'both'): { tiltX: number; tiltY: number } {
  return {
    tiltX: rng.uniform(20, 40) * (hand === 'left' ? -1 : 1),
    tiltY: rng.uniform(-25, -10),
  };
}
