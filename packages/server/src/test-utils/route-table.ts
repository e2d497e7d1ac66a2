import { randomUUID } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../app.js';
import { testConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { createTestDatabase } from './test-database.js';

/** One method of one route, as Fastify registered it. */
export interface CollectedRoute {
  method: string;
  url: string;
  options: RouteOptions;
}

/** Builds the app on a fresh database, collecting every route as Fastify registers it. */
export async function appWithRoutes(
  extra?: (app: FastifyInstance) => void,
): Promise<{ app: FastifyInstance; routes: CollectedRoute[]; database: Database }> {
  const database = await createTestDatabase();
  const collected: RouteOptions[] = [];
  const app = await buildApp({
    db: database.db,
    config: testConfig(),
    databaseKind: database.kind,
    onRoute: (route) => collected.push(route),
  });
  extra?.(app);
  await app.ready();
  const routes = collected.flatMap((options) =>
    (Array.isArray(options.method) ? options.method : [options.method]).map((method) => ({
      method,
      url: options.url,
      options,
    })),
  );
  return { app, routes, database };
}

/** A request path for a route pattern: parameters filled with UUIDs, wildcards with a name. */
export function samplePath(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*$/, 'x');
}
