import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError, TASK_IDS, TASK_RECORDING_SPECS, type TaskId } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { HANDS, handoverTokens } from '../db/schema.js';
import { cookieOptions } from '../http/security.js';
import {
  SESSION_COOKIE,
  createSession,
  deleteSession,
  hashToken,
  newToken,
  toAuthUser,
} from '../auth/sessions.js';
import { findUserById } from '../auth/users.js';
import { addressRateLimit } from './auth.js';
import type { ApiOptions } from './index.js';
import { errorResponse, userSchema } from './session.js';

/** How long a hand-over code stays valid (the database refuses longer). */
export const HANDOVER_MINUTES = 5;
/** Lifetime of the recording-only session a phone gets, in hours. */
export const HANDOVER_SESSION_HOURS = 4;
/** Used, expired and cancelled codes are deleted this long after they expired. */
const KEEP_MS = 24 * 3600_000;

type Hand = (typeof HANDS)[number];

/** Why a code cannot be used. */
export type HandoverRefusal = 'unknown' | 'used' | 'expired' | 'cancelled';

/** The state of a code as the desk sees it. */
export type HandoverState = 'waiting' | 'connected' | 'expired' | 'cancelled';

const REFUSAL_MESSAGES: Record<HandoverRefusal, string> = {
  unknown: 'This code is not valid. Ask for a new code on your computer.',
  used: 'This code has already been used. Each code works once: ask for a new code on your computer.',
  expired: `This code has expired (codes work for ${HANDOVER_MINUTES} minutes). Ask for a new code on your computer.`,
  cancelled: 'This code was cancelled on the computer. Ask for a new code there.',
};

/**
 * Issues a hand-over code for a patient: earlier unused codes of the patient stop working. Only the
 * token's SHA-256 is stored.
 * @param db - the database
 * @param patientId - whose recordings the phone will make
 * @param what - the task and hand the phone opens (null: the task list)
 * @param now - the current time
 */
export async function issueHandover(
  db: Db,
  patientId: string,
  what: { task: TaskId | null; hand: Hand | null },
  now: Date,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newToken();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + HANDOVER_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.delete(handoverTokens).where(lt(handoverTokens.expiresAt, new Date(now.getTime() - KEEP_MS)));
    await tx
      .update(handoverTokens)
      .set({ cancelledAt: now })
      .where(
        and(
          eq(handoverTokens.patientId, patientId),
          isNull(handoverTokens.usedAt),
          isNull(handoverTokens.cancelledAt),
        ),
      );
    await tx.insert(handoverTokens).values({
      patientId,
      id,
      tokenHash: hashToken(token),
      task: what.task,
      hand: what.hand,
      createdAt: now,
      expiresAt,
    });
  });
  return { id, token, expiresAt };
}

/**
 * Uses up a hand-over code, atomically: of two redeems at the same moment only one succeeds.
 * @param db - the database or a transaction
 * @param token - the token from the QR code's URL
 * @param now - the current time
 * @returns the code's row, or why it cannot be used (with its patient when the code is known)
 */
export async function consumeHandover(
  db: Db,
  token: string,
  now: Date,
): Promise<
  | { ok: true; row: typeof handoverTokens.$inferSelect }
  | { ok: false; reason: HandoverRefusal; patientId: string | null; id: string | null }
> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .update(handoverTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(handoverTokens.tokenHash, tokenHash),
        isNull(handoverTokens.usedAt),
        isNull(handoverTokens.cancelledAt),
        gt(handoverTokens.expiresAt, now),
      ),
    )
    .returning();
  if (row) return { ok: true, row };
  const [found] = await db.select().from(handoverTokens).where(eq(handoverTokens.tokenHash, tokenHash));
  if (!found) return { ok: false, reason: 'unknown', patientId: null, id: null };
  let reason: HandoverRefusal = 'unknown';
  if (found.usedAt) reason = 'used';
  else if (found.cancelledAt) reason = 'cancelled';
  else if (found.expiresAt.getTime() <= now.getTime()) reason = 'expired';
  return { ok: false, reason, patientId: found.patientId, id: found.id };
}

