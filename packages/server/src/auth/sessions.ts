import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { AuthUser } from '../authz.js';
import type { Db } from '../db/database.js';
import { sessions, users, type Role } from '../db/schema.js';

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

/** The session lookup of every signed-in request, as a prepared statement (built once per database). */
function prepareSessionLookup(db: Db) {
  return db
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
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder('tokenHash')),
        gt(sessions.expiresAt, sql.placeholder('now')),
      ),
    )
    .limit(1)
    .prepare('dystrack_session_lookup');
}

const sessionLookups = new WeakMap<Db, ReturnType<typeof prepareSessionLookup>>();

/** The user of a live session token, or null. */
export async function loadSession(
  db: Db,
  token: string,
): Promise<{ user: AuthUser; tokenHash: string } | null> {
  const tokenHash = hashToken(token);
  let lookup = sessionLookups.get(db);
  if (!lookup) sessionLookups.set(db, (lookup = prepareSessionLookup(db)));
  // the ISO text is what drizzle sends for a Date in a timestamp column
  const rows = await lookup.execute({ tokenHash, now: new Date().toISOString() });
  const row = rows[0];
  if (!row) return null;
  return { tokenHash, user: toAuthUser(row, row.scope === 'record' ? 'record' : 'full') };
}

/**
 * The user as routes see it, from a `users` row.
 * @param row - the user's id, names, role and role approval
 * @param scope - the session's scope
 */
export function toAuthUser(
  row: { id: string; username: string; displayName: string; role: Role; roleApprovedAt: Date | null },
  scope: AuthUser['scope'],
): AuthUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    roleApproved: row.role === 'patient' || row.role === 'admin' || row.roleApprovedAt !== null,
    scope,
  };
}

/** Ends one session. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/**
 * Ends every session of a user, or every one but the caller's own.
 * @param db - the database or a transaction
 * @param userId - whose sessions
 * @param exceptTokenHash - the session to keep (the one changing the password)
 */
export async function deleteUserSessions(
  db: Db,
  userId: string,
  exceptTokenHash?: string | null,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      exceptTokenHash
        ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, exceptTokenHash))
        : eq(sessions.userId, userId),
    );
}

/** Removes expired sessions (they are already refused; this only keeps the table small). */
export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
