import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { auditLog, users, type Role } from '../db/schema.js';
import { hashPassword, passwordProblem, verifyPasswordOrDummy } from './passwords.js';
import { replaceRecoveryCodes } from './recovery-codes.js';
import { deleteUserSessions } from './sessions.js';

/** User names: 3–64 characters, letters, digits, dot, dash, underscore; stored lower-case. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/**
 * The canonical form of a user name: trimmed, lower case.
 * @param username - as typed
 */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  role?: Role;
  /** Approve a clinician or researcher role at once (admin-created accounts). */
  approved?: boolean;
  approvedBy?: string;
}

/** A new account and its recovery codes (shown once, never stored in clear). */
export interface CreatedUser {
  id: string;
  username: string;
  role: Role;
  recoveryCodes: string[];
}

/**
 * Creates a user with an argon2id password hash and a fresh set of recovery codes, in one transaction.
 * @param db - the database
 * @param input - user name, password, display name, role and approval
 * @throws CodedError E_VALIDATION for a bad user name, E_WEAK_PASSWORD, E_USERNAME_TAKEN
 */
export async function createUser(db: Db, input: NewUser): Promise<CreatedUser> {
  const username = normalizeUsername(input.username);
  if (!USERNAME_PATTERN.test(username)) {
    throw new CodedError(
      'E_VALIDATION',
      'User names have 3–64 letters, digits, dots, dashes or underscores.',
      {
        issues: [{ path: 'username', message: 'invalid user name' }],
      },
    );
  }
  const problem = passwordProblem(input.password, username);
  if (problem) throw new CodedError('E_WEAK_PASSWORD', problem);
  const role = input.role ?? 'patient';
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        id,
        username,
        displayName: input.displayName?.trim() || username,
        passwordHash,
        role,
        roleApprovedAt: input.approved ? new Date() : null,
        roleApprovedBy: input.approved ? (input.approvedBy ?? null) : null,
        passwordChangedAt: new Date(),
      })
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id });
    if (inserted.length === 0) throw new CodedError('E_USERNAME_TAKEN');
    const recoveryCodes = await replaceRecoveryCodes(tx, id);
    return { id, username, role, recoveryCodes };
  });
}

/**
 * Finds a user by user name (case-insensitive).
 * @param db - the database
 * @param username - as typed
 */
export async function findUserByUsername(db: Db, username: string): Promise<UserRow | null> {
  const rows = await db
    .select()
    .from(users)
    .where(eq(users.username, normalizeUsername(username)))
    .limit(1);
  return rows[0] ?? null;
}

/** A user row as the account routes need it. */
export type UserRow = typeof users.$inferSelect;

/**
 * Finds a user by id.
 * @param db - the database
 * @param id - the user's id
 */
export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ?? null;
}

/**
 * Creates an admin account, approved at once (the command line's `dystrack admin create`; the API
 * never creates admins).
 * @param db - the database
 * @param input - user name, password and an optional display name
 * @throws CodedError E_VALIDATION, E_WEAK_PASSWORD, E_USERNAME_TAKEN
 */
export async function createAdmin(
  db: Db,
  input: { username: string; password: string; displayName?: string },
): Promise<CreatedUser> {
  return createUser(db, { ...input, role: 'admin', approved: true });
}

/**
 * Checks a user name and password. An unknown user name and a wrong password give the same answer
 * and cost the same argon2 time (the unknown case is checked against a dummy hash).
 * @param db - the database
 * @param username - as typed (any case)
 * @param password - as typed
 * @returns the user, or null when the credentials are not correct
 */
export async function authenticate(db: Db, username: string, password: string): Promise<UserRow | null> {
  const user = await findUserByUsername(db, username);
  const ok = await verifyPasswordOrDummy(user?.passwordHash, password);
  return ok ? user : null;
}

/**
 * Checks the password of a signed-in user (before changing the password, regenerating recovery codes
 * or deleting the account).
 * @param db - the database
 * @param userId - the signed-in user
 * @param password - as typed
 * @returns the user, or null when the password is not correct
 */
export async function verifyUserPassword(db: Db, userId: string, password: string): Promise<UserRow | null> {
  const user = await findUserById(db, userId);
  const ok = await verifyPasswordOrDummy(user?.passwordHash, password);
  return ok ? user : null;
}

/**
 * Sets a user's password hash (hash it first, outside any transaction: argon2 takes ~50 ms).
 * @param db - the database or a transaction
 * @param userId - whose password
 * @param passwordHash - the new argon2id hash
 */
