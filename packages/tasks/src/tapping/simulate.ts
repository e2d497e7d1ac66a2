import { MARKERS, StreamSet } from '../columns';
import type { SimulateOptions, TaskCapture } from '../contract';
import { MIN_TARGET_PX } from '../dom';
import { createRng } from '../rng';
import { PX_PER_MM_NOMINAL, readTappingParams, tappingDefinition } from './definition';
import { TAPPING_FLAGS } from './run';

/** Touch digitiser period of the simulated phone (120 Hz): tap times are quantised to it. */
const TOUCH_PERIOD_MS = 1000 / 120;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A synthetic participant tapping two targets in turn: a personal mean inter-tap interval of
 * 180–250 ms with 6–12 % jitter, dwell 80–120 ms, occasional alternation errors (1–5 %), spatial
 * scatter around the target centres, small finger movement during contact; by touch (pointer input,
 * times on a 120-Hz digitiser grid) or by keys. Same seed, same capture. `longest` fills the task's
 * maximum duration.
 */
export function simulateTapping(options: SimulateOptions): TaskCapture {
  const rng = createRng(options.seed);
  const p = readTappingParams(options.params, options.hand);
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

  type Row = { type: string; t: number; target: number; x: number; y: number; id: number };
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

  if (keys) {
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
      code.push(row.target === 0 ? p.keyLeft : p.keyRight);
      repeat.push(false);
      composing.push(false);
      location.push(0);
      stream.endRow();
    }
  } else {
    const stream = set.stream('pointer');
    const down = new Set<number>();
    const col = {
      type: stream.str('type'),
      time: stream.f64('timeStampMs'),
      coalesced: stream.bool('coalesced'),
      pointerId: stream.i32('pointerId'),
      pointerType: stream.str('pointerType'),
      isPrimary: stream.bool('isPrimary'),
      x: stream.f64('xPx'),
      y: stream.f64('yPx'),
      pressure: stream.f64('pressureNorm'),
      tangential: stream.f64('tangentialPressureNorm'),
      tiltX: stream.f64('tiltXDeg'),
      tiltY: stream.f64('tiltYDeg'),
      twist: stream.f64('twistDeg'),
      altitude: stream.f64('altitudeAngleRad'),
      azimuth: stream.f64('azimuthAngleRad'),
      width: stream.f64('widthPx'),
      height: stream.f64('heightPx'),
      buttons: stream.i32('buttonsMaskId'),
    };
    const primary = new Map<number, boolean>();
    for (const row of rows) {
      if (row.type === 'pointerdown') {
        primary.set(row.id, down.size === 0);
        down.add(row.id);
      }
      const pressed = row.type !== 'pointerup';
      col.type.push(row.type);
      col.time.push(row.t);
      col.coalesced.push(row.type === 'pointermove');
      col.pointerId.push(row.id);
      col.pointerType.push('touch');
      col.isPrimary.push(primary.get(row.id) ?? false);
      col.x.push(round(row.x, 2));
      col.y.push(round(row.y, 2));
      col.pressure.push(pressed ? 0.5 : 0);
      col.tangential.push(0);
      col.tiltX.push(0);
      col.tiltY.push(0);
      col.twist.push(0);
      col.altitude.push(Math.PI / 2);
      col.azimuth.push(0);
      col.width.push(round(contactPx, 1));
      col.height.push(round(contactPx, 1));
      col.buttons.push(pressed ? 1 : 0);
      stream.endRow();
      if (row.type === 'pointerup') down.delete(row.id);
    }
  }
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
