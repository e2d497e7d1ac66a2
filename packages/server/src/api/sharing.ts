import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq, gt, isNotNull, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError, parseSchedule, scheduleSchema } from '@dystrack/core';
import { SHARE_SCOPES, shareInvitations, shares, users, type ShareScope } from '../db/schema.js';
import { subjectOf } from '../http/security.js';
import { metricsJobFor } from '../metrics/job.js';
import { changesForPatients, type Changes } from '../sharing/changes.js';
import { newShareCode, shareCodeHash } from '../sharing/codes.js';
import {
  CLINICIAN_CODE_DAYS,
  PATIENT_CODE_DAYS,
  createPendingShare,
  findInvitation,
  invitationRefusal,
  invitationStatus,
  redeemInvitation,
  redeemPatientCode,
  shareStatus,
  type CodeRefusal,
  type InvitationRow,
  type ShareRow,
} from '../sharing/store.js';
import { addressRateLimit } from './auth.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';
import { appUrl } from '../http/app-url.js';

/*
 * Consent-based sharing (contract 11, "Sharing"). The patient's side (`share.read` / `share.manage`, the
 * patient only): shares with their scopes and end, invitation codes for a clinician, revocation (at
 * once: authorization re-reads the active shares on every request), and redeeming a clinician's
 * invitation, optionally with its proposed routine. The clinician's side (approved clinicians:
 * `clinician.read` / `clinician.write`): the patients who share, with reliable changes since the last
 * visit, recording a visit, redeeming a patient's code, and the clinician's own invitations.
 *
 * Codes are single use, 60 bits, only their SHA-256 stored (sharing/codes.ts), and the redeems are
 * rate-limited per address. Each audit row names the precise action (`share.create`, `share.update`,
 * `share.revoke`, `invitation.preview`, `invitation.redeem`, `share.redeem`, `visit.record`,
 * `changes.read`) with the patient's id, so that the patient's audit log shows who did what.
 *
 * A clinician may hold several active shares from one patient (a second code redeemed, or an invitation
 * accepted while a share is active): what they may see is the union of the active shares' scopes (as
 * sharing/relations.ts reads them); the patient sees each share in the list and can narrow or revoke it.
 */

const DAY_MS = 24 * 3600_000;
/** The furthest end a share can have, in years from now. */
const MAX_SHARE_YEARS = 2;

const scopeSchema = z
  .enum(SHARE_SCOPES)
  .describe(
    '`tasks`: task recordings, their results and trends; `diary`: diary entries; `scales`: questionnaires and ' +
      'rating-scale totals; `treatments`: treatment log; `reports`: the clinician report (PDF) of a period; ' +
      '`add-entries`: may add rating-scale totals and treatments (marked as entered by the clinician)',
  );

