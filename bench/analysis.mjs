// Analysis benchmark (`npm run bench:analysis`): per-file time and peak memory of the built core's analysis
// (`loadAnalysisInput` + `analyze` from '@dystrack/core': parse + metrics) on real
// data, next to the same pipeline in numpy/scipy (bench/analysis_reference.py) measured in the same run.
//
// Inputs. The real data sets in ../shared/data (`--data DIR`) are not in the analysis contract's formats,
// so a few representative files of each are converted once, before any timing, into contract CSV files in a
// temporary directory under os.tmpdir() (deleted at the end; never written into the repository):
//   typing   neuroqwerty-mit-csxpd (X11 key names → `code`), aalto-136m-keystrokes-sample (epoch ms → ms)
//   scale    vienna4x22-piano performed .mid files (already Standard MIDI Files: used as they are)
//   spiral   uci-pd-spiral-tablet static spirals (tablet px → mm, Z > 0 → pen_down 0),
//            et-dbs-tablet-spirals (µs → ms, px → mm, spiral part only)
// Tasks without public data (tapping, handwriting, precision, tremor) and one "typical session" per task
// are generated here with a seeded generator (marked "simulated"), as is the 10-minute 240 Hz pen
// recording of the heap target. Both sides read exactly the same files.
//
// Timing. Per file: one warm python3 process (start-up and imports not timed) reads the file, analyses it
// and warms up (≥ 250 ms); the JS side warms up two analyses of it (≥ 1 s each: V8 needs about 60 runs of
// a 3,600-row typing file before its optimising compiler settles): one computing the same metric IDs as
// the Python side (`analyze(…, { metrics })`, which skips the work of the other metrics: the ratio), one
// computing every metric of the task (what the product computes: the typical-session and heap targets).
// Then RUNS rounds (≥ 20), each timing one sample of each of the three in turn, so that all three see the
// same machine load (this machine's speed drifts by tens of per cent within a minute). A sample is parse +
// analysis from the file's bytes in memory, as many consecutive runs as take about 5 ms (at least one: a
// sub-millisecond run alone is mostly timer and scheduling noise), its time divided by its runs; time.
// perf_counter() in Python, performance.now() in JS. The median of the samples is reported.
//
// Typical sessions (marked * in the table): a 3-minute copy-typing session; 20 s of alternating tapping;
// 12 up-and-down two-octave C-major scales at 120 bpm sixteenths; a 20-s spiral at 200 Hz; 15 s of loops
// at 200 Hz; a 20-s precision hold at 240 Hz; a 20-s phone tremor recording at 100 Hz.
//
// Peak heap. After the timed runs, HEAP_RUNS more runs, each after gc() (node --expose-gc) with
// v8.GCProfiler running: peak = the largest (V8 used heap + external memory, i.e. the ArrayBuffer backing
// stores of the typed arrays) seen just before any GC during the run or at its end, minus the same quantity
// just before the run; the median over the runs is reported. It counts garbage not yet collected, so it is
// what the heap really grew to (the live part alone, the largest value right after a GC, is printed for the
// heap target); the file's bytes (already loaded) are not counted.
//
// Agreement. For every metric the Python side computes, the relative difference |js − py| / max(|js|, |py|)
// is shown (max over the file's metrics and both JS runs); null on one side only is a disagreement. Disagreements are
// printed, not hidden; they do not change the exit code (they are a cross-check, not a target).
//
// Targets (exit 1 when one is missed or cannot be evaluated): numpy/scipy time / JS time (the same metrics)
// ≥ 2 on every file; JS median (every metric) < 10 ms for each typical session; peak heap (every metric)
// < 100 MB for the 10-minute 240 Hz pen recording.
//
//   npm run bench:analysis                          (builds packages/core first)
//   node --expose-gc bench/analysis.mjs --data ../shared/data --runs 21 --warmup 3 --only spiral,tremor --keep
//   BENCH_PYTHON=/path/to/python3 npm run bench:analysis   (default: /usr/bin/python3, then python3 on PATH)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFERENCE = join(ROOT, 'bench', 'analysis_reference.py');
const TARGET_RATIO = 2;
const TARGET_TYPICAL_MS = 10;
const TARGET_HEAP_MB = 100;
const MIN_RUNS = 20;
/** Heap measurements per file (their median is reported): the GC's timing makes one run noisy. */
const HEAP_RUNS = 5;
/**
 * Relative difference under which a metric counts as agreeing. Both sides compute in double precision; the
 * spiral centre comes from two Nelder–Mead implementations that stop at 1e-7 of the drawing's size, which
 * moves the spiral metrics by about 1e-7.
 */
const AGREE_REL = 1e-5;

// ------------------------------------------------------------------ options

