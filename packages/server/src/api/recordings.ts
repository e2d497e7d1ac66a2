import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodedError, type SchemaRegistry } from '@dystrack/core';
import type { Action } from '../authz.js';
import { decodeCursor, encodeCursor } from '../recordings/cursor.js';
import { prepareRecording } from '../recordings/prepare.js';
import {
  eraseRecording,
  findRecording,
  listRecordings,
  loadContent,
  storeRecording,
} from '../recordings/store.js';
import { recordingSummarySchema, toSummary } from '../recordings/summary.js';
import { errorBodySchema } from '../http/errors.js';
import { subjectOf } from '../http/security.js';
import type { ApiOptions } from './index.js';

const idParams = z.object({ id: z.uuid() });

const listCursor = z.object({ t: z.string().regex(/^-?\d{1,19}$/), id: z.uuid() });

/** Every published schema version, for the documentation of the upload body. */
function documentedRecording(schemas: SchemaRegistry): z.ZodType {
  const versions = Object.keys(schemas.versions)
    .map(Number)
    .sort((a, b) => a - b)
    .map((version) => schemas.versions[version]!.schema);
  if (versions.length === 1) return versions[0]!;
  return z.union(versions as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** A route validator compiler that lets the body through unchecked (the handler validates it) and checks the other parts with zod. */
function bodyValidatedInHandler(route: {
  schema: unknown;
  httpPart?: string | undefined;
  method: string;
  url: string;
}) {
  if (route.httpPart === 'body') return (data: unknown) => ({ value: data });
  return validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
}

/**
 * Authorizes an action on a recording of `patientId`. Someone who may not see it gets the same 404
 * as for an id that does not exist, so that ids of other patients' recordings cannot be probed; the
 * attempt is still written to the owner's audit log (as denied).
 */
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
 * Recordings: upload (idempotent, immutable), list, read as stored, erase.
 *
 * Access: a patient uploads, lists, reads and erases their own recordings. Anyone else asking for a
 * recording by id gets 404 `E_NOT_FOUND`, the same as for an unknown id (the attempt is audited).
 */
export async function recordingRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, schemas } = options;
  const recordingDoc = documentedRecording(schemas);

  app.post(
    '/api/v1/recordings',
    {
      config: { access: { action: 'recording.create', patient: 'subject' } },
      // the answer is a summary of a few hundred bytes: no response compression hooks (request bodies
      // are still decompressed, see @fastify/compress `decompress`)
      compress: false,
      // The body is validated in the handler by core's parseTaskRecording, which picks the schema of the
      // recording's own version and answers E_SCHEMA_VERSION / E_RECORDING_INVALID; the schema here is
      // for the documentation only.
      validatorCompiler: bodyValidatedInHandler,
      schema: {
        tags: ['recordings'],
        summary: 'Store a recording (idempotent on its id; stored recordings never change)',
        description:
          'The body is a recording of any published schema version (gzip, deflate or br `content-encoding` accepted). ' +
          'It is validated against the schema of its own `schemaVersion` and its task, and stored as sent: the canonical ' +
          'JSON (RFC 8785) with its SHA-256. A new id gives 201; the same id with the same content gives 200 and the stored ' +
          'summary; the same id with other content (or an id taken by someone else) gives 409 `E_RECORDING_CONFLICT`; an id ' +
          'whose recording its owner erased gives 410 `E_RECORDING_ERASED`.',
        body: recordingDoc,
        response: {
          200: recordingSummarySchema.describe('This recording was already stored (same id, same content).'),
          201: recordingSummarySchema.describe('Stored.'),
          400: errorBodySchema.describe(
            'E_JSON_MALFORMED, E_SCHEMA_VERSION, E_RECORDING_INVALID, E_BAD_CONTENT_ENCODING',
          ),
          401: errorBodySchema,
          403: errorBodySchema,
          409: errorBodySchema.describe('E_RECORDING_CONFLICT'),
          410: errorBodySchema.describe('E_RECORDING_ERASED'),
          413: errorBodySchema.describe('E_BODY_TOO_LARGE (counted after decompression)'),
          415: errorBodySchema.describe('E_UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    async (request, reply) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      const prepared = prepareRecording(request.body, schemas);
      request.auditAs('recording.create', prepared.id);
      const outcome = await storeRecording(db, prepared, {
        patientId: subjectOf(request),
        uploadedBy: user.id,
      });
      if (outcome.created) reply.code(201).header('location', `/api/v1/recordings/${prepared.id}`);
      return toSummary(outcome.row);
    },
  );

  app.get(
    '/api/v1/recordings',
    {
      config: { access: { action: 'recording.list', patient: 'subject' } },
      schema: {
        tags: ['recordings'],
        summary: "The signed-in patient's recordings, newest first (summaries; erased ones included)",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
        }),
        response: {
          200: z.object({ items: z.array(recordingSummarySchema), nextCursor: z.string().nullable() }),
          400: errorBodySchema,
          401: errorBodySchema,
        },
      },
    },
    async (request) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, listCursor) : undefined;
      const page = await listRecordings(db, subjectOf(request), {
        limit,
        after: after ? { startedAtUs: BigInt(after.t), id: after.id } : undefined,
      });
      return {
        items: page.rows.map(toSummary),
        nextCursor: page.next
          ? encodeCursor({ t: page.next.startedAtUs.toString(), id: page.next.id })
          : null,
      };
    },
  );

  app.get(
    '/api/v1/recordings/:id',
    {
      config: { access: { action: 'recording.read', patient: 'resource' } },
      schema: {
        tags: ['recordings'],
        summary: 'One recording as stored, with its summary',
        description:
          '`recording` is the stored canonical JSON text itself (RFC 8785), embedded byte for byte: its SHA-256 is `summary.sha256`. ' +
          'It is at the schema version it was made with (`summary.schemaVersion`). Only the owner can read it; for anyone ' +
          'else the answer is 404, the same as for an unknown id.',
        params: idParams,
        response: {
          200: z.object({ summary: recordingSummarySchema, recording: recordingDoc }),
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema.describe('E_NOT_FOUND: no such recording, or not yours'),
          410: errorBodySchema.describe('E_RECORDING_ERASED'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const user = request.user;
      if (!user) return request.authorize('recording.read', null, id);
      const row = await findRecording(db, id, user.id);
      if (!row) throw new CodedError('E_NOT_FOUND');
      authorizeOrHide(request, 'recording.read', row.patientId, id);
      const content = row.erasedAt ? null : await loadContent(db, row.patientId, id);
      if (content === null)
        throw new CodedError('E_RECORDING_ERASED', undefined, {
          erasedAt: row.erasedAt?.toISOString() ?? null,
        });
      // the stored text goes out unchanged (no parse and re-serialisation of up to ~50 MB)
      const text = `{"summary":${JSON.stringify(toSummary(row))},"recording":${content}}`;
      return reply.type('application/json; charset=utf-8').send(text as never);
    },
  );

  app.delete(
    '/api/v1/recordings/:id',
    {
      config: { access: { action: 'recording.erase', patient: 'resource' } },
      schema: {
        tags: ['recordings'],
        summary: 'Erase a recording (owner only)',
        description:
          'Clears the stored content for good and sets `erasedAt`; the summary and the id stay (uploading the id again gives 410). ' +
          'Erasing an erased recording changes nothing.',
        params: idParams,
        response: {
          204: z.null().describe('Erased.'),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema.describe('E_NOT_FOUND: no such recording, or not yours'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const user = request.user;
      if (!user) return request.authorize('recording.erase', null, id);
      const row = await findRecording(db, id, user.id);
      if (!row) throw new CodedError('E_NOT_FOUND');
      if (row.patientId !== user.id) {
        // erasure stays with the owner, whatever sharing may later allow others to read
        request.audit({
          action: 'recording.erase',
          patientId: row.patientId,
          resource: id,
          details: { denied: 'forbidden' },
        });
        throw new CodedError('E_NOT_FOUND');
      }
      request.authorize('recording.erase', row.patientId, id);
      await eraseRecording(db, row.patientId, id);
      return reply.code(204).send(null);
    },
  );
}
