import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { useServerAndBrowser } from './harness.js';
import { errorSummary, onboard, signUp, uniqueName } from './flows.js';

/** The digitiser rate of the injected pen (Apple Pencil on an iPad Pro, measures.md 9.3), Hz. */
const PEN_HZ = 240;
/** CSS px per mm of the calibration saved before the tremor run (a card 256.8 px wide). */
const PX_PER_MM = 3;

/** One pen sample as CDP sends it: time (s since the Unix epoch), position (CSS px of the viewport), pen state. */
interface PenSample {
  timeS: number;
  x: number;
  y: number;
  force: number;
  tiltX: number;
  tiltY: number;
  twist: number;
}

/**
 * One pen stroke through CDP (platform-findings 5b): `mousePressed` at the first sample, `mouseMoved`
 * with the pen held down for the others, `mouseReleased` at the last, each with its own `timestamp`,
 * sent in bursts of 8 without waiting for each (so that Chromium coalesces them, as a real digitiser's
 * samples are).
 */
async function penStroke(cdp: CDPSession, samples: readonly PenSample[]): Promise<void> {
  const event = (s: PenSample, i: number) => {
    const type = i === 0 ? 'mousePressed' : i === samples.length - 1 ? 'mouseReleased' : 'mouseMoved';
    return cdp.send('Input.dispatchMouseEvent', {
      type,
      x: s.x,
      y: s.y,
      button: 'left',
      buttons: type === 'mouseReleased' ? 0 : 1,
      clickCount: 1,
      pointerType: 'pen',
      force: s.force,
      tiltX: s.tiltX,
      tiltY: s.tiltY,
      twist: s.twist,
      timestamp: s.timeS,
    });
  };
  for (let i = 0; i < samples.length; i += 8) {
    await Promise.all(samples.slice(i, i + 8).map((s, k) => event(s, i + k)));
  }
}

/** The pointer columns of the latest checkpoint of the spiral run in progress. */
async function checkpointPointer(page: Page) {
  return page.evaluate(async () => {
    const entries = (await window.__dystrack!.queueEntries()).filter(
      (e) => e.state === 'incomplete' && e.recording?.taskId === 'spiral',
    );
    const recording = entries.sort((a, b) => a.updatedAt - b.updatedAt).at(-1)?.recording;
    const columns = recording?.streams.pointer?.columns;
    const values = (name: string) => (columns?.[name]?.values ?? []) as unknown[];
    return {
      type: values('type') as string[],
      pointerType: values('pointerType') as string[],
      coalesced: values('coalesced') as boolean[],
      timeStampMs: values('timeStampMs') as number[],
      xPx: values('xPx') as number[],
      yPx: values('yPx') as number[],
      pressureNorm: values('pressureNorm') as (number | null)[],
      tiltXDeg: values('tiltXDeg') as (number | null)[],
      tiltYDeg: values('tiltYDeg') as (number | null)[],
      twistDeg: values('twistDeg') as (number | null)[],
      params: recording?.params ?? {},
      crossOriginIsolated: recording?.timing.crossOriginIsolated ?? null,
    };
  });
}

/** Opens the spiral task (freehand) for the right hand and waits until drawing may start; returns the surface box. */
async function startSpiral(page: Page, base: string) {
  await page.goto(`${base}/tasks/spiral/right?e2e=1`);
  await page
    .getByRole('group', { name: 'Which spiral test?' })
    .getByLabel(/Freehand/)
    .check();
  await page.getByRole('button', { name: 'Start with the right hand' }).click();
  // without a stored calibration the task first asks for the card; go on without one
  const noCard = page.getByRole('button', { name: /I have no card now/ });
  const done = page.locator('.dt-spiral-done:not([disabled])');
  await noCard.or(done).first().waitFor({ timeout: 20_000 });
  if (await noCard.isVisible()) await noCard.click();
  await done.waitFor({ timeout: 20_000 });
  const surface = page.locator('.dt-pen-surface');
  await surface.scrollIntoViewIfNeeded();
  return (await surface.boundingBox())!;
}

/** Presses Done once the page's clock has passed `lastS` (the injected stamps run ahead of it), then Finish twice. */
async function doneAndFinish(page: Page, lastS: number): Promise<void> {
  await page.waitForTimeout(Math.max(0, (lastS - Date.now() / 1000) * 1000) + 300);
  await page.locator('.dt-spiral-done').click();
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('button', { name: 'Press again to finish' }).click();
  await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
}

