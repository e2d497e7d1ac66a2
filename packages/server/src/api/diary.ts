import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { canonicalJson, CodedError } from '@dystrack/core';
import { diaryDataSchema, diaryInputSchema } from '@dystrack/core';
import type { Action } from '../authz.js';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { entryRevisions, type EntryKind } from '../db/schema.js';
import { errorBodySchema } from '../http/errors.js';
import { subjectOf } from '../http/security.js';
import { decodeCursor, encodeCursor } from '../recordings/cursor.js';
import type { ApiOptions } from './index.js';

/*
 * Patient-entered entries with history, shared by the diary, questionnaire responses, clinician-scale
 * totals and treatments (questionnaires.ts and treatments.ts use the machinery below).
 *
 * Every create, edit and delete appends a revision to `entry_revisions`; nothing is ever overwritten.
 * Reads answer the latest revision; `/history` answers all of them; a delete is a revision that marks
 * the entry deleted. Access: the route's subject (`patient: 'subject'`: the patient, or a clinician the
 * patient shares this kind with, by `?patient=`); an entry id of another patient answers 404 like an
 * unknown id, and the attempt is written to the owner's audit log as denied. A clinician the patient lets
 * add entries writes scale totals and treatments (`clinicianEntered`) and changes only those they entered.
 */

// The field helpers live in core, so that the browser checks forms with the same definitions;
// re-exported here for questionnaires.ts and treatments.ts.
export { distinctEnum, freeText, latestToday, pastDate } from '@dystrack/core';

/** The instant of a date (midnight UTC), for ordering and time ranges. */
export function dateInstant(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

// ---------------------------------------------------------------------------------------------
// storage

type RevisionRow = typeof entryRevisions.$inferSelect;

/** The latest revision of an entry, whoever owns it, or undefined. */
async function latestRevision(db: Db, entryId: string): Promise<RevisionRow | undefined> {
  const rows = await db
    .select()
    .from(entryRevisions)
    .where(eq(entryRevisions.entryId, entryId))
    .orderBy(desc(entryRevisions.revision))
    .limit(1);
  return rows[0];
}

/**
 * Appends a revision. Two writers that read the same latest revision both try the next number; one
 * wins, the other gets 409 `E_CONFLICT` (nothing is lost: it can reload and edit again).
 */
async function appendRevision(db: Db, values: typeof entryRevisions.$inferInsert): Promise<RevisionRow> {
  const rows = await db.insert(entryRevisions).values(values).onConflictDoNothing().returning();
  const row = rows[0];
  if (!row) {
    throw new CodedError(
      'E_CONFLICT',
      'This entry was changed by another request at the same time. Reload it and try again.',
    );
  }
  return row;
}

// the latest revision of each entry: no revision of the same entry above it
const isLatest = sql`not exists (select 1 from "entry_revisions" as "newer" where "newer"."patient_id" = "entry_revisions"."patient_id" and "newer"."entry_id" = "entry_revisions"."entry_id" and "newer"."revision" > "entry_revisions"."revision")`;

export interface ListOptions {
  from: Date | undefined;
  to: Date | undefined;
  limit: number;
  after: { at: Date; id: string } | undefined;
  filter: { field: string; value: string } | undefined;
}

/** The current (latest, not deleted) entries of a patient and kind, newest `at` first. */
export async function listCurrent(
  db: Db,
  patientId: string,
  kind: EntryKind,
  options: ListOptions,
): Promise<{ rows: RevisionRow[]; next: { at: Date; id: string } | null }> {
  const conditions: SQL[] = [
    eq(entryRevisions.patientId, patientId),
    eq(entryRevisions.kind, kind),
    eq(entryRevisions.deleted, false),
    isLatest,
  ];
  if (options.from) conditions.push(gte(entryRevisions.at, options.from));
  if (options.to) conditions.push(lt(entryRevisions.at, options.to));
  if (options.filter)
    conditions.push(sql`${entryRevisions.data} ->> ${options.filter.field} = ${options.filter.value}`);
  if (options.after) {
    const { at, id } = options.after;
    conditions.push(
      or(lt(entryRevisions.at, at), and(eq(entryRevisions.at, at), lt(entryRevisions.entryId, id)))!,
    );
  }
  const rows = await db
    .select()
    .from(entryRevisions)
    .where(and(...conditions))
    .orderBy(desc(entryRevisions.at), desc(entryRevisions.entryId))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > options.limit && last ? { at: last.at, id: last.entryId } : null };
}

