import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { MIN_TARGET_PX } from '../dom';
import { createRng } from '../rng';
import { pointerStreamWriter } from '../simulate';
import { metronomeFacts, type MetronomeClick } from '../metronome';
import { PX_PER_MM_NOMINAL, readTappingParams, tappingDefinition, type TappingParams } from './definition';
import { TAPPING_FLAGS } from './flags';
import { SYNC_MARKERS } from './sync';

/** Touch digitiser period of the simulated phone (120 Hz): tap times are quantised to it. */
const TOUCH_PERIOD_MS = 1000 / 120;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One simulated input event: a press (`pointerdown`), a move or a release, on a target. */
interface Row {
  type: 'pointerdown' | 'pointermove' | 'pointerup';
  t: number;
  target: number;
  x: number;
  y: number;
  id: number;
}

/** Writes presses and releases as `keydown`/`keyup` rows of the keyboard stream (moves are left out). */
function writeKeyboard(set: StreamSet, rows: readonly Row[], codeOf: (row: Row) => string): void {
  const stream = set.stream('keyboard', ['keyLocationIndex']);
  const type = stream.str('type');
  const time = stream.f64('timeStampMs');
  const code = stream.str('code');
  const repeat = stream.bool('repeat');
  const composing = stream.bool('isComposing');
  const location = stream.i32('keyLocationIndex');
  for (const row of rows) {
    if (row.type === 'pointermove') continue;
    type.push(row.type === 'pointerdown' ? 'keydown' : 'keyup');
    time.push(row.t);
    code.push(codeOf(row));
    repeat.push(false);
    composing.push(false);
    location.push(0);
    stream.endRow();
  }
}

/** Writes the rows as touch events of the pointer stream, every column filled. */
function writePointer(set: StreamSet, rows: readonly Row[], contactPx: number): void {
  const stream = set.stream('pointer');
  const down = new Set<number>();
  const write = pointerStreamWriter(stream);
  const primary = new Map<number, boolean>();
  for (const row of rows) {
    if (row.type === 'pointerdown') {
      primary.set(row.id, down.size === 0);
      down.add(row.id);
    }
    const pressed = row.type !== 'pointerup';
    write({
      type: row.type,
      t: row.t,
      id: row.id,
      pointerType: 'touch',
      isPrimary: primary.get(row.id) ?? false,
      x: round(row.x, 2),
      y: round(row.y, 2),
      pressure: pressed ? 0.5 : 0,
      tiltX: 0,
      tiltY: 0,
      altitudeRad: Math.PI / 2,
      azimuthRad: 0,
      widthPx: round(contactPx, 1),
      heightPx: round(contactPx, 1),
      buttons: pressed ? 1 : 0,
    });
    if (row.type === 'pointerup') down.delete(row.id);
  }
}

/**
 * A synthetic participant tapping two targets in turn: a personal mean inter-tap interval of
 * 180–250 ms with 6–12 % jitter, dwell 80–120 ms, occasional alternation errors (1–5 %), spatial
 * scatter around the target centres, small finger movement during contact; by touch (pointer input,
 * times on a 120-Hz digitiser grid) or by keys. Same seed, same capture. `longest` fills the task's
 * maximum duration. With `protocol: 'sync-continuation'`, see {@link simulateSyncContinuation}.
 */