function parseArgs(argv) {
  const options = {
    data: resolve(ROOT, '..', 'shared', 'data'),
    runs: 21,
    warmup: 3,
    only: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--data') options.data = resolve(value());
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--warmup') options.warmup = Number(value());
    else if (arg === '--only') options.only = new Set(value().split(','));
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (!(options.runs >= 1) || !(options.warmup >= 0)) throw new Error('--runs must be ≥ 1 and --warmup ≥ 0');
  return options;
}

// ------------------------------------------------------------------ seeded generators

/** mulberry32 with a Box–Muller normal: the same numbers on every run. */
function random(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (m = 0, sd = 1) =>
    m + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const fixed = (x, digits) => x.toFixed(digits);

/** A contract CSV text from a header and rows of cells. */
function csv(header, rows) {
  return `${header.join(',')}\n${rows.map((row) => row.join(',')).join('\n')}\n`;
}

/** Time stamps at `fs` Hz with Gaussian jitter (ms), kept strictly increasing. */
function stamps(durationS, fs, jitterMs, rng, t0 = 1000) {
  const out = [];
  const n = Math.round(durationS * fs);
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    let t = t0 + (k * 1000) / fs + rng.normal(0, jitterMs);
    if (t <= last + 0.05) t = last + 0.05;
    out.push(t);
    last = t;
  }
  return out;
}

const TEXT =
  'The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. ' +
  'How vexingly quick daft zebras jump! Sphinx of black quartz, judge my vow. ';

/** `KeyboardEvent.code` of a character of TEXT. */
function charCode(ch) {
  if (/[a-z]/i.test(ch)) return `Key${ch.toUpperCase()}`;
  return { ' ': 'Space', '.': 'Period', ',': 'Comma', '!': 'Digit1' }[ch] ?? 'Unidentified';
}

/** A 3-minute copy-typing session (~3.5 keys/s), with rollover, capitals (Shift) and backspaces. */
function simulateTyping(seed, durationS) {
  const rng = random(seed);
  const rows = [];
  let t = 1500;
  let i = 0;
  while (t < durationS * 1000) {
    const ch = TEXT[i++ % TEXT.length];
    const press = (code, hold) => rows.push([fixed(t, 3), fixed(t + hold, 3), code]);
    if (rng.uniform() < 0.03) {
      press('Backspace', 90 * Math.exp(rng.normal(0, 0.25)));
      t += 250 * Math.exp(rng.normal(0, 0.4));
    }
    if (/[A-Z]/.test(ch)) {
      press('ShiftLeft', 260 * Math.exp(rng.normal(0, 0.2)));
      t += 120;
    }
    press(charCode(ch), 95 * Math.exp(rng.normal(0, 0.3)));
    t += 230 * Math.exp(rng.normal(0, 0.45));
  }
  return csv(['down_ms', 'up_ms', 'code'], rows);
}

/** 20 s of alternating two-target tapping (TAP-A), ~5.5 taps/s, with a few alternation errors. */
function simulateAlternatingTaps(seed) {
  const rng = random(seed);
  const rows = [];
  let t = 800;
  let target = 'L';
  while (t < 20_800) {
    const x = (target === 'L' ? -25 : 25) + rng.normal(0, 2);
    rows.push([
      fixed(t, 3),
      fixed(t + Math.max(20, rng.normal(90, 12)), 3),
      target,
      fixed(x, 2),
      fixed(rng.normal(0, 2), 2),
    ]);
    if (rng.uniform() > 0.03) target = target === 'L' ? 'R' : 'L';
    t += Math.max(60, rng.normal(180, 22));
  }
  return csv(['down_ms', 'up_ms', 'target', 'x_mm', 'y_mm'], rows);
}

/** Synchronisation–continuation at 500 ms: 30 clicks (beat_ms), 30 paced taps, then 33 unpaced. */
function simulateSyncContinuation(seed) {
  const rng = random(seed);
  const rows = [];
  const beats = Array.from({ length: 30 }, (_, k) => 2000 + 500 * k);
  let t = 0;
  for (let k = 0; k < 63; k++) {
    t = k < 30 ? beats[k] + rng.normal(-30, 15) : t + rng.normal(505, 18);
    const beat = k < beats.length ? fixed(beats[k], 3) : '';
    rows.push([fixed(t, 3), fixed(t + Math.max(30, rng.normal(110, 15)), 3), beat]);
  }
  return csv(['down_ms', 'up_ms', 'beat_ms'], rows);
}

/** Bytes of a variable-length quantity (Standard MIDI File). */
function varLength(value) {
  const bytes = [value & 0x7f];
  for (let v = value >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
  return bytes;
}

/**
 * A format-0 Standard MIDI File (480 ticks per quarter, 120 bpm): notes `{ onMs, offMs, pitch, velocity }`
 * as note-ons and velocity-0 note-ons (running status throughout).
 */
function midiFile(notes) {
  const msPerTick = 500 / 480;
  const events = [];
  for (const n of notes) {
    events.push({ tick: Math.round(n.onMs / msPerTick), order: 1, data: [n.pitch, n.velocity] });
    events.push({ tick: Math.round(n.offMs / msPerTick), order: 0, data: [n.pitch, 0] });
  }
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]; // Set Tempo 500000 µs per quarter
  let tick = 0;
  events.forEach((e, i) => {
    track.push(...varLength(e.tick - tick), ...(i === 0 ? [0x90] : []), ...e.data);
    tick = e.tick;
  });
  track.push(0x00, 0xff, 0x2f, 0x00);
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0];
  const length = [
    (track.length >>> 24) & 255,
    (track.length >>> 16) & 255,
    (track.length >>> 8) & 255,
    track.length & 255,
  ];
  return Uint8Array.from([...header, 0x4d, 0x54, 0x72, 0x6b, ...length, ...track]);
}

/**
 * 12 up-and-down two-octave C-major scales (24 one-way runs) at 120 bpm sixteenths (IOI 125 ms), with
 * timing jitter, a thumb-under delay profile, velocity variation and one wrong note (repetition 5, down).
 */
function simulateScale(seed) {
  const rng = random(seed);
  const up = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21, 23, 24].map((s) => 60 + s);
  const upDown = [...up, ...up.slice(0, -1).reverse()];
  const notes = [];
  let t = 1000;
  for (let rep = 0; rep < 12; rep++) {
    upDown.forEach((pitch, k) => {
      const onMs = t + k * 125 + rng.normal(0, 7) + (k % 7 === 3 ? 6 : 0);
      const wrong = rep === 4 && k === 20 ? 1 : 0;
      const velocity = Math.min(127, Math.max(1, Math.round(rng.normal(68, 8))));
      notes.push({ onMs, offMs: onMs + 115 + rng.normal(0, 8), pitch: pitch + wrong, velocity });
    });
    t += upDown.length * 125 + 2000 + 500 * rng.uniform();
  }
  return midiFile(notes);
}

