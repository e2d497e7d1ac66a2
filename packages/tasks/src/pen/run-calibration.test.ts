import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../contract';
import {
  makeCalibration,
  NOMINAL_PX_PER_MM,
  SCREEN_CALIBRATION_STORAGE_KEY,
  type WindowLike,
} from './calibration';
import { ensureCalibration } from './run-calibration';

afterEach(() => {
  document.body.innerHTML = '';
});

function fakeWindow(storage = true): WindowLike & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    devicePixelRatio: 2,
    screen: { width: 1280, height: 800 },
    visualViewport: { scale: 1 },
    localStorage: storage
      ? {
          getItem: (key) => stored.get(key) ?? null,
          setItem: (key, value) => void stored.set(key, value),
          removeItem: (key) => void stored.delete(key),
        }
      : null,
  };
}

function fakeContext() {
  const element = document.createElement('div');
  document.body.append(element);
  const controller = new AbortController();
  const params: Record<string, JsonValue> = {};
  const flags: string[] = [];
  const announcements: string[] = [];
  return {
    ctx: {
      element,
      signal: controller.signal,
      setParam: (name: string, value: JsonValue) => void (params[name] = value),
      flag: (code: string) => void flags.push(code),
      announce: (message: string) => void announcements.push(message),
    },
    controller,
    params,
    flags,
    announcements,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const press = (root: Element, selector: string) => root.querySelector<HTMLButtonElement>(selector)!.click();

describe('ensureCalibration', () => {
  it('uses a stored calibration that still holds, without showing anything', async () => {
    const win = fakeWindow();
    const stored = makeCalibration(342.4, win, new Date('2026-02-01T00:00:00.000Z'));
    win.stored.set(SCREEN_CALIBRATION_STORAGE_KEY, JSON.stringify(stored));
    const { ctx, params, flags } = fakeContext();
    const scale = await ensureCalibration(ctx, { win });
    expect(scale).toEqual({ calibration: stored, pxPerMm: 4, calibrated: true, madeNow: false });
    expect(ctx.element.children).toHaveLength(0);
    expect(params.pxPerMm).toBe(4);
    expect(params.calibration).toMatchObject({ pxPerMm: 4, cardWidthPx: 342.4, devicePixelRatio: 2 });
    expect(flags).toEqual([]);
  });

  it('shows the card calibration in the task element when there is none, and stores what was confirmed', async () => {
    const win = fakeWindow();
    // stored at another zoom: no longer valid
    win.stored.set(
      SCREEN_CALIBRATION_STORAGE_KEY,
      JSON.stringify({ ...makeCalibration(342.4, win), devicePixelRatio: 3 }),
    );
    const { ctx, params, flags, announcements } = fakeContext();
    const pending = ensureCalibration(ctx, {
      win,
      portrait: false,
      now: () => new Date('2026-03-01T00:00:00.000Z'),
    });
    await tick();
    expect(ctx.element.querySelector('.dt-pen-calibration-intro')!.textContent).toContain('millimetres');
    expect(ctx.element.querySelector('.dt-calibration-cancel')!.textContent).toBe('I have no card now');
    expect(announcements[0]).toContain('bank card');
    press(ctx.element, '.dt-calibration-larger');
    press(ctx.element, '.dt-calibration-confirm');
    const scale = await pending;
    expect(scale.madeNow).toBe(true);
    expect(scale.calibrated).toBe(true);
    expect(scale.calibration!.cardWidthPx).toBe(343); // the stored 342.4 rounded, + 1
    expect(scale.pxPerMm).toBe(343 / 85.6);
    expect(ctx.element.children).toHaveLength(0);
    expect(params.pxPerMm).toBe(343 / 85.6);
    expect(params.calibration).toMatchObject({ cardWidthPx: 343, calibratedAt: '2026-03-01T00:00:00.000Z' });
    expect(JSON.parse(win.stored.get(SCREEN_CALIBRATION_STORAGE_KEY)!).cardWidthPx).toBe(343);
    expect(flags).toEqual([]);
  });

  it('goes on without a calibration when the person has no card: nominal scale, flag NOMINAL_SCALE', async () => {
    const win = fakeWindow();
    const { ctx, params, flags } = fakeContext();
    const pending = ensureCalibration(ctx, { win });
    await tick();
    press(ctx.element, '.dt-calibration-cancel');
    expect(await pending).toEqual({
      calibration: null,
      pxPerMm: NOMINAL_PX_PER_MM,
      calibrated: false,
      madeNow: false,
    });
    expect(Object.hasOwn(params, 'pxPerMm')).toBe(false);
    expect(params.calibration).toBeNull();
    expect(flags).toEqual(['NOMINAL_SCALE']);
    expect(ctx.element.children).toHaveLength(0);
  });

  it('uses a confirmed calibration even where it cannot be stored', async () => {
    const win = fakeWindow(false);
    const { ctx, params } = fakeContext();
    const pending = ensureCalibration(ctx, { win });
    await tick();
    press(ctx.element, '.dt-calibration-confirm');
    expect((await pending).calibrated).toBe(true);
    expect(typeof params.pxPerMm).toBe('number');
  });

  it('rejects with an AbortError and removes the calibration when the run is aborted', async () => {
    const win = fakeWindow();
    const { ctx, controller, params } = fakeContext();
    const pending = ensureCalibration(ctx, { win });
    await tick();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(ctx.element.children).toHaveLength(0);
    expect(params).toEqual({});
    controller.abort();
    await expect(ensureCalibration(ctx, { win })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
