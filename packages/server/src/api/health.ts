import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, RECORDING_SCHEMAS } from '@dystrack/core';
import type { ApiOptions } from './index.js';

/** Liveness and version: whether the database answers, and which recording schema versions are accepted. */
export async function healthRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/health',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['system'],
        summary: 'Whether the server and its database are up',
        response: {
          200: z.object({
            ok: z.literal(true),
            database: z.enum(['pglite', 'postgres']),
            schemaVersion: z.number().int(),
            acceptedSchemaVersions: z.array(z.number().int()),
          }),
        },
      },
    },
    async () => {
      await options.db.execute(sql`select 1`);
      return {
        ok: true as const,
        database: options.databaseKind,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        acceptedSchemaVersions: Object.keys(options.schemas.versions ?? RECORDING_SCHEMAS.versions).map(
          Number,
        ),
      };
    },
  );
}