export function simulateTapping(options: SimulateOptions): TaskCapture {
  const p = readTappingParams(options.params, options.hand);
  if (p.protocol === 'sync-continuation') return simulateSyncContinuation(options, p);
  const rng = createRng(options.seed);
  const durationS = options.longest ? tappingDefinition.parameters.durationS.max : p.durationS;
  const durationMs = durationS * 1000;
  const set = new StreamSet('tapping');
  const keys = p.input === 'keys';

  // The person.
  const itiMean = rng.uniform(180, 250);
  const itiSd = itiMean * rng.uniform(0.06, 0.12);
  const dwellMean = rng.uniform(80, 120);
  const errorRate = rng.uniform(0.01, 0.05);
  const scatterPx = rng.uniform(3, 9);
  const contactPx = rng.uniform(18, 32);

  // The layout, as a 1280 × 800 screen would give it.
  const diameterPx = Math.max(MIN_TARGET_PX, Math.round(p.targetDiameterMm * PX_PER_MM_NOMINAL));
  const centreDistancePx = Math.max(diameterPx + 8, Math.round(p.centreDistanceMm * PX_PER_MM_NOMINAL));
  const centres = [
    { x: 640 - centreDistancePx / 2, y: 480 },
    { x: 640 + centreDistancePx / 2, y: 480 },
  ];

  // Countdown, then the trial; times on the page's performance clock.
  const countdownMs = Math.round(rng.uniform(4000, 30_000));
  for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdownMs + i * 1000);
  const startMs = countdownMs + 3000;
  set.mark(MARKERS.trialStart, startMs);
  const endMs = startMs + durationMs;

  const rows: Row[] = [];
  let t = startMs + rng.uniform(250, 500);
  let target = rng.chance(0.5) ? 0 : 1;
  let pointerId = rng.int(1, 40);
  const quantise = (ms: number) =>
    keys ? round(ms, 1) : round(Math.ceil(ms / TOUCH_PERIOD_MS) * TOUCH_PERIOD_MS, 1);
  while (t < endMs) {
    const dwell = Math.min(itiMean * 0.8, Math.max(40, rng.normal(dwellMean, 12)));
    const downMs = quantise(t);
    const upMs = quantise(t + dwell);
    const x = centres[target]!.x + rng.normal(0, scatterPx);
    const y = centres[target]!.y + rng.normal(0, scatterPx);
    rows.push({ type: 'pointerdown', t: downMs, target, x, y, id: pointerId });
    const moves = keys ? 0 : rng.int(0, 2);
    for (let m = 1; m <= moves; m++) {
      const moveMs = quantise(t + (dwell * m) / (moves + 1));
      if (moveMs > downMs && moveMs < upMs) {
        rows.push({
          type: 'pointermove',
          t: moveMs,
          target,
          x: x + rng.normal(0, 1),
          y: y + rng.normal(0, 1),
          id: pointerId,
        });
      }
    }
    rows.push({
      type: 'pointerup',
      t: upMs,
      target,
      x: x + rng.normal(0, 1),
      y: y + rng.normal(0, 1),
      id: pointerId,
    });
    pointerId++;
    if (!rng.chance(errorRate)) target = 1 - target;
    t += Math.max(dwell + 30, rng.normal(itiMean, itiSd));
  }
  // Fingers overlap in fast tapping: order by time, as the browser would dispatch them.
  rows.sort((a, b) => a.t - b.t);

  if (keys) writeKeyboard(set, rows, (row) => (row.target === 0 ? p.keyLeft : p.keyRight));
  else writePointer(set, rows, contactPx);
  set.mark(MARKERS.trialEnd, endMs);

  const flags: string[] = [];
  if (rows.length === 0) flags.push(TAPPING_FLAGS.noTaps);
  return set.capture(
    flags,
    {
      durationS,
      keyLeft: p.keyLeft,
      keyRight: p.keyRight,
      ...(keys
        ? {}
        : {
            layout: {
              targets: centres.map((c) => ({ centreXPx: c.x, centreYPx: c.y, diameterPx })),
              area: { leftPx: 0, topPx: 160, widthPx: 1280, heightPx: 640 },
              pxPerMmNominal: PX_PER_MM_NOMINAL,
            },
          }),
    },
    endMs,
  );
}

/**
 * A synthetic participant of the synchronisation–continuation protocol: metronome rows as the task
 * writes them (a constant audio→performance mapping, `outputTimestamp`), taps from the second or third
 * click on with a personal mean asynchrony of −50…−10 ms and an SD of 15–35 ms against the click as heard
 * (5–30 ms after its time stamp, which the recording's sound timing check measured), then a continuation
 * after the Wing–Kristofferson model (timer intervals around the click interval with 2–5 % SD and a
 * slight drift, motor delays with 5–12 ms SD) until `continuationTaps` taps after `continuation-start`;
 * one target (touch, 120-Hz grid) or the one key. `longest` uses the longest parameters the protocol allows.
 */
