import type { FastifyInstance } from 'fastify';
import type { SchemaRegistry } from '@dystrack/core';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { healthRoutes } from './health.js';

/** What every API module gets. */
export interface ApiOptions {
  db: Db;
  config: ServerConfig;
  schemas: SchemaRegistry;
  databaseKind: 'pglite' | 'postgres';
  secureCookies: boolean;
}

/** Registers every API module. */
export async function registerApi(app: FastifyInstance, options: ApiOptions): Promise<void> {
  await app.register(healthRoutes, options);
}