/** A drawn Archimedean spiral (4.5 turns, 11 mm per turn) with a 6-Hz radial tremor, 20 s at 200 Hz. */
function simulateSpiral(seed, durationS, fs) {
  const rng = random(seed);
  const t = stamps(durationS, fs, 0.5, rng);
  const b = 11 / (2 * Math.PI);
  const rows = t.map((ms) => {
    const s = (ms - t[0]) / 1000;
    const theta = 2 * Math.PI * 4.5 * (s / durationS) ** 0.7;
    const r = 2 + b * theta + 0.3 * Math.sin(2 * Math.PI * 6 * s) + rng.normal(0, 0.03);
    const pressure = Math.min(
      1,
      Math.max(0, 0.5 + 0.1 * Math.sin(2 * Math.PI * 0.3 * s) + rng.normal(0, 0.01)),
    );
    return [
      fixed(ms, 3),
      fixed(100 + r * Math.cos(theta), 4),
      fixed(80 - r * Math.sin(theta), 4),
      fixed(pressure, 4),
      1,
    ];
  });
  return csv(['t_ms', 'x_mm', 'y_mm', 'pressure', 'pen_down'], rows);
}

/**
 * Handwriting-like pen samples: loops or word-like strokes at ~4.5 Hz moving right along lines, pen lifts
 * between "words" (hover samples with pen_down 0), optional tilt columns.
 */
function simulateWriting(seed, { durationS, fs, wordS, liftS, lineS, tilt }) {
  const rng = random(seed);
  const t = stamps(durationS, fs, 0.3, rng);
  let phase = 0;
  let previous = t[0];
  const rows = t.map((ms) => {
    const s = (ms - t[0]) / 1000;
    const f = 4.5 * (1 + 0.1 * Math.sin(2 * Math.PI * 0.05 * s));
    phase += 2 * Math.PI * f * ((ms - previous) / 1000);
    previous = ms;
    const line = Math.floor(s / lineS);
    const inLine = s - line * lineS;
    const down = inLine % wordS < wordS - liftS ? 1 : 0;
    const amplitude = 4 + 1.5 * Math.sin((0.7 * phase) / (2 * Math.PI));
    const x = 10 + 12 * inLine + 1.5 * Math.sin(phase) + rng.normal(0, 0.02);
    const y = 20 + 10 * line + (amplitude / 2) * Math.cos(phase) + rng.normal(0, 0.02);
    const pressure = down ? Math.min(1, Math.max(0, 0.45 + 0.08 * Math.cos(phase) + rng.normal(0, 0.01))) : 0;
    const row = [fixed(ms, 3), fixed(x, 4), fixed(y, 4), fixed(pressure, 4)];
    if (tilt) row.push(fixed(30 + rng.normal(0, 1), 2), fixed(-12 + rng.normal(0, 1), 2));
    row.push(down);
    return row;
  });
  const header = [
    't_ms',
    'x_mm',
    'y_mm',
    'pressure',
    ...(tilt ? ['tilt_x_deg', 'tilt_y_deg'] : []),
    'pen_down',
  ];
  return csv(header, rows);
}

/** Holding the tool tip on a target for 20 s at 240 Hz: offset, slow drift, an 8-Hz 0.3-mm tremor. */
function simulatePrecision(seed) {
  const rng = random(seed);
  const t = stamps(20, 240, 0.3, rng);
  let dx = 0;
  let dy = 0;
  const rows = t.map((ms) => {
    const s = (ms - t[0]) / 1000;
    dx += rng.normal(0, 0.004);
    dy += rng.normal(0, 0.004);
    const tremor = 0.15 * Math.sin(2 * Math.PI * 8 * s);
    const x = 50 + 0.3 + dx + tremor * Math.cos(0.6) + rng.normal(0, 0.01);
    const y = 50 - 0.2 + dy + tremor * Math.sin(0.6) + rng.normal(0, 0.01);
    return [fixed(ms, 3), fixed(x, 4), fixed(y, 4), fixed(0.5 + rng.normal(0, 0.01), 4), 1, '50', '50'];
  });
  return csv(['t_ms', 'x_mm', 'y_mm', 'pressure', 'pen_down', 'target_x_mm', 'target_y_mm'], rows);
}

/** Phone accelerometer (gravity removed) with a linear tremor; optional gyroscope and one 150-ms gap. */
function simulateTremor(seed, { durationS, fs, jitterMs, hz, gyro, gap }) {
  const rng = random(seed);
  let t = stamps(durationS, fs, jitterMs, rng);
  if (gap) t = t.filter((ms) => ms < 6000 || ms > 6150);
  const dir = [0.8, 0.5, 0.33];
  const norm = Math.hypot(...dir);
  const rows = t.map((ms) => {
    const s = (ms - t[0]) / 1000;
    const a = 0.2 * Math.SQRT2 * Math.sin(2 * Math.PI * hz * s) * (1 + 0.2 * Math.sin(2 * Math.PI * 0.2 * s));
    const row = [fixed(ms, 3)];
    for (const d of dir)
      row.push(fixed((a * d) / norm + 0.05 * Math.sin(2 * Math.PI * 0.4 * s) + rng.normal(0, 0.05), 5));
    if (gyro)
      for (const d of dir) row.push(fixed(3 * Math.cos(2 * Math.PI * hz * s) * d + rng.normal(0, 0.3), 4));
    return row;
  });
  return csv(['t_ms', 'ax', 'ay', 'az', ...(gyro ? ['gx', 'gy', 'gz'] : [])], rows);
}

// ------------------------------------------------------------------ real data → contract files