export function simulateSyncContinuation(options: SimulateOptions, params: TappingParams): TaskCapture {
  const rng = createRng(options.seed);
  const bounds = tappingDefinition.parameters;
  const p: TappingParams = options.longest
    ? {
        ...params,
        intervalMs: bounds.intervalMs.max,
        pacedClicks: bounds.pacedClicks.max,
        continuationTaps: bounds.continuationTaps.max,
      }
    : params;
  const keys = p.input === 'keys';
  const intervalMs = p.intervalMs;
  const set = new StreamSet('tapping');

  // The person.
  const asynchronyMean = rng.uniform(-50, -10);
  const asynchronySd = rng.uniform(15, 35);
  const timerSd = intervalMs * rng.uniform(0.02, 0.05);
  const motorSd = rng.uniform(5, 12);
  const drift = rng.uniform(-0.002, 0.002);
  const dwellMean = rng.uniform(80, 120);
  const scatterPx = rng.uniform(3, 9);
  const contactPx = rng.uniform(18, 32);
  const firstTapClick = rng.int(1, 2);

  // The device: the audio clock's origin and a constant output mapping.
  const outputOffsetMs = rng.uniform(20, 60);
  const outputLatencyS = rng.uniform(0.01, 0.04);
  // The clicks are heard this much later than their output time stamps, and a sound timing check
  // measured it (with 0.3 ms error).
  const unreportedMs = rng.uniform(5, 30);
  const calibratedMs = unreportedMs + rng.normal(0, 0.3);

  const diameterPx = Math.max(MIN_TARGET_PX, Math.round(p.targetDiameterMm * PX_PER_MM_NOMINAL));
  const centre = { x: 640, y: 480 };

  const countdownMs = Math.round(rng.uniform(4000, 30_000));
  for (let i = 0; i < 3; i++) set.mark(`countdown-${3 - i}`, countdownMs + i * 1000);
  const startMs = countdownMs + 3000;
  set.mark(MARKERS.trialStart, startMs);
  set.mark(SYNC_MARKERS.pacedStart, startMs);

  // Clicks: the first 100 ms after go, then one every interval on the audio clock.
  const audioAtStartS = rng.uniform(0.5, 5);
  const anchorMs = startMs - audioAtStartS * 1000 + outputOffsetMs;
  const clicks: MetronomeClick[] = [];
  for (let k = 0; k < p.pacedClicks; k++) {
    const audioTimeS = audioAtStartS + 0.1 + (k * intervalMs) / 1000;
    clicks.push({
      index: k,
      accent: false,
      audioTimeS,
      clickTimeMs: anchorMs + audioTimeS * 1000,
      mapping: 'outputTimestamp',
      anchorContextTimeS: audioAtStartS,
      anchorPerformanceTimeMs: anchorMs + audioAtStartS * 1000,
      baseLatencyS: 0.01,
      outputLatencyS,
    });
  }
  const metronome = set.stream('metronome');
  const col = {
    clickTime: metronome.f64('clickTimeMs'),
    audioTime: metronome.f64('audioTimeS'),
    accent: metronome.bool('accent'),
    baseLatency: metronome.f64('baseLatencyS'),
    outputLatency: metronome.f64('outputLatencyS'),
    mapping: metronome.str('mapping'),
  };
  for (const click of clicks) {
    col.clickTime.push(click.clickTimeMs);
    col.audioTime.push(click.audioTimeS);
    col.accent.push(click.accent);
    col.baseLatency.push(click.baseLatencyS);
    col.outputLatency.push(click.outputLatencyS);
    col.mapping.push(click.mapping);
    metronome.endRow();
  }

  const quantise = (ms: number) =>
    keys ? round(ms, 1) : round(Math.ceil(ms / TOUCH_PERIOD_MS) * TOUCH_PERIOD_MS, 1);
  const downs: number[] = [];
  for (let k = firstTapClick; k < clicks.length; k++) {
    downs.push(clicks[k]!.clickTimeMs + unreportedMs + rng.normal(asynchronyMean, asynchronySd));
  }
  const lastClickMs = clicks.at(-1)!.clickTimeMs;
  const continuationMs = lastClickMs + intervalMs / 2;
  set.mark(SYNC_MARKERS.continuationStart, continuationMs);
  let timerMs = lastClickMs + unreportedMs + asynchronyMean;
  let continued = 0;
  for (let j = 1; continued < p.continuationTaps; j++) {
    timerMs += rng.normal(intervalMs * (1 + drift * j), timerSd);
    const t = timerMs + rng.normal(0, motorSd);
    downs.push(t);
    if (t > continuationMs) continued++;
  }

  const rows: Row[] = [];
  let pointerId = rng.int(1, 40);
  let previousUp = -Infinity;
  for (const downMs of downs) {
    const dwell = Math.min(intervalMs * 0.6, Math.max(40, rng.normal(dwellMean, 12)));
    const down = Math.max(quantise(downMs), previousUp + TOUCH_PERIOD_MS);
    const up = quantise(down + dwell);
    previousUp = up;
    const x = centre.x + rng.normal(0, scatterPx);
    const y = centre.y + rng.normal(0, scatterPx);
    rows.push({ type: 'pointerdown', t: down, target: 0, x, y, id: pointerId });
    rows.push({
      type: 'pointerup',
      t: up,
      target: 0,
      x: x + rng.normal(0, 1),
      y: y + rng.normal(0, 1),
      id: pointerId,
    });
    pointerId++;
  }
  const endMs = rows.at(-1)!.t + intervalMs / 2;
  if (keys) writeKeyboard(set, rows, () => p.syncKey);
  else writePointer(set, rows, contactPx);
  set.mark(MARKERS.trialEnd, endMs);

  return set.capture(
    [],
    {
      ...(options.longest
        ? { intervalMs: p.intervalMs, pacedClicks: p.pacedClicks, continuationTaps: p.continuationTaps }
        : {}),
      latencyCalibration: {
        version: 1,
        measuredAt: '2026-01-05T09:00:00.000Z',
        roundTripMs: round(calibratedMs + outputLatencyS * 1000 + 4, 3),
        roundTripSdMs: 0.3,
        clicksPlayed: 12,
        clicksHeard: 12,
        reportedOutputMs: round(outputLatencyS * 1000, 3),
        inputLatencyMs: 4,
        inputLatencyKnown: true,
        correctionMs: round(calibratedMs, 3),
        device: { userAgent: 'Simulated', sampleRate: 48_000, baseLatencyS: 0.01, outputLatencyS },
      },
      ...(keys
        ? {}
        : {
            layout: {
              targets: [{ centreXPx: centre.x, centreYPx: centre.y, diameterPx }],
              area: { leftPx: 0, topPx: 240, widthPx: 1280, heightPx: 560 },
              pxPerMmNominal: PX_PER_MM_NOMINAL,
            },
          }),
      metronome: metronomeFacts({
        reason: 'complete',
        clicks,
        missed: [],
        interrupted: false,
        firstClickAudioTimeS: clicks[0]!.audioTimeS,
        intervalMs,
      }),
    },
    endMs,
  );
}
