export * from './stats.js';
export * from './fft.js';
export * from './welch.js';
export * from './filter.js';
export * from './detrend.js';
export * from './resample.js';
export * from './peak.js';
export * from './diff.js';
