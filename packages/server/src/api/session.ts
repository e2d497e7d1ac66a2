import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../db/schema.js';
import { errorBodySchema } from '../http/errors.js';
import type { ApiOptions } from './index.js';

/** The signed-in user as the API shows it: `{ id, username, displayName, role, roleApproved, scope }`. */
export const userSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleApproved: z
    .boolean()
    .describe('false for a clinician or researcher account an admin has not approved yet'),
  scope: z.enum(['full', 'record']).describe('`record`: a session that may only record tasks'),
});

/**
 * An error response of a route for the OpenAPI document: `{ code, message, details }`.
 * @param codes - the catalogue codes the route can answer with this status
 */
export function errorResponse(codes: string) {
  return errorBodySchema.describe(codes);
}

/** Who is signed in on this browser. */
export async function sessionRoutes(fastify: FastifyInstance, _options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/session',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, or null',
        response: { 200: z.object({ user: userSchema.nullable() }) },
      },
    },
    async (request) => ({ user: request.user }),
  );
}
