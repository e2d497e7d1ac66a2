import { writeMidi, type MidiEvent } from 'midi-file';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness.js';
import { onboard, signUp, uniqueName } from './flows.js';

/** One scripted MIDI message: its bytes and the `timeStamp` its event carries, ms from the script's start. */
interface Scripted {
  at: number;
  data: number[];
}

/** A C-major two-octave scale from C4 (right hand): the pitches of one up-and-down run (29 notes). */
const UP = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24].map((s) => 60 + s);
const UP_AND_DOWN = [...UP, ...UP.slice(0, -1).reverse()];

/**
 * The script: 4 up-and-down runs with a rest of 1.8 s between them; notes 125 ms apart (run 3: 130 ms)
 * on quarter-millisecond times, each released 100 ms after its onset.
 * - run 1: its 8th note (C5, the thumb passing under) 18.5 ms late — one deliberately uneven note;
 * - run 2: its 20th note (the 6th going down) 6.25 ms late;
 * - run 3: even at 130 ms;
 * - run 4: a wrong note going up (G♯4 instead of G4), then a correct way down.
 */
function script(): { messages: Scripted[]; runs: { onsets: number[]; pitches: number[] }[] } {
  const messages: Scripted[] = [];
  const runs: { onsets: number[]; pitches: number[] }[] = [];
  let start = 0;
  const plan = [
    { ioi: 125, late: { 7: 18.5 } as Record<number, number> },
    { ioi: 125, late: { 19: 6.25 } as Record<number, number> },
    { ioi: 130, late: {} as Record<number, number> },
    { ioi: 125, late: {} as Record<number, number>, wrong: 4 },
  ];
  for (const [r, { ioi, late, wrong }] of plan.entries()) {
    const pitches = UP_AND_DOWN.map((p, k) => (k === wrong ? p + 1 : p));
    const onsets = pitches.map((_, k) => start + k * ioi + (late[k] ?? 0));
    runs.push({ onsets, pitches });
    pitches.forEach((pitch, k) => {
      const velocity = 56 + ((k * 7 + r * 3) % 24);
      messages.push({ at: onsets[k]!, data: [0x90, pitch, velocity] });
      messages.push({ at: onsets[k]! + 100, data: [0x80, pitch, 0x40] });
    });
    start = onsets.at(-1)! + 1800;
  }
  messages.sort((a, b) => a.at - b.at);
  return { messages, runs };
}

function sampleSd(xs: readonly number[]): number {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** What the analysis must find in the script, worked out here from the script itself. */
function expected(runs: { onsets: number[]; pitches: number[] }[]) {
  // one-way runs of 15 notes: up = notes 0–14, down = notes 14–28 (the top note shared)
  const oneWay: { direction: 'up' | 'down'; onsets: number[] }[] = [];
  runs.forEach(({ onsets }, r) => {
    if (r !== 3) oneWay.push({ direction: 'up', onsets: onsets.slice(0, 15) });
    oneWay.push({ direction: 'down', onsets: onsets.slice(14) });
  });
  const iois = (onsets: number[]) => onsets.slice(1).map((t, k) => t - onsets[k]!);
  const sds = (direction?: 'up' | 'down') =>
    oneWay.filter((w) => !direction || w.direction === direction).map((w) => sampleSd(iois(w.onsets)));
  const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    correctRuns: oneWay.length,
    // run 4's way up: 14 notes outside every correct run = one incorrect run
    incorrectRuns: 1,
    ioiSd: meanOf(sds()),
    ioiSdUp: meanOf(sds('up')),
    ioiSdDown: meanOf(sds('down')),
    upCount: oneWay.filter((w) => w.direction === 'up').length,
    downCount: oneWay.filter((w) => w.direction === 'down').length,
  };
}

/** As the results show a value: three significant digits and the unit. */
const shown = (ms: number) => `${Number(ms.toPrecision(3))} ms`;

/**
 * A fake Web MIDI keyboard, installed before the app loads: `navigator.requestMIDIAccess` resolves with an
 * access holding one input, whose `midimessage` events carry the bytes and the `timeStamp` the test
 * chooses (a real event's timeStamp cannot be set: it is defined on the event object, as the tasks
 * package's fake does). `window.__midiE2e.play(messages)` dispatches each message when the page's clock
 * reaches its time stamp, as a keyboard would send it.
 */
