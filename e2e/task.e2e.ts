import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type ServerProcess } from './harness.js';
import { onboard, pressKey, signUp, uniqueName } from './flows.js';

const KEYS = [
  { code: 'KeyJ', key: 'j', keyCode: 74 },
  { code: 'KeyK', key: 'k', keyCode: 75 },
];

describe('a real task run in Chromium', () => {
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    base = server.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('keeps the taps captured so far, with their exact event times, when the page dies mid-trial', async () => {
    let page = browser.page;
    await signUp(page, base, uniqueName('tapper'));
    await onboard(page);
    await page.goto(`${base}/tasks/tapping/right?e2e=1`);
    await page
      .getByRole('group', { name: 'How will you tap?' })
      .getByLabel(/On the keyboard/)
      .check();
    await page.getByRole('button', { name: 'Start with the right hand' }).click();
    // the trial has begun once its Stop button is enabled (after the countdown)
    await page.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });

    // 12 taps alternating J and K, 200 ms apart with 80 ms holds, stamped by CDP (ground truth)
    const cdp = await browser.context.newCDPSession(page);
    const start = Date.now() / 1000 + 0.05;
    for (let i = 0; i < 12; i++) {
      const down = start + i * 0.2;
      await pressKey(cdp, KEYS[i % 2]!, down, 0.08);
    }
    await page.locator('.dt-tapping-count', { hasText: '12' }).waitFor();
    // wait for a checkpoint holding all 24 key events (checkpoints come at least every 2 s)
    const checkpointRows = () =>
      page.evaluate(async () =>
        Math.max(
          0,
          ...(await window.__dystrack!.queueEntries())
            .filter((e) => e.state === 'incomplete')
            .map((e) => e.recording?.streams.keyboard?.columns.code?.values.length ?? 0),
        ),
      );
    for (let i = 0; i < 50 && (await checkpointRows()) < 24; i++) await page.waitForTimeout(200);
    expect(await checkpointRows()).toBe(24);

    // the tab dies without a chance to save anything more
    await page.close({ runBeforeUnload: false });
    page = await browser.context.newPage();
    await page.goto(`${base}/recordings?e2e=1`);
    await page.waitForFunction(() => window.__dystrack !== undefined);
    const kept = await page.evaluate(async () => {
      const entry = (await window.__dystrack!.queueEntries()).find((e) => e.state === 'incomplete');
      const columns = entry?.recording?.streams.keyboard?.columns;
      return {
        flags: entry?.recording?.flags ?? [],
        type: columns?.type?.values ?? [],
        code: columns?.code?.values ?? [],
        timeStampMs: columns?.timeStampMs?.values ?? [],
      };
    });
    const downs = kept.type.flatMap((type, i) => (type === 'keydown' ? [i] : []));
    expect(downs).toHaveLength(12);
    expect(kept.flags).toContain('INCOMPLETE');
    expect(downs.map((i) => kept.code[i])).toEqual(Array.from({ length: 12 }, (_, i) => KEYS[i % 2]!.code));
    const times = kept.timeStampMs as number[];
    for (let n = 1; n < downs.length; n++) {
      expect(times[downs[n]!]! - times[downs[n - 1]!]!).toBeCloseTo(200, 1); // within 0.05 ms
    }
    for (const i of downs) {
      const up = kept.type.findIndex((type, j) => j > i && type === 'keyup' && kept.code[j] === kept.code[i]);
      expect(times[up]! - times[i]!).toBeCloseTo(80, 1);
    }
    // and the person sees it on the recordings page, not sent unless they choose
    await page
      .getByText(/incomplete/i)
      .first()
      .waitFor();
  });
});
