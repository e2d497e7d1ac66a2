import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CodedError,
  TASK_IDS,
  computeChange,
  excludesFromTrend,
  type MetricDefinition,
  type TaskId,
} from '@dystrack/core';
import type { Action } from '../authz.js';
import { errorBodySchema } from '../http/errors.js';
import { subjectOf } from '../http/security.js';
import { asTaskId } from '../metrics/analyzer.js';
import { metricsJobFor } from '../metrics/job.js';
import {
  overviewSchema,
  recordingMetricsSchema,
  seriesSchema,
  toChange,
  toDefinition,
} from '../metrics/schemas.js';
import { loadOverview, loadRecordingMetrics, loadSeries } from '../metrics/store.js';
import { findRecording } from '../recordings/store.js';
import type { ApiOptions } from './index.js';

/** The same 404 for a recording that does not exist and one the caller may not see (as in recordings.ts). */
function authorizeOrHide(request: FastifyRequest, action: Action, patientId: string, id: string): void {
  try {
    request.authorize(action, patientId, id);
  } catch (error) {
    if (error instanceof CodedError && (error.code === 'E_FORBIDDEN' || error.code === 'E_NOT_APPROVED')) {
      throw new CodedError('E_NOT_FOUND');
    }
    throw error;
  }
}

/**
 * Stored metrics: the values the server computed from a recording (`GET /api/v1/recordings/:id/metrics`),
 * a metric's series with the change statistics of core's change module
 * (`GET /api/v1/metrics/:metricId/series`), and which metrics have values at all (`GET /api/v1/metrics/overview`).
 *
 * Access: as for recordings, only the owner; anyone else asking for a recording's metrics gets the same
 * 404 as for an unknown id (the attempt is audited). The series is always the caller's own.
 */
