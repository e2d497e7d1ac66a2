import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { launchBrowser, useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

/** The tremor recordings in the app's queue on this device, newest last. */
async function tremorEntries(page: Page): Promise<string[]> {
  return page.evaluate(async () =>
    (await window.__dystrack!.queueEntries())
      .filter((e) => e.summary.taskId === 'tremor')
      .sort((a, b) => Date.parse(a.summary.startedAt) - Date.parse(b.summary.startedAt))
      .map((e) => e.id),
  );
}

describe('desk-to-phone hand-over in Chromium', () => {
  const app = useServerAndBrowser();

  it(
    'the desk shows a code, the phone opens the task signed in for recording only, records and uploads; the code works once',
    { timeout: 300_000 },
    async () => {
      const shots = process.env.E2E_SCREENSHOTS;
      const desk = app.browser.page;
      await desk.setViewportSize({ width: 1280, height: 900 });
      const name = uniqueName('desk');
      await signUp(desk, app.base, name);
      await onboard(desk);

      // the desk: from the home page to a code for the tremor task with the right hand
      await desk.getByRole('link', { name: 'Record on your phone' }).click();
      await desk.getByRole('heading', { name: 'Record on your phone', level: 1 }).waitFor();
      await expect(
        desk.getByRole('group', { name: 'Task' }).getByLabel('Phone tremor').isChecked(),
      ).resolves.toBe(true);
      await desk.getByRole('group', { name: 'Hand' }).getByLabel('The right hand').check();
      await desk.getByRole('button', { name: 'Show the code' }).click();
      const qr = desk.getByRole('img', {
        name: /QR code: opens Dystrack on your phone to record Phone tremor/,
      });
      await qr.waitFor();
      const url = await desk.getByLabel('Or open this link on your phone').inputValue();
      expect(url).toMatch(new RegExp(`^${app.base}/phone#[A-Za-z0-9_-]{43}$`));
      await expect(desk.getByRole('timer').textContent()).resolves.toMatch(
        /Valid for [45]:\d\d more minutes/,
      );
      // the server has no https PUBLIC_URL: the desk says what a phone then lacks, and where to read more
      await desk
        .getByRole('heading', { name: 'Your phone may not be able to record from this address' })
        .waitFor();
      await desk.getByText(/Phones, HTTPS and reverse proxies/).waitFor();
      const a11y: Record<string, string[]> = { 'desk: the code': await axeViolations(desk) };
      if (shots) await desk.screenshot({ path: `${shots}/handover-desk.png`, fullPage: true });

      const phone = await launchBrowser();
      try {
        const page = phone.page;
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(url.replace('/phone#', '/phone?e2e=1#'));
        await page.getByRole('heading', { name: 'Phone tremor, right hand' }).waitFor();
        // the token left the address bar, and the phone shows whose recordings it makes
        expect(page.url()).not.toContain('#');
        await expect(page.locator('.site-header').textContent()).resolves.toContain(
          `Recording for ${name} on this phone`,
        );
        await page.getByRole('button', { name: 'Sign out of this phone' }).waitFor();
        const nav = page.getByRole('navigation', { name: 'Main' });
        for (const hidden of ['Diary', 'Recordings', 'Profile', 'Account', 'Trends'])
          expect(await nav.getByRole('link', { name: hidden }).count(), hidden).toBe(0);
        a11y['phone: the task'] = await axeViolations(page);
        if (shots) await page.screenshot({ path: `${shots}/handover-phone-task.png` });

        // the desk sees the phone connected
        await desk.getByRole('heading', { name: 'Your phone is connected' }).waitFor({ timeout: 15_000 });
        a11y['desk: connected'] = await axeViolations(desk);
        if (shots) await desk.screenshot({ path: `${shots}/handover-desk-connected.png`, fullPage: true });

        // the phone records (headless Chromium has no motion sensor: the try is kept, marked as unreliable)
        await page
          .getByRole('group', { name: 'Which positions will you do?' })
          .getByLabel(/Only rest/)
          .check();
        await page.getByRole('button', { name: 'Start with the right hand' }).click();
        await page.getByRole('button', { name: 'Start', exact: true }).click();
        await page.getByRole('button', { name: 'Keep it, marked as unreliable' }).click({ timeout: 60_000 });
        await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
        if (shots) await page.screenshot({ path: `${shots}/handover-phone-results.png` });
        const [recordingId] = (await tremorEntries(page)).slice(-1);
        expect(recordingId).toBeTruthy();
        await page.evaluate(() => window.__dystrack!.flushQueue());

        // the recording is the patient's: the desk's full session lists it
        const listed = await desk.evaluate(async (id) => {
          for (let i = 0; i < 50; i++) {
            const body = (await (await fetch('/api/v1/recordings?limit=50')).json()) as {
              items: { id: string; taskId: string }[];
            };
            const found = body.items.find((item) => item.id === id);
            if (found) return found;
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          return null;
        }, recordingId!);
        expect(listed).toMatchObject({ id: recordingId, taskId: 'tremor' });

        // the phone's session may record and nothing else
        const refused = await page.evaluate(async () =>
          Promise.all(
            ['/api/v1/recordings', '/api/v1/diary/entries', '/api/v1/export', '/api/v1/profile'].map(
              async (path) => (await fetch(path)).status,
            ),
          ),
        );
        expect(refused).toEqual([403, 403, 403, 403]);
        await page.goto(`${app.base}/diary`);
        await page.getByRole('heading', { name: 'Not on this phone' }).waitFor();

        // the same link again, on another phone: refused, with what to do
        const other = await phone.context.newPage();
        await other.setViewportSize({ width: 390, height: 844 });
        await other.goto(url);
        await other.getByRole('heading', { name: 'This code has already been used' }).waitFor();
        await other.getByText(/ask for a new code on your computer/).waitFor();
        expect(other.url()).not.toContain('#');
        a11y['phone: a used code'] = await axeViolations(other);
        if (shots) await other.screenshot({ path: `${shots}/handover-phone-used.png`, fullPage: true });
        await other.close();

        // the desk signs the phone out
        await desk.getByRole('button', { name: 'Sign the phone out' }).click();
        await desk.getByRole('heading', { name: 'This code was cancelled' }).waitFor();
        const after = await page.evaluate(
          async () => (await (await fetch('/api/v1/session')).json()) as { user: unknown },
        );
        expect(after.user).toBeNull();
        expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((where) => [where, []])));
      } finally {
        await phone.close();
      }
    },
  );
});
