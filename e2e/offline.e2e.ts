import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import {
  freePort,
  launchBrowserOn,
  newBrowserProfile,
  newDataDir,
  startServer,
  type ServerProcess,
} from './harness.js';
import { onboard, pressKey, signUp, uniqueName, type CdpKey } from './flows.js';

/*
 * Offline means the server process is stopped (Playwright's setOffline does not cut a service worker's
 * traffic). The app must open from its service worker's cache, cross-origin isolated, record two tasks into
 * the durable queue, keep them across a reload and a browser restart on the same profile, and send each
 * exactly once when the server is back on the same data.
 */

interface EntryView {
  id: string;
  taskId: string;
  state: string;
  sha256: string | null;
  serverSha256: string | null;
  sentAt: number | null;
}

/** Saved on the device and not confirmed by the server (a send may be in flight against the stopped server). */
const unsent = (entry: EntryView) => entry.state === 'waiting' || entry.state === 'sending';

async function entries(page: Page): Promise<EntryView[]> {
  return page.evaluate(async () =>
    (await window.__dystrack!.queueEntries()).map((e) => ({
      id: e.id,
      taskId: e.summary.taskId,
      state: e.state,
      sha256: e.sha256,
      serverSha256: e.serverSha256,
      sentAt: e.sentAt,
    })),
  );
}

/** Opens an app page with the test hook on and waits until the hook knows who is signed in. */
async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.__dystrack?.signedInUserId() != null);
}

const letter = (ch: string): CdpKey => ({
  code: `Key${ch.toUpperCase()}`,
  key: ch,
  keyCode: ch.toUpperCase().charCodeAt(0),
});

/** Waits until the page's clock has passed a CDP time stamp (seconds since the epoch) given to a key. */
async function waitPast(page: Page, timeS: number): Promise<void> {
  await page.waitForTimeout(Math.max(0, (timeS - Date.now() / 1000) * 1000) + 300);
}

/** Copies the first letters of the typing task's text and finishes the run early (Finish twice). */
async function recordTyping(page: Page, context: BrowserContext): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/tasks/typing/right`);
  await page
    .getByRole('group', { name: 'What will you type?' })
    .getByLabel(/A short text/)
    .check();
  await page
    .getByRole('group', { name: /Which text will you copy/ })
    .getByLabel('English')
    .check();
  await page.getByRole('button', { name: 'Start with the right hand' }).click();
  await page.locator('.dt-typing-input:not([readonly])').waitFor({ timeout: 20_000 });
  await page.locator('.dt-typing-input').focus();
  const text = (await page.getByLabel('Text to copy').textContent())!.trim();
  const typed = [...text.slice(0, 8)].filter((ch) => /[a-z]/i.test(ch)).join('');
  const cdp = await context.newCDPSession(page);
  const start = Date.now() / 1000 + 0.05;
  for (let i = 0; i < typed.length; i++) await pressKey(cdp, letter(typed[i]!), start + i * 0.15, 0.08);
  await waitPast(page, start + typed.length * 0.15 + 0.1);
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('button', { name: 'Press again to finish' }).click();
  await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
}

/** Taps J and K alternately on the keyboard and stops the trial (Stop twice). */
async function recordTapping(page: Page, context: BrowserContext): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/tasks/tapping/right`);
  await page
    .getByRole('group', { name: 'How will you tap?' })
    .getByLabel(/On the keyboard/)
    .check();
  await page.getByRole('button', { name: 'Start with the right hand' }).click();
  await page.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });
  const keys = [
    { code: 'KeyJ', key: 'j', keyCode: 74 },
    { code: 'KeyK', key: 'k', keyCode: 75 },
  ];
  const cdp = await context.newCDPSession(page);
  const start = Date.now() / 1000 + 0.05;
  for (let i = 0; i < 10; i++) await pressKey(cdp, keys[i % 2]!, start + i * 0.2, 0.08);
  await page.locator('.dt-tapping-count', { hasText: '10' }).waitFor();
  await waitPast(page, start + 10 * 0.2);
  await page.locator('.dt-tapping-stop').click();
  await page.getByRole('button', { name: 'Press again to stop' }).click();
  await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
}

