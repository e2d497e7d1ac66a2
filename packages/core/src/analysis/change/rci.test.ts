import { describe, expect, it } from 'vitest';
import { excludesFromTrend } from './trend-flags.js';
import { PUBLISHED_MDCS, publishedMdc } from './published-mdc.js';
import { reliableChangeIndex, sdc95, sdcMultiplier, standardErrorOfMeasurement } from './rci.js';
import { recordingSetupKey } from './setup.js';

describe('Jacobson–Truax reliable change index', () => {
  it('SEM = SD·√(1 − r): SD 10, ICC 0.91 → 3', () => {
    expect(standardErrorOfMeasurement(10, 0.91)).toBeCloseTo(3, 12);
    expect(() => standardErrorOfMeasurement(10, 1.2)).toThrow(RangeError);
  });

  it('RCI = (x₂ − x₁)/(√2·SEM): 6/(2√2) = 2.1213…; Maassen: 6/√(2² + 3²) = 1.6641…', () => {
    expect(reliableChangeIndex(10, 16, 2)).toBeCloseTo(6 / (2 * Math.SQRT2), 12);
    expect(reliableChangeIndex(10, 16, 2, 3)).toBeCloseTo(6 / Math.sqrt(13), 12);
    expect(reliableChangeIndex(10, 16, 0)).toBeNaN();
  });

  it('sdc95 = multiplier·S_w, the multiplier t(0.975, n − 1)·√(1 + 1/n) (4.9683 for n = 3)', () => {
    expect(sdcMultiplier(3)).toBeCloseTo(4.968275423500659, 12);
    expect(sdc95(0.2, 3)).toBeCloseTo(0.2 * 4.968275423500659, 12);
    expect(() => sdcMultiplier(1)).toThrow(RangeError);
    expect(() => sdcMultiplier(2.5)).toThrow(RangeError);
  });
});

describe('published MDCs', () => {
  it('tremor amplitude has 0.31 log10 (51 % reduction of the geometric mean), frequency none', () => {
    expect(publishedMdc('spiral', 'tremor_amplitude_pp_mm').log10Threshold).toBe(0.31);
    // a 51 % reduction: log10(1/0.49) = 0.3098
    expect(Math.log10(1 / 0.49)).toBeCloseTo(0.31, 2);
    expect(publishedMdc('tremor', 'tremor_displacement_rms_cm').log10Threshold).toBe(0.31);
    expect(publishedMdc('tremor', 'tremor_peak_frequency_hz').log10Threshold).toBeNull();
    expect(publishedMdc('typing', 'hold_time_median_ms')).toMatchObject({
      log10Threshold: null,
      metricId: 'hold_time_median_ms',
    });
    expect(publishedMdc('scale', 'ioi_sd_ms').note).toMatch(/No published MDC/);
  });

  it('every entry cites its source and measures.md', () => {
    for (const entry of PUBLISHED_MDCS) expect(entry.citation).toMatch(/measures\.md \d/);
  });
});

describe('excludesFromTrend', () => {
  it('excludes trial-level problems and unknown flags, keeps informational ones', () => {
    for (const flag of [
      'TAB_HIDDEN',
      'TOO_FEW_EVENTS',
      'SAMPLE_GAPS',
      'WRONG_NOTES',
      'INCOMPLETE_RECORDING',
      'ABORTED',
    ])
      expect(excludesFromTrend(flag, 'typing'), flag).toBe(true);
    for (const flag of [
      'DUPLICATE_TIMESTAMPS',
      'AUTO_REPEAT_DROPPED',
      'NO_TREMOR_PEAK',
      'NOMINAL_SCALE',
      'COARSE_TIMER',
    ])
      expect(excludesFromTrend(flag, 'spiral'), flag).toBe(false);
    expect(excludesFromTrend('PEN_LIFTS', 'spiral')).toBe(true);
    expect(excludesFromTrend('PEN_LIFTS', 'handwriting')).toBe(false);
  });
});

describe('recordingSetupKey', () => {
  const device = {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0.7000.1 Safari/537.36',
    platform: 'Linux x86_64',
    language: 'en-GB',
    hardwareConcurrency: 8,
    maxTouchPoints: 0,
    screenWidthPx: 1920,
    screenHeightPx: 1080,
    devicePixelRatio: 1,
    inputDevice: 'Keychron K2',
  };

  it('ignores a browser update but not another browser, platform or input device', () => {
    const key = recordingSetupKey({ device });
    const updated = { ...device, userAgent: device.userAgent.replace('156.0.7000.1', '157.0.7100.12') };
    expect(recordingSetupKey({ device: updated })).toBe(key);
    expect(recordingSetupKey({ device: { ...device, inputDevice: ' keychron k2 ' } })).toBe(key);
    const firefox = {
      ...device,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
    };
    expect(recordingSetupKey({ device: firefox })).not.toBe(key);
    expect(recordingSetupKey({ device: { ...device, inputDevice: 'Wacom One' } })).not.toBe(key);
    expect(recordingSetupKey({ device: { ...device, platform: 'MacIntel' } })).not.toBe(key);
  });

  it('keeps sessions of other protocols apart (tapping protocol and input, typing mode and text), other params do not matter', () => {
    const tapping = (params: Record<string, unknown>) =>
      recordingSetupKey({ device, taskId: 'tapping', params });
    const base = tapping({ protocol: 'alternating', input: 'keys', durationS: 20 });
    expect(tapping({ protocol: 'alternating', input: 'keys', durationS: 30 })).toBe(base);
    expect(tapping({ protocol: 'sync-continuation', input: 'keys' })).not.toBe(base);
    expect(tapping({ protocol: 'alternating', input: 'pointer' })).not.toBe(base);
    const typing = (params: Record<string, unknown>) =>
      recordingSetupKey({ device, taskId: 'typing', params });
    expect(typing({ mode: 'copy', text: 'en' })).not.toBe(typing({ mode: 'copy', text: 'de' }));
    expect(typing({ mode: 'copy', text: 'en' })).not.toBe(typing({ mode: 'drill', text: 'en' }));
    // one tremor position per recording: a position is compared only with itself, held the same way
    const tremor = (params: Record<string, unknown>) =>
      recordingSetupKey({ device, taskId: 'tremor', params });
    const rest = tremor({ position: 'rest', mount: 'hand', positions: 'rest,posture', trialS: 10 });
    expect(tremor({ position: 'rest', mount: 'hand', positions: 'rest', trialS: 12 })).toBe(rest);
    expect(tremor({ position: 'posture', mount: 'hand' })).not.toBe(rest);
    expect(tremor({ position: 'rest', mount: 'strap' })).not.toBe(rest);
    // a recording from before a parameter existed, and tasks without protocol parameters: the device alone
    expect(recordingSetupKey({ device, taskId: 'tapping', params: {} })).toBe(recordingSetupKey({ device }));
    expect(recordingSetupKey({ device, taskId: 'spiral', params: { anything: 1 } })).toBe(
      recordingSetupKey({ device }),
    );
  });

  it('keeps drawings made without a pen, and simulated recordings, apart; other flags do not matter', () => {
    const key = recordingSetupKey({ device, flags: ['TAB_HIDDEN'] });
    expect(key).toBe(recordingSetupKey({ device }));
    expect(recordingSetupKey({ device, flags: ['NOT_PEN'] })).toBe(`${key}|NOT_PEN`);
    expect(recordingSetupKey({ device, flags: ['SIMULATED', 'NOT_PEN'] })).toBe(`${key}|NOT_PEN|SIMULATED`);
  });
});
