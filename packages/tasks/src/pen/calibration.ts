/**
 * Screen calibration for pen tasks (measures.md 3.2 item 2): the person matches an on-screen outline to
 * a bank card (ISO/IEC 7810 ID-1, 85.60 × 53.98 mm), which gives the CSS px per mm of this screen at
 * this zoom. The result is kept per device in `localStorage` with what it depends on — the device pixel
 * ratio (a browser zoom changes it), the screen size and the pinch-zoom scale — and is only valid while
 * those are the same. Pure functions: the UI is in calibration-ui.ts.
 */

/** Width of an ISO/IEC 7810 ID-1 card (a bank card), mm. */
export const CARD_WIDTH_MM = 85.6;
/** Height of an ISO/IEC 7810 ID-1 card, mm. */
export const CARD_HEIGHT_MM = 53.98;
/** CSS px per mm at the nominal 96 CSS px per inch (CSS Values 4). */
export const NOMINAL_PX_PER_MM = 96 / 25.4;
/** Plausible CSS px per mm of a real screen at any zoom [S]: from large TVs to small phones. */
export const PX_PER_MM_RANGE = { min: 1.5, max: 12 } as const;
/** Steps of the − and + buttons, CSS px of card width. */
export const CALIBRATION_STEPS = { coarsePx: 10, finePx: 1 } as const;
/** The `localStorage` key of the stored calibration. */
export const SCREEN_CALIBRATION_STORAGE_KEY = 'dystrack.screen-calibration.v1';

/** What a calibration depends on: when any of these changes, it no longer holds. */
export interface ScreenSignature {
  /** `window.devicePixelRatio` (browser zoom changes it). */
  devicePixelRatio: number;
  /** `screen.width`, CSS px. */
  screenWidthPx: number;
  /** `screen.height`, CSS px. */
  screenHeightPx: number;
  /** `visualViewport.scale` (pinch zoom), 1 where the browser has no visual viewport. */
  visualViewportScale: number;
}

/** A stored screen calibration. */
export interface ScreenCalibration extends ScreenSignature {
  version: 1;
  /** CSS px per mm on this screen, as measured. */
  pxPerMm: number;
  /** The card width the person confirmed, CSS px. */
  cardWidthPx: number;
  /** When it was made (ISO 8601). */
  calibratedAt: string;
}

/** The parts of `Storage` used here. */
export interface ScreenCalibrationStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The parts of `window` a calibration reads (tests pass a plain object). */
export interface WindowLike {
  devicePixelRatio?: number;
  screen?: { width: number; height: number } | null;
  visualViewport?: { scale: number } | null;
  /** Absent or throwing (storage disabled): nothing is stored and no calibration is found. */
  localStorage?: ScreenCalibrationStorage | null;
}

const finitePositive = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** The screen signature of `win` now (missing values: ratio 1, size 0, scale 1). */
export function screenSignature(win: WindowLike): ScreenSignature {
  const scale = win.visualViewport?.scale;
  return {
    devicePixelRatio: finitePositive(win.devicePixelRatio) ? win.devicePixelRatio : 1,
    screenWidthPx: Number.isFinite(win.screen?.width) ? win.screen!.width : 0,
    screenHeightPx: Number.isFinite(win.screen?.height) ? win.screen!.height : 0,
    visualViewportScale: finitePositive(scale) ? scale : 1,
  };
}

/** Relative tolerance of the ratio and scale comparison (floating-point noise only). */
const TOLERANCE = 1e-6;
const same = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Whether a calibration still holds for `signature`: the same device pixel ratio, pinch-zoom scale and
 * screen size. A screen size with width and height swapped counts as the same (rotating a device does
 * not change its CSS px per mm; some browsers swap `screen.width` and `height` on rotation).
 */
export function calibrationMatches(calibration: ScreenSignature, signature: ScreenSignature): boolean {
  const sizeSame =
    (same(calibration.screenWidthPx, signature.screenWidthPx) &&
      same(calibration.screenHeightPx, signature.screenHeightPx)) ||
    (same(calibration.screenWidthPx, signature.screenHeightPx) &&
      same(calibration.screenHeightPx, signature.screenWidthPx));
  return (
    sizeSame &&
    same(calibration.devicePixelRatio, signature.devicePixelRatio) &&
    same(calibration.visualViewportScale, signature.visualViewportScale)
  );
}

/** The card width in CSS px that a `pxPerMm` gives. */
export function cardWidthPx(pxPerMm: number): number {
  return CARD_WIDTH_MM * pxPerMm;
}

