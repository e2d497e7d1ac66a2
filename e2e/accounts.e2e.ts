import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type ServerProcess } from './harness.js';
import { PASSWORD, onboard, signUp, uniqueName } from './flows.js';

describe('accounts in the browser', () => {
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    // localhost, not 127.0.0.1: a passkey's relying party must be a domain
    base = server.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds a passkey and signs in with it, without typing a password', async () => {
    const page = browser.page;
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const username = uniqueName('passkey');
    await signUp(page, base, username);
    await onboard(page);

    await page.goto(`${base}/account`);
    await page.getByLabel('Name of the new passkey').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Test laptop').first().waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const session = await page.evaluate(
      async () => (await (await fetch('/api/v1/session')).json()) as { user: { username: string } | null },
    );
    expect(session.user?.username).toBe(username);
  });

  it('signs in by keyboard alone', async () => {
    const page = browser.page;
    await browser.context.clearCookies();
    const username = uniqueName('keyboard');
    await signUp(page, base, username);
    await onboard(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Tab from the top of the page to the user name field, then type and submit with Enter only
    await page.keyboard.press('Tab');
    for (let i = 0; i < 20; i++) {
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'));
      if (focused?.startsWith('username')) break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toMatch(
      /^username/,
    );
    // the focused field shows where the focus is
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { outline: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
    });
    expect(ring.outline !== 'none' && ring.width >= 2 ? true : ring.shadow !== 'none').toBe(true);
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