function installFakeMidi(page: Page) {
  return page.addInitScript(() => {
    class FakeInput extends EventTarget {
      readonly id = 'e2e-piano-1';
      readonly name = 'E2E Digital Piano';
      readonly manufacturer = 'Dystrack Test';
      readonly version = '1.0';
      readonly type = 'input';
      state = 'connected';
      connection = 'closed';
      onmidimessage: ((event: Event) => void) | null = null;
      open() {
        this.connection = 'open';
        return Promise.resolve(this);
      }
      send(data: number[], timeStamp: number) {
        const event = new Event('midimessage');
        Object.defineProperty(event, 'timeStamp', { value: timeStamp });
        Object.defineProperty(event, 'data', { value: new Uint8Array(data) });
        this.dispatchEvent(event);
        this.onmidimessage?.(event);
      }
    }
    const input = new FakeInput();
    const access = Object.assign(new EventTarget(), {
      inputs: new Map([[input.id, input]]),
      outputs: new Map(),
      sysexEnabled: false,
      onstatechange: null,
    });
    Object.defineProperty(navigator, 'requestMIDIAccess', {
      configurable: true,
      value: () => Promise.resolve(access),
    });
    (window as unknown as { __midiE2e: unknown }).__midiE2e = {
      play(messages: { timeStamp: number; data: number[] }[]) {
        for (const m of messages) {
          setTimeout(() => input.send(m.data, m.timeStamp), Math.max(0, m.timeStamp - performance.now()));
        }
      },
    };
  });
}

/** A Standard MIDI File of the script: 2000 ticks per quarter at 120 bpm, so one tick is 0.25 ms. */
function scriptSmf(messages: readonly Scripted[]): Uint8Array {
  let last = 0;
  const events: MidiEvent[] = [{ deltaTime: 0, type: 'setTempo', meta: true, microsecondsPerBeat: 500_000 }];
  for (const { at, data } of messages) {
    const tick = Math.round(at / 0.25);
    const [status, noteNumber, velocity] = data as [number, number, number];
    events.push({
      deltaTime: tick - last,
      type: (status & 0xf0) === 0x90 ? 'noteOn' : 'noteOff',
      channel: status & 0x0f,
      noteNumber,
      velocity,
    });
    last = tick;
  }
  events.push({ deltaTime: 0, type: 'endOfTrack', meta: true });
  return Uint8Array.from(
    writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 2000 }, tracks: [events] }),
  );
}

const hex = (data: readonly number[]) => data.map((b) => b.toString(16).padStart(2, '0')).join('');