/** The state of a code at `now`. */
export function handoverState(
  row: Pick<typeof handoverTokens.$inferSelect, 'usedAt' | 'cancelledAt' | 'expiresAt'>,
  now: Date,
): HandoverState {
  if (row.cancelledAt) return 'cancelled';
  if (row.usedAt) return 'connected';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'waiting';
}

/** The address of the phone page for a token, from PUBLIC_URL or else the address the desk used. */
export function phoneUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/phone#${token}`;
}

const handSchema = z.enum(HANDS);
const taskSchema = z.enum(TASK_IDS);

const handoverSchema = z.object({
  id: z.uuid(),
  state: z
    .enum(['waiting', 'connected', 'expired', 'cancelled'])
    .describe('`connected`: the phone used the code and is signed in for recording'),
  task: taskSchema.nullable(),
  hand: handSchema.nullable(),
  expiresAt: z.iso.datetime(),
  usedAt: z.iso.datetime().nullable(),
});

function toBody(row: typeof handoverTokens.$inferSelect, now: Date): z.infer<typeof handoverSchema> {
  return {
    id: row.id,
    state: handoverState(row, now),
    task: (row.task as TaskId | null) ?? null,
    hand: row.hand ?? null,
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
  };
}

const idParams = z.object({ id: z.uuid() });

/**
 * Desk-to-phone hand-over: a patient signed in on a computer makes a single-use code (shown as a QR
 * code) that signs a phone in for recording only, without a password.
 */
