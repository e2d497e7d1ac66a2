import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { attestedReports, reportShareLinks } from '../db/schema.js';
import { hashToken, newToken } from '../auth/sessions.js';

/** The longest a share link can stay open (the database refuses longer). */
export const SHARE_MAX_DAYS = 90;

/** Why a share link does not open. */
export type ShareRefusal = 'unknown' | 'expired' | 'revoked';

/** The state of a share link as its owner sees it. */
export type ShareState = 'open' | 'expired' | 'revoked';

export function shareState(row: { expiresAt: Date; revokedAt: Date | null }, now: Date): ShareState {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

/**
 * Makes a read-only link to one of the patient's signed reports; only the token's SHA-256 is stored.
 * @returns null when the patient has no such report
 */
export async function createShareLink(
  db: Db,
  patientId: string,
  reportId: string,
  days: number,
  now: Date,
): Promise<{ id: string; token: string; expiresAt: Date } | null> {
  const [report] = await db
    .select({ id: attestedReports.id })
    .from(attestedReports)
    .where(and(eq(attestedReports.patientId, patientId), eq(attestedReports.id, reportId)));
  if (!report) return null;
  const token = newToken();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + Math.min(days, SHARE_MAX_DAYS) * 86_400_000);
  await db
    .insert(reportShareLinks)
    .values({ patientId, id, tokenHash: hashToken(token), reportId, createdAt: now, expiresAt });
  return { id, token, expiresAt };
}

/** Revokes a link of the patient now (a revoked link stays revoked). @returns whether the patient has it */
export async function revokeShareLink(db: Db, patientId: string, id: string, now: Date): Promise<boolean> {
  const [row] = await db
    .update(reportShareLinks)
    .set({ revokedAt: now })
    .where(
      and(
        eq(reportShareLinks.patientId, patientId),
        eq(reportShareLinks.id, id),
        isNull(reportShareLinks.revokedAt),
      ),
    )
    .returning({ id: reportShareLinks.id });
  if (row) return true;
  const [exists] = await db
    .select({ id: reportShareLinks.id })
    .from(reportShareLinks)
    .where(and(eq(reportShareLinks.patientId, patientId), eq(reportShareLinks.id, id)));
  return exists !== undefined;
}

/** The patient's links, newest first. */
export function listShareLinks(db: Db, patientId: string) {
  return db
    .select({
      id: reportShareLinks.id,
      reportId: reportShareLinks.reportId,
      createdAt: reportShareLinks.createdAt,
      expiresAt: reportShareLinks.expiresAt,
      revokedAt: reportShareLinks.revokedAt,
    })
    .from(reportShareLinks)
    .where(eq(reportShareLinks.patientId, patientId))
    .orderBy(desc(reportShareLinks.createdAt));
}

/**
 * The report a share-link token opens, or why it does not.
 * @param token - the token from the link
 */
export async function openShareLink(
  db: Db,
  token: string,
  now: Date,
): Promise<
  | { ok: true; link: typeof reportShareLinks.$inferSelect; report: typeof attestedReports.$inferSelect }
  | { ok: false; reason: ShareRefusal; at: Date | null }
> {
  const [row] = await db
    .select({ link: reportShareLinks, report: attestedReports })
    .from(reportShareLinks)
    .innerJoin(
      attestedReports,
      and(
        eq(attestedReports.patientId, reportShareLinks.patientId),
        eq(attestedReports.id, reportShareLinks.reportId),
      ),
    )
    .where(eq(reportShareLinks.tokenHash, hashToken(token)));
  if (!row) return { ok: false, reason: 'unknown', at: null };
  const state = shareState(row.link, now);
  if (state === 'revoked') return { ok: false, reason: 'revoked', at: row.link.revokedAt };
  if (state === 'expired') return { ok: false, reason: 'expired', at: row.link.expiresAt };
  return { ok: true, link: row.link, report: row.report };
}