describe('the MIDI scale task and the MIDI import in Chromium', () => {
  const app = useServerAndBrowser();
  const shots = process.env.E2E_SCREENSHOTS;
  const { messages, runs } = script();
  const want = expected(runs);

  it('records scripted MIDI messages with their exact time stamps and bytes, and shows the scale results', async () => {
    const page = app.browser.page;
    await installFakeMidi(page);
    await signUp(page, app.base, uniqueName('pianist'));
    await onboard(page);
    await page.goto(`${app.base}/tasks/scale/right?e2e=1`);
    await page
      .getByRole('group', { name: 'What will you play?' })
      .getByLabel(/standard test/)
      .check();
    await page.getByRole('button', { name: 'Start with the right hand' }).click();
    // one keyboard: taken at once; no pedal to check
    await page.getByRole('button', { name: 'I have no pedal' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // the countdown, then two bars of metronome clicks; then play
    await page.locator('.dt-scale-phase', { hasText: /^Play$/ }).waitFor({ timeout: 30_000 });

    const origin = await page.evaluate(() => Math.ceil(performance.now()) + 500);
    const stamped = messages.map((m) => ({ timeStamp: origin + m.at, data: m.data }));
    await page.evaluate((list) => {
      (window as unknown as { __midiE2e: { play(m: unknown): void } }).__midiE2e.play(list);
    }, stamped);
    const lastMs = stamped.at(-1)!.timeStamp;
    await page.waitForFunction((t) => performance.now() > t + 1700, lastMs, { timeout: 60_000 });
    await page.locator('.dt-scale-notes', { hasText: String(runs.length * 29) }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/scale-during.png`, fullPage: true });
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Press again to finish' }).click();
    await page.getByRole('heading', { name: 'Your results' }).waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Your timing fingerprint' }).waitFor({ timeout: 20_000 });

    // the recording as the server stored it
    await page.waitForFunction(() => window.__dystrack !== undefined);
    const id = await page.evaluate(async () => {
      await window.__dystrack!.flushQueue();
      const entry = (await window.__dystrack!.queueEntries()).find(
        (e) => e.summary.taskId === 'scale' && e.state !== 'incomplete',
      );
      return entry?.state === 'sent' ? entry.id : `not sent: ${entry?.state}`;
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await page.evaluate(async (recordingId) => {
      const body = (await (await fetch(`/api/v1/recordings/${recordingId}`)).json()) as {
        recording: { streams: { midi: { columns: Record<string, { values: unknown[] }> } } };
      };
      const { columns } = body.recording.streams.midi;
      return {
        timeStampMs: columns.timeStampMs!.values as number[],
        bytesHex: columns.bytesHex!.values as string[],
        inputId: columns.inputId!.values as string[],
      };
    }, id);
    // every row exactly as scripted: the event's timeStamp (not the time the handler ran) and the bytes
    expect(stored.timeStampMs).toEqual(stamped.map((m) => m.timeStamp));
    expect(stored.bytesHex).toEqual(stamped.map((m) => hex(m.data)));
    expect(new Set(stored.inputId)).toEqual(new Set(['e2e-piano-1']));
    // the captured intervals between note-ons are the scripted ones, to the bit
    const onsets = stored.timeStampMs.filter((_, i) => stored.bytesHex[i]!.startsWith('90'));
    const capturedIois = onsets.slice(1).map((t, k) => t - onsets[k]!);
    const scriptedOnsets = runs.flatMap((r) => r.onsets);
    expect(capturedIois).toEqual(scriptedOnsets.slice(1).map((t, k) => t - scriptedOnsets[k]!));
    expect(capturedIois.slice(6, 8)).toEqual([143.5, 106.5]);

    // the server's analysis of the stored recording
    const analysis = await page.evaluate(async (recordingId) => {
      for (let i = 0; i < 150; i++) {
        const response = await fetch(`/api/v1/recordings/${recordingId}/metrics`);
        const body = (await response.json()) as {
          status: 'ok' | 'failed' | 'pending';
          metrics: { id: string; value: number | null }[];
        };
        if (response.ok && body.status !== 'pending') return body;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return null;
    }, id);
    expect(analysis?.status).toBe('ok');
    const value = (metricId: string) => analysis!.metrics.find((m) => m.id === metricId)?.value;
    expect(value('correct_run_count')).toBe(want.correctRuns);
    expect(value('incorrect_run_count')).toBe(want.incorrectRuns);
    expect(value('ioi_sd_ms')).toBeCloseTo(want.ioiSd, 9);
    expect(value('ioi_sd_up_ms')).toBeCloseTo(want.ioiSdUp, 9);
    expect(value('ioi_sd_down_ms')).toBeCloseTo(want.ioiSdDown, 9);

    // what the results page shows
    await expect(page.locator('[data-metric="ioi_sd_ms"] .results__value').textContent()).resolves.toBe(
      shown(want.ioiSd),
    );
    await expect(
      page.locator('.scale-results [data-metric="correct_run_count"] dd').textContent(),
    ).resolves.toBe(`${want.correctRuns} (${want.upCount} going up, ${want.downCount} going down)`);
    await expect(
      page.locator('.scale-results [data-metric="incorrect_run_count"] dd').textContent(),
    ).resolves.toBe(String(want.incorrectRuns));
    await expect(
      page.locator('.scale-results [data-metric="ioi_sd_up_ms"] .scale-results__value').textContent(),
    ).resolves.toBe(shown(want.ioiSdUp));
    await expect(
      page.locator('.scale-results [data-metric="ioi_sd_down_ms"] .scale-results__value').textContent(),
    ).resolves.toBe(shown(want.ioiSdDown));
    // six plots (3 kinds × 2 directions), each an image described by its caption
    const figures = page.locator('figure.scale-plot');
    await expect(figures.count()).resolves.toBe(6);
    await expect(figures.first().locator('figcaption').textContent()).resolves.toMatch(
      /^Going up, 3 runs: most late at note 8 \(C5\)/,
    );
    await expect(figures.nth(2).locator('figcaption').textContent()).resolves.toContain(
      `Unevenness within a run (SD of the intervals): ${shown(want.ioiSdUp)}.`,
    );
    if (shots) await page.screenshot({ path: `${shots}/scale-results.png`, fullPage: true });
    if (shots) await page.locator('.scale-results').screenshot({ path: `${shots}/scale-results-detail.png` });
  });

  it('imports a generated .mid file from the import page and shows its results; a non-MIDI file saves nothing', async () => {
    const page = await app.browser.context.newPage();
    await page.goto(`${app.base}/?e2e=1`);
    await page.getByRole('link', { name: 'Import a .mid file' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import a MIDI file' }).waitFor();
    await page.waitForFunction(() => window.__dystrack !== undefined);
    const count = () =>
      page.evaluate(async () => {
        const entries = await window.__dystrack!.queueEntries();
        const server = (await (await fetch('/api/v1/recordings?limit=100')).json()) as { items: unknown[] };
        return { device: entries.length, server: server.items.length };
      });
    const before = await count();

    // a text file named .mid: a plain message, nothing saved
    await page.getByTestId('midi-file-input').setInputFiles({
      name: 'practice notes.mid',
      mimeType: '',
      buffer: Buffer.from('C D E F G A B C, slowly, then faster\n'),
    });
    await page.getByRole('group', { name: 'Which hand played?' }).getByLabel('Right hand').check();
    await page
      .getByRole('group', { name: 'What did you play?' })
      .getByLabel(/standard test/)
      .check();
    await page.getByRole('button', { name: 'Import and show the results' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'This is not a MIDI file' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Nothing was saved.');
    if (shots) await page.screenshot({ path: `${shots}/midi-import-not-midi.png`, fullPage: true });
    expect(await count()).toEqual(before);

    // the script as a Standard MIDI File
    await page.getByTestId('midi-file-input').setInputFiles({
      name: 'scales.mid',
      mimeType: 'audio/midi',
      buffer: Buffer.from(scriptSmf(messages)),
    });
    await page.getByText('Chosen: scales.mid').waitFor();
    if (shots) await page.screenshot({ path: `${shots}/midi-import.png`, fullPage: true });
    await page.getByRole('button', { name: 'Import and show the results' }).click();
    await page.getByRole('heading', { level: 1, name: 'MIDI file imported' }).waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Your timing fingerprint' }).waitFor({ timeout: 20_000 });
    await expect(
      page.locator('.scale-results [data-metric="correct_run_count"] dd').textContent(),
    ).resolves.toBe(`${want.correctRuns} (${want.upCount} going up, ${want.downCount} going down)`);
    await expect(page.locator('[data-metric="ioi_sd_ms"] .results__value').textContent()).resolves.toBe(
      shown(want.ioiSd),
    );
    const saved = await page.evaluate(async () => {
      await window.__dystrack!.flushQueue();
      const entries = await window.__dystrack!.queueEntries();
      const entry = entries.find((e) => e.summary.flags.includes('IMPORTED_FILE'));
      return { count: entries.length, state: entry?.state, flags: entry?.summary.flags };
    });
    expect(saved).toMatchObject({ count: before.device + 1, state: 'sent', flags: ['IMPORTED_FILE'] });
    if (shots) await page.screenshot({ path: `${shots}/midi-import-results.png`, fullPage: true });
    if (shots) {
      // a phone's width: the plots one under the other, every other note labelled
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('.scale-results').screenshot({ path: `${shots}/midi-import-results-phone.png` });
      await page
        .locator('figure.scale-plot')
        .first()
        .screenshot({ path: `${shots}/midi-import-plot-phone.png` });
    }
    await page.close();
  });
});
