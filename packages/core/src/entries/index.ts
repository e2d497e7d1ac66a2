export * from './fields.js';
export * from './diary.js';
export * from './treatments.js';
