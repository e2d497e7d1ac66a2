import { describe, expect, it } from 'vitest';
import {
  CARD_WIDTH_RANGE_PX,
  SCREEN_CALIBRATION_STORAGE_KEY,
  calibrationMatches,
  currentCalibration,
  makeCalibration,
  parseCalibration,
  saveCalibration,
  screenSignature,
  stepCardWidth,
  storedCalibration,
  type ScreenCalibrationStorage,
  type WindowLike,
} from './calibration';

function memoryStorage(): ScreenCalibrationStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const device = (over: Partial<WindowLike> = {}): WindowLike => ({
  devicePixelRatio: 2,
  screen: { width: 1280, height: 800 },
  visualViewport: { scale: 1 },
  localStorage: memoryStorage(),
  ...over,
});

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('screen calibration (pure)', () => {
  it('turns the confirmed card width into CSS px per mm and keeps the screen signature', () => {
    const win = device();
    expect(makeCalibration(342.4, win, NOW)).toEqual({
      version: 1,
      pxPerMm: 4,
      cardWidthPx: 342.4,
      calibratedAt: '2026-03-01T12:00:00.000Z',
      devicePixelRatio: 2,
      screenWidthPx: 1280,
      screenHeightPx: 800,
      visualViewportScale: 1,
    });
    expect(() => makeCalibration(50, win)).toThrow(RangeError);
  });

  it('steps the card width and keeps it within the plausible range', () => {
    expect(stepCardWidth(324, 10)).toBe(334);
    expect(stepCardWidth(324, -1)).toBe(323);
    expect(stepCardWidth(CARD_WIDTH_RANGE_PX.min, -10)).toBe(CARD_WIDTH_RANGE_PX.min);
    expect(stepCardWidth(CARD_WIDTH_RANGE_PX.max, 10)).toBe(CARD_WIDTH_RANGE_PX.max);
    expect(CARD_WIDTH_RANGE_PX).toEqual({ min: 129, max: 1027 });
  });

  it('stores per device and returns the calibration only while ratio, screen and zoom are the same', () => {
    const storage = memoryStorage();
    const win = device({ localStorage: storage });
    const calibration = makeCalibration(342.4, win, NOW);
    expect(saveCalibration(win, calibration)).toBe(true);
    expect(JSON.parse(storage.data.get(SCREEN_CALIBRATION_STORAGE_KEY)!)).toEqual(calibration);
    expect(currentCalibration(win)).toEqual(calibration);
    // browser zoom changes devicePixelRatio
    expect(currentCalibration({ ...win, devicePixelRatio: 2.2 })).toBeNull();
    // pinch zoom
    expect(currentCalibration({ ...win, visualViewport: { scale: 1.5 } })).toBeNull();
    // another screen
    expect(currentCalibration({ ...win, screen: { width: 1920, height: 1080 } })).toBeNull();
    // a rotated device reports width and height swapped: the same screen
    expect(currentCalibration({ ...win, screen: { width: 800, height: 1280 } })).toEqual(calibration);
    // still stored, though not valid
    expect(storedCalibration({ ...win, devicePixelRatio: 3 })).toEqual(calibration);
  });

  it('reads missing window values as ratio 1, size 0 and scale 1', () => {
    expect(screenSignature({})).toEqual({
      devicePixelRatio: 1,
      screenWidthPx: 0,
      screenHeightPx: 0,
      visualViewportScale: 1,
    });
    const a = { devicePixelRatio: 1, screenWidthPx: 0, screenHeightPx: 0, visualViewportScale: 1 };
    expect(calibrationMatches(a, { ...a, devicePixelRatio: 1 + 1e-9 })).toBe(true);
    expect(calibrationMatches(a, { ...a, devicePixelRatio: 1.0001 })).toBe(false);
  });

  it('ignores malformed or implausible stored values and blocked storage', () => {
    expect(parseCalibration(null)).toBeNull();
    expect(parseCalibration('{')).toBeNull();
    const good = makeCalibration(342.4, device(), NOW);
    expect(parseCalibration(JSON.stringify(good))).toEqual(good);
    expect(parseCalibration(JSON.stringify({ ...good, pxPerMm: 40 }))).toBeNull();
    expect(parseCalibration(JSON.stringify({ ...good, version: 2 }))).toBeNull();
    expect(parseCalibration(JSON.stringify({ ...good, devicePixelRatio: 'x' }))).toBeNull();
    const blocked: WindowLike = {
      ...device(),
      get localStorage(): ScreenCalibrationStorage {
        throw new DOMException('blocked', 'SecurityError');
      },
    };
    expect(saveCalibration(blocked, good)).toBe(false);
    expect(currentCalibration(blocked)).toBeNull();
    const full = device({
      localStorage: {
        ...memoryStorage(),
        setItem: () => {
          throw new DOMException('full', 'QuotaExceededError');
        },
      },
    });
    expect(saveCalibration(full, good)).toBe(false);
  });
});
