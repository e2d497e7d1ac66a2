import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { parseCsvTable } from '../formats/table.js';
import type { Tap, TappingInput } from '../inputs.js';
import { analyzeTapping, pairWithClicks, tappingAnalyzer } from './analyzer.js';
import { TAPPING_METRICS } from './definitions.js';
import { tappingFromCsv } from './from-csv.js';

const csv = (text: string) => tappingFromCsv(parseCsvTable(text));
const tap = (downMs: number, upMs = downMs + 100, target: string | null = null): Tap => ({
  downMs,
  upMs,
  target,
  xMm: null,
  yMm: null,
});
const input = (taps: Tap[], extra: Partial<TappingInput> = {}): TappingInput => ({
  task: 'tapping',
  taps,
  beatsMs: [],
  continuationFromMs: null,
  flags: [],
  ...extra,
});

/**
 * Five taps at 1000 1210 1400 1620 1800 ms: ITIs 210 190 220 180, mean 200, sample SD √(1000/3) =
 * 18.257…, CV 9.1287 %. Dwell 100 90 110 95 105 → median 100. Targets L R R L R: one alternation
 * error. Clicks every 200 ms from 1000: asynchronies 0 10 0 20 0 → mean 6, SD √80 = 8.944.
 * Positions: L at (0,0) and (0,2) → centroid (0,1), distances 1 1; R at (25,0) (25,4) (25,2) →
 * centroid (25,2), distances 2 2 0; scatter (1+1+2+2+0)/5 = 1.2 mm.
 */
const FIVE = `down_ms,up_ms,target,x_mm,y_mm,beat_ms
1000,1100,L,0,0,1000
1210,1300,R,25,0,1200
1400,1510,R,25,4,1400
1620,1715,L,0,2,1600
1800,1905,R,25,2,1800
`;

describe('tapping contract metrics on a hand-computed file', () => {
  const result = analyzeTapping(csv(FIVE));

  it('computes tap_count, ITI mean and CV, dwell median and asynchrony SD', () => {
    expect(result.metrics.tap_count).toBe(5);
    expect(result.metrics.iti_mean_ms).toBe(200);
    expect(result.metrics.iti_cv_pct).toBeCloseTo(9.128709291752768, 10);
    expect(result.metrics.dwell_median_ms).toBe(100);
    expect(result.metrics.asynchrony_sd_ms).toBeCloseTo(8.94427190999916, 10);
    expect(result.metrics.asynchrony_mean_ms).toBeCloseTo(6, 10);
  });

  it('counts alternation errors (in tap_count too) and measures scatter', () => {
    expect(result.metrics.alternation_error_count).toBe(1);
    expect(result.metrics.spatial_scatter_mean_mm).toBeCloseTo(1.2, 10);
    // a CSV has no target centres
    expect(result.metrics.spatial_error_mean_mm).toBeNull();
    expect(result.flags).toEqual(['ALTERNATION_ERRORS']);
  });

  it('computes the ITI slope; the tap-rate ratio needs 10 s of taps', () => {
    // numpy.polyfit of ITIs against their midpoints (0.105, 0.305, 0.510, 0.710 s)
    expect(result.metrics.iti_slope_ms_per_s).toBeCloseTo(-29.40816076461215, 8);
    expect(result.metrics.tap_rate_last_first_ratio).toBeNull();
    expect(result.metrics.continuation_iti_mean_ms).toBeNull();
  });

  it('is what analyze() prints through the registry, with every metric present', () => {
    const out = analyze(csv(FIVE));
    expect(out.metrics).toEqual(result.metrics);
    expect(Object.keys(out.metrics).sort()).toEqual(TAPPING_METRICS.map((m) => m.id).sort());
    expect(tappingAnalyzer.metrics).toBe(TAPPING_METRICS);
  });
});

describe('asynchrony pairing', () => {
  it('pairs a tap with the nearest click within ± half the click interval', () => {
    const beats = [1000, 1200, 1400, 1800];
    const pairs = pairWithClicks(
      [
        tap(900), // 100 before the first click: the interval after it (200) → half 100: paired
        tap(1099), // nearer 1000: +99 ≤ 100
        tap(1100), // equidistant: the earlier click, +100 ≤ 100
        tap(1101), // nearer 1200: −99
        tap(1590), // nearer 1400 (+190), half of 1400→1800 is 200: paired
        tap(1610), // nearer 1800 (−190): half of 1400→1800 is 200: paired
        tap(1950), // after the last click: half of the previous interval (200): +150 paired
        tap(2050), // +250: not paired
        tap(850), // −150 before the first click: not paired
      ],
      beats,
    );
    expect(pairs.map((p) => [p.tapIndex, p.clickMs, p.asynchronyMs])).toEqual([
      [0, 1000, -100],
      [1, 1000, 99],
      [2, 1000, 100],
      [3, 1200, -99],
      [4, 1400, 190],
      [5, 1800, -190],
      [6, 1800, 150],
    ]);
  });

  it('leaves taps beyond half an interval from the clicks out of the asynchrony', () => {
    // clicks 1000 and 1200 (interval 200, half 100): 895 and 1305 are 105 away, 1100 is 100 away
    const result = analyzeTapping(
      input([tap(895), tap(1000), tap(1100), tap(1210), tap(1305)], { beatsMs: [1000, 1200] }),
    );
    // paired: 0, +100 (equidistant: the earlier click), +10 → mean 110/3, SD of (0, 100, 10)
    expect(result.metrics.asynchrony_mean_ms).toBeCloseTo(110 / 3, 10);
    expect(result.metrics.asynchrony_sd_ms).toBeCloseTo(
      Math.sqrt(((110 / 3) ** 2 + (190 / 3) ** 2 + (80 / 3) ** 2) / 2),
      10,
    );
    expect(result.metrics.tap_count).toBe(5);
  });

  it('corrects the mean asynchrony by a measured latency, and gives none for uncalibrated app clicks', () => {
    const taps = [tap(980), tap(1190), tap(1415)];
    const beatsMs = [1000, 1200, 1400];
    // asynchronies −20, −10, +15 against the time stamps; heard 12 ms later
    const calibrated = analyzeTapping(input(taps, { beatsMs, latencyCorrectionMs: 12 }));
    expect(calibrated.metrics.asynchrony_mean_ms).toBeCloseTo(-15 / 3 - 12, 10);
    const uncalibrated = analyzeTapping(input(taps, { beatsMs, latencyCorrectionMs: null }));
    expect(uncalibrated.metrics.asynchrony_mean_ms).toBeNull();
    expect(uncalibrated.flags).toContain('LATENCY_UNCALIBRATED');
    expect(uncalibrated.metrics.asynchrony_sd_ms).toBe(calibrated.metrics.asynchrony_sd_ms);
  });

  it('gives null asynchrony and NO_METRONOME without clicks', () => {
    const result = analyzeTapping(input([tap(0), tap(200), tap(400)]));
    expect(result.metrics.asynchrony_sd_ms).toBeNull();
    expect(result.metrics.asynchrony_mean_ms).toBeNull();
    expect(result.flags).toEqual(['NO_METRONOME']);
  });
});

