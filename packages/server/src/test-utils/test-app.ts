import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SchemaRegistry } from '@dystrack/core';
import { buildApp } from '../app.js';
import { testConfig, type ServerConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { createTestDatabase } from './test-database.js';

/** An app on a fresh test database, with a cookie-keeping client. */
export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** A new client with its own cookie jar (a browser of its own). */
  client(): TestClient;
  close(): Promise<void>;
}

/** Builds the app on a fresh database. Close it in afterEach/afterAll. */
export async function createTestApp(
  options: {
    config?: Partial<ServerConfig>;
    schemas?: SchemaRegistry;
    /** Adds routes of the test's own (with their access rules) before the app is ready. */
    routes?: (app: FastifyInstance) => void;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({
    db: database.db,
    config: testConfig(options.config),
    databaseKind: database.kind,
    ...(options.schemas ? { schemas: options.schemas } : {}),
  });
  options.routes?.(app);
  await app.ready();
  return {
    app,
    database,
    client: () => new TestClient(app),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/**
 * A client that keeps cookies like a browser and sends the CSRF header on state-changing requests,
 * the way the web app does.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse> {
    const { csrf = true, ...inject } = options;
    if (!this.cookies.has('dystrack_csrf'))
      await this.remember(await this.app.inject({ method: 'GET', url: '/api/v1/health' }));
    const headers: Record<string, string> = { ...(inject.headers as Record<string, string> | undefined) };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const method = (inject.method ?? 'GET').toUpperCase();
    if (csrf && !['GET', 'HEAD', 'OPTIONS'].includes(method))
      headers['x-csrf-token'] = this.cookies.get('dystrack_csrf') ?? '';
    const response = await this.app.inject({ ...inject, headers });
    await this.remember(response);
    return response;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url });
  }

  post(url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.request({
      method: 'POST',
      url,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  }

  put(url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.request({
      method: 'PUT',
      url,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  }

  delete(url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return this.request({
      method: 'DELETE',
      url,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  }

  private async remember(response: LightMyRequestResponse): Promise<void> {
    for (const cookie of response.cookies) {
      if (cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
}
