import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import { ROLES } from '../db/schema.js';
import { issueResetToken } from '../auth/reset-tokens.js';
import { approveRole, findUserById, listAccounts, type AccountSummary } from '../auth/users.js';
import type { ApiOptions } from './index.js';
import { errorResponse } from './session.js';
import { appUrl } from '../http/app-url.js';

/** An account as an admin sees it: names, role and approval, nothing of the patient's data. */
export const accountSummarySchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleApproved: z.boolean(),
  roleApprovedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

function toJson(account: AccountSummary): z.infer<typeof accountSummarySchema> {
  return {
    ...account,
    roleApprovedAt: account.roleApprovedAt?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
  };
}

const userParams = z.object({ id: z.uuid() });

/** Account administration: the list of accounts, role approval and password-reset links. */
export async function adminRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;
  const adminId = (request: FastifyRequest): string => {
    if (!request.user) throw new CodedError('E_UNAUTHENTICATED');
    return request.user.id;
  };

  app.get(
    '/api/v1/admin/users',
    {
      config: { access: { action: 'admin.users.read', patient: 'none' } },
      schema: {
        tags: ['admin'],
        summary: 'All accounts with role and approval, oldest first (no patient data)',
        response: {
          200: z.object({ items: z.array(accountSummarySchema) }),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async () => ({ items: (await listAccounts(db)).map(toJson) }),
  );

  app.post(
    '/api/v1/admin/users/:id/approve',
    {
      config: { access: { action: 'admin.users.write', patient: 'none' } },
      schema: {
        tags: ['admin'],
        summary: 'Approves the role of a clinician or researcher account',
        description:
          'Approving an approved account changes nothing. Patient and admin accounts answer 409 E_CONFLICT.',
        params: userParams,
        response: {
          200: z.object({ user: accountSummarySchema }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          404: errorResponse('E_NOT_FOUND'),
          409: errorResponse('E_CONFLICT'),
        },
      },
    },
    async (request) => {
      const account = await approveRole(db, request.params.id, adminId(request));
      request.audit({ action: 'admin.users.approve', patientId: null, resource: `user:${account.id}` });
      return { user: toJson(account) };
    },
  );

  app.post(
    '/api/v1/admin/users/:id/reset-link',
    {
      config: { access: { action: 'admin.users.write', patient: 'none' } },
      schema: {
        tags: ['admin'],
        summary: 'Issues a single-use password-reset link for an account (valid 24 hours)',
        description:
          'Hand the link to the account holder yourself (there is no e-mail). Issuing a new link voids the earlier unused ones. ' +
          'The link opens `/reset?token=…` in the web app, which posts the token to /api/v1/auth/reset.',
        params: userParams,
        response: {
          200: z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
          404: errorResponse('E_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const user = await findUserById(db, request.params.id);
      if (!user) throw new CodedError('E_NOT_FOUND', 'There is no such account.');
      const { token, expiresAt } = await issueResetToken(db, user.id, adminId(request));
      // recorded in the account holder's audit trail: someone else could now set their password
      request.audit({ action: 'admin.users.reset-link', patientId: user.id, resource: `user:${user.id}` });
      const base = appUrl(config.publicUrl, request);
      return { url: `${base}/reset?token=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
    },
  );
}
