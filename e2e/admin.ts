import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from './harness.js';
import { PASSWORD } from './flows.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/dist/main.js');

/**
 * Creates an administrator on a data directory with the built CLI (`dystrack admin create`), the
 * password piped on standard input as an operator would; run it before the server starts on that directory.
 */
export function createAdminAccount(dataDir: string, username: string, password = PASSWORD): void {
  const result = spawnSync(
    process.execPath,
    [MAIN, 'admin', 'create', '--username', username, '--password-stdin', '--data-dir', dataDir],
    {
      cwd: ROOT,
      input: `${password}\n`,
      env: { ...process.env, DATABASE_URL: '', DYSTRACK_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (result.status !== 0)
    throw new Error(`admin create exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/** A role a person picks on the sign-up form. */
export type SignUpRole = 'patient' | 'clinician' | 'researcher';

const ROLE_LABELS: Record<SignUpRole, RegExp> = {
  patient: /^I want to measure my own hand/,
  clinician: /^I am a clinician/,
  researcher: /^I am a researcher/,
};

/**
 * Signs up through the form with a display name and a role, and confirms the recovery codes (as
 * flows.ts `signUp`, which always takes the default patient role). Patients end on onboarding, others on
 * the home page.
 */
export async function signUpAs(
  page: Page,
  baseUrl: string,
  account: { username: string; displayName: string; role: SignUpRole },
  password = PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.getByLabel('User name').fill(account.username);
  await page.getByLabel('Your name (optional)').fill(account.displayName);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page
    .getByRole('group', { name: 'What is the account for?' })
    .getByLabel(ROLE_LABELS[account.role])
    .check();
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
  if (account.role !== 'patient')
    await page.getByText(`Your ${account.role} account is waiting for approval`).waitFor();
  await page.getByLabel('I saved my recovery codes').check();
  await page.getByRole('button', { name: /continue/i }).click();
  await page.waitForURL((url) => url.pathname !== '/signup');
}

/** Signs in through the sign-in form; resolves once the app left the sign-in page. */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** The answer of a request the page makes with its own session (and the CSRF header on writes). */
export async function apiRequest<T = unknown>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|;\s*)dystrack_csrf=([^;]*)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = { accept: 'application/json' };
      if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: the text as it is
      }
      return { status: response.status, body: parsed as T };
    },
    { method, path, body },
  );
}

/**
 * An administrator approves accounts, in a browser of their own: signs in on the sign-in page, lists the
 * accounts (`GET /api/v1/admin/users`) and approves each named one (`POST …/:id/approve`).
 * @returns the approved accounts as the server answered
 */
export async function approveAccounts(
  baseUrl: string,
  admin: { username: string; password?: string },
  usernames: readonly string[],
): Promise<{ id: string; username: string; role: string; roleApproved: boolean }[]> {
  const browser = await launchBrowser();
  try {
    const page = browser.page;
    await signIn(page, baseUrl, admin.username, admin.password ?? PASSWORD);
    const list = await apiRequest<{ items: { id: string; username: string }[] }>(
      page,
      'GET',
      '/api/v1/admin/users',
    );
    if (list.status !== 200) throw new Error(`admin users list answered ${list.status}`);
    const approved = [];
    for (const username of usernames) {
      const account = list.body.items.find((item) => item.username === username);
      if (!account) throw new Error(`no account ${username} in the admin list`);
      const answer = await apiRequest<{
        user: { id: string; username: string; role: string; roleApproved: boolean };
      }>(page, 'POST', `/api/v1/admin/users/${account.id}/approve`);
      if (answer.status !== 200)
        throw new Error(`approving ${username} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      approved.push(answer.body.user);
    }
    return approved;
  } finally {
    await browser.close();
  }
}