const scopesSchema = z
  .array(scopeSchema)
  .min(1)
  .max(SHARE_SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope at most once')
  .describe('what the clinician may see (at least one, each once)');

const expiresAtSchema = z.iso
  .datetime()
  .nullable()
  .describe(
    `when the share ends (in the future, at most ${MAX_SHARE_YEARS} years away); null: until revoked`,
  );

const codeSchema = z
  .string()
  .min(1)
  .max(100)
  .describe('the code as typed: `XXXX-XXXX-XXXX`, any case, hyphens and spaces ignored');

const shareSchema = z.object({
  id: z.uuid(),
  status: z
    .enum(['pending', 'active', 'expired', 'revoked'])
    .describe(
      "`pending`: waiting for the clinician to redeem the code; `expired`: past its end or its code's",
    ),
  clinician: z
    .object({ id: z.uuid(), displayName: z.string(), username: z.string() })
    .nullable()
    .describe('null until a clinician redeemed the code'),
  scopes: z.array(scopeSchema),
  createdAt: z.iso.datetime(),
  createdBy: z.enum(['patient', 'clinician']).describe('who invited: the patient, or the clinician'),
  inviteExpiresAt: z.iso.datetime().nullable().describe("until when the patient's code can be redeemed"),
  acceptedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable().describe('null: until revoked'),
  revokedAt: z.iso.datetime().nullable(),
  lastVisitAt: z.iso.datetime().nullable().describe("the clinician's last recorded visit"),
});
type ShareBody = z.infer<typeof shareSchema>;

const clinicianOfShare = { id: users.id, displayName: users.displayName, username: users.username };

function toShare(
  row: ShareRow,
  clinician: { id: string; displayName: string; username: string } | null,
  now: Date,
): ShareBody {
  return {
    id: row.id,
    status: shareStatus(row, now),
    clinician: row.clinicianId && clinician ? clinician : null,
    scopes: row.scopes as ShareScope[],
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy === row.patientId ? 'patient' : 'clinician',
    inviteExpiresAt: row.inviteExpiresAt?.toISOString() ?? null,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastVisitAt: row.lastVisitAt?.toISOString() ?? null,
  };
}

const invitationSchema = z.object({
  id: z.uuid(),
  note: z.string().nullable(),
  hasSchedule: z.boolean().describe('whether the invitation proposes a routine'),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  usedAt: z.iso.datetime().nullable(),
  patient: z
    .object({ id: z.uuid(), displayName: z.string() })
    .nullable()
    .describe('the patient who redeemed it'),
  cancelledAt: z.iso.datetime().nullable(),
  status: z.enum(['open', 'used', 'expired', 'cancelled']),
});

function toInvitation(
  row: InvitationRow,
  patient: { id: string; displayName: string } | null,
  now: Date,
): z.infer<typeof invitationSchema> {
  return {
    id: row.id,
    note: row.note,
    hasSchedule: row.schedule !== null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
    patient: row.usedBy && patient ? patient : null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    status: invitationStatus(row, now),
  };
}

const changesSchema = z
  .object({
    since: z.iso.datetime().describe('the last visit, or the start of the share when there was none'),
    worse: z.int().describe('metrics reliably worse in a session since then'),
    better: z.int().describe('metrics reliably better in a session since then'),
    items: z.array(
      z.object({
        task: z.string(),
        hand: z.string(),
        metricId: z.string(),
        label: z.string().describe('the metric in plain words'),
        unit: z.string(),
        direction: z.enum(['worse', 'better']),
        before: z
          .number()
          .describe(
            'the baseline the latest session is judged against (mean of the first sessions on the same device)',
          ),
        latest: z
          .number()
          .describe('the value of the latest session with a value and no excluding quality flag'),
        latestAt: z.iso.datetime(),
      }),
    ),
  })
  .nullable()
  .describe(
    'null without the `tasks` scope. A change is reliable when it exceeds the smallest detectable change ' +
      '(SDC95 from at least 3 baseline sessions, or the published minimal detectable change), as on the trends page',
  );

const idParams = z.object({ id: z.uuid() });

const REFUSALS: Record<'patient' | 'clinician', Record<CodeRefusal, string>> = {
  patient: {
    unknown: 'This code is not valid. Check it, or ask the patient for a new code.',
    used: 'This code has already been used. Each code works once: ask the patient for a new code.',
    expired: `This code has expired (codes work for ${PATIENT_CODE_DAYS} days, and not after the end the patient chose). Ask the patient for a new code.`,
    cancelled: 'The patient cancelled this code. Ask the patient for a new code.',
  },
  clinician: {
    unknown: 'This code is not valid. Check it, or ask your clinician for a new code.',
    used: 'This code has already been used. Each code works once: ask your clinician for a new code.',
    expired: `This code has expired (codes work for ${CLINICIAN_CODE_DAYS} days). Ask your clinician for a new code.`,
    cancelled: 'This invitation was cancelled. Ask your clinician for a new code.',
  },
};

function refused(side: 'patient' | 'clinician', reason: CodeRefusal): CodedError {
  return new CodedError('E_NOT_FOUND', REFUSALS[side][reason], { reason });
}

/** The end of a share as given, checked: in the future and at most two years away. */
function shareEnd(expiresAt: string | null, now: Date): Date | null {
  if (expiresAt === null) return null;
  const end = new Date(expiresAt);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_SHARE_YEARS);
  const problem =
    end.getTime() <= now.getTime()
      ? 'must be in the future'
      : end.getTime() > latest.getTime()
        ? `must be at most ${MAX_SHARE_YEARS} years away`
        : null;
  if (problem)
    throw new CodedError('E_VALIDATION', `The end of the share ${problem}.`, {
      issues: [{ path: 'body.expiresAt', message: problem }],
    });
  return end;
}