/** Revision 1 of an entry (as created), whoever owns it, or undefined. */
async function firstRevision(db: Db, entryId: string): Promise<RevisionRow | undefined> {
  const rows = await db
    .select()
    .from(entryRevisions)
    .where(and(eq(entryRevisions.entryId, entryId), eq(entryRevisions.revision, 1)))
    .limit(1);
  return rows[0];
}

/** Every revision of an entry, oldest first. */
async function revisionsOf(db: Db, patientId: string, entryId: string): Promise<RevisionRow[]> {
  return db
    .select()
    .from(entryRevisions)
    .where(and(eq(entryRevisions.patientId, patientId), eq(entryRevisions.entryId, entryId)))
    .orderBy(entryRevisions.revision);
}

// ---------------------------------------------------------------------------------------------
// routes

/** What a kind of entry needs to get its routes. */
export interface EntryRoutesSpec<Input, Data> {
  kind: EntryKind;
  /** Collection path, e.g. `/api/v1/diary/entries`. */
  path: string;
  tag: string;
  /** What one entry is called in summaries, e.g. `diary entry`. */
  noun: string;
  /** Prefix of the audit actions: `<prefix>.read`, `.list`, `.create`, `.update`, `.delete`, `.history`. */
  auditPrefix: string;
  /** The authorization actions of reading and writing this kind (see ../authz.ts: what a share grants). */
  actions: { read: Action; write: Action };
  /** The body of create and edit (a strict zod object, validated at the boundary). */
  input: z.ZodType<Input>;
  /** The stored data, as answered. */
  data: z.ZodType<Data>;
  /** Documentation of the body. */
  inputDescription: string;
  /**
   * Turns a valid body into what is stored, with the time the entry is about.
   * @throws CodedError `E_VALIDATION` for what the schema cannot check
   */
  prepare(input: Input, config: ServerConfig): { at: Date; data: Data };
  /** A field of the data the list can be filtered by (`?field=value`). */
  filter?: { field: string; values: readonly [string, ...string[]]; description: string };
  /** Extra fields on the answers to create and edit (e.g. a crisis result), computed from the stored data. */
  extra?: {
    shape: z.ZodRawShape;
    compute(data: Data, config: ServerConfig): Record<string, unknown>;
    description: string;
  };
}

const idParams = z.object({ id: z.uuid() });
// Other headers pass through untouched (a strict or stripping object would drop the cookie).
const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .uuid()
    .optional()
    .describe("a UUID chosen by the client for this save; it becomes the entry's id"),
});
const listCursor = z.object({ t: z.iso.datetime(), id: z.uuid() });

/** The fields every current entry has around its data. */
function currentEntrySchema(data: z.ZodType) {
  return z.object({
    id: z.uuid(),
    revision: z.int().min(1).describe('1 for the entry as created, +1 for each edit'),
    at: z.iso.datetime().describe('the time the entry is about (UTC), used for ordering and time ranges'),
    revisedAt: z.iso.datetime().describe('when this revision was written'),
    revisedBy: z.uuid().describe('who wrote this revision'),
    clinicianEntered: z
      .boolean()
      .describe('whether this revision was written by a clinician the patient shares with (not the patient)'),
    data,
  });
}

function historySchema(data: z.ZodType) {
  return z.object({
    id: z.uuid(),
    revisions: z.array(
      z.object({
        revision: z.int().min(1),
        at: z.iso.datetime(),
        deleted: z.boolean().describe('true for the revision that deleted the entry (it has no data)'),
        revisedAt: z.iso.datetime(),
        revisedBy: z.uuid(),
        data: data.nullable(),
      }),
    ),
  });
}

