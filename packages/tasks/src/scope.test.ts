import { describe, expect, it, vi } from 'vitest';
import { createRunScope, guardWithSecondPress } from './scope';
import { FakeClock } from './testing/fake-clock';

describe('createRunScope', () => {
  it('releases every pending timer, listener and clean-up step on dispose, the latest first', async () => {
    const clock = new FakeClock();
    const scope = createRunScope(clock);
    const fired = vi.fn();
    scope.later(fired, 100);
    const cancelled = scope.later(fired, 50);
    scope.cancel(cancelled);
    const target = new EventTarget();
    const heard = vi.fn();
    scope.listen(target, 'ping', heard);
    const order: string[] = [];
    scope.onDispose(() => order.push('first'));
    scope.onDispose(() => order.push('second'));
    target.dispatchEvent(new Event('ping'));
    scope.dispose();
    target.dispatchEvent(new Event('ping'));
    await clock.advance(200);
    expect(fired).not.toHaveBeenCalled();
    expect(heard).toHaveBeenCalledTimes(1);
    expect(order).toEqual(['second', 'first']);
    expect(clock.pending).toBe(0);
  });
});

describe('guardWithSecondPress', () => {
  function setup(active = () => true) {
    const clock = new FakeClock();
    const scope = createRunScope(clock);
    const button = document.createElement('button');
    button.textContent = 'Stop';
    const ctx = { mark: vi.fn(), announce: vi.fn() };
    const onConfirm = vi.fn();
    const disarm = guardWithSecondPress(scope, ctx, button, {
      label: 'Stop',
      armedLabel: 'Press again to stop',
      announcement: 'Press Stop again to end the task.',
      confirmMs: 4000,
      isActive: active,
      onConfirm,
    });
    return { clock, button, ctx, onConfirm, disarm };
  }

  it('acts on a second press within the time, not on one press', async () => {
    const { clock, button, ctx, onConfirm } = setup();
    button.click();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(button.textContent).toBe('Press again to stop');
    expect(ctx.mark).toHaveBeenCalledWith('stop-request');
    expect(ctx.announce).toHaveBeenCalledWith('Press Stop again to end the task.');
    await clock.advance(3999);
    button.click();
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('goes back to its label when the second press does not come, and can be disarmed', async () => {
    const { clock, button, onConfirm, disarm } = setup();
    button.click();
    await clock.advance(4000);
    expect(button.textContent).toBe('Stop');
    button.click();
    expect(onConfirm).not.toHaveBeenCalled();
    disarm();
    expect(button.textContent).toBe('Stop');
    expect(clock.pending).toBe(0);
  });

  it('ignores presses while not active', () => {
    const { button, ctx, onConfirm } = setup(() => false);
    button.click();
    button.click();
    expect(ctx.mark).not.toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });
});
