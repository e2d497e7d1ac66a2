import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { AuthUser } from '../authz.js';
import type { Db } from '../db/database.js';
import { sessions, users } from '../db/schema.js';

export const SESSION_COOKIE = 'dystrack_session';
export const CSRF_COOKIE = 'dystrack_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** SHA-256 hex of a secret token: only hashes of tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Creates a session and returns its token (for the cookie) and expiry. */
export async function createSession(
  db: Db,
  userId: string,
  options: { hours: number; scope?: 'full' | 'record'; ip?: string; userAgent?: string | undefined },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + options.hours * 3600_000);
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    scope: options.scope ?? 'full',
    expiresAt,
    ip: options.ip ?? null,
    userAgent: options.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}

/** The user of a live session token, or null. */
export async function loadSession(db: Db, token: string): Promise<{ user: AuthUser; tokenHash: string } | null> {
  const tokenHash = hashToken(token);
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      roleApprovedAt: users.roleApprovedAt,
      scope: sessions.scope,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return {
    tokenHash,
    user: {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      roleApproved: row.role === 'patient' || row.role === 'admin' || row.roleApprovedAt !== null,
      scope: row.scope === 'record' ? 'record' : 'full',
    },
  };
}

/** Ends one session. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}
