import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-utils/test-app.js';

describe('app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/v1/health answers with the database kind and the accepted schema versions', async () => {
    const response = await t.client().get('/api/v1/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      ok: true,
      database: t.database.kind,
      acceptedSchemaVersions: [1],
    });
  });

  it('every response is cross-origin isolated', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  it('an unknown API route is a coded 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'E_ROUTE_NOT_FOUND' });
  });
});

describe('serving the web app', () => {
  let t: TestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'dystrack-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(
      join(webDir, 'index.html'),
      '<!doctype html><title>Dystrack</title><script type="module" src="/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(webDir, 'assets/app-1a2b.js'), 'console.log("app")');
    writeFileSync(join(webDir, 'sw.js'), 'self.addEventListener("push", () => {})');
    writeFileSync(join(webDir, 'manifest.webmanifest'), '{"name":"Dystrack"}');
    t = await createTestApp({ config: { webDir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves index.html for the app pages, cross-origin isolated and not cached', async () => {
    for (const url of ['/', '/recordings', '/tasks/tapping?hand=left']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>Dystrack</title>');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable, with the isolation headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log("app")');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('serves the service worker uncached (so that a new version is found at once) and the manifest with its type, both isolated', async () => {
    const worker = await t.app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    const manifest = await t.app.inject({ method: 'GET', url: '/manifest.webmanifest' });
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    for (const response of [worker, manifest]) {
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('answers a coded 404 for a missing file or API route instead of the page', async () => {
    for (const url of ['/assets/missing-9z.js', '/api/v1/nothing-here']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'E_ROUTE_NOT_FOUND' });
    }
  });
});
