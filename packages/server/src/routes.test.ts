import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ACTIONS } from './authz.js';
import { appWithRoutes, samplePath, type CollectedRoute } from './test-utils/route-table.js';
import { TestClient } from './test-utils/test-app.js';

/**
 * State-changing routes that may skip the CSRF check, each with its reason. Empty: every route is
 * reached with the session cookie, so every one needs the token.
 */
const CSRF_EXEMPT: Record<string, string> = {};

/** Routes under /api that are not API operations and so have no entry in the OpenAPI document. */
const UNDOCUMENTED = [/^\/api\/openapi\.json$/, /^\/api\/docs(\/|$)/];

const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The route-table guard: every problem of every route, as `METHOD url: problem` lines.
 * - every route declares a valid `config.access`;
 * - every state-changing route is CSRF-protected: not opted out (outside {@link CSRF_EXEMPT}) and
 *   actually answers 403 E_CSRF when the token header is missing;
 * - every /api route is in the OpenAPI document (except the document and the docs pages).
 */
async function routeProblems(app: FastifyInstance, routes: CollectedRoute[]): Promise<string[]> {
  const problems: string[] = [];
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  const client = new TestClient(app);
  for (const { method, url, options } of routes) {
    const where = `${method} ${url}`;
    const access = options.config?.access;
    if (!access) problems.push(`${where}: no config.access`);
    else if (!('public' in access && access.public === true)) {
      if (!('action' in access) || !Object.hasOwn(ACTIONS, access.action))
        problems.push(`${where}: unknown access action`);
      if (!('patient' in access) || !['subject', 'none', 'resource'].includes(access.patient))
        problems.push(`${where}: bad access.patient`);
    }
    if (UNSAFE.includes(method)) {
      const exempt = Object.hasOwn(CSRF_EXEMPT, where);
      if (options.config?.csrf === false && !exempt)
        problems.push(`${where}: csrf disabled without a listed reason`);
      if (!exempt) {
        const response = await client.request({
          method: method as 'POST',
          url: samplePath(url),
          headers: { 'content-type': 'application/json' },
          payload: '{}',
          csrf: false,
        });
        if (response.statusCode !== 403 || response.json().code !== 'E_CSRF') {
          problems.push(`${where}: answered ${response.statusCode} without a CSRF token`);
        }
      }
    }
    if (url.startsWith('/api/') && !UNDOCUMENTED.some((pattern) => pattern.test(url)) && method !== 'HEAD') {
      if (!doc.paths[openApiPath(url)]?.[method.toLowerCase()])
        problems.push(`${where}: not in the OpenAPI document`);
    }
  }
  return problems;
}

describe('route table', () => {
  let built: Awaited<ReturnType<typeof appWithRoutes>>;
  beforeAll(async () => {
    built = await appWithRoutes();
  });
  afterAll(async () => {
    await built.app.close();
    await built.database.close();
  });

  it('the collector sees the whole table, API, docs and health included', () => {
    const table = built.routes.map((r) => `${r.method} ${r.url}`);
    for (const route of [
      'GET /api/v1/health',
      'POST /api/v1/recordings',
      'GET /api/v1/recordings/:id',
      'DELETE /api/v1/recordings/:id',
      'GET /api/v1/audit',
      'GET /api/v1/schedule',
      'PUT /api/v1/schedule',
      'GET /api/v1/schedule/due',
      'GET /api/v1/calendar/token',
      'POST /api/v1/calendar/token',
      'DELETE /api/v1/calendar/token',
      'GET /calendar/:file',
      'GET /api/v1/push/public-key',
      'POST /api/v1/push/subscriptions',
      'DELETE /api/v1/push/subscriptions',
      'POST /api/v1/push/test',
      'GET /api/v1/crisis-resources',
      'GET /api/openapi.json',
      'GET /api/docs',
    ]) {
      expect(table).toContain(route);
    }
    expect(built.routes.filter((r) => UNSAFE.includes(r.method)).length).toBeGreaterThan(0);
  });

  it('every route declares access, every state-changing route is CSRF-protected, every API route is documented', async () => {
    expect(await routeProblems(built.app, built.routes)).toEqual([]);
  });

  it('the CSRF allow-list names only real routes, and is empty today', () => {
    const table = built.routes.map((r) => `${r.method} ${r.url}`);
    for (const route of Object.keys(CSRF_EXEMPT)) expect(table).toContain(route);
    expect(Object.keys(CSRF_EXEMPT)).toEqual([]);
  });

  it('the guard catches a route without access, one without CSRF and one hidden from the OpenAPI document', async () => {
    const bad = await appWithRoutes((app) => {
      app.get('/api/v1/test-no-access', async () => ({ ok: true }));
      app.post('/api/v1/test-no-csrf', { config: { access: { public: true }, csrf: false } }, async () => ({
        ok: true,
      }));
      app.get(
        '/api/v1/test-hidden',
        { config: { access: { public: true } }, schema: { hide: true } },
        async () => ({ ok: true }),
      );
    });
    try {
      const problems = await routeProblems(bad.app, bad.routes);
      expect(problems.filter((p) => p.includes('/api/v1/test-'))).toEqual([
        'GET /api/v1/test-no-access: no config.access',
        'HEAD /api/v1/test-no-access: no config.access',
        'POST /api/v1/test-no-csrf: csrf disabled without a listed reason',
        'POST /api/v1/test-no-csrf: answered 200 without a CSRF token',
        'GET /api/v1/test-hidden: not in the OpenAPI document',
      ]);
      expect(problems.filter((p) => !p.includes('/api/v1/test-'))).toEqual([]);
    } finally {
      await bad.app.close();
      await bad.database.close();
    }
  });

  it('a route without an access rule fails closed at request time too', async () => {
    const bad = await appWithRoutes((app) => {
      app.get('/api/v1/test-no-access', async () => ({ secret: 'patient data' }));
    });
    try {
      const response = await bad.app.inject({ method: 'GET', url: '/api/v1/test-no-access' });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('patient data');
    } finally {
      await bad.app.close();
      await bad.database.close();
    }
  });
});
