import type { AudioContextLike } from './metronome';
import type { CalibrationDevice, LatencyCalibration } from './calibration';

/**
 * The sound timing check as stored on this device (`localStorage`): saving, reading and the rule for
 * when it still applies. Kept apart from the measurement (calibration.ts) so that the tasks that only
 * read it do not load the measurement code.
 */

/** The audio set-up of a context, for {@link LatencyCalibration.device}. */
export function calibrationDevice(
  context: AudioContextLike & { readonly sampleRate?: number },
  userAgent: string,
): CalibrationDevice {
  const finite = (value: number | undefined) =>
    typeof value === 'number' && Number.isFinite(value) ? value : null;
  return {
    userAgent,
    sampleRate: context.sampleRate ?? 0,
    baseLatencyS: finite(context.baseLatency),
    outputLatencyS: finite(context.outputLatency),
  };
}

/** The `localStorage` key of the device's calibration. */
export const CALIBRATION_STORAGE_KEY = 'dystrack.latencyCalibration.v1';
/** A calibration older than this is not used, days (drivers, settings and devices change). */
export const CALIBRATION_MAX_AGE_DAYS = 30;
/** The output latency may differ from the calibration's by this much before it counts as another device, s. */
export const OUTPUT_LATENCY_TOLERANCE_S = 0.01;

/** The parts of `Storage` used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Why a stored calibration is not used. */
export type CalibrationInvalid = 'none' | 'unreadable' | 'expired' | 'other-device';

/** A window's `localStorage`, or null where reading it throws (storage disabled) or there is no window. */
export function localStorageOf(view: { readonly localStorage: StorageLike } | null): StorageLike | null {
  try {
    return view?.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Stores a calibration for this device (replacing the previous one). Storage errors propagate. */
export function saveLatencyCalibration(storage: StorageLike, calibration: LatencyCalibration): void {
  storage.setItem(CALIBRATION_STORAGE_KEY, JSON.stringify(calibration));
}

/** Forgets this device's calibration. */
export function forgetLatencyCalibration(storage: StorageLike): void {
  storage.removeItem(CALIBRATION_STORAGE_KEY);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function parseCalibration(text: string): LatencyCalibration | null {
  try {
    const value = JSON.parse(text) as Partial<LatencyCalibration> | null;
    if (
      !value ||
      value.version !== 1 ||
      typeof value.measuredAt !== 'string' ||
      !isNumber(value.correctionMs) ||
      !isNumber(value.roundTripMs) ||
      !value.device ||
      !isNumber(value.device.sampleRate)
    ) {
      return null;
    }
    return value as LatencyCalibration;
  } catch {
    return null;
  }
}

/**
 * The stored calibration of this browser if it is readable and at most {@link CALIBRATION_MAX_AGE_DAYS}
 * old (whatever device it was measured on), else the reason there is none.
 */
export function readLatencyCalibration(
  storage: StorageLike | null,
  now: Date = new Date(),
): { calibration: LatencyCalibration } | { invalid: Exclude<CalibrationInvalid, 'other-device'> } {
  let text: string | null;
  try {
    text = storage?.getItem(CALIBRATION_STORAGE_KEY) ?? null;
  } catch {
    return { invalid: 'unreadable' };
  }
  if (text === null) return { invalid: 'none' };
  const calibration = parseCalibration(text);
  if (!calibration) return { invalid: 'unreadable' };
  const ageMs = now.getTime() - Date.parse(calibration.measuredAt);
  if (!(ageMs >= 0 && ageMs <= CALIBRATION_MAX_AGE_DAYS * 86_400_000)) return { invalid: 'expired' };
  return { calibration };
}

/**
 * This device's stored calibration when it still applies to `current` (the set-up of the audio context
 * about to play): the same browser, sample rate and base latency, an output latency within
 * {@link OUTPUT_LATENCY_TOLERANCE_S} (when both are known and non-zero: a Bluetooth headset raises it),
 * and at most {@link CALIBRATION_MAX_AGE_DAYS} old. Otherwise the reason it does not.
 */
export function loadLatencyCalibration(
  storage: StorageLike | null,
  current: CalibrationDevice,
  now: Date = new Date(),
): { calibration: LatencyCalibration } | { invalid: CalibrationInvalid } {
  const found = readLatencyCalibration(storage, now);
  if (!('calibration' in found)) return found;
  const stored = found.calibration.device;
  const sameLatency = (a: number | null, b: number | null, tolerance: number) =>
    a === null || b === null || a === 0 || b === 0 || Math.abs(a - b) <= tolerance;
  if (
    stored.userAgent !== current.userAgent ||
    stored.sampleRate !== current.sampleRate ||
    !sameLatency(stored.baseLatencyS, current.baseLatencyS, 0.0005) ||
    !sameLatency(stored.outputLatencyS, current.outputLatencyS, OUTPUT_LATENCY_TOLERANCE_S)
  ) {
    return { invalid: 'other-device' };
  }
  return found;
}
