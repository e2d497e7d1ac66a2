// Capture benchmark: how light the browser side of a task is. Starts the built server on a fresh embedded
// database, launches headless Chromium (/usr/bin/chromium, or CHROMIUM_PATH) on a fresh profile, signs up and
// onboards a patient through the UI, then for every task of the registry (as the app ships it) and one hand:
//
//  1. Size. Opens the task page in a new tab with the HTTP cache disabled and records every JavaScript
//     response until the scripted trial has ended. Each distinct file is gzipped here (node:zlib level 9, the
//     bytes the server sent, decoded), so the figure does not depend on the server's compression. The total is
//     the capture route's JavaScript; target ≤ 150 KB. The results code (the lazy `session-results` chunk,
//     which brings the analysis core) must not load before the run ends; after the run it must load (so it is
//     really lazy and the check really sees it).
//  2. Long tasks. A PerformanceObserver({ type: 'longtask', buffered: true }) is installed before any page
//     script (addInitScript). The trial is started as a person would (keyboard tapping: J and K in turn;
//     typing: the English copy text) and 60 key events (30 keydown/keyup pairs) are sent with CDP
//     Input.dispatchKeyEvent, each at its own wall-clock time (about 5 keys/s with jitter) and stamped with
//     that time. Long tasks (> 50 ms) that overlap the trial window, from the first key to the last plus
//     250 ms, are counted; the longest and the total blocking time (Σ duration − 50 ms) are printed. Target: no
//     long task while keys arrive. Long tasks while the page loads are printed too, for information. A
//     deliberate 120 ms busy loop after each trial checks that the observer sees long tasks at all.
//  3. Pen trials (spiral freehand, handwriting copy, precision circle): after the countdown, one 60-second
//     pen stroke at 240 Hz is sent with CDP Input.dispatchMouseEvent (pointerType pen), 4 samples (one
//     60-Hz frame) at a time at their own wall-clock times, each stamped with its time; the long tasks of
//     the 60 s are counted as above. The input handlers' time is measured too: an init script wraps
//     addEventListener for pointer events (the recorder's listener and React's alike) and sums, per
//     dispatched event, the time its listeners took (performance.now(), 5 µs on the cross-origin-isolated
//     page); printed as p50 / p99 / max per event and the total. The check reads the run's latest
//     checkpoint from IndexedDB: every sample sent must be in it.
//
//   npm run bench:web          (builds first; CHROMIUM_PATH=… chooses another Chromium)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/dist/main.js');
const WEB_DIST = join(ROOT, 'packages/web/dist');
const TARGET_GZIP_KB = 150;
const TARGET_LONG_TASKS = 0;
const LONG_TASK_MS = 50;
/** The lazily loaded results page (and with it the analysis core). */
const RESULTS_CHUNK = /\/session-results-[^/]*\.js$/;
/** Key events per trial (keydown + keyup pairs). */
const KEY_EVENTS = 60;
/** The pen trial: its length (s), the digitiser's rate (Hz) and the samples sent together (one 60-Hz frame). */
const PEN_TRIAL_S = 60;
const PEN_HZ = 240;
const PEN_SAMPLES_PER_SEND = 4;

