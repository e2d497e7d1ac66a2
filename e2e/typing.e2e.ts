import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness.js';
import {
  errorSummary,
  onboard,
  signUp,
  startBusyMainThread,
  stopBusyMainThread,
  pressKey,
  uniqueName,
  type CdpKey,
} from './flows.js';

/** The first characters of the English copy text, as CDP key events (US layout). */
function keyOf(ch: string): CdpKey {
  if (ch === ' ') return { code: 'Space', key: ' ', keyCode: 32 };
  if (ch === '.') return { code: 'Period', key: '.', keyCode: 190 };
  if (ch === ',') return { code: 'Comma', key: ',', keyCode: 188 };
  const upper = ch.toUpperCase();
  return { code: `Key${upper}`, key: ch, keyCode: upper.charCodeAt(0) };
}

describe('the typing task in Chromium', () => {
  const app = useServerAndBrowser();

  it('records the hold times and intervals of CDP-stamped keys exactly, on a busy main thread, with key codes only', async () => {
    const page = app.browser.page;
    await signUp(page, app.base, uniqueName('typist'));
    await onboard(page);
    await page.goto(`${app.base}/tasks/typing/right?e2e=1`);
    await page
      .getByRole('group', { name: 'What will you type?' })
      .getByLabel(/A short text/)
      .check();
    await page
      .getByRole('group', { name: /Which text will you copy/ })
      .getByLabel('English')
      .check();
    const shots = process.env.E2E_SCREENSHOTS;
    if (shots) await page.screenshot({ path: `${shots}/typing-before.png`, fullPage: true });
    await page.getByRole('button', { name: 'Start with the right hand' }).click();
    // typing is possible once the countdown has ended and the field is editable
    await page.locator('.dt-typing-input:not([readonly])').waitFor({ timeout: 20_000 });
    await page.locator('.dt-typing-input').focus();

    const text = (await page.getByLabel('Text to copy').textContent())!.trim();
    const typed = text.slice(0, 16);
    // the main thread is kept busy for 10–30 ms of every 50 ms while the keys arrive (the times must not
    // depend on when the handlers run)
    await startBusyMainThread(page);
    // keys 150 ms apart with holds of 70 + 3k ms: known, distinct values
    const cdp = await app.browser.context.newCDPSession(page);
    const start = Date.now() / 1000 + 0.05;
    const holds: number[] = [];
    for (let i = 0; i < typed.length; i++) {
      const down = start + i * 0.15;
      const hold = 0.07 + 0.003 * i;
      holds.push(hold * 1000);
      await pressKey(cdp, keyOf(typed[i]!), down, hold);
    }
    await page.locator('.dt-typing-done', { hasText: typed }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/typing-during.png`, fullPage: true });

    // the latest checkpoint holds every key event
    const captured = () =>
      page.evaluate(async () => {
        const entries = (await window.__dystrack!.queueEntries()).filter((e) => e.state === 'incomplete');
        const columns = entries.at(-1)?.recording?.streams.keyboard?.columns;
        return {
          type: (columns?.type?.values ?? []) as string[],
          code: (columns?.code?.values ?? []) as string[],
          key: columns?.key ? (columns.key.values as unknown[]) : null,
          timeStampMs: (columns?.timeStampMs?.values ?? []) as number[],
        };
      });
    let kept = await captured();
    for (let i = 0; i < 50 && kept.type.length < 2 * typed.length; i++) {
      await page.waitForTimeout(200);
      kept = await captured();
    }
    const downs = kept.type.flatMap((type, i) => (type === 'keydown' ? [i] : []));
    expect(downs).toHaveLength(typed.length);
    expect(kept.type.filter((type) => type === 'keyup')).toHaveLength(typed.length);
    expect(downs.map((i) => kept.code[i])).toEqual([...typed].map((ch) => keyOf(ch).code));
    // privacy by default: no key values, only codes
    expect(kept.key).toBeNull();
    await stopBusyMainThread(page);
    // every recorded interval and hold time against the injected one: median error ≤ 0.01 ms, max ≤ 0.1 ms
    const times = kept.timeStampMs;
    const errors: number[] = [];
    for (let n = 1; n < downs.length; n++)
      errors.push(Math.abs(times[downs[n]!]! - times[downs[n - 1]!]! - 150));
    downs.forEach((i, n) => {
      const up = kept.type.findIndex((type, j) => j > i && type === 'keyup' && kept.code[j] === kept.code[i]);
      errors.push(Math.abs(times[up]! - times[i]! - holds[n]!));
    });
    const { median, max } = errorSummary(errors);
    console.log(
      `typing fidelity, busy main thread: ${errors.length} intervals and holds, median error ${median.toFixed(4)} ms, max ${max.toFixed(4)} ms`,
    );
    expect(errors).toHaveLength(2 * typed.length - 1);
    expect(median).toBeLessThanOrEqual(0.01);
    expect(max).toBeLessThanOrEqual(0.1);

    // finishing early (Finish, then Finish again) shows the results from the analysis core; the injected
    // time stamps ran ahead of the page's clock, so Finish waits until the page's clock has passed them
    const lastUp = start + (typed.length - 1) * 0.15 + 0.2;
    await page.waitForTimeout(Math.max(0, (lastUp - Date.now() / 1000) * 1000) + 300);
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Press again to finish' }).click();
    await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 20_000 });
    const sorted = [...holds].sort((a, b) => a - b);
    const holdMedian = (sorted[7]! + sorted[8]!) / 2;
    const item = page.locator('[data-metric="hold_time_median_ms"]');
    await expect(item.locator('.results__value').textContent()).resolves.toBe(
      `${Number(holdMedian.toPrecision(3))} ms`,
    );
    await item.getByText(/baseline|compare/i).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/typing-results.png`, fullPage: true });
  });
  it('keeps the keys typed so far, with their exact times, when the page dies mid-trial', async () => {
    let page = await app.browser.context.newPage();
    await page.goto(`${app.base}/tasks/typing/left?e2e=1`);
    await page
      .getByRole('group', { name: 'What will you type?' })
      .getByLabel(/A short text/)
      .check();
    await page.getByRole('button', { name: 'Start with the left hand' }).click();
    await page.locator('.dt-typing-input:not([readonly])').waitFor({ timeout: 20_000 });
    await page.locator('.dt-typing-input').focus();
    const cdp = await app.browser.context.newCDPSession(page);
    const start = Date.now() / 1000 + 0.05;
    for (let i = 0; i < 8; i++) {
      const down = start + i * 0.2;
      await pressKey(cdp, keyOf('asdfasdf'[i]!), down, 0.09);
    }
    // a checkpoint holding all 16 key events (checkpoints come at least every 2 s)
    const checkpointRows = () =>
      page.evaluate(async () =>
        Math.max(
          0,
          ...(await window.__dystrack!.queueEntries())
            .filter((e) => e.state === 'incomplete' && e.recording?.taskId === 'typing')
            .map((e) => e.recording?.streams.keyboard?.columns.code?.values.length ?? 0),
        ),
      );
    for (let i = 0; i < 50 && (await checkpointRows()) < 16; i++) await page.waitForTimeout(200);
    expect(await checkpointRows()).toBe(16);

    // the tab dies without a chance to save anything more
    await page.close({ runBeforeUnload: false });
    page = await app.browser.context.newPage();
    await page.goto(`${app.base}/recordings?e2e=1`);
    await page.waitForFunction(() => window.__dystrack !== undefined);
    const kept = await page.evaluate(async () => {
      const entry = (await window.__dystrack!.queueEntries()).find(
        (e) => e.state === 'incomplete' && e.recording?.taskId === 'typing',
      );
      const columns = entry?.recording?.streams.keyboard?.columns;
      return {
        flags: entry?.recording?.flags ?? [],
        type: (columns?.type?.values ?? []) as string[],
        code: (columns?.code?.values ?? []) as string[],
        timeStampMs: (columns?.timeStampMs?.values ?? []) as number[],
      };
    });
    expect(kept.flags).toContain('INCOMPLETE');
    const downs = kept.type.flatMap((type, i) => (type === 'keydown' ? [i] : []));
    expect(downs.map((i) => kept.code[i])).toEqual([...'asdfasdf'].map((ch) => keyOf(ch).code));
    for (let n = 1; n < downs.length; n++) {
      expect(Math.abs(kept.timeStampMs[downs[n]!]! - kept.timeStampMs[downs[n - 1]!]! - 200)).toBeLessThan(
        0.1,
      );
    }
    await page
      .getByText(/incomplete/i)
      .first()
      .waitFor();
  });
});
