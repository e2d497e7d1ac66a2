import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { parseSchedule, type Schedule } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { shareInvitations, shares, users, type ShareScope } from '../db/schema.js';
import { writeSchedule } from '../schedule/index.js';

/**
 * The database side of sharing: a share's state, and the two single-use codes (a patient's invitation
 * that a clinician redeems, a clinician's invitation that a patient redeems). Each code is used up by
 * one conditional UPDATE … RETURNING, so that of two redeems of one code at the same moment only one
 * wins, and an expired code cannot be used even by a request that started before it expired.
 */

/** How long a patient's invitation code stays valid. */
export const PATIENT_CODE_DAYS = 7;
/** How long a clinician's invitation code stays valid. */
export const CLINICIAN_CODE_DAYS = 14;

const DAY_MS = 24 * 3600_000;

export type ShareRow = typeof shares.$inferSelect;
export type InvitationRow = typeof shareInvitations.$inferSelect;

/** A share's state: waiting for the clinician, in force, past its end (or its code's), or revoked. */
export type ShareStatus = 'pending' | 'active' | 'expired' | 'revoked';

/** Why a code cannot be used. */
export type CodeRefusal = 'unknown' | 'used' | 'expired' | 'cancelled';

/** The state of a share at `now`. */
export function shareStatus(
  row: Pick<ShareRow, 'acceptedAt' | 'revokedAt' | 'expiresAt' | 'inviteExpiresAt'>,
  now: Date,
): ShareStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (row.acceptedAt) return 'active';
  if (!row.inviteExpiresAt || row.inviteExpiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

/** The state of a clinician's invitation at `now`. */
export function invitationStatus(
  row: Pick<InvitationRow, 'usedAt' | 'cancelledAt' | 'expiresAt'>,
  now: Date,
): 'open' | 'used' | 'expired' | 'cancelled' {
  if (row.usedAt) return 'used';
  if (row.cancelledAt) return 'cancelled';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

/**
 * Creates a patient's share, waiting for a clinician to redeem its code.
 * @param db - the database
 * @param patientId - who shares
 * @param what - the scopes and the share's end (null: until revoked)
 * @param codeHash - SHA-256 of the normalised code (see codes.ts)
 * @param now - the current time
 */
export async function createPendingShare(
  db: Db,
  patientId: string,
  what: { scopes: readonly ShareScope[]; expiresAt: Date | null },
  codeHash: string,
  now: Date,
): Promise<ShareRow> {
  const [row] = await db
    .insert(shares)
    .values({
      patientId,
      id: randomUUID(),
      clinicianId: null,
      scopes: [...what.scopes],
      createdAt: now,
      createdBy: patientId,
      inviteTokenHash: codeHash,
      inviteExpiresAt: new Date(now.getTime() + PATIENT_CODE_DAYS * DAY_MS),
      expiresAt: what.expiresAt,
    })
    .returning();
  return row!;
}

/**
 * A clinician redeems a patient's code, atomically: the share gets its clinician only if nobody took it
 * first, it is not revoked, and neither the code nor the share has expired.
 * @returns the share now active, or why not (with the share when the code is known, for the audit log)
 */
export async function redeemPatientCode(
  db: Db,
  codeHash: string,
  clinicianId: string,
  now: Date,
): Promise<{ ok: true; row: ShareRow } | { ok: false; reason: CodeRefusal; row: ShareRow | null }> {
  const [row] = await db
    .update(shares)
    .set({ clinicianId, acceptedAt: now })
    .where(
      and(
        eq(shares.inviteTokenHash, codeHash),
        isNull(shares.acceptedAt),
        isNull(shares.revokedAt),
        gt(shares.inviteExpiresAt, now),
        or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
      ),
    )
    .returning();
  if (row) return { ok: true, row };
  const [found] = await db.select().from(shares).where(eq(shares.inviteTokenHash, codeHash));
  if (!found) return { ok: false, reason: 'unknown', row: null };
  let reason: CodeRefusal = 'expired';
  if (found.acceptedAt) reason = 'used';
  else if (found.revokedAt) reason = 'cancelled';
  return { ok: false, reason, row: found };
}

/** A clinician's invitation with its clinician, for the preview and the redeem. */
export interface InvitationWithClinician {
  row: InvitationRow;
  clinician: { id: string; displayName: string; username: string; approved: boolean };
}

/** A clinician's invitation by its code's hash (any state), with the clinician; null when unknown. */
export async function findInvitation(db: Db, codeHash: string): Promise<InvitationWithClinician | null> {
  const [found] = await db
    .select({
      row: shareInvitations,
      clinicianId: users.id,
      displayName: users.displayName,
      username: users.username,
      role: users.role,
      approvedAt: users.roleApprovedAt,
    })
    .from(shareInvitations)
    .innerJoin(users, eq(users.id, shareInvitations.clinicianId))
    .where(eq(shareInvitations.tokenHash, codeHash));
  if (!found) return null;
  return {
    row: found.row,
    clinician: {
      id: found.clinicianId,
      displayName: found.displayName,
      username: found.username,
      // an invitation of a clinician who is no longer approved (or no longer a clinician) shares nothing
      approved: found.role === 'clinician' && found.approvedAt !== null,
    },
  };
}

/** Why an invitation that exists cannot be used now; null when it can. */
export function invitationRefusal(found: InvitationWithClinician, now: Date): CodeRefusal | null {
  const status = invitationStatus(found.row, now);
  if (status !== 'open') return status;
  return found.clinician.approved ? null : 'cancelled';
}

/**
 * A patient redeems a clinician's invitation: in one transaction the code is used up (atomically, as
 * above), the share is created already accepted, and, when the patient accepts it, the proposed routine
 * becomes the patient's next routine version, saved by the clinician.
 * @returns the share and whether the routine was applied, or why the code cannot be used
 */
export async function redeemInvitation(
  db: Db,
  codeHash: string,
  patientId: string,
  what: { scopes: readonly ShareScope[]; expiresAt: Date | null; acceptSchedule: boolean },
  now: Date,
): Promise<
  | { ok: true; share: ShareRow; invitation: InvitationRow; scheduleRevision: number | null }
  | { ok: false; reason: CodeRefusal; invitation: InvitationRow | null }
> {
  const found = await findInvitation(db, codeHash);
  if (!found) return { ok: false, reason: 'unknown', invitation: null };
  const refusal = invitationRefusal(found, now);
  if (refusal) return { ok: false, reason: refusal, invitation: found.row };
  const shareId = randomUUID();
  const outcome = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(shareInvitations)
      .set({ usedAt: now, usedBy: patientId, shareId })
      .where(
        and(
          eq(shareInvitations.id, found.row.id),
          isNull(shareInvitations.usedAt),
          isNull(shareInvitations.cancelledAt),
          gt(shareInvitations.expiresAt, now),
        ),
      )
      .returning();
    if (!claimed) return null;
    const [share] = await tx
      .insert(shares)
      .values({
        patientId,
        id: shareId,
        clinicianId: claimed.clinicianId,
        scopes: [...what.scopes],
        createdAt: now,
        // the clinician invited: the share is theirs to have proposed, the patient's to accept
        createdBy: claimed.clinicianId,
        acceptedAt: now,
        expiresAt: what.expiresAt,
      })
      .returning();
    let scheduleRevision: number | null = null;
    if (what.acceptSchedule && claimed.schedule !== null) {
      const schedule: Schedule = parseSchedule(claimed.schedule);
      scheduleRevision = (await writeSchedule(tx, patientId, schedule, claimed.clinicianId)).revision;
    }
    return { share: share!, invitation: claimed, scheduleRevision };
  });
  if (outcome) return { ok: true, ...outcome };
  // another redeem (or a cancel) came first: say what happened to the code
  const again = await findInvitation(db, codeHash);
  return {
    ok: false,
    reason: (again && invitationRefusal(again, now)) ?? 'used',
    invitation: again?.row ?? found.row,
  };
}