/** Files of `dir` (name filter), picked at the given quantiles of their size (distinct, in order). */
function pickBySize(dir, filter, quantiles) {
  const files = readdirSync(dir)
    .filter(filter)
    .map((name) => ({ path: join(dir, name), size: statSync(join(dir, name)).size }))
    .sort((a, b) => a.size - b.size || a.path.localeCompare(b.path));
  const picked = quantiles.map((q) => files[Math.min(files.length - 1, Math.round(q * (files.length - 1)))]);
  return [...new Set(picked.filter(Boolean).map((f) => f.path))];
}

/** `KeyboardEvent.code` of an X11 key name of neuroQWERTY (other names are kept as they are). */
function x11Code(name) {
  if (/^[a-z]$/i.test(name)) return `Key${name.toUpperCase()}`;
  if (/^[0-9]$/.test(name)) return `Digit${name}`;
  const map = {
    space: 'Space',
    BackSpace: 'Backspace',
    Return: 'Enter',
    Shift_L: 'ShiftLeft',
    Shift_R: 'ShiftRight',
    Control_L: 'ControlLeft',
    Control_R: 'ControlRight',
    Alt_L: 'AltLeft',
    Caps_Lock: 'CapsLock',
    Tab: 'Tab',
    period: 'Period',
    comma: 'Comma',
    minus: 'Minus',
    Left: 'ArrowLeft',
    Right: 'ArrowRight',
    Up: 'ArrowUp',
    Down: 'ArrowDown',
    Delete: 'Delete',
    ntilde: 'Semicolon',
  };
  return map[name] ?? name;
}

/**
 * neuroQWERTY session → typing CSV: press and release (s since the session start) → ms. Mouse events and the
 * logging glitches of SOURCE.md (press or release ≤ 0, negative hold) are left out; everything else is kept
 * for the contract's row rules.
 */
function convertNeuroqwerty(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    const m = /^"([^"]*)",([^,]+),([^,]+),([^,\s]+)/.exec(line);
    if (!m || m[1].startsWith('mouse')) continue;
    const hold = Number(m[2]);
    const release = Number(m[3]);
    const press = Number(m[4]);
    if (!(press > 0) || !(release > 0) || !(hold >= 0)) continue;
    rows.push([fixed(press * 1000, 1), fixed(release * 1000, 1), x11Code(m[1])]);
  }
  return { text: csv(['down_ms', 'up_ms', 'code'], rows), rows: rows.length };
}

/** Aalto 136M keystrokes (tab-separated, epoch ms) → typing CSV, times relative to the first press. */
function convertAalto(text) {
  const lines = text.split('\n').slice(1);
  const parsed = [];
  for (const line of lines) {
    const cells = line.replace(/\r$/, '').split('\t');
    if (cells.length < 9) continue;
    const press = Number(cells[5]);
    const release = Number(cells[6]);
    if (!Number.isFinite(press) || !Number.isFinite(release)) continue;
    const letter = cells[7];
    let code;
    if (/^[a-z]$/i.test(letter)) code = `Key${letter.toUpperCase()}`;
    else if (/^[0-9]$/.test(letter)) code = `Digit${letter}`;
    else code = { ' ': 'Space', BKSP: 'Backspace', SHIFT: 'ShiftLeft', CAPS_LOCK: 'CapsLock' }[letter];
    parsed.push({ press, release, code: code ?? `keyCode${cells[8]}` });
  }
  const t0 = Math.min(...parsed.map((p) => p.press));
  const rows = parsed.map((p) => [p.press - t0, p.release - t0, p.code]);
  return { text: csv(['down_ms', 'up_ms', 'code'], rows), rows: rows.length };
}

/** Nominal pixel size of the Wacom Cintiq 12WX of the UCI set (1280 px over 261 mm), mm. */
const UCI_MM_PER_PX = 261.1 / 1280;
/** Nominal pixel size assumed for the undocumented screen of the ET-DBS set, mm. */
const ET_MM_PER_PX = 0.25;

/** UCI spiral file → spiral CSV of its static spiral (test 0); Z > 0 (hovering) → pen_down 0. */
function convertUci(text) {
  const rows = [];
  let t0 = null;
  for (const line of text.split('\n')) {
    const c = line.trim().split(';');
    if (c.length < 7 || c[6] !== '0') continue;
    const t = Number(c[5]);
    t0 ??= t;
    rows.push([
      t - t0,
      fixed(Number(c[0]) * UCI_MM_PER_PX, 4),
      fixed(Number(c[1]) * UCI_MM_PER_PX, 4),
      fixed(Math.min(1, Number(c[3]) / 1023), 5),
      Number(c[2]) > 0 ? 0 : 1,
    ]);
  }
  return { text: csv(['t_ms', 'x_mm', 'y_mm', 'pressure', 'pen_down'], rows), rows: rows.length };
}

/** ET-DBS tablet log → spiral CSV of its spiral part (µs → ms, 12-bit pressure → 0–1). */
function convertEt(text) {
  const rows = [];
  let t0 = null;
  for (const line of text.split('\n').slice(1)) {
    if (line.includes('Lines Begun') || line.includes('Test Over')) break;
    const m = /^(\d+) - (-?[\d.]+), (-?[\d.]+), [^,]+, [^,]+, ([\d.]+)/.exec(line);
    if (!m) continue;
    const t = Number(m[1]);
    t0 ??= t;
    rows.push([
      fixed((t - t0) / 1000, 3),
      fixed(Number(m[2]) * ET_MM_PER_PX, 3),
      fixed(Number(m[3]) * ET_MM_PER_PX, 3),
      fixed(Math.min(1, Number(m[4]) / 4095), 5),
    ]);
  }
  return { text: csv(['t_ms', 'x_mm', 'y_mm', 'pressure'], rows), rows: rows.length };
}