/** Card widths the − and + buttons may reach, CSS px (from {@link PX_PER_MM_RANGE}). */
export const CARD_WIDTH_RANGE_PX = {
  min: Math.ceil(cardWidthPx(PX_PER_MM_RANGE.min)),
  max: Math.floor(cardWidthPx(PX_PER_MM_RANGE.max)),
} as const;

/** The card width after one press: `widthPx + deltaPx`, within {@link CARD_WIDTH_RANGE_PX}. */
export function stepCardWidth(widthPx: number, deltaPx: number): number {
  return Math.min(CARD_WIDTH_RANGE_PX.max, Math.max(CARD_WIDTH_RANGE_PX.min, widthPx + deltaPx));
}

/**
 * A calibration from the card width the person confirmed.
 * @param widthPx - the outline's width when it matched the card, CSS px
 * @param win - the window it was made in (its signature is stored)
 * @param now - the time of the calibration
 * @throws RangeError when the width gives a px/mm outside {@link PX_PER_MM_RANGE}
 */
export function makeCalibration(widthPx: number, win: WindowLike, now: Date = new Date()): ScreenCalibration {
  const pxPerMm = widthPx / CARD_WIDTH_MM;
  if (!(pxPerMm >= PX_PER_MM_RANGE.min && pxPerMm <= PX_PER_MM_RANGE.max)) {
    throw new RangeError(
      `a card ${widthPx} px wide gives ${pxPerMm} px/mm, outside ${PX_PER_MM_RANGE.min}–${PX_PER_MM_RANGE.max}`,
    );
  }
  return {
    version: 1,
    pxPerMm,
    cardWidthPx: widthPx,
    calibratedAt: now.toISOString(),
    ...screenSignature(win),
  };
}

/** A stored value read back, or null when it is not a well-formed calibration. */
export function parseCalibration(text: string | null): ScreenCalibration | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v['version'] !== 1 ||
    !finitePositive(v['pxPerMm']) ||
    v['pxPerMm'] < PX_PER_MM_RANGE.min ||
    v['pxPerMm'] > PX_PER_MM_RANGE.max ||
    !finitePositive(v['cardWidthPx']) ||
    typeof v['calibratedAt'] !== 'string' ||
    !finitePositive(v['devicePixelRatio']) ||
    !finitePositive(v['visualViewportScale']) ||
    typeof v['screenWidthPx'] !== 'number' ||
    !Number.isFinite(v['screenWidthPx']) ||
    typeof v['screenHeightPx'] !== 'number' ||
    !Number.isFinite(v['screenHeightPx'])
  ) {
    return null;
  }
  return {
    version: 1,
    pxPerMm: v['pxPerMm'],
    cardWidthPx: v['cardWidthPx'],
    calibratedAt: v['calibratedAt'],
    devicePixelRatio: v['devicePixelRatio'],
    screenWidthPx: v['screenWidthPx'],
    screenHeightPx: v['screenHeightPx'],
    visualViewportScale: v['visualViewportScale'],
  };
}

/** `win.localStorage`, or null where it is missing or access throws (storage blocked). */
function storageOf(win: WindowLike): ScreenCalibrationStorage | null {
  try {
    return win.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Stores a calibration for this device.
 * @returns false when storage is unavailable or full (the calibration then holds for nothing)
 */
export function saveCalibration(win: WindowLike, calibration: ScreenCalibration): boolean {
  const storage = storageOf(win);
  if (!storage) return false;
  try {
    storage.setItem(SCREEN_CALIBRATION_STORAGE_KEY, JSON.stringify(calibration));
    return true;
  } catch {
    return false;
  }
}

/** The stored calibration, valid or not (null when there is none or it cannot be read). */
export function storedCalibration(win: WindowLike): ScreenCalibration | null {
  const storage = storageOf(win);
  if (!storage) return null;
  try {
    return parseCalibration(storage.getItem(SCREEN_CALIBRATION_STORAGE_KEY));
  } catch {
    return null;
  }
}

/** Removes the stored calibration. */
export function clearCalibration(win: WindowLike): void {
  try {
    storageOf(win)?.removeItem(SCREEN_CALIBRATION_STORAGE_KEY);
  } catch {
    // storage blocked: there is nothing to remove
  }
}

/**
 * The stored calibration if it still holds for `win` now (same device pixel ratio, screen size and
 * pinch-zoom scale), else null: the caller then asks for a new calibration or goes on without one.
 */
export function currentCalibration(win: WindowLike): ScreenCalibration | null {
  const calibration = storedCalibration(win);
  if (!calibration) return null;
  return calibrationMatches(calibration, screenSignature(win)) ? calibration : null;
}
