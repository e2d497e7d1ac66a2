import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, newDataDir, startServer, type ServerProcess } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

/** A free TCP port on loopback (the restarted server must come back on the same origin). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface EntryView {
  id: string;
  state: string;
  sha256: string | null;
  serverSha256: string | null;
  attempts: number;
}

/** Saves a simulated tapping recording through the app's own queue; returns its id and sha256 once stored. */
async function enqueueSimulated(page: Page, seed: number, longest = false): Promise<string> {
  return page.evaluate(
    async ({ seed, longest }) => {
      const hook = window.__dystrack!;
      const userId = hook.signedInUserId();
      if (!userId) throw new Error('nobody is signed in');
      const recording = await hook.simulate(hook.tasks[0]!.id, {
        hand: 'right',
        seed,
        longest,
        id: crypto.randomUUID(),
      });
      await hook.enqueueRecording(userId, recording);
      return recording.id;
    },
    { seed, longest },
  );
}

async function entries(page: Page): Promise<EntryView[]> {
  return page.evaluate(async () =>
    (await window.__dystrack!.queueEntries()).map((e) => ({
      id: e.id,
      state: e.state,
      sha256: e.sha256,
      serverSha256: e.serverSha256,
      attempts: e.attempts,
    })),
  );
}

/** Flushes the queue until the entry is sent (bounded: fails after `tries`). */
async function flushUntilSent(page: Page, id: string, tries = 40): Promise<EntryView> {
  for (let i = 0; i < tries; i++) {
    await page.evaluate(() => window.__dystrack!.flushQueue().catch(() => undefined));
    const entry = (await entries(page)).find((e) => e.id === id);
    if (entry?.state === 'sent') return entry;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `entry ${id} was not sent: ${JSON.stringify((await entries(page)).find((e) => e.id === id))}`,
  );
}

async function serverRecordings(page: Page): Promise<{ id: string; sha256: string }[]> {
  return page.evaluate(async () => {
    const response = await fetch('/api/v1/recordings?limit=200');
    if (!response.ok) throw new Error(`list failed: ${response.status}`);
    return ((await response.json()) as { items: { id: string; sha256: string }[] }).items;
  });
}

describe('the web app on the built server', () => {
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let base: string;

  beforeAll(async () => {
    server = await startServer({ dataDir: newDataDir(), port: await freePort() });
    // localhost, not 127.0.0.1: a passkey's relying party must be a domain
    base = server.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves cross-origin isolated pages (5 µs event timestamps)', async () => {
    await browser.page.goto(base);
    expect(await browser.page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it('signs up, onboards, uploads a simulated recording through the app, keeps it across a reload, and a second identical upload adds nothing', async () => {
    const page = browser.page;
    await signUp(page, base, uniqueName());
    await onboard(page);
    await page.goto(`${base}/?e2e=1`);
    await page.waitForFunction(() => window.__dystrack?.signedInUserId() != null);

    const id = await enqueueSimulated(page, 7);
    const sent = await flushUntilSent(page, id);
    expect(sent.serverSha256).toBe(sent.sha256);

    await page.reload();
    await page.goto(`${base}/recordings`);
    const shortHash = sent.sha256!.slice(0, 8);
    await page.getByText(shortHash, { exact: false }).first().waitFor();
    const listed = await serverRecordings(page);
    expect(listed.filter((r) => r.id === id)).toHaveLength(1);

    // the same recording again: the server answers 200 with the stored record, nothing new is stored
    const again = await page.evaluate(async (id) => {
      const entry = (await window.__dystrack!.queueEntries()).find((e) => e.id === id);
      return entry ? entry.state : null;
    }, id);
    expect(again).toBe('sent');
    const status = await page.evaluate(async (id) => {
      const stored = await (await fetch(`/api/v1/recordings/${id}`)).json();
      const csrf = /dystrack_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/api/v1/recordings', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(stored.recording),
      });
      return response.status;
    }, id);
    expect(status).toBe(200);
    expect((await serverRecordings(page)).filter((r) => r.id === id)).toHaveLength(1);
  });

  it('loses nothing when the server is killed in the middle of an upload and started again', async () => {
    const page = browser.page;
    const before = (await serverRecordings(page)).length;
    // a slow uplink (16 KB/s) keeps the body in flight long enough to kill the server under it
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 16 * 1024,
    });
    // watched before the entry is saved: saving it may start the upload at once
    const uploading = page.waitForRequest(
      (r) => r.url().endsWith('/api/v1/recordings') && r.method() === 'POST',
    );
    const id = await enqueueSimulated(page, 11, true); // the longest tapping run
    void page.evaluate(() => window.__dystrack!.flushQueue().catch(() => undefined));
    await uploading;
    await page.waitForTimeout(300);
    expect(await server.stop('SIGKILL')).toBeNull();
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // while the server is down the entry waits on this device
    await page.evaluate(() => window.__dystrack!.flushQueue().catch(() => undefined));
    const waiting = (await entries(page)).find((e) => e.id === id);
    expect(waiting).toBeDefined();
    expect(waiting!.state).not.toBe('rejected');
    expect(waiting!.state).not.toBe('sent');

    // the server comes back on the same data; the page is reloaded (IndexedDB kept the entry) and sends it
    server = await startServer({ dataDir: server.dataDir, port: server.port });
    await page.reload();
    await page.waitForFunction(() => window.__dystrack?.signedInUserId() != null, undefined, {
      timeout: 60_000,
    });
    const sent = await flushUntilSent(page, id);
    expect(sent.serverSha256).toBe(sent.sha256);
    const after = await serverRecordings(page);
    expect(after.filter((r) => r.id === id)).toHaveLength(1);
    expect(after).toHaveLength(before + 1);
    expect(after.find((r) => r.id === id)!.sha256).toBe(sent.sha256);
  });
});