/** Data rows of a CSV text (lines after the header). */
function countCsvRows(text) {
  let n = -1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Writes every benchmark input into `dir` and lists them. Real files are converted once here; missing data
 * sets are reported and skipped.
 */
function prepareInputs(dir, dataDir, only, missing) {
  const inputs = [];
  const add = (entry, content) => {
    if (only && !only.has(entry.task)) return;
    const path = join(dir, entry.name);
    writeFileSync(path, content);
    const rows = entry.rows ?? (typeof content === 'string' ? countCsvRows(content) : null);
    inputs.push({ typical: false, heapTarget: false, ...entry, rows, path });
  };
  const real = (folder, task) => {
    if (only && !only.has(task)) return null;
    const path = join(dataDir, folder);
    try {
      statSync(path);
      return path;
    } catch {
      missing.push(folder);
      return null;
    }
  };

  // typing
  const nq = real('neuroqwerty-mit-csxpd', 'typing');
  if (nq) {
    const files = ['MIT-CS1PD/data_MIT-CS1PD', 'MIT-CS2PD/data_MIT-CS2PD'].flatMap((sub) =>
      readdirSync(join(nq, sub)).map((name) => join(sub, name)),
    );
    const all = files.map((f) => ({ f, size: statSync(join(nq, f)).size })).sort((a, b) => a.size - b.size);
    for (const q of [0.5, 1]) {
      const { f } = all[Math.round(q * (all.length - 1))];
      const converted = convertNeuroqwerty(readFileSync(join(nq, f), 'utf8'));
      add(
        {
          task: 'typing',
          name: `nq-${basename(f, '.csv')}.csv`,
          source: `neuroqwerty ${basename(f)}`,
          rows: converted.rows,
        },
        converted.text,
      );
    }
  }
  const aalto = real('aalto-136m-keystrokes-sample', 'typing');
  if (aalto) {
    for (const path of pickBySize(join(aalto, 'keystroke-samples'), (n) => n.endsWith('.txt'), [0.5, 1])) {
      const converted = convertAalto(readFileSync(path, 'utf8'));
      add(
        {
          task: 'typing',
          name: `aalto-${basename(path, '.txt')}.csv`,
          source: `aalto ${basename(path)}`,
          rows: converted.rows,
        },
        converted.text,
      );
    }
  }
  add(
    { task: 'typing', name: 'sim-typing-3min.csv', source: 'simulated 3-min copy typing', typical: true },
    simulateTyping(11, 180),
  );

  // tapping (no public data)
  add(
    {
      task: 'tapping',
      name: 'sim-tapping-20s.csv',
      source: 'simulated 20-s alternating taps',
      typical: true,
    },
    simulateAlternatingTaps(21),
  );
  add(
    { task: 'tapping', name: 'sim-tapping-sync.csv', source: 'simulated sync-continuation 500 ms' },
    simulateSyncContinuation(22),
  );

  // scale
  const vienna = real('vienna4x22-piano', 'scale');
  if (vienna) {
    const midi = join(vienna, 'midi');
    const picks = [
      ...pickBySize(midi, (n) => n.startsWith('Chopin_op10_no3_p') && n.endsWith('.mid'), [0.5]),
      ...pickBySize(midi, (n) => n.startsWith('Chopin_op38_p') && n.endsWith('.mid'), [1]),
    ];
    for (const path of picks) {
      const bytes = readFileSync(path);
      add(
        {
          task: 'scale',
          name: `vienna-${basename(path)}`,
          source: `vienna4x22 ${basename(path)}`,
          rows: null,
        },
        bytes,
      );
    }
  }
  add(
    {
      task: 'scale',
      name: 'sim-scale-12runs.mid',
      source: 'simulated 12 up-down C-major scales',
      typical: true,
      rows: null,
    },
    simulateScale(31),
  );

  // spiral
  const uci = real('uci-pd-spiral-tablet', 'spiral');
  if (uci) {
    const picks = [
      ...pickBySize(join(uci, 'hw_dataset', 'control'), (n) => n.endsWith('.txt'), [0.5]),
      ...pickBySize(join(uci, 'hw_dataset', 'parkinson'), (n) => n.endsWith('.txt'), [0.5]),
    ];
    for (const path of picks) {
      const converted = convertUci(readFileSync(path, 'utf8'));
      if (converted.rows === 0) continue;
      add(
        {
          task: 'spiral',
          name: `uci-${basename(path, '.txt')}.csv`,
          source: `uci-pd ${basename(path)} test 0`,
          rows: converted.rows,
        },
        converted.text,
      );
    }
  }
  const et = real('et-dbs-tablet-spirals', 'spiral');
  if (et) {
    const picks = [
      ...pickBySize(join(et, 'TabletData1'), (n) => n.endsWith('.txt'), [0.5]),
      ...pickBySize(join(et, 'TabletData2'), (n) => n.endsWith('.txt'), [0.5]),
    ];
    for (const path of picks) {
      const converted = convertEt(readFileSync(path, 'utf8'));
      add(
        {
          task: 'spiral',
          name: `et-${basename(path, '.txt')}.csv`,
          source: `et-dbs ${basename(path)}`,
          rows: converted.rows,
        },
        converted.text,
      );
    }
  }
  add(
    {
      task: 'spiral',
      name: 'sim-spiral-20s-200hz.csv',
      source: 'simulated 20-s spiral at 200 Hz',
      typical: true,
    },
    simulateSpiral(41, 20, 200),
  );

  // handwriting (no public data)
  add(
    {
      task: 'handwriting',
      name: 'sim-loops-15s-200hz.csv',
      source: 'simulated 15-s loops at 200 Hz',
      typical: true,
    },
    simulateWriting(51, { durationS: 15, fs: 200, wordS: 5, liftS: 0.15, lineS: 60, tilt: false }),
  );
  add(
    { task: 'handwriting', name: 'sim-copy-2min-120hz.csv', source: 'simulated 2-min copy at 120 Hz' },
    simulateWriting(52, { durationS: 120, fs: 120, wordS: 1.2, liftS: 0.25, lineS: 15, tilt: true }),
  );
  add(
    {
      task: 'handwriting',
      name: 'sim-pen-10min-240hz.csv',
      source: 'simulated 10-min pen recording at 240 Hz',
      heapTarget: true,
    },
    simulateWriting(53, { durationS: 600, fs: 240, wordS: 1.5, liftS: 0.3, lineS: 18, tilt: true }),
  );

  // precision (no public data)
  add(
    {
      task: 'precision',
      name: 'sim-hold-20s-240hz.csv',
      source: 'simulated 20-s hold at 240 Hz',
      typical: true,
    },
    simulatePrecision(61),
  );

  // tremor (no public data)
  add(
    {
      task: 'tremor',
      name: 'sim-tremor-20s-100hz.csv',
      source: 'simulated 20-s tremor at 100 Hz',
      typical: true,
    },
    simulateTremor(71, { durationS: 20, fs: 100, jitterMs: 0.8, hz: 6, gyro: false, gap: false }),
  );
  add(
    {
      task: 'tremor',
      name: 'sim-tremor-15s-60hz-gyro.csv',
      source: 'simulated 15-s tremor at 60 Hz, gyro, gap',
    },
    simulateTremor(72, { durationS: 15, fs: 60, jitterMs: 2, hz: 8, gyro: true, gap: true }),
  );
  return inputs;
}

// ------------------------------------------------------------------ measurement

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** V8 used heap plus external memory (ArrayBuffer backing stores), bytes. */
const heapInUse = (stats) => stats.usedHeapSize + stats.externalMemory;

function currentHeap() {
  const s = v8.getHeapStatistics();
  return s.used_heap_size + s.external_memory;
}

/** Least warm-up time per file on the JS side, ms (JIT tiers up over the first runs). */
const WARMUP_MS = 1000;
/** About how long each timed sample lasts, ms (BATCH_MS of analysis_reference.py too). */
const BATCH_MS = 5;

/**
 * Parse + analysis of one file in JS, warmed up (at least `warmup` runs and WARMUP_MS) and ready for timed
 * samples: each of as many consecutive runs as take about BATCH_MS (a sub-millisecond run alone is mostly
 * timer and scheduling noise), its time divided by its runs. `metrics`: only these metric IDs (default:
 * every metric).
 */
function prepareJs(core, input, warmup, metrics = undefined) {
  const bytes = new Uint8Array(readFileSync(input.path));
  const once = () =>
    core.analyze(core.loadAnalysisInput(input.task, input.name, bytes), { hand: null, metrics });
  globalThis.gc(); // the previous file's garbage is not this file's cost
  let output = once();
  const warmStart = performance.now();
  let warmRuns = 0;
  while (warmRuns < warmup || performance.now() - warmStart < WARMUP_MS) {
    once();
    warmRuns++;
  }
  const batch = Math.max(1, Math.ceil(BATCH_MS / ((performance.now() - warmStart) / warmRuns)));
  const ms = [];
  return {
    once,
    sample() {
      const start = performance.now();
      for (let k = 0; k < batch; k++) output = once();
      ms.push((performance.now() - start) / batch);
    },
    /** The samples' median, the metrics of the last run and (with `heap`) the peak heap. */
    result(heap) {
      const peaks = [];
      const live = [];
      for (let k = 0; heap && k < HEAP_RUNS; k++) {
        const one = heapOfOneRun(once);
        if (one.output.task !== input.task) throw new Error('unexpected analysis output');
        peaks.push(one.peak);
        live.push(one.live);
      }
      return {
        ms,
        medianMs: median(ms),
        peakHeapMb: heap ? median(peaks) / 2 ** 20 : null,
        liveHeapMb: heap ? median(live) / 2 ** 20 : null,
        metrics: output.metrics,
        flags: output.quality_flags,
      };
    },
  };
}

/**
 * Measures one file: numpy/scipy (when `server`) and JS on the same metrics, and JS on every metric, with
 * their timed samples interleaved (one of each in turn), so that all three see the same machine load.
 */
async function measureFile(core, server, input, options) {
  const out = { js: null, same: null, py: null };
  if (server) {
    const py = await server.request({
      op: 'prepare',
      task: input.task,
      path: input.path,
      warmup: options.warmup,
    });
    out.py = py.error ? { error: py.error } : { ms: [], metrics: py.metrics, batch: py.batch };
  }
  const attempt = (make) => {
    try {
      return make();
    } catch (error) {
      return { error: `${error.code ?? error.name}: ${error.message}` };
    }
  };
  const ids = out.py && !out.py.error ? new Set(Object.keys(out.py.metrics)) : null;
  const same = ids ? attempt(() => prepareJs(core, input, options.warmup, ids)) : null;
  const all = attempt(() => prepareJs(core, input, options.warmup));
  for (let i = 0; i < options.runs; i++) {
    if (same && !same.error) attempt(() => same.sample());
    if (out.py && !out.py.error) {
      const answer = await server.request({ op: 'sample' });
      if (answer.error) out.py = { error: answer.error };
      else out.py.ms.push(answer.ms);
    }
    if (!all.error) attempt(() => all.sample());
  }
  if (out.py && !out.py.error) out.py.median_ms = median(out.py.ms);
  out.same = same && !same.error ? attempt(() => same.result(false)) : same;
  out.js = all.error ? all : attempt(() => all.result(true));
  return out;
}

/**
 * Heap growth of one run of `once` after gc(), bytes: `peak`, the largest V8 used heap + external memory
 * seen before any GC during the run or at its end; `live`, the largest seen right after a GC (what was
 * still reachable then), or the growth at the end when no GC ran.
 */
function heapOfOneRun(once) {
  globalThis.gc();
  globalThis.gc();
  const before = currentHeap();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const output = once();
  const after = currentHeap();
  const { statistics } = profiler.stop();
  let peak = after;
  let live = statistics.length ? 0 : after;
  for (const gc of statistics) {
    peak = Math.max(peak, heapInUse(gc.beforeGC.heapStatistics));
    live = Math.max(live, heapInUse(gc.afterGC.heapStatistics));
  }
  return { output, peak: peak - before, live: live - before };
}

/** BENCH_PYTHON, else the first of /usr/bin/python3 and python3 that imports numpy and scipy; null with the reasons. */
function findPython() {
  const candidates = process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['/usr/bin/python3', 'python3'];
  const reasons = [];
  for (const cmd of candidates) {
    const probe = spawnSync(
      cmd,
      ['-c', 'import numpy, scipy, scipy.signal, scipy.optimize, scipy.interpolate'],
      {
        encoding: 'utf8',
      },
    );
    if (probe.error) reasons.push(`${cmd}: ${probe.error.code ?? probe.error.message}`);
    else if (probe.status !== 0) reasons.push(`${cmd}: ${probe.stderr.trim().split('\n').at(-1)}`);
    else return { cmd, reasons };
  }
  return { cmd: null, reasons };
}

/**
 * Starts the numpy/scipy reference in its serving mode: one warm python3 process that times one file per
 * request, so that each file is measured right after the JS side, under the same machine load.
 */
function startPython(cmd) {
  const child = spawn(cmd, [REFERENCE, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiting = [];
  let stderr = '';
  let exited = null;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {}); // a python that died is reported by the 'exit' handler
  createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next.resolve(line);
    else lines.push(line);
  });
  const fail = () => new Error(`${cmd} ${REFERENCE} --serve ended (${exited}): ${stderr.trim()}`);
  child.on('error', (error) => {
    exited = error.message;
    for (const next of waiting.splice(0)) next.reject(fail());
  });
  child.on('exit', (code) => {
    exited = `exit ${code}`;
    for (const next of waiting.splice(0)) next.reject(fail());
  });
  const nextLine = () => {
    if (lines.length) return Promise.resolve(lines.shift());
    if (exited) return Promise.reject(fail());
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  return {
    versions: async () => JSON.parse(await nextLine()),
    async request(request) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      return JSON.parse(await nextLine());
    },
    close: () => child.stdin.end(),
  };
}