describe('offline use: the server process stopped', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('opens from the cache cross-origin isolated, records two tasks, keeps them across a reload and a browser restart, and sends each exactly once when the server is back', async () => {
    const shots = process.env.E2E_SCREENSHOTS;
    const dataDir = newDataDir();
    const port = await freePort();
    let server: ServerProcess = await startServer({ dataDir, port });
    cleanups.push(() => server.stop());
    // localhost, not 127.0.0.1: a secure context (service workers) and a passkey's relying party
    const base = server.url.replace('127.0.0.1', 'localhost');
    const profile = newBrowserProfile();
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    let browser = await launchBrowserOn(profile);
    cleanups.push(() => browser.close());
    let page = browser.page;

    await signUp(page, base, uniqueName('offline'));
    await onboard(page);
    await openApp(page, `${base}/?e2e=1`);
    // the service worker has precached the app once it controls the page
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 60_000,
    });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    // offline: the server process is gone
    await server.stop();
    await page.reload();
    await page.getByText('Offline: the Dystrack server cannot be reached.').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    if (shots) await page.screenshot({ path: `${shots}/offline-home.png`, fullPage: true });

    await recordTyping(page, browser.context);
    await recordTapping(page, browser.context);
    const recorded = (await entries(page)).filter(unsent);
    expect(recorded.map((e) => e.taskId).sort()).toEqual(['tapping', 'typing']);
    for (const entry of recorded) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);

    // a reload, still offline: both wait on this device, and the page says so
    await page.reload();
    await openApp(page, `${base}/recordings`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect((await entries(page)).filter(unsent)).toHaveLength(2);
    await page.getByText('Waiting to be sent').first().waitFor();

    // the browser is closed and opened again on the same profile, still without the server
    await browser.close();
    browser = await launchBrowserOn(profile);
    page = browser.page;
    await openApp(page, `${base}/recordings?e2e=1`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByText('Offline: the Dystrack server cannot be reached.').waitFor({ timeout: 20_000 });
    const kept = (await entries(page)).filter(unsent);
    expect(kept.map((e) => [e.id, e.sha256]).sort()).toEqual(recorded.map((e) => [e.id, e.sha256]).sort());
    if (shots) await page.screenshot({ path: `${shots}/offline-recordings-waiting.png`, fullPage: true });

    // the server is started again on the same data and port: the app notices and sends what waited
    server = await startServer({ dataDir, port });
    let now = await entries(page);
    for (let i = 0; i < 120 && now.filter((e) => e.state === 'sent').length < 2; i++) {
      await page.waitForTimeout(500);
      now = await entries(page);
    }
    const sent = now.filter((e) => recorded.some((r) => r.id === e.id));
    expect(sent.map((e) => e.state)).toEqual(['sent', 'sent']);
    for (const entry of sent) {
      expect(entry.serverSha256).toBe(entry.sha256);
      expect(entry.sentAt).not.toBeNull();
    }
    await page.getByText('Offline: the Dystrack server cannot be reached.').waitFor({ state: 'detached' });

    const onServer = await page.evaluate(async () => {
      const response = await fetch('/api/v1/recordings?limit=200');
      if (!response.ok) throw new Error(`list failed: ${response.status}`);
      return ((await response.json()) as { items: { id: string; sha256: string }[] }).items;
    });
    for (const entry of recorded) {
      const copies = onServer.filter((r) => r.id === entry.id);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.sha256).toBe(entry.sha256);
    }
    expect(onServer).toHaveLength(2);
    console.log(
      `offline e2e: ${recorded.length} recordings made offline (${recorded.map((e) => e.taskId).join(', ')}), ` +
        `${onServer.length} on the server, one copy each, hashes matched: ` +
        recorded.map((e) => `${e.taskId} ${e.sha256!.slice(0, 12)}`).join(', '),
    );
    await page.reload();
    await page
      .getByText(/^Sent /)
      .first()
      .waitFor();
    if (shots) {
      // evidence only: one more recording saved while the server is gone, listed with the two sent ones
      await server.stop();
      await page.evaluate(async () => {
        const hook = window.__dystrack!;
        const recording = await hook.simulate(hook.tasks[0]!.id, {
          hand: 'left',
          seed: 3,
          id: crypto.randomUUID(),
        });
        await hook.enqueueRecording(hook.signedInUserId()!, recording);
      });
      await page.reload();
      await page.getByText('Waiting to be sent').first().waitFor();
      await page.screenshot({ path: `${shots}/offline-recordings-waiting-and-sent.png`, fullPage: true });
    }
  });
});
