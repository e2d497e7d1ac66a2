import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { axeViolations } from './axe.js';
import { useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

/** The synthetic tremor fed to the phone's sensors: frequency, Hz, and amplitude along x, m/s² (peak). */
const TREMOR_HZ = 6;
const TREMOR_PEAK_M_PER_S2 = 1.2;
/** Its RMS, what `tremor_rms_m_per_s2` estimates (a sinusoid's RMS is its peak / √2). */
const TREMOR_RMS = TREMOR_PEAK_M_PER_S2 / Math.SQRT2;
/** A rotational tremor with it, about y, rad/s (peak). */
const ROTATION_PEAK_RAD_PER_S = 0.3;
/** How often the readings are sent, ms (100 Hz, the rate the task asks of the Generic Sensor API). */
const FEED_MS = 10;
const SENSORS = ['accelerometer', 'linear-acceleration', 'gravity', 'gyroscope'] as const;
const G = 9.81;

/**
 * Chromium's sensor overrides (platform-findings 5d): every sensor behind `devicemotion` and the
 * Generic Sensor API is replaced by a virtual one that reports what CDP sets, up to 100 Hz.
 */
async function overrideSensors(cdp: CDPSession): Promise<void> {
  for (const type of SENSORS) {
    await cdp.send('Emulation.setSensorOverrideEnabled', {
      enabled: true,
      type,
      metadata: { available: true, minimumFrequency: 1, maximumFrequency: 100 },
    });
  }
  await cdp.send('Emulation.setSensorOverrideReadings', {
    type: 'gravity',
    reading: { xyz: { x: 0, y: 0, z: G } },
  });
}

/**
 * Sends the sensors the tremor's readings every {@link FEED_MS} ms, each computed at the moment it is
 * sent (the browser stamps it when it arrives), without waiting for the answers (so that a slow answer
 * does not hold the next reading back), until the returned function is called; resolves the count of
 * readings sent and the longest pause between two.
 */
function feedTremor(cdp: CDPSession): () => Promise<{ sent: number; longestPauseMs: number }> {
  let running = true;
  let sent = 0;
  let longestPauseMs = 0;
  const failures: unknown[] = [];
  const t0 = performance.now();
  const send = (type: (typeof SENSORS)[number], xyz: { x: number; y: number; z: number }) =>
    cdp.send('Emulation.setSensorOverrideReadings', { type, reading: { xyz } }).catch((error: unknown) => {
      failures.push(error);
    });
  const loop = (async () => {
    let last = performance.now();
    let next = last;
    while (running) {
      const now = performance.now();
      longestPauseMs = Math.max(longestPauseMs, now - last);
      last = now;
      const phase = (2 * Math.PI * TREMOR_HZ * (now - t0)) / 1000;
      const x = TREMOR_PEAK_M_PER_S2 * Math.sin(phase);
      void send('accelerometer', { x, y: 0, z: G });
      void send('linear-acceleration', { x, y: 0, z: 0 });
      void send('gyroscope', { x: 0, y: ROTATION_PEAK_RAD_PER_S * Math.sin(phase), z: 0 });
      sent++;
      next = Math.max(next + FEED_MS, performance.now());
      await new Promise((resolve) => setTimeout(resolve, next - performance.now()));
    }
  })();
  return async () => {
    running = false;
    await loop;
    if (failures.length > 0)
      throw new Error(`${failures.length} sensor readings were refused: ${String(failures[0])}`);
    return { sent, longestPauseMs };
  };
}

/**
 * Presses Start and waits for the end of the position: the results, or the sensor check's question
 * after a problem (on a busy machine the feed can stall for more than 100 ms, which the task rightly
 * calls a gap). A problem is answered as a person would, by discarding the try and doing it again, up
 * to `tries` times; returns the problems met.
 */
async function holdPosition(page: Page, tries: number): Promise<string[]> {
  const met: string[] = [];
  const results = page.getByRole('heading', { name: 'Your results' });
  const discard = page.getByRole('button', { name: 'Discard it and do it again' });
  for (let k = 0; k < tries; k++) {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // 5 s to get into position, the 3-2-1 countdown, the 10-s trial
    await results.or(discard).first().waitFor({ timeout: 60_000 });
    if (await results.isVisible()) return met;
    met.push((await page.locator('.dt-tremor-status').textContent()) ?? '');
    await discard.click();
  }
  throw new Error(`every try had a problem: ${met.join(' | ')}`);
}

/** On the tremor task's page: chooses one position and presses Start with the right hand. */
async function startWith(page: Page, only: RegExp): Promise<void> {
  await page.getByRole('group', { name: 'Which positions will you do?' }).getByLabel(only).check();
  await page.getByRole('button', { name: 'Start with the right hand' }).click();
}

/** The value shown for a metric on the results page, as text and number. */
async function shown(page: Page, metric: string): Promise<{ text: string; number: number }> {
  const text = (await page.locator(`[data-metric="${metric}"] .results__value`).first().textContent()) ?? '';
  return { text, number: Number.parseFloat(text) };
}

/**
 * The tremor recording started last in the app's queue (an earlier page may still be checkpointing a
 * run of its own): from the device, or from the server once the device has dropped its sent copy.
 */
async function latestTremor(page: Page) {
  return page.evaluate(async () => {
    const entry = (await window.__dystrack!.queueEntries())
      .filter((e) => e.summary.taskId === 'tremor')
      .sort((a, b) => Date.parse(a.summary.startedAt) - Date.parse(b.summary.startedAt))
      .at(-1);
    if (!entry) return null;
    let recording = entry.recording;
    if (!recording) {
      const body = (await (await fetch(`/api/v1/recordings/${entry.id}`)).json()) as { recording: unknown };
      recording = (typeof body.recording === 'string' ? JSON.parse(body.recording) : body.recording) as never;
    }
    return {
      id: recording!.id,
      flags: recording!.flags,
      position: recording!.params['position'],
      trials: recording!.params['trials'] as { outcome: string; rateHz: number | null; problems: string[] }[],
      sensors: recording!.params['sensors'],
      rows: {
        motion: recording!.streams['motion']?.columns['timeStampMs']?.values.length ?? 0,
        accelerometer: recording!.streams['accelerometer']?.columns['timeStampMs']?.values.length ?? 0,
      },
    };
  });
}

describe('the phone tremor task in Chromium', () => {
  const app = useServerAndBrowser();

  it(
    'finds a 6-Hz tremor fed through the sensor overrides, in the results shown and the metrics stored',
    { timeout: 600_000 },
    async () => {
      const page = app.browser.page;
      await signUp(page, app.base, uniqueName('holder'));
      await onboard(page);
      await app.browser.context.grantPermissions(['accelerometer', 'gyroscope'], { origin: app.base });
      const cdp = await app.browser.context.newCDPSession(page);
      // the overrides come before the page listens to the sensors (platform-findings 5d)
      await overrideSensors(cdp);
      const stopFeed = feedTremor(cdp);
      let problems: string[] = [];
      const a11y: Record<string, string[]> = {};
      try {
        // the home page lists the task, with a start for each hand
        await page.goto(`${app.base}/?e2e=1`);
        await page
          .getByRole('article', { name: 'Phone tremor' })
          .getByRole('link', { name: /Start with the right hand/ })
          .click();
        await page.getByRole('button', { name: 'Start with the right hand' }).waitFor();
        a11y['before the run'] = await axeViolations(page);
        await startWith(page, /Only the arm stretched out/);
        await page
          .getByRole('heading', { name: 'Arm stretched out', exact: true })
          .waitFor({ timeout: 20_000 });
        a11y['a position'] = await axeViolations(page);
        const shots = process.env.E2E_SCREENSHOTS;
        if (shots) await page.screenshot({ path: `${shots}/tremor-position.png`, fullPage: true });
        problems = await holdPosition(page, 8);
        a11y['results'] = await axeViolations(page);
      } finally {
        const feed = await stopFeed();
        console.log(
          `sensor feed: ${feed.sent} readings sent, longest pause ${feed.longestPauseMs.toFixed(1)} ms; ` +
            `tries discarded for a problem: ${problems.length} ${JSON.stringify(problems)}`,
        );
      }

      const frequency = await shown(page, 'tremor_peak_frequency_hz');
      const rms = await shown(page, 'tremor_rms_m_per_s2');
      const rate = await shown(page, 'sampling_rate_hz');
      const kept = (await latestTremor(page))!;
      console.log(
        `tremor of ${TREMOR_HZ} Hz and ${TREMOR_RMS.toFixed(3)} m/s² RMS fed through CDP: the page shows frequency ` +
          `"${frequency.text}", strength "${rms.text}", readings "${rate.text}"; trial ${JSON.stringify(kept.trials)}, ` +
          `rows ${JSON.stringify(kept.rows)}, sensors ${JSON.stringify(kept.sensors)}`,
      );
      expect(a11y).toEqual({ 'before the run': [], 'a position': [], results: [] });
      expect(kept.position).toBe('posture');
      expect(kept.trials.map((t) => t.outcome)).toEqual([...problems.map(() => 'discarded'), 'kept']);
      expect(frequency.text).toMatch(/ Hz$/);
      expect(rms.text).toMatch(/ m\/s²$/);
      expect(Math.abs(frequency.number - TREMOR_HZ)).toBeLessThanOrEqual(0.2);
      expect(Math.abs(rms.number / TREMOR_RMS - 1)).toBeLessThanOrEqual(0.15);
      // each number sits next to what it means, and the page says what was measured
      await expect(
        page.locator('[data-metric="tremor_peak_frequency_hz"] .results__meaning').first().textContent(),
      ).resolves.toMatch(/times per second/);
      await page.getByText('Position: Arm stretched out, with the phone held in the hand.').waitFor();
      await page.getByText(/^The middle 6 seconds of your 10-second hold were measured/).waitFor();
      const shots = process.env.E2E_SCREENSHOTS;
      if (shots) await page.screenshot({ path: `${shots}/tremor-results.png`, fullPage: true });

      // the server computes the same from the stored recording, with the same core
      const stored = await page.evaluate(async (id) => {
        for (let i = 0; i < 100; i++) {
          await window.__dystrack!.flushQueue();
          const response = await fetch(`/api/v1/recordings/${id}/metrics`);
          if (response.ok) {
            const body = (await response.json()) as {
              status: string;
              analysisVersion: string;
              metrics: { id: string; value: number | null }[];
            };
            if (body.status !== 'pending') {
              return {
                status: body.status,
                analysisVersion: body.analysisVersion,
                values: Object.fromEntries(body.metrics.map((m) => [m.id, m.value])),
              };
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return null;
      }, kept.id);
      console.log(`stored metrics: ${JSON.stringify(stored)}`);
      expect(stored?.status).toBe('ok');
      const storedHz = stored!.values['tremor_peak_frequency_hz']!;
      const storedRms = stored!.values['tremor_rms_m_per_s2']!;
      expect(Math.abs(storedHz - TREMOR_HZ)).toBeLessThanOrEqual(0.2);
      expect(Math.abs(storedRms / TREMOR_RMS - 1)).toBeLessThanOrEqual(0.15);
      expect(Number(storedHz.toPrecision(3))).toBe(frequency.number);
      expect(Number(storedRms.toPrecision(3))).toBe(rms.number);
    },
  );

  it(
    'without a motion sensor: says so clearly, and the person discards the try or keeps it flagged',
    { timeout: 300_000 },
    async () => {
      // a new tab without sensor overrides: headless Chromium has no motion sensor
      const page = await app.browser.context.newPage();
      try {
        await page.goto(`${app.base}/tasks/tremor/right?e2e=1`);
        await startWith(page, /Only rest/);
        const start = page.getByRole('button', { name: 'Start', exact: true });
        await start.click();
        const status = page.locator('.dt-tremor-status');
        await page.getByRole('button', { name: 'Discard it and do it again' }).waitFor({ timeout: 40_000 });
        await expect(status.textContent()).resolves.toMatch(
          /The phone sent no motion readings\. .*Keep it with a note, or discard it and do it again\?/,
        );
        expect(await axeViolations(page)).toEqual([]);
        const shots = process.env.E2E_SCREENSHOTS;
        if (shots) await page.screenshot({ path: `${shots}/tremor-problem.png`, fullPage: true });
        await page.getByRole('button', { name: 'Discard it and do it again' }).click();
        // the same position again
        await start.click();
        await page.getByRole('button', { name: 'Keep it, marked as unreliable' }).click({ timeout: 40_000 });
        await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
        // never a number from no data: the reason, in words
        await page
          .getByText(
            /No numbers could be computed from this recording: .*motion sensor sent no readings\. The recording itself is kept\./,
          )
          .waitFor();
        expect(await page.locator('[data-metric="tremor_peak_frequency_hz"]').count()).toBe(0);
        const recording = (await latestTremor(page))!;
        expect(recording.trials.map((t) => [t.outcome, t.problems])).toEqual([
          ['discarded', ['no-sensor']],
          ['flagged', ['no-sensor']],
        ]);
        expect(recording.flags).toContain('NO_SENSOR');
        if (shots) await page.screenshot({ path: `${shots}/tremor-no-sensor.png`, fullPage: true });
      } finally {
        await page.close();
      }
    },
  );
});
