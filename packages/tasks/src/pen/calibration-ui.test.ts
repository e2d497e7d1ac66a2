import { afterEach, describe, expect, it } from 'vitest';
import { dispatchKey } from '../testing/events';
import { SCREEN_CALIBRATION_STORAGE_KEY, type ScreenCalibration, type WindowLike } from './calibration';
import { buildCalibrationUi, calibrateScreen } from './calibration-ui';

afterEach(() => {
  document.body.innerHTML = '';
});

function fakeWindow(): WindowLike & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    devicePixelRatio: 1.5,
    screen: { width: 1024, height: 768 },
    visualViewport: { scale: 1 },
    localStorage: {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => void stored.set(key, value),
      removeItem: (key) => void stored.delete(key),
    },
  };
}

const click = (root: HTMLElement, selector: string) =>
  root.querySelector<HTMLButtonElement>(selector)!.click();

describe('buildCalibrationUi', () => {
  it('sizes the card outline with coarse and fine buttons and the keys, then stores what was confirmed', () => {
    const win = fakeWindow();
    const confirmed: ScreenCalibration[] = [];
    const ui = buildCalibrationUi({
      win,
      initialPxPerMm: 4,
      portrait: false,
      onConfirm: (c) => confirmed.push(c),
      now: () => new Date('2026-03-01T00:00:00.000Z'),
    });
    document.body.append(ui.root);
    expect(ui.cardWidthPx()).toBe(342); // round(85.6 × 4)
    expect(ui.outline.style.width).toBe('342px');
    expect(ui.outline.style.height).toBe(`${(342 * 53.98) / 85.6}px`);
    click(ui.root, '.dt-calibration-larger-coarse');
    expect(ui.cardWidthPx()).toBe(352);
    click(ui.root, '.dt-calibration-smaller');
    expect(ui.cardWidthPx()).toBe(351);
    click(ui.root, '.dt-calibration-smaller-coarse');
    expect(ui.cardWidthPx()).toBe(341);
    click(ui.root, '.dt-calibration-larger');
    expect(ui.cardWidthPx()).toBe(342);
    dispatchKey(ui.root, 'keydown', { key: 'ArrowRight', timeStamp: 1 });
    expect(ui.cardWidthPx()).toBe(343);
    dispatchKey(ui.root, 'keydown', { key: 'ArrowLeft', shiftKey: true, timeStamp: 2 });
    expect(ui.cardWidthPx()).toBe(333);
    dispatchKey(ui.root, 'keydown', { key: 'PageUp', timeStamp: 3 });
    expect(ui.cardWidthPx()).toBe(343);
    expect(ui.root.querySelector('.dt-calibration-readout')!.textContent).toBe('Card outline: 343 px long.');
    // every control is a real button with a name, at least 64 px
    for (const b of ui.root.querySelectorAll('button')) {
      expect(b.getAttribute('type')).toBe('button');
      expect(b.getAttribute('aria-label') ?? b.textContent).not.toBe('');
      expect(b.style.minHeight).toBe('64px');
    }
    expect(ui.root.querySelector('.dt-calibration-cancel')).toBeNull();
    click(ui.root, '.dt-calibration-confirm');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toEqual({
      version: 1,
      pxPerMm: 343 / 85.6,
      cardWidthPx: 343,
      calibratedAt: '2026-03-01T00:00:00.000Z',
      devicePixelRatio: 1.5,
      screenWidthPx: 1024,
      screenHeightPx: 768,
      visualViewportScale: 1,
    });
    expect(JSON.parse(win.stored.get(SCREEN_CALIBRATION_STORAGE_KEY)!)).toEqual(confirmed[0]);
    ui.destroy();
    expect(document.body.contains(ui.root)).toBe(false);
  });

  it('shows the card upright in portrait and starts from the stored calibration', () => {
    const win = fakeWindow();
    win.stored.set(
      SCREEN_CALIBRATION_STORAGE_KEY,
      JSON.stringify({
        version: 1,
        pxPerMm: 6,
        cardWidthPx: 513.6,
        calibratedAt: 'x',
        devicePixelRatio: 3,
        screenWidthPx: 390,
        screenHeightPx: 844,
        visualViewportScale: 1,
      }),
    );
    const ui = buildCalibrationUi({ win, portrait: true, onConfirm: () => {} });
    expect(ui.cardWidthPx()).toBe(514);
    expect(ui.outline.style.height).toBe('514px');
    expect(ui.outline.style.width).toBe(`${(514 * 53.98) / 85.6}px`);
  });
});

describe('calibrateScreen', () => {
  it('resolves with the calibration, or null for no card and on abort', async () => {
    const win = fakeWindow();
    const container = document.createElement('div');
    document.body.append(container);
    const first = calibrateScreen(container, { win, initialPxPerMm: 4, portrait: false });
    click(container, '.dt-calibration-confirm');
    expect((await first)?.pxPerMm).toBe(342 / 85.6);
    expect(container.children).toHaveLength(0);

    const second = calibrateScreen(container, { win });
    click(container, '.dt-calibration-cancel');
    expect(await second).toBeNull();

    const controller = new AbortController();
    const third = calibrateScreen(container, { win, signal: controller.signal });
    controller.abort();
    expect(await third).toBeNull();
    expect(container.children).toHaveLength(0);
  });
});
