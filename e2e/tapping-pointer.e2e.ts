import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness.js';
import {
  errorSummary,
  onboard,
  signUp,
  startBusyMainThread,
  stopBusyMainThread,
  uniqueName,
} from './flows.js';

describe('alternating tapping with the mouse in Chromium', () => {
  const app = useServerAndBrowser();

  it('records CDP-stamped pointer taps on the two targets exactly, on a busy main thread, none lost or doubled', async () => {
    const page = app.browser.page;
    await signUp(page, app.base, uniqueName('tapper'));
    await onboard(page);
    await page.goto(`${app.base}/tasks/tapping/right?e2e=1`);
    await page.getByRole('group', { name: 'Which tapping test?' }).getByLabel(/Speed/).check();
    await page
      .getByRole('group', { name: 'How will you tap?' })
      .getByLabel(/On the screen/)
      .check();
    await page.getByRole('button', { name: 'Start with the right hand' }).click();
    await page.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });

    const targets = await page.locator('.dt-tapping-target').all();
    expect(targets).toHaveLength(2);
    const centres = [];
    for (const target of targets) {
      const box = (await target.boundingBox())!;
      centres.push({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
    }
    await startBusyMainThread(page);

    // 20 taps alternating left and right, 180 ms apart, each held 60 + 2k ms, stamped by CDP
    const cdp = await app.browser.context.newCDPSession(page);
    const start = Date.now() / 1000 + 0.05;
    const downs: number[] = [];
    const holds: number[] = [];
    for (let k = 0; k < 20; k++) {
      const { x, y } = centres[k % 2]!;
      const down = start + k * 0.18;
      const hold = 0.06 + 0.002 * k;
      downs.push(down * 1000);
      holds.push(hold * 1000);
      const common = { x, y, button: 'left' as const, clickCount: 1 };
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y, timestamp: down - 0.01 });
      await cdp.send('Input.dispatchMouseEvent', { ...common, type: 'mousePressed', timestamp: down });
      await cdp.send('Input.dispatchMouseEvent', {
        ...common,
        type: 'mouseReleased',
        timestamp: down + hold,
      });
    }
    await page.locator('.dt-tapping-count', { hasText: '20' }).waitFor();

    const captured = () =>
      page.evaluate(async () => {
        const entries = (await window.__dystrack!.queueEntries()).filter((e) => e.state === 'incomplete');
        const columns = entries.at(-1)?.recording?.streams.pointer?.columns;
        return {
          type: (columns?.type?.values ?? []) as string[],
          timeStampMs: (columns?.timeStampMs?.values ?? []) as number[],
        };
      });
    let kept = await captured();
    const count = (type: string) => kept.type.filter((t) => t === type).length;
    for (let i = 0; i < 50 && count('pointerup') < 20; i++) {
      await page.waitForTimeout(200);
      kept = await captured();
    }
    await stopBusyMainThread(page);
    const pressTimes = kept.timeStampMs.filter((_, i) => kept.type[i] === 'pointerdown');
    const releaseTimes = kept.timeStampMs.filter((_, i) => kept.type[i] === 'pointerup');
    expect(pressTimes).toHaveLength(20);
    expect(releaseTimes).toHaveLength(20);
    // intervals between presses and hold times against the injected ones
    const errors: number[] = [];
    for (let k = 1; k < 20; k++)
      errors.push(Math.abs(pressTimes[k]! - pressTimes[k - 1]! - (downs[k]! - downs[k - 1]!)));
    for (let k = 0; k < 20; k++) errors.push(Math.abs(releaseTimes[k]! - pressTimes[k]! - holds[k]!));
    const { median, max } = errorSummary(errors);
    console.log(
      `tapping fidelity (mouse), busy main thread: ${errors.length} intervals and holds, median error ${median.toFixed(4)} ms, max ${max.toFixed(4)} ms`,
    );
    expect(median).toBeLessThanOrEqual(0.01);
    expect(max).toBeLessThanOrEqual(0.1);
  });
});
