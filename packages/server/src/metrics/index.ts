export * from './analyzer.js';
export * from './job.js';
export * from './recompute.js';
export * from './store.js';
