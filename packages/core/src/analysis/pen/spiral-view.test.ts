import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { testRecording } from '../test-utils/recording.js';
import { NOMINAL_MM_PER_PX } from './from-recording.js';
import { spiralView, VIEW_IRREGULAR_FRACTION } from './spiral-view.js';

const PX_PER_MM = 4;
const HZ = 240;

interface SpiralSpec {
  t0Ms: number;
  durationS: number;
  /** Radial tremor: frequency and peak-to-peak size (mm) from `fromS` on. */
  tremor?: { hz: number; ppMm: number; fromS: number };
  /** A slow radial bulge (mm) centred at `atS`, half a second wide. */
  bulge?: { mm: number; atS: number };
}

/** Rows of one Archimedean spiral (3 mm + 11 mm/turn, 0.5 turn/s) around (400, 300) px, sampled at 240 Hz. */
function spiralRows(spec: SpiralSpec) {
  const n = Math.round(spec.durationS * HZ);
  const rows: { type: string; t: number; x: number; y: number; pressure: number }[] = [];
  for (let i = 0; i <= n; i++) {
    const tS = i / HZ;
    const theta = 2 * Math.PI * 0.5 * tS;
    let r = 3 + (11 / (2 * Math.PI)) * theta;
    if (spec.tremor && tS >= spec.tremor.fromS)
      r += (spec.tremor.ppMm / 2) * Math.sin(2 * Math.PI * spec.tremor.hz * tS);
    if (spec.bulge) r += spec.bulge.mm * Math.exp(-(((tS - spec.bulge.atS) / 0.25) ** 2));
    rows.push({
      type: i === 0 ? 'pointerdown' : i === n ? 'pointerup' : 'pointermove',
      t: spec.t0Ms + (1000 * i) / HZ,
      x: 400 + r * PX_PER_MM * Math.cos(theta),
      y: 300 + r * PX_PER_MM * Math.sin(theta),
      pressure: 0.3 + 0.2 * (i / n),
    });
  }
  return rows;
}

function pointerStream(rows: ReturnType<typeof spiralRows>): Stream {
  return {
    columns: {
      type: { type: 'str', values: rows.map((r) => r.type) },
      timeStampMs: { type: 'f64', values: rows.map((r) => r.t) },
      coalesced: { type: 'bool', values: rows.map((r) => r.type === 'pointermove') },
      pointerId: { type: 'i32', values: rows.map(() => 2) },
      pointerType: { type: 'str', values: rows.map(() => 'pen') },
      xPx: { type: 'f64', values: rows.map((r) => r.x) },
      yPx: { type: 'f64', values: rows.map((r) => r.y) },
      pressureNorm: { type: 'f64', values: rows.map((r) => r.pressure) },
      buttonsMaskId: { type: 'i32', values: rows.map((r) => (r.type === 'pointerup' ? 0 : 1)) },
    },
  };
}

function spiralRecording(specs: SpiralSpec[], params: Recording['params']): Recording {
  return testRecording('spiral', { pointer: pointerStream(specs.flatMap(spiralRows)) }, { params });
}

const inRange = (tS: Float64Array, values: Float64Array, from: number, to: number) =>
  Array.from(values).filter((_, i) => tS[i]! >= from && tS[i]! <= to);