export async function handoverRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;

  /** The code of the caller, or E_NOT_FOUND (also for another patient's code, whose attempt is audited). */
  async function ownCode(request: FastifyRequest, action: 'handover.read' | 'handover.cancel', id: string) {
    const [row] = await db.select().from(handoverTokens).where(eq(handoverTokens.id, id));
    if (!row) {
      request.authorize(action, request.user?.id ?? null, id);
      throw new CodedError('E_NOT_FOUND');
    }
    try {
      request.authorize(action, row.patientId, id);
    } catch (error) {
      if (error instanceof CodedError && error.code === 'E_FORBIDDEN') throw new CodedError('E_NOT_FOUND');
      throw error;
    }
    return row;
  }

  app.post(
    '/api/v1/handover',
    {
      config: { access: { action: 'handover.create', patient: 'subject' } },
      schema: {
        tags: ['handover'],
        summary: 'Makes a single-use code that signs a phone in for recording only',
        description:
          `The code is valid for ${HANDOVER_MINUTES} minutes and works once; a new code cancels the earlier unused ones. ` +
          '`url` is the phone page with the token in its fragment (`/phone#…`), so that the token never reaches server ' +
          'logs or Referer headers; it is built from PUBLIC_URL, or from the address of this request when PUBLIC_URL is ' +
          'not set. Phones need https for motion sensors and offline use: `https` says whether the URL is https. ' +
          'Only patients with a full session can make codes.',
        body: z.strictObject({
          task: taskSchema
            .nullable()
            .default('tremor')
            .describe('the task the phone opens; null: the task list'),
          hand: handSchema.nullable().default(null).describe('the hand; null lets the person choose'),
        }),
        response: {
          201: handoverSchema.extend({
            url: z.string().describe('the phone page, with the token after `#`; shown once'),
            https: z
              .boolean()
              .describe('whether `url` is https (phones need it for sensors and offline use)'),
            publicUrlSet: z.boolean().describe('whether the server has PUBLIC_URL set'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
        },
      },
    },
    async (request, reply) => {
      const user = request.user;
      if (!user || user.role !== 'patient') throw new CodedError('E_FORBIDDEN');
      const { task, hand } = request.body;
      if (task && hand && !(TASK_RECORDING_SPECS[task].hands as readonly string[]).includes(hand)) {
        throw new CodedError(
          'E_VALIDATION',
          `The ${task} task is not done with ${hand === 'both' ? 'both hands' : `the ${hand} hand`}.`,
          {
            issues: [{ path: 'body.hand', message: `not a hand of the ${task} task` }],
          },
        );
      }
      const now = new Date();
      const issued = await issueHandover(db, user.id, { task: task ?? null, hand: task ? hand : null }, now);
      request.auditAs('handover.create', issued.id);
      const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
      const url = phoneUrl(base, issued.token);
      const [row] = await db.select().from(handoverTokens).where(eq(handoverTokens.id, issued.id));
      return reply.code(201).send({
        ...toBody(row!, now),
        url,
        https: url.startsWith('https://'),
        publicUrlSet: config.publicUrl !== undefined,
      });
    },
  );

  app.post(
    '/api/v1/handover/redeem',
    {
      config: { access: { public: true }, rateLimit: addressRateLimit(config) },
      schema: {
        tags: ['handover'],
        summary: 'Signs this browser in for recording only, with a code from the desk',
        description:
          `Each code works once, for ${HANDOVER_MINUTES} minutes. The session it starts may only upload recordings ` +
          `(scope \`record\`) and lasts ${HANDOVER_SESSION_HOURS} hours; the browser's earlier session ends. ` +
          'A code that cannot be used answers 400 E_TOKEN_INVALID with `details.reason`: `unknown`, `used`, `expired` ' +
          'or `cancelled`. Rate-limited per address.',
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: {
          200: z.object({ user: userSchema, task: taskSchema.nullable(), hand: handSchema.nullable() }),
          400: errorResponse('E_VALIDATION, E_TOKEN_INVALID'),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const outcome = await consumeHandover(db, request.body.token, now);
      if (!outcome.ok) {
        if (outcome.patientId)
          request.audit({
            action: 'handover.redeem',
            patientId: outcome.patientId,
            resource: outcome.id,
            details: { denied: outcome.reason },
          });
        throw new CodedError('E_TOKEN_INVALID', REFUSAL_MESSAGES[outcome.reason], { reason: outcome.reason });
      }
      const { row } = outcome;
      const user = await findUserById(db, row.patientId);
      if (!user) throw new CodedError('E_TOKEN_INVALID', REFUSAL_MESSAGES.unknown, { reason: 'unknown' });
      // no session fixation: whatever session this browser had ends
      if (request.sessionTokenHash) await deleteSession(db, request.sessionTokenHash);
      const hours = Math.min(HANDOVER_SESSION_HOURS, config.sessionHours);
      const session = await createSession(db, user.id, {
        hours,
        scope: 'record',
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      await db
        .update(handoverTokens)
        .set({ sessionTokenHash: hashToken(session.token) })
        .where(and(eq(handoverTokens.patientId, row.patientId), eq(handoverTokens.id, row.id)));
      reply.setCookie(SESSION_COOKIE, session.token, {
        ...cookieOptions(options.secureCookies, true),
        expires: session.expiresAt,
      });
      request.user = toAuthUser(user, 'record');
      request.audit({ action: 'handover.redeem', patientId: user.id, resource: row.id });
      return { user: request.user, task: (row.task as TaskId | null) ?? null, hand: row.hand ?? null };
    },
  );

  app.get(
    '/api/v1/handover/:id',
    {
      config: { access: { action: 'handover.read', patient: 'resource' } },
      schema: {
        tags: ['handover'],
        summary: 'Whether the phone has used a code yet (the desk polls this)',
        params: idParams,
        response: {
          200: handoverSchema,
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
          404: errorResponse('E_NOT_FOUND: no such code, or not yours'),
        },
      },
    },
    async (request) => {
      const row = await ownCode(request, 'handover.read', request.params.id);
      return toBody(row, new Date());
    },
  );

  app.delete(
    '/api/v1/handover/:id',
    {
      config: { access: { action: 'handover.cancel', patient: 'resource' } },
      schema: {
        tags: ['handover'],
        summary: 'Cancels a code; if the phone already used it, signs the phone out',
        params: idParams,
        response: {
          204: z.null().describe('Cancelled (and the phone signed out)'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND: no such code, or not yours'),
        },
      },
    },
    async (request, reply) => {
      const row = await ownCode(request, 'handover.cancel', request.params.id);
      await db.transaction(async (tx) => {
        await tx
          .update(handoverTokens)
          .set({ cancelledAt: new Date() })
          .where(
            and(
              eq(handoverTokens.patientId, row.patientId),
              eq(handoverTokens.id, row.id),
              isNull(handoverTokens.cancelledAt),
            ),
          );
        if (row.sessionTokenHash) await deleteSession(tx, row.sessionTokenHash);
      });
      return reply.code(204).send(null);
    },
  );
}
