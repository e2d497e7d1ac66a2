export * from './analyze.js';
export * from './flags.js';
export * from './inputs.js';
export * from './metric.js';
export * from './random.js';
export * from './task.js';
export * from './version.js';
export * from './formats/table.js';
