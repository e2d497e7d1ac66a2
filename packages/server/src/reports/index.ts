export * from './gather.js';
export * from './render.js';