describe('spiralView', () => {
  it('finds the shaking where it is, at its size, and not where the line is steady', () => {
    const view = spiralView(
      spiralRecording([{ t0Ms: 1000, durationS: 8, tremor: { hz: 6, ppMm: 1, fromS: 4 } }], {
        pxPerMm: PX_PER_MM,
      }),
    );
    expect(view).toMatchObject({ calibrated: true, unit: 'mm' });
    expect(view.drawings).toHaveLength(1);
    const d = view.drawings[0]!;
    expect(d.trial).toBeNull();
    expect(d.spiralLike).toBe(true);
    expect(d.tS).toHaveLength(8 * HZ); // the pointerup row is a lift, not a pen-down sample;
    expect(d.loopSpacing).toBeCloseTo(11, 1);
    const steady = inRange(d.tS, d.tremorPp, 0.5, 3.3);
    const shaking = inRange(d.tS, d.tremorPp, 4.7, 7.5);
    expect(Math.max(...steady)).toBeLessThan(0.1);
    for (const pp of shaking) expect(Math.abs(pp - 1)).toBeLessThan(0.15);
    // the signed band follows the injected sinusoid (± 0.5 mm)
    const band = inRange(d.tS, d.tremorDeviation, 4.7, 7.5);
    expect(Math.max(...band)).toBeGreaterThan(0.42);
    expect(Math.max(...band)).toBeLessThan(0.58);
    // positions in mm around the fitted centre, pressure kept
    const rMax = Math.max(...Array.from(d.x, (x, i) => Math.hypot(x, d.y[i]!)));
    expect(rMax).toBeGreaterThan(3 + 4 * 11 - 1);
    expect(rMax).toBeLessThan(3 + 4 * 11 + 1.5);
    expect(d.pressure![0]).toBeCloseTo(0.3, 6);
    // speed of a 0.5-turn/s spiral: 2π·r·0.5 + the outward drift, in mm/s
    const mid = d.speed.value[Math.round(d.speed.value.length / 2)]!;
    const rMid = 3 + 11 * 2;
    expect(mid).toBeGreaterThan(Math.PI * rMid * 0.95);
    expect(mid).toBeLessThan(Math.PI * rMid * 1.1);
    expect(d.irregular.every((v) => v === 0)).toBe(true);
  });

  it('marks a slow bulge away from the spiral as irregular, and only there', () => {
    const d = spiralView(
      spiralRecording([{ t0Ms: 0, durationS: 8, bulge: { mm: 5, atS: 5 } }], { pxPerMm: PX_PER_MM }),
    ).drawings[0]!;
    const marked = Array.from(d.tS).filter((_, i) => d.irregular[i] === 1);
    expect(marked.length).toBeGreaterThan(10);
    for (const t of marked) expect(Math.abs(t - 5)).toBeLessThan(0.5);
    expect(VIEW_IRREGULAR_FRACTION * d.loopSpacing!).toBeLessThan(5);
  });

  it('gives CSS px, never mm, without a calibration', () => {
    const view = spiralView(spiralRecording([{ t0Ms: 0, durationS: 6 }], {}));
    expect(view).toMatchObject({ calibrated: false, unit: 'px' });
    // 11 mm per turn drawn at 4 px/mm: 44 px per turn, whatever the nominal mm per px is
    expect(view.drawings[0]!.loopSpacing).toBeCloseTo(44, 0);
    expect(NOMINAL_MM_PER_PX).not.toBeCloseTo(1 / PX_PER_MM, 2);
  });

  it('shows each kept spiral of a run on its own, leaving out redone ones', () => {
    const params: Recording['params'] = {
      pxPerMm: PX_PER_MM,
      attempts: [
        { trial: 1, startMs: 0, endMs: 6500, outcome: 'kept', strokes: {} },
        { trial: 2, startMs: 6500, endMs: 13_500, outcome: 'redone', strokes: {} },
        { trial: 2, startMs: 13_500, endMs: 21_000, outcome: 'kept', strokes: {} },
      ],
    };
    const view = spiralView(
      spiralRecording(
        [
          { t0Ms: 100, durationS: 6 },
          { t0Ms: 7000, durationS: 6, tremor: { hz: 5, ppMm: 2, fromS: 0 } },
          { t0Ms: 14_000, durationS: 6, tremor: { hz: 8, ppMm: 0.6, fromS: 0 } },
        ],
        params,
      ),
    );
    expect(view.drawings.map((d) => d.trial)).toEqual([1, 2]);
    expect(view.drawings.map((d) => d.tS.length)).toEqual([6 * HZ, 6 * HZ]);
    const middle = (d: (typeof view.drawings)[number]) => inRange(d.tS, d.tremorPp, 2, 4);
    expect(Math.max(...middle(view.drawings[0]!))).toBeLessThan(0.1);
    for (const pp of middle(view.drawings[1]!)) expect(Math.abs(pp - 0.6)).toBeLessThan(0.09);
  });

  it('centres a line that is not a spiral on itself, and compares it with no spiral', () => {
    const rows = Array.from({ length: 481 }, (_, k) => ({
      type: k === 0 ? 'pointerdown' : k === 480 ? 'pointerup' : 'pointermove',
      t: (1000 * k) / HZ,
      x: 200 + 0.75 * k,
      y: 300 + 40 * Math.sin(k / 30),
      pressure: 0.5,
    }));
    const d = spiralView(testRecording('spiral', { pointer: pointerStream(rows) }, { params: {} }))
      .drawings[0]!;
    expect(d.spiralLike).toBe(false);
    expect(d.loopSpacing).toBeNull();
    expect(d.irregular.every((v) => v === 0)).toBe(true);
    // the pen-down samples (the pointerup is a lift) span 359.25 px by 80 px, around their own centre
    expect(Math.max(...d.x)).toBeCloseTo(179.625, 6);
    expect(Math.min(...d.x)).toBeCloseTo(-179.625, 6);
    expect(Math.max(...d.y)).toBeLessThanOrEqual(40);
  });
});
