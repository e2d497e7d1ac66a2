export * from './welch-interval.js';
export * from './triggers.js';
export * from './session-context.js';
export * from './trigger-associations.js';