function toCurrent(row: RevisionRow) {
  return {
    id: row.entryId,
    revision: row.revision,
    at: row.at.toISOString(),
    revisedAt: row.createdAt.toISOString(),
    revisedBy: row.createdBy,
    clinicianEntered: row.createdBy !== row.patientId,
    data: row.data,
  };
}

/**
 * The subject's entry of this kind, latest revision. Another patient's entry, an entry of another kind
 * and an unknown id all answer 404 `E_NOT_FOUND`; another patient's is also written to the owner's audit
 * log as denied. A deleted entry answers 404 with `details.deleted` (its history stays readable). To
 * change an entry (`write`), a clinician acting for the patient must have entered it: anything else is
 * 403 `E_FORBIDDEN`.
 */
async function loadOwn(
  request: FastifyRequest,
  db: Db,
  spec: { kind: EntryKind; actions: { read: Action; write: Action } },
  id: string,
  action: string,
  options: { allowDeleted?: boolean; write?: boolean } = {},
): Promise<RevisionRow> {
  const patientId = subjectOf(request);
  request.auditAs(action, id);
  const row = await latestRevision(db, id);
  if (!row || row.kind !== spec.kind) throw new CodedError('E_NOT_FOUND');
  if (row.patientId !== patientId) {
    request.audit({ action, patientId: row.patientId, resource: id, details: { denied: 'forbidden' } });
    throw new CodedError('E_NOT_FOUND');
  }
  if (options.write && request.user?.id !== patientId) {
    const created = await firstRevision(db, id);
    if (created?.createdBy !== request.user?.id) {
      request.auditAs(action, id, { denied: 'forbidden' });
      throw new CodedError(
        'E_FORBIDDEN',
        "A clinician can change only the entries they entered; this one is the patient's.",
      );
    }
  }
  if (row.deleted && !options.allowDeleted) {
    throw new CodedError('E_NOT_FOUND', 'This entry was deleted; its history is kept.', {
      deleted: true,
      deletedAt: row.createdAt.toISOString(),
    });
  }
  return row;
}

/**
 * Registers list, create, read, edit, delete and history routes for one kind of entry.
 * @param fastify - the app (or plugin scope)
 * @param options - the API options
 * @param spec - the kind of entry
 */
