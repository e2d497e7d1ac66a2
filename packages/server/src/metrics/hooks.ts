import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { detachMetricsJob, metricsJobFor, type MetricsJob } from './job.js';

/** The upload route whose 201 answers queue a recording. */
const UPLOAD_ROUTE = '/api/v1/recordings';

/** A request within this many ms means the server is busy serving requests. */
const BUSY_WINDOW_MS = 100;

/**
 * Connects the metrics job to the app (install it in the context that registers the recording routes):
 * - after a 201 answer of `POST /api/v1/recordings` has been sent (`onResponse`), the new recording is
 *   queued — its owner and id from the request's `recording.create` audit entry;
 * - when the app is ready, every stored recording without metrics of the current analysis version is
 *   queued (nothing is missed after a crash or an upgrade);
 * - when the app closes, the job stops and the recording being analysed is finished first.
 * @returns the job
 */
export function installMetricsJob(app: FastifyInstance, db: Db): MetricsJob {
  const job = metricsJobFor(db, { log: app.log });
  // the server is busy while requests arrive: the analysis then gives way to them (a burst of uploads
  // is answered first and analysed as it goes)
  let lastRequestAt = Number.NEGATIVE_INFINITY;
  app.addHook('onRequest', (_request, _reply, done) => {
    lastRequestAt = performance.now();
    done();
  });
  job.yieldTo(() => performance.now() - lastRequestAt < BUSY_WINDOW_MS);
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 201 || request.method !== 'POST' || request.routeOptions.url !== UPLOAD_ROUTE)
      return;
    const entry = request.auditEntries?.find((e) => e.action === 'recording.create' && e.resource);
    if (entry?.patientId && entry.resource)
      job.enqueue({ patientId: entry.patientId, recordingId: entry.resource });
  });
  app.addHook('onReady', async () => {
    try {
      await job.queueMissing();
    } catch (error) {
      // the server still starts; the next start looks again
      app.log.error({ err: error }, 'could not look for recordings without metrics');
    }
  });
  app.addHook('onClose', async () => {
    await job.close();
    detachMetricsJob(job);
  });
  return job;
}