/** Polls the checkpoint until it holds `rows` pen rows (checkpoints follow each spiral's Done). */
async function waitForPenRows(page: Page, rows: number) {
  let kept = await checkpointPointer(page);
  const penRows = () => kept.pointerType.filter((p) => p === 'pen').length;
  for (let i = 0; i < 50 && penRows() < rows; i++) {
    await page.waitForTimeout(200);
    kept = await checkpointPointer(page);
  }
  return kept;
}

describe('pen input in Chromium', () => {
  const app = useServerAndBrowser();

  it('records every 240-Hz pen sample with its exact time, position, pressure, tilt and twist', async () => {
    const page = app.browser.page;
    await page.setViewportSize({ width: 1280, height: 1100 });
    await signUp(page, app.base, uniqueName('drawer'));
    await onboard(page);
    const box = await startSpiral(page, app.base);

    // 2 s at 240 Hz: 481 samples on a wavy line, every value distinct and known
    const n = 2 * PEN_HZ + 1;
    const start = Date.now() / 1000 + 0.05;
    const samples: PenSample[] = Array.from({ length: n }, (_, k) => ({
      timeS: start + k / PEN_HZ,
      x: box.x + 100 + k * 0.75 + 0.125,
      y: box.y + box.height / 2 + 40 * Math.sin(k / 30),
      force: 0.1 + (0.8 * k) / (n - 1),
      tiltX: -60 + (k % 121),
      tiltY: 30 - (k % 61),
      twist: (7 * k) % 360,
    }));
    const cdp = await app.browser.context.newCDPSession(page);
    await penStroke(cdp, samples);
    await page.waitForTimeout(Math.max(0, (samples.at(-1)!.timeS - Date.now() / 1000) * 1000) + 300);
    await page.locator('.dt-spiral-done').click();

    const kept = await waitForPenRows(page, n);
    const pen = kept.type.flatMap((_, i) => (kept.pointerType[i] === 'pen' ? [i] : []));
    // 100 %: one pointerdown, every move (as coalesced samples), one pointerup, nothing else and nothing doubled
    expect(pen).toHaveLength(n);
    expect(pen.map((i) => kept.type[i])).toEqual([
      'pointerdown',
      ...Array<string>(n - 2).fill('pointermove'),
      'pointerup',
    ]);
    expect(pen.slice(1, -1).every((i) => kept.coalesced[i] === true)).toBe(true);

    const timeErrors: number[] = [];
    const positionErrors: number[] = [];
    pen.forEach((row, k) => {
      const s = samples[k]!;
      const intended = (s.timeS - samples[0]!.timeS) * 1000;
      timeErrors.push(Math.abs(kept.timeStampMs[row]! - kept.timeStampMs[pen[0]!]! - intended));
      positionErrors.push(Math.hypot(kept.xPx[row]! - s.x, kept.yPx[row]! - s.y));
      expect(kept.tiltXDeg[row], `tiltX of sample ${k}`).toBe(s.tiltX);
      expect(kept.tiltYDeg[row], `tiltY of sample ${k}`).toBe(s.tiltY);
      expect(kept.twistDeg[row], `twist of sample ${k}`).toBe(s.twist);
      // the platform carries pressure as a 32-bit float; the pointerup has none (0)
      expect(kept.pressureNorm[row], `pressure of sample ${k}`).toBe(k === n - 1 ? 0 : Math.fround(s.force));
    });
    const time = errorSummary(timeErrors);
    const late = timeErrors.flatMap((e, k) =>
      e > 0.01 ? [`#${k} ${kept.type[pen[k]!]} ${e.toFixed(4)} ms`] : [],
    );
    if (late.length) console.log(`samples off by more than 0.01 ms: ${late.join(', ')}`);
    const position = errorSummary(positionErrors);
    console.log(
      `pen fidelity at ${PEN_HZ} Hz: ${pen.length}/${n} samples recorded (${n - 2} coalesced moves), ` +
        `time error median ${time.median.toFixed(4)} ms, max ${time.max.toFixed(4)} ms; position error median ` +
        `${position.median.toFixed(4)} px, max ${position.max.toFixed(4)} px; pressure, tilt and twist exact ` +
        `(crossOriginIsolated ${kept.crossOriginIsolated})`,
    );
    expect(time.median).toBeLessThanOrEqual(0.01);
    // Every sample to 0.01 ms at the median; a single coalesced sample has twice come out 0.14 and 0.41 ms off
    // (about 1 in 10,000 samples, cause not found yet, named in the log line above): more than one sample
    // beyond 0.1 ms, or any beyond 1 ms, fails.
    expect(timeErrors.filter((error) => error > 0.1).length).toBeLessThanOrEqual(1);
    expect(time.max).toBeLessThanOrEqual(1);
    expect(position.max).toBeLessThanOrEqual(0.01);

    // the run ends with results that say why no mm are shown (no calibration on this screen)
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Press again to finish' }).click();
    await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Your spiral', exact: true }).waitFor({ timeout: 30_000 });
    const note = page.locator('.spiral-results__uncalibrated');
    await note.waitFor();
    await expect(note.textContent()).resolves.toMatch(/sizes in millimetres are not shown.*bank card/);
    const shots = process.env.E2E_SCREENSHOTS;
    if (shots) await page.screenshot({ path: `${shots}/pen-fidelity-results.png`, fullPage: true });
  });

  it('finds a 6-Hz, 1-mm peak-to-peak tremor injected into a spiral on a calibrated screen, in the results shown', async () => {
    const page = app.browser.page;
    // a calibration of this screen (3 px/mm), stored as the calibration UI stores it
    await page.evaluate((pxPerMm) => {
      localStorage.setItem(
        'dystrack.screen-calibration.v1',
        JSON.stringify({
          version: 1,
          pxPerMm,
          cardWidthPx: 85.6 * pxPerMm,
          calibratedAt: new Date().toISOString(),
          devicePixelRatio: window.devicePixelRatio,
          screenWidthPx: screen.width,
          screenHeightPx: screen.height,
          visualViewportScale: window.visualViewport?.scale ?? 1,
        }),
      );
    }, PX_PER_MM);
    const box = await startSpiral(page, app.base);
    await expect(page.locator('.dt-spiral-notice').textContent()).resolves.not.toMatch(/not measured/);

    // an Archimedean spiral r = 3 mm + 11 mm/turn, 0.5 turn/s for 8 s (4 turns, 47 mm), drawn clockwise
    // from the surface's centre, with a radial tremor of 6 Hz and 0.5 mm amplitude (1 mm peak to peak)
    const tremorHz = 6;
    const tremorPpMm = 1;
    const durationS = 8;
    const n = durationS * PEN_HZ + 1;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    expect(box.height).toBeGreaterThan(2 * 48 * PX_PER_MM);
    const start = Date.now() / 1000 + 0.05;
    const samples: PenSample[] = Array.from({ length: n }, (_, k) => {
      const tS = k / PEN_HZ;
      const theta = 2 * Math.PI * 0.5 * tS;
      const rMm = 3 + (11 / (2 * Math.PI)) * theta + (tremorPpMm / 2) * Math.sin(2 * Math.PI * tremorHz * tS);
      return {
        timeS: start + tS,
        x: cx + rMm * PX_PER_MM * Math.cos(theta),
        y: cy + rMm * PX_PER_MM * Math.sin(theta),
        force: 0.4 + 0.1 * Math.sin(2 * Math.PI * 0.3 * tS),
        tiltX: 20,
        tiltY: -10,
        twist: 0,
      };
    });
    const cdp = await app.browser.context.newCDPSession(page);
    await penStroke(cdp, samples);
    await doneAndFinish(page, samples.at(-1)!.timeS);

    const value = async (metric: string) => {
      const text = await page.locator(`[data-metric="${metric}"] .results__value`).first().textContent();
      return { text: text ?? '', number: Number.parseFloat(text ?? '') };
    };
    await page.getByRole('heading', { name: 'Your spiral', exact: true }).waitFor({ timeout: 30_000 });
    const frequency = await value('tremor_peak_frequency_hz');
    const amplitude = await value('tremor_amplitude_pp_mm');
    const speed = await value('mean_speed_mm_per_s');
    console.log(
      `spiral with a ${tremorHz}-Hz, ${tremorPpMm}-mm peak-to-peak tremor injected at ${PEN_HZ} Hz (${n} samples, ` +
        `${PX_PER_MM} px/mm): the page shows tremor frequency "${frequency.text}", amplitude "${amplitude.text}", ` +
        `speed "${speed.text}"`,
    );
    expect(frequency.text).toMatch(/ Hz$/);
    expect(amplitude.text).toMatch(/ mm$/);
    expect(Math.abs(frequency.number - tremorHz)).toBeLessThanOrEqual(0.2);
    expect(Math.abs(amplitude.number - tremorPpMm)).toBeLessThanOrEqual(0.1 * tremorPpMm);
    // the drawing is shown in mm, with no note about a missing calibration
    await expect(page.locator('.spiral-results__uncalibrated').count()).resolves.toBe(0);
    await page.getByText(/largest was [\d.]+ mm from side to side/).waitFor();
    const shots = process.env.E2E_SCREENSHOTS;
    if (shots) await page.screenshot({ path: `${shots}/pen-tremor-results.png`, fullPage: true });
    if (shots)
      await page.locator('.spiral-results__charts').screenshot({ path: `${shots}/pen-tremor-charts.png` });
  });
});
