export * from './args.js';
export * from './cli.js';
export * from './errors.js';
export * from './io.js';
