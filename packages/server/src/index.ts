export * from './app.js';
export * from './authz.js';
export * from './config.js';
export * from './db/database.js';
export * from './db/lock.js';
export * from './db/schema.js';
export * from './http/errors.js';