export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, userId));
}

/**
 * Hashes a new password after checking that it is acceptable for this user.
 * @param password - the new password
 * @param username - the user's name (a password may not contain it)
 * @throws CodedError E_WEAK_PASSWORD
 */
export async function hashNewPassword(password: string, username: string): Promise<string> {
  const problem = passwordProblem(password, username);
  if (problem) throw new CodedError('E_WEAK_PASSWORD', problem);
  return hashPassword(password);
}

/**
 * Changes a user's password and ends every other session of the user, in one transaction.
 * @param db - the database
 * @param user - the user (with the name the password is checked against)
 * @param newPassword - the new password
 * @param keepTokenHash - the session that made the change, which stays signed in
 * @throws CodedError E_WEAK_PASSWORD
 */
export async function changePassword(
  db: Db,
  user: { id: string; username: string },
  newPassword: string,
  keepTokenHash: string | null,
): Promise<void> {
  const passwordHash = await hashNewPassword(newPassword, user.username);
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    await deleteUserSessions(tx, user.id, keepTokenHash);
  });
}

/** What an admin sees of an account: no patient data. */
export interface AccountSummary {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleApproved: boolean;
  roleApprovedAt: Date | null;
  createdAt: Date;
}

function toSummary(
  row: Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'roleApprovedAt' | 'createdAt'>,
): AccountSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    roleApproved: row.role === 'patient' || row.role === 'admin' || row.roleApprovedAt !== null,
    roleApprovedAt: row.roleApprovedAt,
    createdAt: row.createdAt,
  };
}

const SUMMARY_COLUMNS = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  roleApprovedAt: users.roleApprovedAt,
  createdAt: users.createdAt,
};

/**
 * All accounts, oldest first, with role and approval (for admins; nothing of any patient's data).
 * @param db - the database
 */
export async function listAccounts(db: Db): Promise<AccountSummary[]> {
  const rows = await db
    .select(SUMMARY_COLUMNS)
    .from(users)
    .orderBy(asc(users.createdAt), asc(users.username));
  return rows.map(toSummary);
}

/**
 * Approves the clinician or researcher role of an account (again approving an approved one changes nothing).
 * @param db - the database
 * @param userId - the account
 * @param adminId - the approving admin
 * @throws CodedError E_NOT_FOUND for an unknown account, E_CONFLICT for a patient or admin account
 */
export async function approveRole(db: Db, userId: string, adminId: string): Promise<AccountSummary> {
  const user = await findUserById(db, userId);
  if (!user) throw new CodedError('E_NOT_FOUND', 'There is no such account.');
  if (user.role !== 'clinician' && user.role !== 'researcher') {
    throw new CodedError('E_CONFLICT', 'Only clinician and researcher accounts need approval.', {
      role: user.role,
    });
  }
  if (user.roleApprovedAt) return toSummary(user);
  const rows = await db
    .update(users)
    .set({ roleApprovedAt: new Date(), roleApprovedBy: adminId })
    .where(eq(users.id, userId))
    .returning(SUMMARY_COLUMNS);
  return toSummary(rows[0] ?? user);
}

/**
 * Deletes an account and everything that belongs to it, in one transaction: the user row (sessions,
 * passkeys, challenges, recovery codes, reset links, profile and recordings follow by cascade) and
 * the audit rows about the user's data or of the user's own actions on no one else's data. Audit rows
 * of the user's actions on another patient's data stay: they are that patient's record.
 * Then one audit row `account.delete` remains, with the deleted id as actor and no personal data.
 * @param db - the database
 * @param user - the account to delete
 * @param request - method and route for the audit row
 * @throws CodedError E_CONFLICT when it is the last admin account
 */
export async function deleteAccount(
  db: Db,
  user: { id: string; role: Role },
  request: { method: string; route: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (user.role === 'admin') {
      const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(2);
      if (admins.length < 2) throw new CodedError('E_CONFLICT', 'The last admin account cannot be deleted.');
    }
    await tx
      .delete(auditLog)
      .where(
        or(eq(auditLog.patientId, user.id), and(eq(auditLog.actorId, user.id), isNull(auditLog.patientId))),
      );
    await tx.delete(users).where(eq(users.id, user.id));
    await tx.insert(auditLog).values({
      actorId: user.id,
      actorRole: user.role,
      patientId: null,
      action: 'account.delete',
      resource: null,
      method: request.method,
      route: request.route,
      status: 204,
      ip: null,
      userAgent: null,
      details: null,
    });
  });
}
