import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { and, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { recoveryCodes } from '../db/schema.js';
import { MIN_PASSWORD_LENGTH, dummyPasswordHash, hashPassword, passwordProblem } from '../auth/passwords.js';
import { consumeRecoveryCode } from '../auth/recovery-codes.js';
import { consumeResetToken, findResetToken } from '../auth/reset-tokens.js';
import { deleteSession, deleteUserSessions } from '../auth/sessions.js';
import { clearSessionCookie, signIn } from '../auth/sign-in.js';
import {
  authenticate,
  createUser,
  findUserById,
  findUserByUsername,
  hashNewPassword,
  normalizeUsername,
  setPasswordHash,
} from '../auth/users.js';
import { finishAuthentication, relyingParty, startAuthentication } from '../auth/webauthn.js';
import type { ApiOptions } from './index.js';
import { authenticationResponseSchema } from './passkeys.js';
import { errorResponse, userSchema } from './session.js';

/**
 * The rate limit of the routes that check a secret (log-in, recovery, reset, passkey): at most
 * `loginRateLimit` attempts per minute per address and user name. It runs as a preHandler, after
 * the body is parsed, so that the key can include the user name.
 * @param config - the server configuration
 */
export function credentialRateLimit(config: ServerConfig): RateLimitOptions {
  return {
    max: config.loginRateLimit,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => {
      const username = (request.body as { username?: unknown } | undefined)?.username;
      return `${request.ip}|${typeof username === 'string' ? normalizeUsername(username) : ''}`;
    },
  };
}

/**
 * The rate limit of routes that cost the server work for anyone (sign-up hashes a password, passkey
 * options store a challenge): at most `loginRateLimit` requests per minute per address.
 * @param config - the server configuration
 */
export function addressRateLimit(config: ServerConfig): RateLimitOptions {
  return {
    max: config.loginRateLimit,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.ip,
  };
}

const usernameField = z.string().min(1).max(64).describe('User name (any case; stored lower-case)');
const passwordField = z.string().min(1).max(1000);
const newPasswordField = z
  .string()
  .max(1000)
  .describe(`New password, at least ${MIN_PASSWORD_LENGTH} characters`);

/** Sign-up, log-in, log-out, recovery, admin reset links and passwordless passkey sign-in. */
export async function authRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const signInDeps = { db, sessionHours: config.sessionHours, secureCookies: options.secureCookies };
  const rateLimit = credentialRateLimit(config);
  const perAddress = addressRateLimit(config);
  // made now, so that the first log-in with an unknown name costs no more than any other
  await dummyPasswordHash();

  app.post(
    '/api/v1/auth/signup',
    {
      config: { access: { public: true }, rateLimit: perAddress },
      schema: {
        tags: ['auth'],
        summary: 'Creates an account (patient, clinician or researcher) and signs in',
        description:
          'Clinician and researcher accounts start with `roleApproved: false` until an admin approves them. ' +
          'The ten recovery codes are shown this once; only their hashes are stored.',
        body: z.strictObject({
          username: z.string().min(3).max(64).describe('3–64 letters, digits, dots, dashes or underscores'),
          password: newPasswordField,
          displayName: z.string().trim().max(100).optional(),
          role: z.enum(['patient', 'clinician', 'researcher']).default('patient'),
        }),
        response: {
          201: z.object({ user: userSchema, recoveryCodes: z.array(z.string()) }),
          400: errorResponse('E_VALIDATION, E_WEAK_PASSWORD'),
          403: errorResponse('E_CSRF'),
          409: errorResponse('E_USERNAME_TAKEN'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const { username, password, displayName, role } = request.body;
      const created = await createUser(db, {
        username,
        password,
        role,
        ...(displayName ? { displayName } : {}),
      });
      const user = await findUserById(db, created.id);
      if (!user) throw new CodedError('E_INTERNAL');
      const signedIn = await signIn(request, reply, signInDeps, user);
      return reply.code(201).send({ user: signedIn, recoveryCodes: created.recoveryCodes });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Signs in with user name and password',
        description:
          'An unknown user name and a wrong password both answer 401 E_CREDENTIALS. Rate-limited per address and user name.',
        body: z.strictObject({ username: usernameField, password: passwordField }),
        response: {
          200: z.object({ user: userSchema }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_CREDENTIALS'),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const user = await authenticate(db, request.body.username, request.body.password);
      if (!user) throw new CodedError('E_CREDENTIALS');
      return { user: await signIn(request, reply, signInDeps, user) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Signs out (ends this session); answers 204 also when no one was signed in',
        response: { 204: z.null().describe('Signed out'), 403: errorResponse('E_CSRF') },
      },
    },
    async (request, reply) => {
      if (request.sessionTokenHash) await deleteSession(db, request.sessionTokenHash);
      clearSessionCookie(reply, options.secureCookies);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/recover',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sets a new password with a recovery code and signs in',
        description:
          'Each recovery code works once. All other sessions of the account end. ' +
          'An unknown user name and a wrong or used code both answer 401 E_CREDENTIALS. Rate-limited per address and user name.',
        body: z.strictObject({
          username: usernameField,
          recoveryCode: z
            .string()
            .min(1)
            .max(64)
            .describe('xxxx-xxxx-xxxx; case, spaces and dashes do not matter'),
          newPassword: newPasswordField,
        }),
        response: {
          200: z.object({
            user: userSchema,
            recoveryCodesLeft: z.number().int().describe('unused recovery codes left'),
          }),
          400: errorResponse('E_VALIDATION, E_WEAK_PASSWORD'),
          401: errorResponse('E_CREDENTIALS'),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const { username, recoveryCode, newPassword } = request.body;
      const problem = passwordProblem(newPassword, normalizeUsername(username));
      if (problem) throw new CodedError('E_WEAK_PASSWORD', problem);
      // hashed before looking at the account: known and unknown user names take the same time
      const passwordHash = await hashPassword(newPassword);
      const user = await findUserByUsername(db, username);
      const wrong = () => new CodedError('E_CREDENTIALS', 'The user name or recovery code is not correct.');
      if (!user) throw wrong();
      await db.transaction(async (tx) => {
        if (!(await consumeRecoveryCode(tx, user.id, recoveryCode))) throw wrong();
        await setPasswordHash(tx, user.id, passwordHash);
        await deleteUserSessions(tx, user.id);
      });
      const signedIn = await signIn(request, reply, signInDeps, user);
      return { user: signedIn, recoveryCodesLeft: await unusedRecoveryCodes(db, user.id) };
    },
  );

  app.post(
    '/api/v1/auth/reset',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sets a new password with an admin-issued reset link and signs in',
        description:
          'The token comes from the link `/reset?token=…` (valid 24 hours, single use). All other sessions of the account end. ' +
          'An unknown, used or expired token answers 400 E_TOKEN_INVALID; a weak password (400 E_WEAK_PASSWORD) leaves the link usable.',
        body: z.strictObject({ token: z.string().min(1).max(200), newPassword: newPasswordField }),
        response: {
          200: z.object({ user: userSchema }),
          400: errorResponse('E_VALIDATION, E_WEAK_PASSWORD, E_TOKEN_INVALID'),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const { token, newPassword } = request.body;
      const found = await findResetToken(db, token);
      const user = found && (await findUserById(db, found.userId));
      if (!user) throw new CodedError('E_TOKEN_INVALID');
      const passwordHash = await hashNewPassword(newPassword, user.username);
      await db.transaction(async (tx) => {
        if (!(await consumeResetToken(tx, token))) throw new CodedError('E_TOKEN_INVALID');
        await setPasswordHash(tx, user.id, passwordHash);
        await deleteUserSessions(tx, user.id);
      });
      return { user: await signIn(request, reply, signInDeps, user) };
    },
  );

  app.post(
    '/api/v1/auth/passkey/options',
    {
      config: { access: { public: true }, rateLimit: perAddress },
      schema: {
        tags: ['auth'],
        summary: 'Starts a passwordless sign-in with a passkey',
        description:
          'Pass `options` to `startAuthentication({ optionsJSON: options })` of @simplewebauthn/browser, then send its result ' +
          'with `challengeId` to /api/v1/auth/passkey/verify within 5 minutes. No credentials are listed: the browser offers ' +
          'the discoverable passkeys it holds for this site.',
        response: {
          200: z.object({
            challengeId: z.uuid(),
            options: z
              .looseObject({
                challenge: z.string(),
                rpId: z.string().optional(),
                timeout: z.number().optional(),
              })
              .describe('PublicKeyCredentialRequestOptionsJSON'),
          }),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const { challengeId, options: credentialOptions } = await startAuthentication(
        db,
        relyingParty(config.publicUrl, request),
      );
      return { challengeId, options: { ...credentialOptions } };
    },
  );

  app.post(
    '/api/v1/auth/passkey/verify',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Finishes a passwordless sign-in with a passkey',
        description:
          'Answers 400 E_PASSKEY with `details.reason`: `challenge` (unknown, used or expired challenge: start again), ' +
          '`unknown-credential` (the passkey is not registered here) or `verification`. Rate-limited per address.',
        body: z.strictObject({ challengeId: z.uuid(), response: authenticationResponseSchema }),
        response: {
          200: z.object({ user: userSchema }),
          400: errorResponse('E_VALIDATION, E_PASSKEY'),
          403: errorResponse('E_CSRF'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const { userId } = await finishAuthentication(db, relyingParty(config.publicUrl, request), {
        challengeId: request.body.challengeId,
        response: request.body.response as unknown as AuthenticationResponseJSON,
      });
      const user = await findUserById(db, userId);
      if (!user) throw new CodedError('E_PASSKEY', undefined, { reason: 'unknown-credential' });
      return { user: await signIn(request, reply, signInDeps, user) };
    },
  );
}

/**
 * How many unused recovery codes an account has left.
 * @param db - the database
 * @param userId - the account
 */
export async function unusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(rows[0]?.n ?? 0);
}
