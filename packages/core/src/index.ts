export * from './errors/catalogue.js';
export * from './recording/canonical.js';
export * from './recording/columns.js';
export * from './recording/schema-v1.js';
export * from './recording/tasks.js';
export * from './recording/versions.js';
export * from './recording/schema-version.js';
export * from './analysis/index.js';
