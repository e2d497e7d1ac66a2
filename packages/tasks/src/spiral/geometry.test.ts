import { describe, expect, it } from 'vitest';
import { guidePathD, guidePoint, spiralGuide } from './geometry';

const box = { leftPx: 100, topPx: 50, widthPx: 1000, heightPx: 800 };

describe('spiralGuide', () => {
  it('is the template of correction 17 to scale: 1.75 mm per radian, 4.5 turns, 10-cm circle', () => {
    const g = spiralGuide({ box, pxPerMm: 4, calibrated: true, hand: 'right' });
    expect(g).toMatchObject({
      centreXPx: 600,
      centreYPx: 450,
      bMmPerRad: 1.75,
      bPxPerRad: 7,
      turns: 4.5,
      reduced: false,
      rotation: 'clockwise',
      boundaryRadiusPx: 200,
      startDotRadiusPx: 8,
      pxPerMm: 4,
      calibrated: true,
    });
    expect(g.outerRadiusPx).toBeCloseTo(7 * 9 * Math.PI, 10); // 49.5 mm
    // one turn out: 11.0 mm further from the centre, to the right of it
    const p = guidePoint(g, 2 * Math.PI);
    expect(p.x).toBeCloseTo(600 + 7 * 2 * Math.PI, 10);
    expect(p.y).toBeCloseTo(450, 10);
    // a quarter turn goes down the screen (clockwise) for the right hand, up for the left
    expect(guidePoint(g, Math.PI / 2).y).toBeCloseTo(450 + 7 * (Math.PI / 2), 10);
    const left = spiralGuide({ box, pxPerMm: 4, calibrated: true, hand: 'left' });
    expect(left.rotation).toBe('anticlockwise');
    expect(guidePoint(left, Math.PI / 2).y).toBeCloseTo(450 - 7 * (Math.PI / 2), 10);
  });

  it('keeps the pitch and takes off half turns on a small screen', () => {
    // 390 × 600 phone at 6 px/mm: (195 − 16) px / 6 = 29.8 mm → 2.5 turns of 11 mm
    const g = spiralGuide({
      box: { leftPx: 0, topPx: 0, widthPx: 390, heightPx: 600 },
      pxPerMm: 6,
      calibrated: true,
      hand: 'right',
    });
    expect(g.turns).toBe(2.5);
    expect(g.reduced).toBe(true);
    expect(g.bPxPerRad).toBe(10.5);
    expect(g.boundaryRadiusPx).toBe(179);
    // never less than one turn
    expect(
      spiralGuide({
        box: { leftPx: 0, topPx: 0, widthPx: 0, heightPx: 0 },
        pxPerMm: 4,
        calibrated: false,
        hand: 'right',
      }).turns,
    ).toBe(1);
  });

  it('gives the SVG path in surface coordinates', () => {
    const g = spiralGuide({ box, pxPerMm: 4, calibrated: true, hand: 'right' });
    const d = guidePathD(g, 100, 50, Math.PI / 2);
    const parts = d.split(' L');
    expect(parts[0]).toBe('M500.00 400.00');
    expect(parts[1]).toBe(`500.00 ${(400 + 7 * (Math.PI / 2)).toFixed(2)}`);
    expect(parts).toHaveLength(19); // 4.5 turns in quarter turns, and the start
  });
});
