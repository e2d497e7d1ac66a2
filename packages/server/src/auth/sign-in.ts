import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '../authz.js';
import type { Db } from '../db/database.js';
import { cookieOptions } from '../http/security.js';
import {
  SESSION_COOKIE,
  createSession,
  deleteSession,
  purgeExpiredSessions,
  toAuthUser,
} from './sessions.js';
import type { UserRow } from './users.js';

/** What signing in needs from the app. */
export interface SignInDeps {
  db: Db;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** Whether cookies get the Secure attribute. */
  secureCookies: boolean;
}

/**
 * Signs a user in on this request: ends the session the browser had (no session fixation), starts a
 * new full session and sets the `dystrack_session` cookie (HttpOnly, SameSite=Lax, Secure over https,
 * expiring with the session).
 * @param request - the request (its user becomes the signed-in user)
 * @param reply - the reply that carries the cookie
 * @param deps - database, session lifetime, cookie security
 * @param user - the account signing in
 * @returns the user as routes and the web app see it
 */
export async function signIn(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: SignInDeps,
  user: Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'roleApprovedAt'>,
): Promise<AuthUser> {
  if (request.sessionTokenHash) await deleteSession(deps.db, request.sessionTokenHash);
  await purgeExpiredSessions(deps.db);
  const { token, expiresAt } = await createSession(deps.db, user.id, {
    hours: deps.sessionHours,
    ip: request.ip,
    userAgent: request.headers['user-agent'],
  });
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(deps.secureCookies, true), expires: expiresAt });
  request.user = toAuthUser(user, 'full');
  return request.user;
}

/**
 * Removes the session cookie from the browser (the session row is deleted by the caller or is gone).
 * @param reply - the reply that carries the expired cookie
 * @param secureCookies - whether cookies get the Secure attribute
 */
export function clearSessionCookie(reply: FastifyReply, secureCookies: boolean): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(secureCookies, true));
}
