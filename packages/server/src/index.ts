export * from './app.js';
export * from './authz.js';
export { createAdmin, type CreatedUser } from './auth/users.js';
export * from './config.js';
export * from './db/database.js';
export * from './db/lock.js';
export * from './db/schema.js';
export * from './http/errors.js';
export * from './db/backup.js';
export * from './metrics/index.js';
export * from './serve.js';
export {
  buildExportFile,
  buildExportFileFor,
  EXPORT_FORMATS,
  type ExportFile,
  type ExportFormat,
} from './api/export-formats.js';
export * from './attest/index.js';
