import type { DeviceV1 } from '@dystrack/core';

/** The parts of `navigator` the device record reads (injectable for tests). */
export interface NavigatorLike {
  userAgent?: string;
  platform?: string;
  language?: string;
  hardwareConcurrency?: number;
  maxTouchPoints?: number;
  userAgentData?: { platform?: string };
}

export interface CollectDeviceOptions {
  /** Input hardware the person named (keyboard type, pen or tablet model, phone model). */
  inputDevice?: string | null;
  navigator?: NavigatorLike;
  screen?: { width?: number; height?: number };
  devicePixelRatio?: number;
}

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.slice(0, max) : null;
const count = (value: unknown, max: number): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : null;
const size = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;

/**
 * Device and browser metadata for core's `device` (measures.md section 1, item 2), as the platform
 * reports it. A value the platform does not give is `null`; strings are cut to the schema's limits.
 */
export function collectDevice(options: CollectDeviceOptions = {}): DeviceV1 {
  const nav: NavigatorLike = options.navigator ?? (typeof navigator === 'undefined' ? {} : navigator);
  const scr = options.screen ?? (typeof screen === 'undefined' ? {} : screen);
  const dpr =
    options.devicePixelRatio ?? (typeof devicePixelRatio === 'undefined' ? undefined : devicePixelRatio);
  return {
    userAgent: (nav.userAgent ?? '').slice(0, 1000),
    platform: text(nav.userAgentData?.platform, 200) ?? text(nav.platform, 200),
    language: text(nav.language, 100),
    hardwareConcurrency: count(nav.hardwareConcurrency, 4096),
    maxTouchPoints: count(nav.maxTouchPoints, 1000),
    screenWidthPx: size(scr.width),
    screenHeightPx: size(scr.height),
    devicePixelRatio: size(dpr),
    inputDevice: text(options.inputDevice, 300),
  };
}
