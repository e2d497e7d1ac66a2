import type { FastifyInstance } from 'fastify';
import type { SchemaRegistry } from '@dystrack/core';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { healthRoutes } from './health.js';
import { accountRoutes } from './account.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { passkeyRoutes } from './passkeys.js';
import { profileRoutes } from './profile.js';
import { sessionRoutes } from './session.js';
import { recordingRoutes } from './recordings.js';
import { auditRoutes } from './audit.js';
import { metricsRoutes } from './metrics.js';
import { diaryRoutes } from './diary.js';
import { questionnaireRoutes } from './questionnaires.js';
import { treatmentRoutes } from './treatments.js';
import { scheduleRoutes } from './schedule.js';
import { pushRoutes } from './push.js';
import { exportRoutes } from './export.js';
import { exportFormatRoutes } from './export-formats.js';
import { handoverRoutes } from './handover.js';
import { reportRoutes } from './reports.js';
import { attestRoutes } from './attest.js';
import { studyRoutes } from './studies.js';
import { sharingRoutes } from './sharing.js';
import { installMetricsJob } from '../metrics/hooks.js';

/** What every API module gets. */
export interface ApiOptions {
  db: Db;
  config: ServerConfig;
  schemas: SchemaRegistry;
  databaseKind: 'pglite' | 'postgres';
  secureCookies: boolean;
}

/** Registers every API module. */
export async function registerApi(app: FastifyInstance, options: ApiOptions): Promise<void> {
  // before the routes: its onResponse hook queues each stored upload for the metrics job
  installMetricsJob(app, options.db);
  await app.register(healthRoutes, options);
  await app.register(sessionRoutes, options);
  await app.register(authRoutes, options);
  await app.register(passkeyRoutes, options);
  await app.register(accountRoutes, options);
  await app.register(adminRoutes, options);
  await app.register(profileRoutes, options);
  await app.register(recordingRoutes, options);
  await app.register(auditRoutes, options);
  await app.register(metricsRoutes, options);
  await app.register(diaryRoutes, options);
  await app.register(questionnaireRoutes, options);
  await app.register(treatmentRoutes, options);
  await app.register(pushRoutes, options);
  await app.register(scheduleRoutes, options);
  await app.register(exportRoutes, options);
  await app.register(exportFormatRoutes, options);
  await app.register(handoverRoutes, options);
  await app.register(reportRoutes, options);
  await app.register(attestRoutes, options);
  await app.register(studyRoutes, options);
  await app.register(sharingRoutes, options);
}
