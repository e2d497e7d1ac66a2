import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { AuthUser } from '../authz.js';
import type { ServerConfig } from '../config.js';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { replaceRecoveryCodes } from '../auth/recovery-codes.js';
import { clearSessionCookie } from '../auth/sign-in.js';
import { changePassword, deleteAccount, verifyUserPassword } from '../auth/users.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';

/**
 * The rate limit of signed-in routes that check the password again: at most `loginRateLimit`
 * attempts per minute per address and account (a stolen session cannot guess the password quickly).
 * @param config - the server configuration
 */
export function accountRateLimit(config: ServerConfig): RateLimitOptions {
  return {
    max: config.loginRateLimit,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) => `${request.ip}|${request.user?.id ?? ''}`,
  };
}

/** The password check of these routes: 401 E_CREDENTIALS with `details.field` naming the field. */
function wrongPassword(field: string): CodedError {
  return new CodedError('E_CREDENTIALS', 'The password is not correct.', { field });
}

/** The signed-in user's own account: password, recovery codes, deletion. */
export async function accountRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const rateLimit = accountRateLimit(config);
  const signedIn = (request: FastifyRequest): AuthUser => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user;
  };

  app.post(
    '/api/v1/account/password',
    {
      config: { access: { action: 'account.update', patient: 'none' }, rateLimit },
      schema: {
        tags: ['account'],
        summary: 'Changes the password; every other session of the account ends',
        description:
          'A wrong current password answers 401 E_CREDENTIALS with `details.field: "currentPassword"`.',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(1000),
          newPassword: z.string().max(1000).describe(`at least ${MIN_PASSWORD_LENGTH} characters`),
        }),
        response: {
          204: z.null().describe('Changed'),
          400: errorResponse('E_VALIDATION, E_WEAK_PASSWORD'),
          401: errorResponse('E_UNAUTHENTICATED, E_CREDENTIALS'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const user = await verifyUserPassword(db, signedIn(request).id, request.body.currentPassword);
      if (!user) throw wrongPassword('currentPassword');
      await changePassword(db, user, request.body.newPassword, request.sessionTokenHash);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/account/recovery-codes',
    {
      config: { access: { action: 'account.update', patient: 'none' }, rateLimit },
      schema: {
        tags: ['account'],
        summary: 'Replaces the recovery codes with ten new ones (shown this once)',
        body: z.strictObject({ password: z.string().min(1).max(1000) }),
        response: {
          200: z.object({ recoveryCodes: z.array(z.string()).describe('xxxx-xxxx-xxxx, each usable once') }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED, E_CREDENTIALS'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request) => {
      const user = await verifyUserPassword(db, signedIn(request).id, request.body.password);
      if (!user) throw wrongPassword('password');
      const recoveryCodes = await db.transaction((tx) => replaceRecoveryCodes(tx, user.id));
      return { recoveryCodes };
    },
  );

  app.delete(
    '/api/v1/account',
    {
      config: { access: { action: 'account.delete', patient: 'subject' }, rateLimit },
      schema: {
        tags: ['account'],
        summary: 'Deletes the account and all its data, for good',
        description:
          'Deletes, in one transaction, the account, its sessions, passkeys, recovery codes, profile, recordings and the audit ' +
          'records about its data, then keeps one audit record `account.delete` with no personal data. Signs out. ' +
          'The last admin account cannot be deleted (409 E_CONFLICT).',
        body: z.strictObject({ password: z.string().min(1).max(1000) }),
        response: {
          204: z.null().describe('Deleted'),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED, E_CREDENTIALS'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          409: errorResponse('E_CONFLICT (the last admin)'),
          429: errorResponse('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const user = await verifyUserPassword(db, signedIn(request).id, request.body.password);
      if (!user) throw wrongPassword('password');
      await deleteAccount(db, user, {
        method: request.method,
        route: request.routeOptions.url ?? request.url,
      });
      // the deletion wrote its own audit record, without address or browser; nothing else about this user stays
      request.auditEntries = [];
      clearSessionCookie(reply, options.secureCookies);
      return reply.code(204).send(null);
    },
  );
}