/** |a − b| / max(|a|, |b|); 0 when both are 0 or both null; Infinity when only one is null. */
function relativeDifference(a, b) {
  if (a === null || a === undefined || b === null || b === undefined)
    return a == null && b == null ? 0 : Infinity;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

// ------------------------------------------------------------------ output

function table(header, rows) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) =>
    cells
      .map((cell, c) => (c < 2 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (x, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const fmtValue = (x) => (x === null || x === undefined ? 'null' : Number(x.toPrecision(8)).toString());

async function main() {
  if (typeof globalThis.gc !== 'function') {
    // the heap measurement needs gc(): run again with --expose-gc
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        stdio: 'inherit',
      },
    );
    process.exit(child.status ?? 1);
  }
  const options = parseArgs(process.argv.slice(2));
  const core = await import('@dystrack/core');
  const dir = mkdtempSync(join(tmpdir(), 'dystrack-bench-analysis-'));
  try {
    const missing = [];
    const inputs = prepareInputs(dir, options.data, options.only, missing);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`analysis benchmark: Node ${process.version}, ${cpus().length} × ${cpu}`);
    console.log(`data: ${options.data}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);
    console.log(`inputs converted/generated in ${dir}${options.keep ? ' (kept)' : ''}`);
    console.log(
      `timed samples per file: ${options.runs} (each of as many runs as take about ${BATCH_MS} ms) after ≥ ${options.warmup} warm-up runs and ${WARMUP_MS} ms; median reported`,
    );

    const python = findPython();
    let server = null;
    let pyInfo;
    if (python.cmd) {
      try {
        server = startPython(python.cmd);
        const v = await server.versions();
        pyInfo = `${python.cmd}: Python ${v.python}, numpy ${v.numpy}, scipy ${v.scipy}`;
      } catch (error) {
        server = null;
        pyInfo = `failed: ${error.message}`;
      }
    } else {
      pyInfo = `skipped: no python3 with numpy and scipy (${python.reasons.join('; ')})`;
    }

    // per file: the JS side, then the same file in numpy/scipy
    const js = [];
    const py = server ? [] : null;
    const same = [];
    for (const input of inputs) {
      const measured = await measureFile(core, server, input, options);
      js.push(measured.js);
      same.push(measured.same);
      py?.push(measured.py);
    }
    server?.close();
    console.log(`numpy/scipy reference: ${pyInfo}`);
    console.log('');

    const rows = [];
    const disagreements = [];
    const errors = [];
    inputs.forEach((input, i) => {
      const j = js[i];
      const sj = same[i];
      const p = py?.[i];
      if (j.error) errors.push(`JS      ${input.task} ${input.name}: ${j.error}`);
      if (sj?.error) errors.push(`JS (numpy's metrics) ${input.task} ${input.name}: ${sj.error}`);
      if (p?.error) errors.push(`python  ${input.task} ${input.name}: ${p.error}`);
      let maxRel = null;
      if (sj && !sj.error && p && !p.error) {
        maxRel = 0;
        for (const [id, value] of Object.entries(p.metrics)) {
          // both JS runs must agree with numpy: the one on numpy's metrics and the one on every metric
          for (const jsValue of [sj.metrics[id], j.error ? null : j.metrics[id]]) {
            const rel = relativeDifference(jsValue, value);
            maxRel = Math.max(maxRel, rel);
            if (!(rel <= AGREE_REL)) disagreements.push({ input, id, js: jsValue, py: value, rel });
          }
        }
      }
      const ratio = sj && !sj.error && p && !p.error ? p.median_ms / sj.medianMs : null;
      input.result = { js: j, same: sj, py: p, ratio, maxRel };
      const mark = input.typical ? '*' : input.heapTarget ? '†' : '';
      rows.push([
        input.task,
        `${input.name}${mark}`,
        input.rows ?? (j.metrics?.note_count != null ? `${j.metrics.note_count} notes` : '—'),
        p ? (p.error ? 'error' : `${Object.keys(p.metrics).length}`) : '—',
        !sj ? '—' : sj.error ? 'error' : fmt(sj.medianMs, 3),
        p ? (p.error ? 'error' : fmt(p.median_ms, 3)) : '—',
        ratio === null ? '—' : `${fmt(ratio, 1)}×`,
        j.error ? 'error' : `${Object.keys(j.metrics).length}`,
        j.error ? 'error' : fmt(j.medianMs, 3),
        j.error ? '—' : fmt(j.peakHeapMb, 1),
        maxRel === null ? '—' : maxRel === 0 ? '0' : maxRel === Infinity ? 'null≠' : maxRel.toExponential(1),
      ]);
    });
    console.log(
      table(
        [
          'task',
          'file',
          'rows',
          'metrics',
          'JS ms',
          'numpy ms',
          'ratio',
          'all',
          'JS all ms',
          'JS heap MB',
          'max rel diff',
        ],
        rows,
      ),
    );
    console.log('');
    console.log('* typical session   † 10-minute 240 Hz pen recording (heap target)');
    console.log(
      'rows: data rows of the contract CSV file (MIDI: notes). metrics: the metric IDs numpy/scipy computes; JS ms:',
    );
    console.log(
      'parse + the same metrics in JS; ratio: numpy/scipy median / JS median. all, JS all ms: every metric of the task',
    );
    console.log(
      `in JS (what the product computes). JS heap MB: peak growth of V8 heap + external memory during one parse +`,
    );
    console.log(`analysis of every metric (median of ${HEAP_RUNS}).`);
    console.log('sources:');
    for (const input of inputs) console.log(`  ${input.name}: ${input.source}`);
    if (errors.length) {
      console.log('');
      console.log('errors:');
      for (const e of errors) console.log(`  ${e}`);
    }
    console.log('');
    if (py) {
      const compared = inputs.filter((i) => i.result.maxRel !== null).length;
      const agreeing = inputs.filter((i) => i.result.maxRel !== null && i.result.maxRel <= AGREE_REL).length;
      console.log(`metric agreement (relative difference ≤ ${AGREE_REL}): ${agreeing} of ${compared} files`);
      for (const d of disagreements) {
        console.log(
          `  ${d.input.task} ${d.input.name} ${d.id}: JS ${fmtValue(d.js)}, numpy ${fmtValue(d.py)} (rel diff ${d.rel === Infinity ? 'null on one side' : d.rel.toExponential(2)})`,
        );
      }
    } else {
      console.log('metric agreement: not checked (no numpy/scipy reference)');
    }
    console.log('');

    // targets
    const verdict = (ok) => (ok ? 'met' : 'NOT met');
    const enoughRuns = options.runs >= MIN_RUNS;
    let allMet = enoughRuns && errors.length === 0 && missing.length === 0;
    if (!enoughRuns)
      console.log(`only ${options.runs} timed runs per file (< ${MIN_RUNS}): targets not claimed`);
    if (missing.length) console.log(`data sets missing (${missing.join(', ')}): targets not claimed`);

    if (py) {
      const low = inputs.filter((i) => !(i.result.ratio >= TARGET_RATIO));
      const ok = low.length === 0;
      allMet &&= ok;
      console.log(`target ≥ ${TARGET_RATIO}× faster than numpy/scipy on every file: ${verdict(ok)}`);
      for (const i of low)
        console.log(
          `  ${i.task} ${i.name}: ${i.result.ratio === null ? 'not compared' : `${fmt(i.result.ratio, 2)}×`}`,
        );
    } else {
      allMet = false;
      console.log(`target ≥ ${TARGET_RATIO}× faster than numpy/scipy: NOT evaluated (${pyInfo})`);
    }

    const typical = inputs.filter((i) => i.typical);
    const slow = typical.filter((i) => !(i.result.js.medianMs < TARGET_TYPICAL_MS));
    allMet &&= slow.length === 0 && typical.length > 0;
    console.log(
      `target < ${TARGET_TYPICAL_MS} ms per typical session (${typical.map((i) => `${i.task} ${fmt(i.result.js.medianMs, 2)} ms`).join(', ')}): ${verdict(slow.length === 0 && typical.length > 0)}`,
    );

    const heapFile = inputs.find((i) => i.heapTarget);
    if (heapFile) {
      const heap = heapFile.result.js.peakHeapMb;
      const liveMb = heapFile.result.js.liveHeapMb;
      const ok = heap < TARGET_HEAP_MB;
      allMet &&= ok;
      console.log(
        `target < ${TARGET_HEAP_MB} MB heap for the 10-minute 240 Hz pen recording (${heapFile.rows} rows, ${(statSync(heapFile.path).size / 2 ** 20).toFixed(1)} MB file): ${fmt(heap, 1)} MB (live after GC at most ${fmt(liveMb, 1)} MB), ${verdict(ok)}`,
      );
    } else {
      allMet = false;
      console.log(
        `target < ${TARGET_HEAP_MB} MB heap for the 10-minute 240 Hz pen recording: NOT evaluated (filtered out)`,
      );
    }
    process.exitCode = allMet ? 0 : 1;
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