export async function metricsRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;
  const analyzer = () => metricsJobFor(db).analyzer;

  app.get(
    '/api/v1/recordings/:id/metrics',
    {
      config: { access: { action: 'recording.read', patient: 'resource' } },
      schema: {
        tags: ['metrics'],
        summary: "A recording's metrics, as computed by the server for the current analysis version",
        description:
          'The server analyses every stored recording after the upload has been answered, usually within seconds: until ' +
          'then `status` is `pending` and `metrics` empty. `failed` says why the analysis refused the recording ' +
          '(e.g. `E_TOO_FEW_EVENTS`). Values are null when a metric cannot be computed from this recording. Only the ' +
          'owner can read them; for anyone else the answer is 404, the same as for an unknown id.',
        params: z.object({ id: z.uuid() }),
        response: {
          200: recordingMetricsSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema.describe('E_NOT_FOUND: no such recording, or not yours'),
          410: errorBodySchema.describe('E_RECORDING_ERASED'),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const user = request.user;
      if (!user) {
        request.authorize('recording.read', null, id);
        throw new CodedError('E_UNAUTHENTICATED');
      }
      const row = await findRecording(db, id, user.id);
      if (!row) throw new CodedError('E_NOT_FOUND');
      authorizeOrHide(request, 'recording.read', row.patientId, id);
      if (row.erasedAt)
        throw new CodedError('E_RECORDING_ERASED', undefined, { erasedAt: row.erasedAt.toISOString() });
      const { version, definitions } = analyzer();
      const stored = await loadRecordingMetrics(db, { patientId: row.patientId, recordingId: id }, version);
      const catalogue = new Map<string, MetricDefinition>(
        (TASK_IDS as readonly string[]).includes(row.taskId)
          ? definitions(asTaskId(row.taskId)).map((d) => [d.id, d])
          : [],
      );
      return {
        recordingId: id,
        taskId: row.taskId,
        hand: row.hand,
        analysisVersion: version,
        status: stored.run?.status ?? ('pending' as const),
        error:
          stored.run?.status === 'failed'
            ? { code: stored.run.errorCode ?? 'E_INTERNAL', message: stored.run.errorMessage ?? '' }
            : null,
        computedAt: stored.run?.computedAt.toISOString() ?? null,
        flags: stored.values[0]?.flags ?? [],
        metrics: stored.values.map((v) => {
          const definition = catalogue.get(v.metricId);
          return {
            id: v.metricId,
            value: v.value,
            metricVersion: v.metricVersion,
            definition: definition ? toDefinition(definition) : null,
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/metrics/overview',
    {
      config: { access: { action: 'recording.list', patient: 'subject' } },
      schema: {
        tags: ['metrics'],
        summary: 'Which metrics of which tasks and hands the signed-in patient has values of',
        description:
          'One item per task, metric and hand with at least one stored value of the current analysis version: how ' +
          'many sessions, the first and the latest, and the metric definition. A trends view offers only these; ' +
          'each item can be fetched with `GET /api/v1/metrics/:metricId/series?task=…&hand=…`.',
        response: { 200: overviewSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      request.auditAs('recording.list', 'metrics:overview');
      const { version, definitions } = analyzer();
      const rows = await loadOverview(db, { patientId: subjectOf(request), analysisVersion: version });
      const catalogue = new Map<string, MetricDefinition>();
      for (const task of TASK_IDS) for (const d of definitions(task)) catalogue.set(`${task}/${d.id}`, d);
      return {
        analysisVersion: version,
        items: rows.map((row) => {
          const definition = catalogue.get(`${row.taskId}/${row.metricId}`);
          return {
            task: row.taskId,
            metricId: row.metricId,
            hand: row.hand,
            sessions: row.sessions,
            first: row.first.toISOString(),
            last: row.last.toISOString(),
            metric: definition ? toDefinition(definition) : null,
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/metrics/:metricId/series',
    {
      config: { access: { action: 'recording.list', patient: 'subject' } },
      schema: {
        tags: ['metrics'],
        summary: "The signed-in patient's values of one metric for one hand, with the change statistics",
        description:
          'Every stored recording of the task and hand with its value of the metric (current analysis version), oldest ' +
          'first, and the latest session that has a value and no excluding quality flag compared with the baseline: the ' +
          'mean of the first sessions on the same device ' +
          'and browser (log scale for variability and amplitude measures; flagged sessions left out), with the smallest ' +
          'detectable change SDC95 = t(0.975, n − 1)·√(1 + 1/n)·S_w from at least 3 baseline sessions, or the published ' +
          'minimal detectable change where one exists (measures.md 10.3). `task` is needed only when the metric id ' +
          'exists in several tasks (e.g. `tremor_peak_frequency_hz`).',
        params: z.object({
          metricId: z
            .string()
            .regex(/^[a-z][a-z0-9_]*$/)
            .max(100),
        }),
        querystring: z.object({
          hand: z.enum(['left', 'right', 'both']),
          task: z.enum(TASK_IDS).optional(),
        }),
        response: {
          200: seriesSchema,
          400: errorBodySchema.describe(
            'E_VALIDATION; E_BAD_REQUEST when the metric exists in several tasks and `task` is missing',
          ),
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema.describe('E_NOT_FOUND: no such metric (in this task)'),
        },
      },
    },
    async (request) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      const { metricId } = request.params;
      const { hand, task } = request.query;
      const { version, definitions } = analyzer();
      const tasks: readonly TaskId[] = task ? [task] : TASK_IDS;
      const found = tasks.flatMap((t) => definitions(t).filter((d) => d.id === metricId));
      if (found.length === 0)
        throw new CodedError(
          'E_NOT_FOUND',
          `There is no metric ${metricId}${task ? ` in the ${task} task` : ''}.`,
          {
            metricId,
          },
        );
      if (found.length > 1)
        throw new CodedError(
          'E_BAD_REQUEST',
          `The metric ${metricId} exists in several tasks: give the task.`,
          {
            metricId,
            tasks: found.map((d) => d.task),
          },
        );
      const definition = found[0]!;
      request.auditAs('recording.list', `metric:${definition.task}/${metricId}/${hand}`);

      const rows = await loadSeries(db, {
        patientId: subjectOf(request),
        taskId: definition.task,
        metricId,
        hand,
        analysisVersion: version,
      });
      let segment = 0;
      const points = rows.map((row, i) => {
        if (i > 0 && row.setupKey !== rows[i - 1]!.setupKey) segment++;
        return {
          recordingId: row.recordingId,
          startedAt: row.startedAt.toISOString(),
          value: row.value,
          flags: row.flags,
          excluded: row.flags.some((flag) => excludesFromTrend(flag, definition.task)),
          segment,
          setupKey: row.setupKey,
        };
      });
      const sessions = rows.map((row) => ({
        id: row.recordingId,
        time: row.startedAt.getTime(),
        value: row.value,
        flags: row.flags,
        setupKey: row.setupKey,
      }));
      // the session judged: the latest with a value and no excluding flag (an aborted last attempt does
      // not hide the change of the session before it)
      const judged = sessions.findLast((s, i) => s.value !== null && !points[i]!.excluded) ?? sessions.at(-1);
      const change = computeChange(definition, sessions, judged ? { current: judged } : {});
      return {
        metric: toDefinition(definition),
        hand,
        analysisVersion: version,
        points,
        change: toChange(change),
      };
    },
  );
}
