/*
 * The personal schedule (routine): the model, what is due, and the upcoming occurrences for a calendar
 * feed. Pure TypeScript with Intl for time zones.
 */
export * from './model.js';
export * from './due.js';
export * from './zoned.js';
