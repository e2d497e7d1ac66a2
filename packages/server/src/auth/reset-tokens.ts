import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { resetTokens } from '../db/schema.js';
import { hashToken, newToken } from './sessions.js';

/** How long an admin-issued password-reset link stays valid. */
export const RESET_TOKEN_HOURS = 24;

/**
 * Issues a single-use password-reset token for a user (an admin hands the link over in person or by
 * phone; there is no e-mail). Earlier unused tokens of the user stop working. Only the token's
 * SHA-256 is stored.
 * @param db - the database
 * @param userId - whose password may be reset
 * @param createdBy - the admin issuing it
 */
export async function issueResetToken(
  db: Db,
  userId: string,
  createdBy: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + RESET_TOKEN_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    await tx.delete(resetTokens).where(and(eq(resetTokens.userId, userId), isNull(resetTokens.usedAt)));
    await tx.insert(resetTokens).values({ tokenHash: hashToken(token), userId, createdBy, expiresAt });
  });
  return { token, expiresAt };
}

/**
 * The user a live (unused, unexpired) reset token belongs to, without using it up.
 * @param db - the database
 * @param token - the token from the link
 */
export async function findResetToken(db: Db, token: string): Promise<{ userId: string } | null> {
  const rows = await db
    .select({ userId: resetTokens.userId })
    .from(resetTokens)
    .where(
      and(
        eq(resetTokens.tokenHash, hashToken(token)),
        isNull(resetTokens.usedAt),
        gt(resetTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Uses up a reset token, atomically (a second use, even at the same moment, fails).
 * @param db - the database or a transaction
 * @param token - the token from the link
 * @returns the user it belonged to, or null when it was unknown, used or expired
 */
export async function consumeResetToken(db: Db, token: string): Promise<{ userId: string } | null> {
  const rows = await db
    .update(resetTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(resetTokens.tokenHash, hashToken(token)),
        isNull(resetTokens.usedAt),
        gt(resetTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: resetTokens.userId });
  return rows[0] ?? null;
}