/** Chromium flags that work on a closed network (the same as e2e/harness.ts). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PASSWORD = 'a calm long passphrase 42';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const kb = (bytes) => (bytes / 1024).toFixed(1);

/** A small deterministic generator, so that every run sends the same key times. */
function rng(seed) {
  return () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** A character of the copy text as a CDP key (US layout, as e2e/typing.e2e.ts sends them). */
function keyOf(ch) {
  if (ch === ' ') return { code: 'Space', key: ' ', keyCode: 32 };
  if (ch === '.') return { code: 'Period', key: '.', keyCode: 190 };
  if (ch === ',') return { code: 'Comma', key: ',', keyCode: 188 };
  const upper = ch.toUpperCase();
  if (!/^[A-Z]$/.test(upper)) throw new Error(`no key for ${JSON.stringify(ch)} in the copy text`);
  return { code: `Key${upper}`, key: ch, keyCode: upper.charCodeAt(0) };
}

/**
 * Key events of `presses` (keys in order), one press every `intervalMs` ± `jitterMs`, each held
 * `holdMs` ± `holdJitterMs`; times in s relative to the first press, sorted.
 */
function schedule(presses, { intervalMs, jitterMs, holdMs, holdJitterMs, seed }) {
  const rand = rng(seed);
  const events = [];
  let t = 0;
  for (const press of presses) {
    const hold = holdMs + (rand() * 2 - 1) * holdJitterMs;
    events.push(
      { ...press, type: 'keyDown', at: t / 1000 },
      { ...press, type: 'keyUp', at: (t + hold) / 1000 },
    );
    t += intervalMs + (rand() * 2 - 1) * jitterMs;
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * How each task's trial is started, driven and checked, as a person would do it. A task of the
 * registry without an entry here gets its size measured but no trial (and the run fails).
 */
const SCRIPTS = {
  tapping: {
    async start(page, hand) {
      await page
        .getByRole('group', { name: 'How will you tap?' })
        .getByLabel(/On the keyboard/)
        .check();
      await page.getByRole('button', { name: `Start with the ${hand} hand` }).click();
      // the trial has begun once its Stop button is enabled (after the countdown)
      await page.locator('.dt-tapping-stop:not([disabled])').waitFor({ timeout: 20_000 });
    },
    events() {
      const keys = [
        { code: 'KeyJ', key: 'j', keyCode: 74 },
        { code: 'KeyK', key: 'k', keyCode: 75 },
      ];
      const presses = Array.from({ length: KEY_EVENTS / 2 }, (_, i) => keys[i % 2]);
      // about 5 taps/s: a brisk alternating tapper
      return schedule(presses, { intervalMs: 200, jitterMs: 30, holdMs: 80, holdJitterMs: 15, seed: 7 });
    },
    async check(page) {
      await page
        .locator('.dt-tapping-count', { hasText: String(KEY_EVENTS / 2) })
        .waitFor({ timeout: 10_000 });
    },
    async finish(page) {
      await page.locator('.dt-tapping-stop').click();
      await page.getByRole('button', { name: 'Press again to stop' }).click();
    },
  },
  typing: {
    async start(page, hand) {
      await page
        .getByRole('group', { name: 'What will you type?' })
        .getByLabel(/A short text/)
        .check();
      await page
        .getByRole('group', { name: /Which text will you copy/ })
        .getByLabel('English')
        .check();
      await page.getByRole('button', { name: `Start with the ${hand} hand` }).click();
      // typing is possible once the countdown has ended and the field is editable
      await page.locator('.dt-typing-input:not([readonly])').waitFor({ timeout: 20_000 });
      await page.locator('.dt-typing-input').focus();
      this.typed = (await page.getByLabel('Text to copy').textContent()).trim().slice(0, KEY_EVENTS / 2);
    },
    events() {
      // about 5 characters/s (60 words a minute), holds of 70–110 ms
      return schedule([...this.typed].map(keyOf), {
        intervalMs: 190,
        jitterMs: 50,
        holdMs: 90,
        holdJitterMs: 20,
        seed: 11,
      });
    },
    async check(page) {
      await page.locator('.dt-typing-done', { hasText: this.typed }).waitFor({ timeout: 10_000 });
    },
    async finish(page) {
      await page.getByRole('button', { name: 'Finish' }).click();
      await page.getByRole('button', { name: 'Press again to finish' }).click();
    },
  },
  // pen tasks: parts whose trial allows a 60-s stroke (no limit per spiral or trace; the copy lasts 2 min)
  spiral: penScript(async (page) => {
    await page
      .getByRole('group', { name: 'Which spiral test?' })
      .getByLabel(/Freehand/)
      .check();
  }, '.dt-spiral-done:not([disabled])'),
  handwriting: penScript(async (page) => {
    await page
      .getByRole('group', { name: 'What will you write?' })
      .getByLabel(/copy it for 2 minutes/)
      .check();
    await page
      .getByRole('group', { name: /In which language/ })
      .getByLabel('English')
      .check();
  }, '.dt-handwriting-finish:not([disabled])'),
  precision: penScript(async (page) => {
    await page
      .getByRole('group', { name: 'What will you do?' })
      .getByLabel(/Trace a small circle/)
      .check();
  }, '.dt-precision-finish:not([disabled])'),
};

/**
 * A pen task's trial: `choose` picks the part as a person would, then Start; the trial has begun once
 * `ready` (a selector) is there. The card calibration is skipped ("I have no card now"). The stroke
 * itself is sent by {@link penTrial}.
 */
function penScript(choose, ready) {
  return {
    kind: 'pen',
    async start(page, hand) {
      await choose(page);
      await page.getByRole('button', { name: `Start with the ${hand} hand` }).click();
      const noCard = page.getByRole('button', { name: /I have no card now/ });
      const started = page.locator(ready);
      await noCard.or(started).first().waitFor({ timeout: 20_000 });
      if (await noCard.isVisible()) await noCard.click();
      await started.waitFor({ timeout: 20_000 });
      const surface = page.locator('.dt-pen-surface');
      await surface.scrollIntoViewIfNeeded();
      this.box = await surface.boundingBox();
    },
    async check(page, taskId) {
      // the run's latest checkpoint (every second) must hold every sample sent
      const want = PEN_TRIAL_S * PEN_HZ + 1;
      let rows = 0;
      for (let i = 0; i < 40 && rows < want; i++) {
        rows = await penRowsInCheckpoint(page, taskId);
        if (rows < want) await sleep(250);
      }
      if (rows !== want) throw new Error(`${taskId}: ${rows} pen rows in the checkpoint, ${want} sent`);
      return rows;
    },
    async finish(page) {
      await page.getByRole('button', { name: 'Finish' }).click();
      await page.getByRole('button', { name: 'Press again to finish' }).click();
    },
  };
}

/**
 * Pen rows in the latest checkpoint of a run of `taskId`, read from the app's IndexedDB queue: the
 * run's entry holds what was assembled so far (nothing while it runs), its checkpoint chunks the rest.
 */
function penRowsInCheckpoint(page, taskId) {
  return page.evaluate(
    (taskId) =>
      new Promise((resolve, reject) => {
        const open = globalThis.indexedDB.open('dystrack-queue');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['entries', 'checkpoints']);
          tx.onerror = () => reject(tx.error);
          const all = tx.objectStore('entries').getAll();
          all.onsuccess = () => {
            const run = all.result
              .filter((e) => e.state === 'incomplete' && e.summary.taskId === taskId)
              .sort((a, b) => a.updatedAt - b.updatedAt)
              .at(-1);
            if (!run) {
              db.close();
              resolve(0);
              return;
            }
            const pens = (types) => Array.prototype.filter.call(types ?? [], (t) => t === 'pen').length;
            let rows = pens(run.recording?.streams.pointer?.columns.pointerType?.values);
            const chunks = tx.objectStore('checkpoints').index('recordingId').getAll(run.id);
            chunks.onsuccess = () => {
              for (const chunk of chunks.result) {
                if (chunk.seq > (run.checkpointSeq ?? Infinity))
                  rows += pens(chunk.delta.streams.pointer?.columns.pointerType?.values);
              }
              db.close();
              resolve(rows);
            };
          };
        };
      }),
    taskId,
  );
}

/**
 * One pen stroke of {@link PEN_TRIAL_S} s at {@link PEN_HZ} Hz over the surface `box` (a slow Lissajous
 * figure), sent as a digitiser delivers it: {@link PEN_SAMPLES_PER_SEND} samples at a time, at their own
 * wall-clock time, each stamped with it. Resolves with the wall-clock span and the CDP ack times.
 */
async function penTrial(cdp, box) {
  const n = PEN_TRIAL_S * PEN_HZ + 1;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const t0 = Date.now() / 1000 + 0.1;
  const acksMs = [];
  for (let i = 0; i < n; i += PEN_SAMPLES_PER_SEND) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + PEN_SAMPLES_PER_SEND); k++) {
      const tS = k / PEN_HZ;
      const type = k === 0 ? 'mousePressed' : k === n - 1 ? 'mouseReleased' : 'mouseMoved';
      batch.push({
        type,
        x: cx + 0.35 * box.width * Math.sin(2 * Math.PI * 0.37 * tS),
        y: cy + 0.35 * box.height * Math.sin(2 * Math.PI * 0.23 * tS),
        button: 'left',
        buttons: type === 'mouseReleased' ? 0 : 1,
        clickCount: 1,
        pointerType: 'pen',
        force: 0.3 + 0.2 * Math.sin(2 * Math.PI * 0.5 * tS),
        tiltX: 25,
        tiltY: -10,
        twist: 0,
        timestamp: t0 + tS,
      });
    }
    // the batch leaves once its last sample has been taken
    await sleep((batch.at(-1).timestamp - Date.now() / 1000) * 1000);
    const sent = performance.now();
    await Promise.all(batch.map((event) => cdp.send('Input.dispatchMouseEvent', event)));
    acksMs.push(performance.now() - sent);
  }
  return { events: n, firstS: t0, lastS: t0 + (n - 1) / PEN_HZ, acksMs };
}