describe('fatigue and continuation', () => {
  it('compares the tap rate of the last and first 5 s', () => {
    // every 200 ms up to 10 s, then every 400 ms up to 20 s: 25 taps in [0, 5 s), 13 in (15 s, 20 s]
    const downs: number[] = [];
    for (let t = 0; t <= 10_000; t += 200) downs.push(t);
    for (let t = 10_400; t <= 20_000; t += 400) downs.push(t);
    const m = analyzeTapping(input(downs.map((d) => tap(d, d + 80)))).metrics;
    expect(m.tap_count).toBe(76);
    expect(m.tap_rate_last_first_ratio).toBeCloseTo(13 / 25, 12);
    expect(m.iti_slope_ms_per_s).toBeCloseTo(14.548628791736379, 8);
  });

  it('computes continuation mean, CV, drift and Wing–Kristofferson variances', () => {
    // three intervals dropped, then twelve (numpy reference values)
    const intervals = [450, 550, 470, 499, 502, 493, 479, 511, 516, 491, 518, 499, 495, 510, 488];
    const downs = [10_000];
    for (const i of intervals) downs.push(downs[downs.length - 1]! + i);
    const paced = [9000, 9500].map((d) => tap(d));
    const result = analyzeTapping(
      input([...paced, ...downs.map((d) => tap(d))], { beatsMs: [9000, 9500], continuationFromMs: 9750 }),
    );
    const m = result.metrics;
    expect(m.continuation_iti_mean_ms).toBeCloseTo(500.0833333333333, 10);
    expect(m.continuation_iti_cv_pct).toBeCloseTo(2.3713449629492844, 10);
    expect(m.continuation_drift_ms_per_tap).toBeCloseTo(0.21328671328672574, 10);
    expect(m.wk_motor_variance_ms2).toBeCloseTo(36.46293058793071, 8);
    expect(m.wk_timer_variance_ms2).toBeCloseTo(55.44175731675709, 8);
    expect(result.flags).not.toContain('WK_MODEL_VIOLATION');
    expect(result.flags).not.toContain('TOO_FEW_EVENTS');
  });

  it('flags WK_MODEL_VIOLATION when the lag-1 autocorrelation is below −0.5', () => {
    const intervals = [500, 500, 500, 500, 510, 490, 505, 495, 500, 510, 490, 505, 495];
    const downs = [0];
    for (const i of intervals) downs.push(downs[downs.length - 1]! + i);
    const result = analyzeTapping(
      input(
        downs.map((d) => tap(d)),
        { continuationFromMs: -1 },
      ),
    );
    // numpy: ρ̂(1) = −0.724, γ̂(1) = −35.418, var̂ = 48.909 → σc² = max(0, 48.909 − 70.836) = 0
    expect(result.metrics.wk_motor_variance_ms2).toBeCloseTo(35.41818181818171, 8);
    expect(result.metrics.wk_timer_variance_ms2).toBe(0);
    expect(result.flags).toContain('WK_MODEL_VIOLATION');
  });

  it('flags TOO_FEW_EVENTS when the continuation phase is short', () => {
    const result = analyzeTapping(
      input(
        [0, 500, 1000, 1500, 2000, 2500].map((d) => tap(d)),
        { continuationFromMs: -1 },
      ),
    );
    expect(result.metrics.continuation_iti_mean_ms).toBeNull(); // 5 intervals − 3 = 2
    expect(result.metrics.wk_motor_variance_ms2).toBeNull();
    expect(result.flags).toContain('TOO_FEW_EVENTS');
  });
});

describe('tapping with too few taps', () => {
  it('computes what one tap allows and flags TOO_FEW_EVENTS', () => {
    const result = analyzeTapping(input([tap(0, 90)]));
    expect(result.metrics.tap_count).toBe(1);
    expect(result.metrics.dwell_median_ms).toBe(90);
    expect(result.metrics.iti_mean_ms).toBeNull();
    expect(result.metrics.iti_cv_pct).toBeNull();
    expect(result.metrics.alternation_error_count).toBeNull();
    expect(result.flags).toEqual(['NO_METRONOME', 'TOO_FEW_EVENTS']);
  });

  it('throws E_TOO_FEW_EVENTS without taps', () => {
    expect(() => analyzeTapping(input([]))).toThrow(expect.objectContaining({ code: 'E_TOO_FEW_EVENTS' }));
  });
});
