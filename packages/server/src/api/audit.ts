import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import { auditLog, users } from '../db/schema.js';
import { errorBodySchema } from '../http/errors.js';
import { decodeCursor, encodeCursor } from '../recordings/cursor.js';
import type { ApiOptions } from './index.js';

const auditItemSchema = z.object({
  id: z.string().describe('Position in the log (increasing)'),
  at: z.iso.datetime(),
  actor: z
    .object({
      id: z.uuid(),
      role: z.string().nullable().describe('The role the actor had at the time'),
      displayName: z.string().nullable().describe('null when the account no longer exists'),
    })
    .nullable()
    .describe('Who did it; null for someone not signed in'),
  action: z.string().describe('What was done, e.g. recording.read'),
  resource: z.string().nullable().describe('Which item, e.g. a recording id'),
  method: z.string(),
  route: z.string(),
  status: z.number().int().describe('HTTP status of the answer (403/404 for refused attempts)'),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.unknown().nullable(),
});

const auditCursor = z.object({ id: z.string().regex(/^\d{1,19}$/) });

/** The signed-in patient's audit log: who read or changed their data, what, when and from where. */
export async function auditRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;

  app.get(
    '/api/v1/audit',
    {
      config: { access: { action: 'audit.read', patient: 'subject' } },
      schema: {
        tags: ['audit'],
        summary: "Who read or changed the signed-in patient's data, newest first",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
        }),
        response: {
          200: z.object({ items: z.array(auditItemSchema), nextCursor: z.string().nullable() }),
          400: errorBodySchema,
          401: errorBodySchema,
        },
      },
    },
    async (request) => {
      const user = request.user;
      if (!user) throw new CodedError('E_UNAUTHENTICATED');
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, auditCursor) : undefined;
      // keyset on the id: a total order, unlike `at`, which two rows can share
      const rows = await db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorId: auditLog.actorId,
          actorRole: auditLog.actorRole,
          actorName: users.displayName,
          action: auditLog.action,
          resource: auditLog.resource,
          method: auditLog.method,
          route: auditLog.route,
          status: auditLog.status,
          ip: auditLog.ip,
          userAgent: auditLog.userAgent,
          details: auditLog.details,
        })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(and(eq(auditLog.patientId, user.id), after ? lt(auditLog.id, Number(after.id)) : undefined))
        .orderBy(desc(auditLog.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((row) => ({
          id: String(row.id),
          at: row.at.toISOString(),
          actor: row.actorId ? { id: row.actorId, role: row.actorRole, displayName: row.actorName } : null,
          action: row.action,
          resource: row.resource,
          method: row.method,
          route: row.route,
          status: row.status,
          ip: row.ip,
          userAgent: row.userAgent,
          details: row.details ?? null,
        })),
        nextCursor: rows.length > limit ? encodeCursor({ id: String(page.at(-1)!.id) }) : null,
      };
    },
  );
}