/** Sharing: the patient's shares and invitations, and the clinician's side. */
export async function sharingRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const perAddress = addressRateLimit(config);

  /** A share of the patient with its clinician, or E_NOT_FOUND (also for another patient's share). */
  async function ownShare(patientId: string, id: string) {
    const [found] = await db
      .select({ row: shares, clinician: clinicianOfShare })
      .from(shares)
      .leftJoin(users, eq(users.id, shares.clinicianId))
      .where(and(eq(shares.patientId, patientId), eq(shares.id, id)));
    if (!found) throw new CodedError('E_NOT_FOUND', 'There is no such share.');
    return found;
  }

  // ---------------------------------------------------------------- the patient's side

  app.get(
    '/api/v1/shares',
    {
      config: { access: { action: 'share.read', patient: 'subject' } },
      schema: {
        tags: ['sharing'],
        summary: "The signed-in patient's shares with clinicians, newest first",
        description:
          'Every share: waiting for a clinician to redeem its code (`pending`), in force (`active`), past its end ' +
          '(`expired`) or `revoked`.',
        response: {
          200: z.object({ items: z.array(shareSchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN: not a patient'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      request.auditAs('share.list', null);
      const rows = await db
        .select({ row: shares, clinician: clinicianOfShare })
        .from(shares)
        .leftJoin(users, eq(users.id, shares.clinicianId))
        .where(eq(shares.patientId, patientId))
        .orderBy(desc(shares.createdAt), desc(shares.id));
      const now = new Date();
      return { items: rows.map(({ row, clinician }) => toShare(row, clinician, now)) };
    },
  );

  app.post(
    '/api/v1/shares',
    {
      config: { access: { action: 'share.manage', patient: 'subject' } },
      schema: {
        tags: ['sharing'],
        summary: 'Shares data with a clinician: makes a single-use code for them to redeem',
        description:
          `The code (\`XXXX-XXXX-XXXX\`) works once, for ${PATIENT_CODE_DAYS} days; an approved clinician redeems it ` +
          'with `POST /api/v1/clinician/shares/redeem`. `link` is `<app>/clinic/redeem#<code>`: the code is in the ' +
          'fragment, never sent to a server. The code is shown only now (only its hash is stored).',
        body: z.strictObject({ scopes: scopesSchema, expiresAt: expiresAtSchema }),
        response: {
          201: z.object({
            share: shareSchema,
            code: z.string().describe('`XXXX-XXXX-XXXX`; shown once'),
            link: z.string().describe('`<app>/clinic/redeem#<code>`'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
        },
      },
    },
    async (request, reply) => {
      const patientId = subjectOf(request);
      const now = new Date();
      const expiresAt = shareEnd(request.body.expiresAt, now);
      const code = newShareCode();
      const row = await createPendingShare(
        db,
        patientId,
        { scopes: request.body.scopes, expiresAt },
        shareCodeHash(code)!,
        now,
      );
      request.auditAs('share.create', row.id, {
        scopes: row.scopes,
        expiresAt: row.expiresAt?.toISOString() ?? null,
      });
      return reply.code(201).send({
        share: toShare(row, null, now),
        code,
        link: `${appUrl(config.publicUrl, request)}/clinic/redeem#${code}`,
      });
    },
  );

  app.patch(
    '/api/v1/shares/:id',
    {
      config: { access: { action: 'share.manage', patient: 'subject' } },
      schema: {
        tags: ['sharing'],
        summary: "Changes a share's scopes or end; takes effect at the clinician's next request",
        params: idParams,
        body: z.strictObject({ scopes: scopesSchema.optional(), expiresAt: expiresAtSchema.optional() }),
        response: {
          200: shareSchema,
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND: no such share, or not yours'),
          409: errorResponse('E_CONFLICT: the share is revoked or expired'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const { id } = request.params;
      const { scopes, expiresAt } = request.body;
      const now = new Date();
      const { row: before, clinician } = await ownShare(patientId, id);
      const end = expiresAt === undefined ? undefined : shareEnd(expiresAt, now);
      request.auditAs('share.update', id, {
        clinicianId: before.clinicianId,
        ...(scopes ? { scopes: { from: before.scopes, to: scopes } } : {}),
        ...(end !== undefined
          ? { expiresAt: { from: before.expiresAt?.toISOString() ?? null, to: end?.toISOString() ?? null } }
          : {}),
      });
      // conditional, so that a revoke or the end passing between the read and the write is not undone
      const [row] = await db
        .update(shares)
        .set({ ...(scopes ? { scopes } : {}), ...(end !== undefined ? { expiresAt: end } : {}) })
        .where(
          and(
            eq(shares.patientId, patientId),
            eq(shares.id, id),
            isNull(shares.revokedAt),
            or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
            or(isNotNull(shares.acceptedAt), gt(shares.inviteExpiresAt, now)),
          ),
        )
        .returning();
      if (!row)
        throw new CodedError(
          'E_CONFLICT',
          `This share is ${shareStatus(before, now) === 'revoked' ? 'revoked' : 'expired'}: it cannot be changed. Make a new one instead.`,
          { status: shareStatus(before, now) },
        );
      return toShare(row, clinician, now);
    },
  );

  app.post(
    '/api/v1/shares/:id/revoke',
    {
      config: { access: { action: 'share.manage', patient: 'subject' } },
      schema: {
        tags: ['sharing'],
        summary:
          'Revokes a share (or cancels its code); the clinician sees nothing more from the next request on',
        description: 'Idempotent: revoking a revoked share answers it unchanged.',
        params: idParams,
        response: {
          200: shareSchema,
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND: no such share, or not yours'),
        },
      },
    },
    async (request) => {
      const patientId = subjectOf(request);
      const { id } = request.params;
      const now = new Date();
      const { row: before, clinician } = await ownShare(patientId, id);
      const [revoked] = await db
        .update(shares)
        .set({ revokedAt: now, revokedBy: patientId })
        .where(and(eq(shares.patientId, patientId), eq(shares.id, id), isNull(shares.revokedAt)))
        .returning();
      request.auditAs('share.revoke', id, {
        clinicianId: before.clinicianId,
        ...(revoked ? {} : { alreadyRevoked: true }),
      });
      return toShare(revoked ?? before, clinician, now);
    },
  );

  app.post(
    '/api/v1/shares/invitations/preview',
    {
      config: { access: { action: 'share.read', patient: 'subject' }, rateLimit: perAddress },
      schema: {
        tags: ['sharing'],
        summary: "What a clinician's invitation code proposes, before the patient accepts it",
        description:
          'Does not use the code up. A code that cannot be used answers 404 E_NOT_FOUND with a message saying why ' +
          'and `details.reason`: `unknown`, `used`, `expired` or `cancelled`. Rate-limited per address.',
        body: z.strictObject({ code: codeSchema }),
        response: {
          200: z.object({
            clinician: z.object({ displayName: z.string(), username: z.string() }),
            note: z.string().nullable().describe("the clinician's note to the patient"),
            schedule: scheduleSchema.nullable().describe('the routine the clinician proposes, or null'),
            expiresAt: z.iso.datetime().describe('until when the code can be redeemed'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND (details.reason: unknown, used, expired, cancelled)'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const now = new Date();
      const hash = shareCodeHash(request.body.code);
      const found = hash ? await findInvitation(db, hash) : null;
      const reason = found ? invitationRefusal(found, now) : 'unknown';
      request.auditAs('invitation.preview', found?.row.id ?? null, {
        clinicianId: found?.clinician.id ?? null,
        ...(reason ? { denied: reason } : {}),
      });
      if (!found || reason) throw refused('clinician', reason ?? 'unknown');
      return {
        clinician: { displayName: found.clinician.displayName, username: found.clinician.username },
        note: found.row.note,
        schedule: found.row.schedule === null ? null : parseSchedule(found.row.schedule),
        expiresAt: found.row.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/v1/shares/invitations/redeem',
    {
      config: { access: { action: 'share.manage', patient: 'subject' }, rateLimit: perAddress },
      schema: {
        tags: ['sharing'],
        summary: "Accepts a clinician's invitation: shares the chosen data with them",
        description:
          'Uses the code up (once; of two redeems at the same moment one wins) and creates an active share with the ' +
          'chosen scopes and end. With `acceptSchedule` the routine the invitation proposes becomes the next version ' +
          'of the routine, saved by the clinician (`scheduleApplied`: whether there was one). A code that cannot be ' +
          'used answers 404 E_NOT_FOUND with `details.reason`. Rate-limited per address.',
        body: z.strictObject({
          code: codeSchema,
          scopes: scopesSchema,
          expiresAt: expiresAtSchema,
          acceptSchedule: z
            .boolean()
            .describe("whether the clinician's proposed routine becomes the routine"),
        }),
        response: {
          201: z.object({
            share: shareSchema,
            scheduleApplied: z.boolean().describe('whether the proposed routine was saved as the routine'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_CSRF'),
          404: errorResponse('E_NOT_FOUND (details.reason: unknown, used, expired, cancelled)'),
          409: errorResponse('E_CONFLICT: the routine was saved by another request at the same time'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const patientId = subjectOf(request);
      const now = new Date();
      const { code, scopes, acceptSchedule } = request.body;
      const expiresAt = shareEnd(request.body.expiresAt, now);
      const hash = shareCodeHash(code);
      const outcome = hash
        ? await redeemInvitation(db, hash, patientId, { scopes, expiresAt, acceptSchedule }, now)
        : ({ ok: false, reason: 'unknown', invitation: null } as const);
      if (!outcome.ok) {
        request.auditAs('invitation.redeem', outcome.invitation?.id ?? null, {
          denied: outcome.reason,
        });
        throw refused('clinician', outcome.reason);
      }
      const { share, invitation, scheduleRevision } = outcome;
      request.auditAs('invitation.redeem', invitation.id, {
        shareId: share.id,
        clinicianId: share.clinicianId,
        scopes: share.scopes,
        expiresAt: share.expiresAt?.toISOString() ?? null,
        scheduleApplied: scheduleRevision !== null,
      });
      if (scheduleRevision !== null)
        request.audit({
          action: 'schedule.write',
          patientId,
          resource: null,
          details: { revision: scheduleRevision, createdBy: share.clinicianId, invitationId: invitation.id },
        });
      const [clinician] = await db
        .select(clinicianOfShare)
        .from(users)
        .where(eq(users.id, share.clinicianId!));
      return reply
        .code(201)
        .send({ share: toShare(share, clinician ?? null, now), scheduleApplied: scheduleRevision !== null });
    },
  );

  // ---------------------------------------------------------------- the clinician's side

  app.get(
    '/api/v1/clinician/patients',
    {
      config: { access: { action: 'clinician.read', patient: 'none' } },
      schema: {
        tags: ['clinician'],
        summary:
          'The patients who share data with the signed-in clinician, with reliable changes since the last visit',
        description:
          "One item per patient with an active share: the union of the active shares' scopes, when the sharing " +
          'began, when it ends (null: not before it is revoked), the last recorded visit, and with the `tasks` scope ' +
          'the headline metrics that changed reliably in a session since the last visit (or since the sharing began). ' +
          "Reading the changes is recorded in each patient's audit log (`changes.read`).",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                patientId: z.uuid(),
                displayName: z.string(),
                username: z.string(),
                scopes: z.array(scopeSchema).describe('the union of the active shares'),
                sharedSince: z.iso.datetime().describe('when the earliest active share was accepted'),
                expiresAt: z.iso
                  .datetime()
                  .nullable()
                  .describe('when the last active share ends; null: until revoked'),
                lastVisitAt: z.iso.datetime().nullable(),
                changes: changesSchema,
              }),
            ),
          }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_NOT_APPROVED'),
        },
      },
    },
    async (request) => {
      const clinicianId = request.user!.id;
      const now = new Date();
      const rows = await db
        .select({
          patientId: shares.patientId,
          scopes: shares.scopes,
          acceptedAt: shares.acceptedAt,
          expiresAt: shares.expiresAt,
          lastVisitAt: shares.lastVisitAt,
          displayName: users.displayName,
          username: users.username,
        })
        .from(shares)
        .innerJoin(users, eq(users.id, shares.patientId))
        .where(
          and(
            eq(shares.clinicianId, clinicianId),
            isNotNull(shares.acceptedAt),
            isNull(shares.revokedAt),
            or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
          ),
        );
      interface Patient {
        patientId: string;
        displayName: string;
        username: string;
        scopes: Set<ShareScope>;
        sharedSince: Date;
        expiresAt: Date | null;
        open: boolean;
        lastVisitAt: Date | null;
      }
      const patients = new Map<string, Patient>();
      for (const row of rows) {
        const p: Patient = patients.get(row.patientId) ?? {
          patientId: row.patientId,
          displayName: row.displayName,
          username: row.username,
          scopes: new Set(),
          sharedSince: row.acceptedAt!,
          expiresAt: null,
          open: false,
          lastVisitAt: null,
        };
        for (const scope of row.scopes) p.scopes.add(scope as ShareScope);
        if (row.acceptedAt! < p.sharedSince) p.sharedSince = row.acceptedAt!;
        // the sharing ends with its last active share; a share without an end keeps it open
        if (row.expiresAt === null) p.open = true;
        else if (!p.expiresAt || row.expiresAt > p.expiresAt) p.expiresAt = row.expiresAt;
        if (row.lastVisitAt && (!p.lastVisitAt || row.lastVisitAt > p.lastVisitAt))
          p.lastVisitAt = row.lastVisitAt;
        patients.set(row.patientId, p);
      }
      const withTasks = [...patients.values()].filter((p) => p.scopes.has('tasks'));
      const changes = await changesForPatients(
        db,
        withTasks.map((p) => ({ patientId: p.patientId, since: p.lastVisitAt ?? p.sharedSince })),
        metricsJobFor(db).analyzer,
      );
      for (const p of withTasks)
        request.audit({
          action: 'changes.read',
          patientId: p.patientId,
          resource: null,
          details: { since: changes.get(p.patientId)!.since },
        });
      const items = [...patients.values()]
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.patientId.localeCompare(b.patientId))
        .map((p) => ({
          patientId: p.patientId,
          displayName: p.displayName,
          username: p.username,
          scopes: SHARE_SCOPES.filter((s) => p.scopes.has(s)),
          sharedSince: p.sharedSince.toISOString(),
          expiresAt: p.open ? null : (p.expiresAt?.toISOString() ?? null),
          lastVisitAt: p.lastVisitAt?.toISOString() ?? null,
          changes: (changes.get(p.patientId) ?? null) satisfies Changes | null,
        }));
      return { items };
    },
  );

  app.post(
    '/api/v1/clinician/patients/:patientId/visits',
    {
      config: { access: { action: 'visit.record', patient: 'resource' } },
      schema: {
        tags: ['clinician'],
        summary: 'Records a visit of a patient who shares data: changes are counted from now on',
        params: z.object({ patientId: z.uuid() }),
        response: {
          200: z.object({ lastVisitAt: z.iso.datetime() }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN (no active share), E_NOT_APPROVED, E_CSRF'),
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      request.authorize('visit.record', patientId, null);
      const user = request.user!;
      const now = new Date();
      const updated = await db
        .update(shares)
        .set({ lastVisitAt: now })
        .where(
          and(
            eq(shares.patientId, patientId),
            eq(shares.clinicianId, user.id),
            isNotNull(shares.acceptedAt),
            isNull(shares.revokedAt),
            or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
          ),
        )
        .returning({ id: shares.id });
      // revoked between the request's share lookup and now
      if (updated.length === 0) throw new CodedError('E_FORBIDDEN');
      request.auditAs('visit.record', null, { shareIds: updated.map((u) => u.id) });
      return { lastVisitAt: now.toISOString() };
    },
  );

  app.post(
    '/api/v1/clinician/shares/redeem',
    {
      config: { access: { action: 'clinician.write', patient: 'none' }, rateLimit: perAddress },
      schema: {
        tags: ['clinician'],
        summary: "Redeems a patient's code: the patient's share becomes active for the signed-in clinician",
        description:
          'Approved clinicians only. Each code works once (of two redeems at the same moment one wins), until it ' +
          'expires or the patient cancels it. A code that cannot be used answers 404 E_NOT_FOUND with a message ' +
          "saying why and `details.reason`. The redeem is recorded in the patient's audit log. Rate-limited per address.",
        body: z.strictObject({ code: codeSchema }),
        response: {
          200: z.object({
            patientId: z.uuid(),
            displayName: z.string(),
            scopes: z.array(scopeSchema),
            expiresAt: z.iso.datetime().nullable(),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_NOT_APPROVED, E_CSRF'),
          404: errorResponse('E_NOT_FOUND (details.reason: unknown, used, expired, cancelled)'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const clinicianId = request.user!.id;
      const hash = shareCodeHash(request.body.code);
      if (!hash) throw refused('patient', 'unknown');
      const outcome = await redeemPatientCode(db, hash, clinicianId, new Date());
      if (!outcome.ok) {
        if (outcome.row)
          request.audit({
            action: 'share.redeem',
            patientId: outcome.row.patientId,
            resource: outcome.row.id,
            details: { denied: outcome.reason },
          });
        throw refused('patient', outcome.reason);
      }
      const { row } = outcome;
      request.audit({
        action: 'share.redeem',
        patientId: row.patientId,
        resource: row.id,
        details: { scopes: row.scopes },
      });
      const [patient] = await db
        .select({ displayName: users.displayName })
        .from(users)
        .where(eq(users.id, row.patientId));
      return {
        patientId: row.patientId,
        displayName: patient?.displayName ?? '',
        scopes: row.scopes as ShareScope[],
        expiresAt: row.expiresAt?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/api/v1/clinician/invitations',
    {
      config: { access: { action: 'clinician.read', patient: 'none' } },
      schema: {
        tags: ['clinician'],
        summary: "The signed-in clinician's invitations to patients, newest first",
        response: {
          200: z.object({ items: z.array(invitationSchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_NOT_APPROVED'),
        },
      },
    },
    async (request) => {
      const now = new Date();
      const rows = await db
        .select({ row: shareInvitations, patient: { id: users.id, displayName: users.displayName } })
        .from(shareInvitations)
        .leftJoin(users, eq(users.id, shareInvitations.usedBy))
        .where(eq(shareInvitations.clinicianId, request.user!.id))
        .orderBy(desc(shareInvitations.createdAt), desc(shareInvitations.id));
      return { items: rows.map(({ row, patient }) => toInvitation(row, patient, now)) };
    },
  );

  app.post(
    '/api/v1/clinician/invitations',
    {
      config: { access: { action: 'clinician.write', patient: 'none' } },
      schema: {
        tags: ['clinician'],
        summary: 'Makes an invitation code for a patient, optionally proposing a routine',
        description:
          `The code (\`XXXX-XXXX-XXXX\`) works once, for ${CLINICIAN_CODE_DAYS} days; the patient previews and redeems ` +
          'it, chooses what to share, and may accept the proposed routine. `link` is `<app>/sharing/redeem#<code>`: ' +
          'the code is in the fragment, never sent to a server. The code is shown only now (only its hash is stored). ' +
          'The routine is validated as `PUT /api/v1/schedule` validates it.',
        body: z.strictObject({
          note: z
            .string()
            .trim()
            .max(500)
            .optional()
            .describe('a note to the patient (at most 500 characters)'),
          schedule: scheduleSchema.optional().describe('a routine to propose (as `PUT /api/v1/schedule`)'),
        }),
        response: {
          201: z.object({
            invitation: invitationSchema,
            code: z.string().describe('`XXXX-XXXX-XXXX`; shown once'),
            link: z.string().describe('`<app>/sharing/redeem#<code>`'),
          }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_NOT_APPROVED, E_CSRF'),
        },
      },
    },
    async (request, reply) => {
      const now = new Date();
      const code = newShareCode();
      const [row] = await db
        .insert(shareInvitations)
        .values({
          id: randomUUID(),
          clinicianId: request.user!.id,
          tokenHash: shareCodeHash(code)!,
          note: request.body.note ? request.body.note : null,
          schedule: request.body.schedule ?? null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + CLINICIAN_CODE_DAYS * DAY_MS),
        })
        .returning();
      return reply.code(201).send({
        invitation: toInvitation(row!, null, now),
        code,
        link: `${appUrl(config.publicUrl, request)}/sharing/redeem#${code}`,
      });
    },
  );

  app.delete(
    '/api/v1/clinician/invitations/:id',
    {
      config: { access: { action: 'clinician.write', patient: 'none' } },
      schema: {
        tags: ['clinician'],
        summary: 'Cancels an invitation: its code no longer works',
        description:
          'Idempotent for an open, expired or cancelled invitation. A used one answers 409: the share it made is the ' +
          "patient's to revoke.",
        params: idParams,
        response: {
          204: z.null().describe('Cancelled'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN, E_NOT_APPROVED, E_CSRF'),
          404: errorResponse('E_NOT_FOUND: no such invitation, or not yours'),
          409: errorResponse('E_CONFLICT: already used'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const clinicianId = request.user!.id;
      const [cancelled] = await db
        .update(shareInvitations)
        .set({ cancelledAt: new Date() })
        .where(
          and(
            eq(shareInvitations.id, id),
            eq(shareInvitations.clinicianId, clinicianId),
            isNull(shareInvitations.usedAt),
            isNull(shareInvitations.cancelledAt),
          ),
        )
        .returning({ id: shareInvitations.id });
      if (!cancelled) {
        const [found] = await db
          .select()
          .from(shareInvitations)
          .where(and(eq(shareInvitations.id, id), eq(shareInvitations.clinicianId, clinicianId)));
        if (!found) throw new CodedError('E_NOT_FOUND', 'There is no such invitation.');
        if (found.usedAt)
          throw new CodedError(
            'E_CONFLICT',
            'This invitation has been used: the patient shares data with you now, and only the patient can end that.',
          );
      }
      return reply.code(204).send(null);
    },
  );
}
