import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-utils/test-app.js';

/** The `src` and `href` attributes of an HTML page. */
function references(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((match) => match[1]!);
}

/** A CSP header as a map of directive to sources. */
function parseCsp(header: string): Map<string, string[]> {
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('/api/openapi.json is an OpenAPI 3.1 document listing the API routes with their operations', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/recordings',
        '/api/v1/recordings/{id}',
        '/api/v1/audit',
        '/api/v1/schedule',
        '/api/v1/schedule/due',
        '/api/v1/calendar/token',
        '/api/v1/crisis-resources',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/recordings/{id}']).sort()).toEqual(['delete', 'get']);
    expect(
      Object.keys(doc.paths).some((path) => path.startsWith('/api/docs') || path === '/api/openapi.json'),
    ).toBe(false);
    const upload = doc.paths['/api/v1/recordings'].post;
    expect(Object.keys(upload.responses)).toEqual(
      expect.arrayContaining(['200', '201', '400', '409', '410', '413', '415']),
    );
    const get = doc.paths['/api/v1/recordings/{id}'].get;
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });

  it('documents the upload body with the v1 recording schema, although the handler validates it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const body = doc.paths['/api/v1/recordings'].post.requestBody;
    expect(body.required).toBe(true);
    const schema = body.content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'schemaVersion', 'taskId', 'streams', 'device', 'timing']),
    );
    expect(schema.properties.schemaVersion).toMatchObject({ enum: [1] });
    expect(schema.properties.taskId.enum).toEqual(expect.arrayContaining(['typing', 'tapping', 'scale']));
  });

  it('/api/docs serves HTML whose scripts and styles all come from this origin, with no inline script', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      const html = response.body;
      expect(html).not.toMatch(/https?:\/\//i);
      expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const [, attributes, content] of scripts) {
        expect(attributes).toMatch(/\bsrc=/);
        expect(content!.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b|\son[a-z]+\s*=/i);
      const refs = references(html);
      expect(refs.length).toBeGreaterThanOrEqual(5);
      for (const ref of refs) {
        const resolved = new URL(ref, `http://localhost${url}`);
        expect(resolved.origin, ref).toBe('http://localhost');
        const asset = await t.app.inject({ method: 'GET', url: resolved.pathname });
        expect(asset.statusCode, resolved.pathname).toBe(200);
        expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin');
      }
    }
  });

  it('the docs page, its assets and its document are cross-origin isolated', async () => {
    for (const url of [
      '/api/docs',
      '/api/docs/static/swagger-ui-bundle.js',
      '/api/docs/static/swagger-ui.css',
      '/api/docs/json',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });

  it('the CSP lets the page work: same-origin scripts, inline styles and data: images, fetches to itself, nothing else', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    const csp = parseCsp(String(page.headers['content-security-policy']));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    // the initializer is a same-origin script (allowed by script-src 'self'), points at the document
    // beside it, and turns off the remote validator badge
    const initializer = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain("resolveUrl('./json')");
    expect(initializer.body).toMatch(/validatorUrl: null/);
    const json = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.json().openapi).toBe('3.1.0');
  });
});
