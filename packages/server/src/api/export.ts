import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import {
  ENTRY_KINDS,
  entryRevisions,
  metricValues,
  profiles,
  recordings,
  schedules,
  users,
  type EntryKind,
} from '../db/schema.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

/*
 * The patient's own data in one JSON file ("Download my data"): account, profile, every diary entry,
 * questionnaire response, clinician-scale total and treatment WITH every revision (edits and deletions
 * included), every saved version of the routine, the recordings' descriptions with their content hashes,
 * and the computed metric values. A recording's raw content is not repeated here: each one is downloaded
 * as stored from `/api/v1/recordings/<id>` (the file names it), and its `sha256` checks it.
 */

/** The format of the file; a change of its shape raises the version. */
export const EXPORT_FORMAT = 'dystrack-export';
export const EXPORT_FORMAT_VERSION = 1;

const revisionSchema = z.object({
  revision: z.int(),
  at: z.iso.datetime(),
  deleted: z.boolean(),
  data: z.unknown(),
  revisedAt: z.iso.datetime(),
  revisedBy: z.uuid(),
});

const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  exportedAt: z.iso.datetime(),
  account: z.object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    createdAt: z.iso.datetime(),
  }),
  profile: z.record(z.string(), z.unknown()).nullable(),
  entries: z
    .object(
      Object.fromEntries(
        ENTRY_KINDS.map((kind) => [
          kind,
          z.array(z.object({ id: z.uuid(), revisions: z.array(revisionSchema) })),
        ]),
      ) as Record<
        EntryKind,
        z.ZodArray<z.ZodObject<{ id: z.ZodUUID; revisions: z.ZodArray<typeof revisionSchema> }>>
      >,
    )
    .describe('by kind; each entry with all its revisions, oldest first (a deletion is a revision)'),
  schedules: z.array(z.object({ version: z.int(), data: z.unknown(), createdAt: z.iso.datetime() })),
  recordings: z.array(
    z.object({
      id: z.uuid(),
      taskId: z.string(),
      taskVersion: z.string(),
      schemaVersion: z.int(),
      hand: z.string(),
      startedAt: z.iso.datetime(),
      durationMs: z.int(),
      flags: z.array(z.string()),
      sha256: z.string(),
      byteLength: z.int(),
      receivedAt: z.iso.datetime(),
      erasedAt: z.iso.datetime().nullable(),
      content: z
        .string()
        .nullable()
        .describe('where the raw recording is downloaded as stored (null once erased)'),
    }),
  ),
  metrics: z.array(
    z.object({
      recordingId: z.uuid(),
      metricId: z.string(),
      analysisVersion: z.string(),
      metricVersion: z.string(),
      value: z.number().nullable(),
      flags: z.array(z.string()),
    }),
  ),
});

export type DataExport = z.infer<typeof exportSchema>;

/**
 * Everything the patient `patientId` has stored, in the export's shape.
 * @param db - the database
 * @param patientId - whose data
 * @param now - the export's time
 */
export async function buildExport(db: Db, patientId: string, now = new Date()): Promise<DataExport> {
  const [user] = await db.select().from(users).where(eq(users.id, patientId));
  if (!user) throw new CodedError('E_NOT_FOUND');
  const [profile] = await db.select().from(profiles).where(eq(profiles.patientId, patientId));
  const revisions = await db
    .select()
    .from(entryRevisions)
    .where(eq(entryRevisions.patientId, patientId))
    .orderBy(asc(entryRevisions.at), asc(entryRevisions.entryId), asc(entryRevisions.revision));
  const entries = Object.fromEntries(
    ENTRY_KINDS.map((kind) => [kind, [] as DataExport['entries'][EntryKind]]),
  );
  const byId = new Map<string, DataExport['entries'][EntryKind][number]>();
  for (const row of revisions) {
    let entry = byId.get(row.entryId);
    if (!entry) {
      entry = { id: row.entryId, revisions: [] };
      byId.set(row.entryId, entry);
      entries[row.kind]!.push(entry);
    }
    entry.revisions.push({
      revision: row.revision,
      at: row.at.toISOString(),
      deleted: row.deleted,
      data: row.data,
      revisedAt: row.createdAt.toISOString(),
      revisedBy: row.createdBy,
    });
  }
  for (const entry of byId.values()) entry.revisions.sort((a, b) => a.revision - b.revision);
  const scheduleRows = await db
    .select()
    .from(schedules)
    .where(eq(schedules.patientId, patientId))
    .orderBy(asc(schedules.version));
  const recordingRows = await db
    .select({
      id: recordings.id,
      taskId: recordings.taskId,
      taskVersion: recordings.taskVersion,
      schemaVersion: recordings.schemaVersion,
      hand: recordings.hand,
      startedAt: recordings.startedAt,
      durationMs: recordings.durationMs,
      flags: recordings.flags,
      sha256: recordings.sha256,
      byteLength: recordings.byteLength,
      receivedAt: recordings.receivedAt,
      erasedAt: recordings.erasedAt,
    })
    .from(recordings)
    .where(eq(recordings.patientId, patientId))
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  const metricRows = await db
    .select()
    .from(metricValues)
    .where(eq(metricValues.patientId, patientId))
    .orderBy(asc(metricValues.recordingId), asc(metricValues.metricId), asc(metricValues.analysisVersion));
  let profileOut: Record<string, unknown> | null = null;
  if (profile) {
    const { patientId: _owner, ...rest } = profile;
    profileOut = Object.fromEntries(
      Object.entries(rest).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
    );
  }
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    account: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      createdAt: user.createdAt.toISOString(),
    },
    profile: profileOut,
    entries: entries as DataExport['entries'],
    schedules: scheduleRows.map((row) => ({
      version: row.version,
      data: row.data,
      createdAt: row.createdAt.toISOString(),
    })),
    recordings: recordingRows.map((row) => ({
      ...row,
      startedAt: row.startedAt.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
      erasedAt: row.erasedAt ? row.erasedAt.toISOString() : null,
      content: row.erasedAt ? null : `/api/v1/recordings/${row.id}`,
    })),
    metrics: metricRows.map((row) => ({
      recordingId: row.recordingId,
      metricId: row.metricId,
      analysisVersion: row.analysisVersion,
      metricVersion: row.metricVersion,
      value: row.value,
      flags: row.flags,
    })),
  };
}

/** `GET /api/v1/export`: the signed-in patient's data as one JSON file. */
export async function exportRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;
  const signedIn = (request: FastifyRequest) => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user;
  };

  app.get(
    '/api/v1/export',
    {
      config: { access: { action: 'data.export', patient: 'subject' } },
      schema: {
        tags: ['account'],
        summary: "Download the signed-in patient's data as one JSON file",
        description:
          'Account, profile, every diary entry, questionnaire response, clinician-scale total and treatment with all ' +
          'their revisions, every version of the routine, the recordings (description, content hash and where to ' +
          'download each one as stored) and the computed metric values. Answered as an attachment.',
        response: {
          200: exportSchema,
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async (request, reply) => {
      const user = signedIn(request);
      const body = await buildExport(db, user.id);
      const day = body.exportedAt.slice(0, 10);
      reply
        .header('content-disposition', `attachment; filename="dystrack-export-${day}.json"`)
        .header('cache-control', 'no-store');
      return body;
    },
  );
}
