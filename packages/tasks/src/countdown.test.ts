import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCountdown } from './countdown';
import { FakeClock } from './testing/fake-clock';

afterEach(() => {
  document.body.innerHTML = '';
  delete (HTMLElement.prototype as { animate?: unknown }).animate;
});

function setup() {
  const container = document.createElement('div');
  document.body.append(container);
  const clock = new FakeClock(500);
  const announce = vi.fn();
  return { container, clock, announce };
}
const shown = (container: HTMLElement) =>
  container.querySelector('.dt-countdown-number')?.textContent ?? null;

describe('runCountdown', () => {
  it('shows 3, 2, 1 a second apart, announces them and "Go", and resolves at go', async () => {
    const { container, clock, announce } = setup();
    const steps: [number, number][] = [];
    const done = runCountdown({ container, clock, announce, onStep: (n, t) => steps.push([n, t]) });
    expect(shown(container)).toBe('3');
    await clock.advance(1000);
    expect(shown(container)).toBe('2');
    await clock.advance(1000);
    expect(shown(container)).toBe('1');
    await clock.advance(1000);
    await expect(done).resolves.toBe(3500);
    expect(shown(container)).toBeNull();
    expect(announce.mock.calls.map((c) => c[0])).toEqual(['3', '2', '1', 'Go']);
    expect(steps).toEqual([
      [3, 500],
      [2, 1500],
      [1, 2500],
    ]);
  });

  it('hides the numbers from screen readers when announcing, and is a live region otherwise', () => {
    const { container, clock, announce } = setup();
    void runCountdown({ container, clock, announce });
    expect(container.querySelector('.dt-countdown-number')!.getAttribute('aria-hidden')).toBe('true');
    const other = document.createElement('div');
    void runCountdown({ container: other, clock });
    expect(other.querySelector('.dt-countdown')!.getAttribute('role')).toBe('status');
  });

  it('rejects with an AbortError and removes itself when aborted', async () => {
    const { container, clock } = setup();
    const controller = new AbortController();
    const done = runCountdown({ container, clock, signal: controller.signal });
    await clock.advance(1000);
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(container.querySelector('.dt-countdown')).toBeNull();
    expect(clock.pending).toBe(0);
  });

  it('animates the numbers only without reduced motion', async () => {
    const animate = vi.fn();
    (HTMLElement.prototype as { animate?: unknown }).animate = animate;
    const { container, clock } = setup();
    void runCountdown({ container, clock, reducedMotion: true });
    await clock.advance(3000);
    expect(animate).not.toHaveBeenCalled();
    void runCountdown({ container, clock, reducedMotion: false });
    expect(animate).toHaveBeenCalledTimes(1);
  });
});