export function registerEntryRoutes<Input, Data>(
  fastify: FastifyInstance,
  options: ApiOptions,
  spec: EntryRoutesSpec<Input, Data>,
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const { kind, path, tag, noun, auditPrefix: prefix } = spec;
  const current = currentEntrySchema(spec.data);
  const written = spec.extra ? current.extend(spec.extra.shape).describe(spec.extra.description) : current;
  const history = historySchema(spec.data);
  const readAccess = { access: { action: spec.actions.read, patient: 'subject' as const } };
  const writeAccess = { access: { action: spec.actions.write, patient: 'subject' as const } };
  const writtenJson = (row: RevisionRow) => ({
    ...toCurrent(row),
    ...(spec.extra ? spec.extra.compute(row.data as Data, config) : {}),
  });
  const author = (request: FastifyRequest): string => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user.id;
  };

  const listQuery = z.strictObject({
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('only entries at or after this time (ISO 8601 with offset)'),
    to: z.iso.datetime({ offset: true }).optional().describe('only entries before this time'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(300).optional().describe('`nextCursor` of the previous page'),
    ...(spec.filter
      ? { [spec.filter.field]: z.enum(spec.filter.values).optional().describe(spec.filter.description) }
      : {}),
  });

  app.get(
    path,
    {
      config: readAccess,
      schema: {
        tags: [tag],
        summary: `The signed-in patient's current ${noun} entries, latest \`at\` first (deleted ones left out)`,
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(current), nextCursor: z.string().nullable() }),
          400: errorBodySchema.describe('E_VALIDATION'),
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const query = request.query as z.infer<typeof listQuery> & Record<string, unknown>;
      request.auditAs(`${prefix}.list`, null);
      const after = query.cursor ? decodeCursor(query.cursor, listCursor) : undefined;
      const from = query.from ? new Date(query.from) : undefined;
      const to = query.to ? new Date(query.to) : undefined;
      if (from && to && from > to) {
        throw new CodedError('E_VALIDATION', '`from` is after `to`.', {
          issues: [{ path: 'querystring.from', message: 'must not be after `to`' }],
        });
      }
      const filterValue = spec.filter ? query[spec.filter.field] : undefined;
      const page = await listCurrent(db, patientId, kind, {
        from,
        to,
        limit: query.limit,
        after: after ? { at: new Date(after.t), id: after.id } : undefined,
        filter:
          spec.filter && typeof filterValue === 'string'
            ? { field: spec.filter.field, value: filterValue }
            : undefined,
      });
      return {
        items: page.rows.map(toCurrent),
        nextCursor: page.next ? encodeCursor({ t: page.next.at.toISOString(), id: page.next.id }) : null,
      };
    },
  );

  app.post(
    path,
    {
      config: writeAccess,
      schema: {
        tags: [tag],
        summary: `Create a ${noun} (revision 1); idempotent with an \`Idempotency-Key\``,
        description:
          `${spec.inputDescription}\n\nWith the header \`Idempotency-Key: <uuid>\` (chosen by the client when the ` +
          "form opens) the key becomes the entry's id, so that a retried save cannot store twice: the same key " +
          'with the same body answers 200 with the entry as created (header `Idempotent-Replayed: true`); with ' +
          'another body, 409 E_CONFLICT.',
        headers: idempotencyHeaders,
        body: spec.input,
        response: {
          200: written.describe('a repeat of a save already stored (same key, same body)'),
          201: written,
          400: errorBodySchema.describe('E_VALIDATION (with `details.issues`)'),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
          409: errorBodySchema.describe('E_CONFLICT: the key was used for another body'),
        },
      },
    },
    async (request, reply) => {
      const patientId = subjectOf(request);
      const key = (request.headers as z.infer<typeof idempotencyHeaders>)['idempotency-key'];
      const id = key ?? randomUUID();
      request.auditAs(`${prefix}.create`, id);
      const prepared = spec.prepare(request.body as Input, config);
      const values = {
        patientId,
        entryId: id,
        revision: 1,
        kind,
        at: prepared.at,
        deleted: false,
        data: prepared.data,
        createdBy: author(request),
      };
      const inserted = key
        ? (await db.insert(entryRevisions).values(values).onConflictDoNothing().returning())[0]
        : await appendRevision(db, values);
      if (inserted) {
        reply.code(201).header('location', `${path}/${id}`);
        return writtenJson(inserted);
      }
      // The key is taken: a replay of the same save answers what the save answered.
      const created = await firstRevision(db, id);
      const same =
        created !== undefined &&
        created.patientId === patientId &&
        created.kind === kind &&
        created.at.getTime() === prepared.at.getTime() &&
        canonicalJson(created.data) === canonicalJson(prepared.data);
      if (!same) {
        throw new CodedError(
          'E_CONFLICT',
          'This Idempotency-Key was already used for another entry. Use a new key for a new entry.',
        );
      }
      request.auditAs(`${prefix}.create`, id, { replayed: true });
      reply.code(200).header('location', `${path}/${id}`).header('idempotent-replayed', 'true');
      return writtenJson(created);
    },
  );

  app.get(
    `${path}/:id`,
    {
      config: readAccess,
      schema: {
        tags: [tag],
        summary: `One ${noun}, latest revision`,
        params: idParams,
        response: {
          200: current,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema.describe(
            'E_NOT_FOUND: no such entry, not yours, or deleted (`details.deleted`)',
          ),
        },
      },
    },
    async (request) => toCurrent(await loadOwn(request, db, spec, request.params.id, `${prefix}.read`)),
  );

  app.put(
    `${path}/:id`,
    {
      config: writeAccess,
      schema: {
        tags: [tag],
        summary: `Edit a ${noun}: the whole entry again, stored as a new revision (the earlier ones are kept)`,
        description: spec.inputDescription,
        params: idParams,
        body: spec.input,
        response: {
          200: written,
          400: errorBodySchema.describe('E_VALIDATION (with `details.issues`)'),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
          404: errorBodySchema.describe('E_NOT_FOUND: no such entry, not yours, or deleted'),
          409: errorBodySchema.describe('E_CONFLICT: edited by another request at the same time'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const { id } = request.params;
      request.auditAs(`${prefix}.update`, id);
      const prepared = spec.prepare(request.body as Input, config);
      const latest = await loadOwn(request, db, spec, id, `${prefix}.update`, { write: true });
      const row = await appendRevision(db, {
        patientId,
        entryId: id,
        revision: latest.revision + 1,
        kind,
        at: prepared.at,
        deleted: false,
        data: prepared.data,
        createdBy: author(request),
      });
      request.auditAs(`${prefix}.update`, id, { revision: row.revision });
      return writtenJson(row);
    },
  );

  app.delete(
    `${path}/:id`,
    {
      config: writeAccess,
      schema: {
        tags: [tag],
        summary: `Delete a ${noun}: a revision that marks it deleted (the history is kept)`,
        description: 'Deleting a deleted entry changes nothing.',
        params: idParams,
        response: {
          204: z.null().describe('Deleted.'),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
          404: errorBodySchema.describe('E_NOT_FOUND: no such entry, or not yours'),
          409: errorBodySchema.describe('E_CONFLICT: edited by another request at the same time'),
        },
      },
    },
    async (request, reply) => {
      const patientId = subjectOf(request);
      const { id } = request.params;
      const latest = await loadOwn(request, db, spec, id, `${prefix}.delete`, {
        allowDeleted: true,
        write: true,
      });
      if (!latest.deleted) {
        const row = await appendRevision(db, {
          patientId,
          entryId: id,
          revision: latest.revision + 1,
          kind,
          at: latest.at,
          deleted: true,
          data: null,
          createdBy: author(request),
        });
        request.auditAs(`${prefix}.delete`, id, { revision: row.revision });
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${path}/:id/history`,
    {
      config: readAccess,
      schema: {
        tags: [tag],
        summary: `Every revision of a ${noun}, oldest first (deleted entries included)`,
        params: idParams,
        response: {
          200: history,
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema.describe('E_NOT_FOUND: no such entry, or not yours'),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const latest = await loadOwn(request, db, spec, id, `${prefix}.history`, { allowDeleted: true });
      const rows = await revisionsOf(db, latest.patientId, id);
      return {
        id,
        revisions: rows.map((row) => ({
          revision: row.revision,
          at: row.at.toISOString(),
          deleted: row.deleted,
          revisedAt: row.createdAt.toISOString(),
          revisedBy: row.createdBy,
          data: row.data,
        })),
      };
    },
  );
}

// ---------------------------------------------------------------------------------------------
// the diary

// The diary's vocabulary and schemas are core's (`@dystrack/core`, entries/diary.ts), shared with the
// browser; re-exported for the server's other modules and tests.
export {
  BODY_REGIONS,
  DIARY_NOTES_MAX,
  DIARY_SYMPTOMS,
  DIARY_TASKS,
  diaryDataSchema,
  diaryInputSchema,
  type DiaryInput,
} from '@dystrack/core';

/** Diary entries: symptoms per task, context, body map and notes, edited with history. */
export async function diaryRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  registerEntryRoutes(fastify, options, {
    kind: 'diary',
    path: '/api/v1/diary/entries',
    tag: 'diary',
    noun: 'diary entry',
    auditPrefix: 'diary',
    actions: { read: 'diary.read', write: 'diary.write' },
    input: diaryInputSchema,
    data: diaryDataSchema,
    inputDescription:
      'Only `at` is required. Severity 0–10 per task (writing, typing, instrument, toolUse), symptoms, pain 0–10, ' +
      'context (stress, fatigue, anxiety 0–10; practice and sleep hours; caffeine and alcohol drinks; cold), body map ' +
      'per side, notes. Unknown fields answer 400 E_VALIDATION.',
    prepare: (input) => ({ at: new Date(input.at), data: input }),
  });
}