/** Starts `dystrack serve` (the built CLI) on its own data directory; resolves once it printed its URL. */
async function startServer(dataDir) {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DYSTRACK_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Dystrack listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 25);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout')]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

async function signUpAndOnboard(page, base) {
  const username = `bench-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  await page.goto(`${base}/signup`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create the account' }).click();
  await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();
  await page.getByLabel('I saved my recovery codes').check();
  await page.getByRole('button', { name: /continue/i }).click();
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

/** The tasks of the registry as the built app ships them (through its test hook), with their hands. */
async function registryTasks(context, base) {
  const page = await context.newPage();
  try {
    await page.goto(`${base}/?e2e=1`);
    await page.waitForFunction(() => globalThis.__dystrack !== undefined);
    return await page.evaluate(() => globalThis.__dystrack.tasks);
  } finally {
    await page.close();
  }
}

/** Records every JavaScript response of a page: size on the wire, raw size and gzip -9 size of the body. */
function recordScripts(page, phase) {
  const scripts = [];
  const pending = [];
  page.on('response', (response) => {
    const request = response.request();
    const url = new URL(response.url());
    const isJs =
      request.resourceType() === 'script' ||
      /javascript/.test(response.headers()['content-type'] ?? '') ||
      url.pathname.endsWith('.js');
    if (!isJs) return;
    const entry = { path: url.pathname, phase: phase.name, status: response.status() };
    scripts.push(entry);
    pending.push(
      (async () => {
        let body;
        try {
          body = await response.body();
        } catch {
          // a body Chromium no longer holds: the same file from the build
          body = readFileSync(join(WEB_DIST, url.pathname));
        }
        entry.rawBytes = body.length;
        entry.gzipBytes = gzipSync(body, { level: 9 }).length;
        entry.encoding = response.headers()['content-encoding'] ?? 'identity';
        const sizes = await request.sizes().catch(() => null);
        entry.wireBytes = sizes ? sizes.responseBodySize : null;
      })().catch((error) => {
        // neither the body nor the file: the size is unknown, and the size target counts as missed
        entry.error = error instanceof Error ? error.message : String(error);
        entry.rawBytes = entry.gzipBytes = Number.NaN;
        entry.wireBytes = null;
        entry.encoding = '?';
      }),
    );
  });
  return { scripts, settled: () => Promise.all(pending) };
}

/** Long tasks seen by the page's observer, as { start, duration } in the page's clock (ms). */
const longTasks = (page) => page.evaluate(() => globalThis.__benchLongTasks ?? null);

async function measureTask(context, base, task) {
  const hand = task.hands.includes('right') ? 'right' : task.hands[0];
  const script = SCRIPTS[task.id] ? Object.create(SCRIPTS[task.id]) : null;
  const page = await context.newPage();
  const result = { id: task.id, hand, scripted: script !== null, trial: null, observerOk: null };
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const phase = { name: 'capture' };
    const recorder = recordScripts(page, phase);

    await page.goto(`${base}/tasks/${task.id}/${hand}`, { waitUntil: 'load' });
    await page.getByRole('button', { name: `Start with the ${hand} hand` }).waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');

    if (script) {
      await script.start(page, hand);
      const trialStart = await page.evaluate(() => performance.now());
      const handlersBefore = await page.evaluate(() => globalThis.__benchHandlers?.perEvent.length ?? 0);
      let trial;
      if (script.kind === 'pen') {
        const sent = await penTrial(cdp, script.box);
        await sleep((sent.lastS - Date.now() / 1000) * 1000 + 250);
        const trialEnd = await page.evaluate(() => performance.now());
        const rows = await script.check(page, task.id);
        trial = {
          kind: 'pen',
          events: sent.events,
          rows,
          rate: `${PEN_HZ} Hz`,
          ackMs: sent.acksMs.sort((a, b) => a - b),
          trialEnd,
        };
      } else {
        const events = script.events();
        // each event is sent at its own wall-clock time and stamped with it: keys arrive while the trial runs
        const t0 = Date.now() / 1000 + 0.1;
        const acksMs = [];
        for (const { type, code, key, keyCode, at } of events) {
          const when = t0 + at;
          await sleep(when * 1000 - Date.now());
          const sent = performance.now();
          await cdp.send('Input.dispatchKeyEvent', {
            type,
            code,
            key,
            windowsVirtualKeyCode: keyCode,
            ...(type === 'keyDown' ? { text: key } : {}),
            timestamp: when,
          });
          acksMs.push(performance.now() - sent);
        }
        // the injected time stamps may run ahead of the page's clock: let real time pass the last one
        const lastAt = t0 + events.at(-1).at;
        await sleep((lastAt - Date.now() / 1000) * 1000 + 250);
        const trialEnd = await page.evaluate(() => performance.now());
        await script.check(page);
        trial = {
          kind: 'keys',
          events: events.length,
          rate: `${(events.length / 2 / (events.at(-1).at - events[0].at)).toFixed(1)}/s`,
          // how long Chromium took to deliver each key to the page and acknowledge it (information only)
          ackMs: acksMs.sort((a, b) => a - b),
          trialEnd,
        };
      }
      const { trialEnd } = trial;

      const seen = await longTasks(page);
      if (seen === null) throw new Error('the long-task observer was not installed');
      const during = seen
        .filter((t) => t.start < trialEnd && t.start + t.duration > trialStart)
        .map((t) => ({ ...t, at: t.start - trialStart }));
      const before = seen.filter((t) => t.start + t.duration <= trialStart);
      // the pointer listeners' time per dispatched event, ms, during the trial
      const handlerMs = await page.evaluate(
        ([from, end]) =>
          (globalThis.__benchHandlers?.perEvent ?? [])
            .slice(from)
            .filter(([start]) => start <= end)
            .map(([, ms]) => ms),
        [handlersBefore, trialEnd],
      );
      result.trial = {
        ...trial,
        seconds: trialEnd - trialStart,
        during,
        before,
        longest: Math.max(0, ...during.map((t) => t.duration)),
        tbt: during.reduce((sum, t) => sum + Math.max(0, t.duration - LONG_TASK_MS), 0),
        handlerMs: handlerMs.sort((a, b) => a - b),
      };

      // the observer must see a task that is known to be long
      // (in a task of the page's own: a CDP evaluation is not one the observer reports)
      await page.evaluate(() => {
        setTimeout(() => {
          const until = performance.now() + 120;
          while (performance.now() < until);
        }, 0);
      });
      await sleep(500);
      const after = (await longTasks(page)) ?? [];
      result.observerOk = after.some((t) => t.start >= trialEnd && t.duration >= 100);

      // the run ends: from here on the results code may load
      phase.name = 'after';
      await script.finish(page);
      await page
        .getByRole('heading', { name: 'Your results' })
        .waitFor({ timeout: 30_000 })
        .catch(() => {});
      await page.waitForLoadState('networkidle');
    }
    await recorder.settled();
    result.scripts = recorder.scripts;
  } finally {
    await page.close().catch(() => {});
  }
  return result;
}

function printReport(results) {
  const rows = [];
  let sizeOk = true;
  let lazyOk = true;
  let trialsOk = true;
  console.log(
    `\nJavaScript of the capture route (fresh load, HTTP cache off; gzip -9 of each file's bytes here)`,
  );
  for (const r of results) {
    const capture = new Map();
    for (const s of r.scripts.filter((s) => s.phase === 'capture')) capture.set(s.path, s);
    const after = r.scripts.filter((s) => s.phase === 'after' && !capture.has(s.path));
    const total = [...capture.values()].reduce((sum, s) => sum + s.gzipBytes, 0);
    const resultsEarly = [...capture.keys()].filter((p) => RESULTS_CHUNK.test(p));
    const resultsLate = after.filter((s) => RESULTS_CHUNK.test(s.path));
    console.log(`\n  ${r.id} (${r.hand} hand)`);
    console.log(
      `    ${'file'.padEnd(44)} ${'raw KB'.padStart(8)} ${'wire KB'.padStart(8)} ${'gzip KB'.padStart(8)}`,
    );
    for (const s of capture.values()) {
      const wire = s.wireBytes === null ? '?' : `${kb(s.wireBytes)}`;
      console.log(
        `    ${s.path.padEnd(44)} ${kb(s.rawBytes).padStart(8)} ${wire.padStart(8)} ${kb(s.gzipBytes).padStart(8)}  ${s.encoding}`,
      );
    }
    for (const s of capture.values()) if (s.error) console.log(`    ${s.path}: no size (${s.error})`);
    const ok = total <= TARGET_GZIP_KB * 1024;
    sizeOk &&= ok;
    console.log(
      `    ${'total'.padEnd(44)} ${''.padStart(8)} ${''.padStart(8)} ${kb(total).padStart(8)}  target ≤ ${TARGET_GZIP_KB} KB: ${ok ? 'met' : 'NOT met'}`,
    );
    if (after.length)
      console.log(
        `    loaded after the run ended: ${after.map((s) => `${s.path} (${kb(s.gzipBytes)} KB gzip)`).join(', ')}`,
      );
    let lazy;
    if (resultsEarly.length) lazy = `loaded BEFORE the run ended (${resultsEarly.join(', ')})`;
    else if (!r.scripted) lazy = 'not loaded on the route (no run to end)';
    else if (resultsLate.length) lazy = 'not loaded before the run ended; loaded after it (lazy)';
    else lazy = 'never loaded as its own chunk: is it still lazy (or renamed)?';
    const lazyHere = resultsEarly.length === 0 && (!r.scripted || resultsLate.length > 0);
    lazyOk &&= lazyHere;
    console.log(`    results code (session-results chunk, analysis core): ${lazy}`);
    rows.push({ r, total });
  }

  console.log(
    `\nLong tasks (> ${LONG_TASK_MS} ms) during a scripted trial: ${KEY_EVENTS} CDP key events at real pace, or ` +
      `one ${PEN_TRIAL_S}-s pen stroke at ${PEN_HZ} Hz (${PEN_SAMPLES_PER_SEND} samples a send, at real pace)`,
  );
  const pct = (sorted, p) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
  console.log(
    `  ${'task'.padEnd(11)} ${'events'.padStart(6)} ${'rate'.padStart(6)} ${'window s'.padStart(8)} ${'long'.padStart(5)} ${'longest ms'.padStart(10)} ${'TBT ms'.padStart(7)} ${'ack p50/max ms'.padStart(15)} ${'handlers/event p50/p99/max ms'.padStart(29)} ${'total ms'.padStart(8)}  ${'load: long / longest ms'}`,
  );
  for (const { r } of rows) {
    if (!r.trial) {
      trialsOk = false;
      console.log(
        `  ${r.id.padEnd(11)} no scripted trial for this task: add one to SCRIPTS in bench/web.mjs`,
      );
      continue;
    }
    const t = r.trial;
    const loadLongest = Math.max(0, ...t.before.map((x) => x.duration));
    const h = t.handlerMs;
    const handlers = h.length
      ? `${pct(h, 0.5).toFixed(3)} / ${pct(h, 0.99).toFixed(3)} / ${h.at(-1).toFixed(2)}`
      : 'no pointer events';
    const handlerTotal = h.reduce((sum, x) => sum + x, 0);
    console.log(
      `  ${r.id.padEnd(11)} ${String(t.events).padStart(6)} ${t.rate.padStart(6)} ${(t.seconds / 1000).toFixed(1).padStart(8)} ${String(t.during.length).padStart(5)} ${t.longest.toFixed(0).padStart(10)} ${t.tbt.toFixed(0).padStart(7)} ${`${t.ackMs[t.ackMs.length >> 1].toFixed(1)} / ${t.ackMs.at(-1).toFixed(1)}`.padStart(15)} ${handlers.padStart(29)} ${handlerTotal.toFixed(0).padStart(8)}  ${t.before.length} / ${loadLongest.toFixed(0)}`,
    );
    if (t.kind === 'pen')
      console.log(
        `    ${t.rows}/${t.events} pen samples in the run's checkpoint; ${h.length} pointer events dispatched to listeners`,
      );
    for (const x of t.during.slice(0, 12))
      console.log(
        `    long task ${(x.at / 1000).toFixed(3)} s into the trial: ${x.duration.toFixed(0)} ms${x.name ? ` (${x.name})` : ''}`,
      );
    if (t.during.length > 12) console.log(`    … and ${t.during.length - 12} more`);
    if (!r.observerOk)
      console.log(`    the observer missed a deliberate 120 ms task: long tasks are not measurable`);
    trialsOk &&= t.during.length <= TARGET_LONG_TASKS && r.observerOk;
  }

  console.log('\nTargets');
  console.log(
    `  capture route JavaScript ≤ ${TARGET_GZIP_KB} KB gzip, every task: ${sizeOk ? 'met' : 'NOT met'}`,
  );
  console.log(`  results/analysis code not loaded before a run ends: ${lazyOk ? 'met' : 'NOT met'}`);
  console.log(`  no long task while keys or pen samples arrive, every task: ${trialsOk ? 'met' : 'NOT met'}`);
  return sizeOk && lazyOk && trialsOk;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dystrack-bench-web-'));
  const profile = mkdtempSync(join(tmpdir(), 'dystrack-bench-chromium-'));
  let server = null;
  let context = null;
  const cleanup = async () => {
    await context?.close().catch(() => {});
    context = null;
    await server?.stop().catch(() => {});
    server = null;
    rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await startServer(dataDir);
    // the e2e tests use localhost (a secure context, like the https deployments)
    const base = server.url.replace('127.0.0.1', 'localhost');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    // before any page script: collect every long task of the page
    await context.addInitScript(() => {
      globalThis.__benchLongTasks = [];
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries())
            globalThis.__benchLongTasks.push({
              start: entry.startTime,
              duration: entry.duration,
              name: entry.name,
            });
        }).observe({ type: 'longtask', buffered: true });
      } catch {
        globalThis.__benchLongTasks = null;
      }
    });
    // before any page script: time every pointer listener, summed per dispatched event
    await context.addInitScript(() => {
      const types = new Set(['pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'pointerrawupdate']);
      const stats = { perEvent: [], last: null };
      globalThis.__benchHandlers = stats;
      const wrappers = new WeakMap();
      const add = EventTarget.prototype.addEventListener;
      const remove = EventTarget.prototype.removeEventListener;
      EventTarget.prototype.addEventListener = function (type, listener, options) {
        if (!types.has(type) || !listener) return add.call(this, type, listener, options);
        let wrapper = wrappers.get(listener);
        if (!wrapper) {
          wrapper = function (event) {
            const start = performance.now();
            try {
              return typeof listener === 'function'
                ? listener.call(this, event)
                : listener.handleEvent(event);
            } finally {
              const ms = performance.now() - start;
              // the listeners of one event run one after the other: sum them
              if (stats.last === event) stats.perEvent.at(-1)[1] += ms;
              else {
                stats.last = event;
                stats.perEvent.push([start, ms]);
              }
            }
          };
          wrappers.set(listener, wrapper);
        }
        return add.call(this, type, wrapper, options);
      };
      EventTarget.prototype.removeEventListener = function (type, listener, options) {
        return remove.call(this, type, (listener && wrappers.get(listener)) || listener, options);
      };
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await signUpAndOnboard(page, base);
    const tasks = await registryTasks(context, base);
    const version = await context
      .newCDPSession(page)
      .then((cdp) => cdp.send('Browser.getVersion'))
      .then((v) => v.product)
      .catch(() => 'Chromium');
    console.log(`server ${server.url}; ${version}`);
    console.log(`tasks in the registry: ${tasks.map((t) => t.id).join(', ')}`);
    const results = [];
    for (const task of tasks) {
      process.stdout.write(`measuring ${task.id}…\n`);
      results.push(await measureTask(context, base, task));
    }
    const ok = printReport(results);
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

await main();
