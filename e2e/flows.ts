import type { CDPSession, Page } from 'playwright-core';

/** A user name unique to this run. */
export function uniqueName(prefix = 'patient'): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export const PASSWORD = 'a calm long passphrase 42';

/** Signs up through the web app's form and confirms the recovery codes; ends on onboarding (patients). */
export async function signUp(
  page: Page,
  baseUrl: string,
  username: string,
  password = PASSWORD,
): Promise<string[]> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
  const codes = (await page.locator('code, .recovery-codes li').allInnerTexts())
    .map((s) => s.trim())
    .filter(Boolean);
  await page.getByLabel('I saved my recovery codes').check();
  await page.getByRole('button', { name: /continue/i }).click();
  return codes;
}

/** Fills the onboarding form with a writer's-cramp profile and saves it; ends on the home page. */
export async function onboard(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Which hand is affected?' }).getByLabel('Right hand').check();
  await page.getByRole('group', { name: 'Which hand do you write with?' }).getByLabel('Right-handed').check();
  await page
    .getByRole('group', { name: 'When does it happen?' })
    .getByLabel(/Writer.s cramp/)
    .check();
  await page
    .getByRole('group', { name: 'Has a doctor confirmed that it is dystonia?' })
    .getByLabel(/Yes/)
    .check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/onboarding'));
}

/**
 * Keeps the page's main thread busy for 10–30 ms of every 50 ms (event handlers then run late; the
 * recorded times must not depend on that) until {@link stopBusyMainThread}.
 */
export async function startBusyMainThread(page: Page): Promise<void> {
  await page.evaluate(() => {
    const busy = () => {
      const until = performance.now() + 10 + 20 * Math.random();
      while (performance.now() < until);
    };
    (window as unknown as { busyTimer: number }).busyTimer = window.setInterval(busy, 50);
  });
}

/** Ends {@link startBusyMainThread}. */
export async function stopBusyMainThread(page: Page): Promise<void> {
  await page.evaluate(() => clearInterval((window as unknown as { busyTimer: number }).busyTimer));
}

/** The median and the largest of errors, ms, for the fidelity checks (and their report). */
export function errorSummary(errors: readonly number[]): { median: number; max: number } {
  const sorted = [...errors].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted.at(-1)! };
}

/** A key as CDP dispatches it. */
export interface CdpKey {
  code: string;
  key: string;
  keyCode: number;
}

/**
 * One key press through CDP with explicit time stamps (the ground truth of the fidelity tests): keyDown
 * at `downS`, keyUp `holdS` later, seconds since the Unix epoch.
 */
export async function pressKey(
  cdp: CDPSession,
  { code, key, keyCode }: CdpKey,
  downS: number,
  holdS: number,
): Promise<void> {
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'keyDown',
    code,
    key,
    windowsVirtualKeyCode: keyCode,
    text: key,
    timestamp: downS,
  });
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'keyUp',
    code,
    key,
    windowsVirtualKeyCode: keyCode,
    timestamp: downS + holdS,
  });
}
