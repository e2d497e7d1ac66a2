import { deviceSchemaV1 } from '@dystrack/core';
import { describe, expect, it } from 'vitest';
import { collectDevice } from './device';

describe('collectDevice', () => {
  it('copies what the platform reports, preferring userAgentData.platform', () => {
    const device = collectDevice({
      navigator: {
        userAgent: 'UA',
        platform: 'Linux x86_64',
        userAgentData: { platform: 'Android' },
        language: 'de-CH',
        hardwareConcurrency: 8,
        maxTouchPoints: 5,
      },
      screen: { width: 412, height: 915 },
      devicePixelRatio: 2.625,
      inputDevice: 'Pixel 7',
    });
    expect(device).toEqual({
      userAgent: 'UA',
      platform: 'Android',
      language: 'de-CH',
      hardwareConcurrency: 8,
      maxTouchPoints: 5,
      screenWidthPx: 412,
      screenHeightPx: 915,
      devicePixelRatio: 2.625,
      inputDevice: 'Pixel 7',
    });
  });

  it('gives null for what is missing and cuts strings to the schema limits', () => {
    const device = collectDevice({
      navigator: { userAgent: 'x'.repeat(2000), platform: '' },
      screen: {},
      inputDevice: 'y'.repeat(400),
    });
    expect(device.userAgent).toHaveLength(1000);
    expect(device.platform).toBeNull();
    expect(device.hardwareConcurrency).toBeNull();
    expect(device.screenWidthPx).toBeNull();
    expect(device.inputDevice).toHaveLength(300);
    expect(deviceSchemaV1.parse(device)).toEqual(device);
  });

  it('reads the real navigator and screen by default, valid for the schema', () => {
    const device = collectDevice();
    expect(device.userAgent).toBe(navigator.userAgent);
    expect(deviceSchemaV1.safeParse(device).success).toBe(true);
  });
});
