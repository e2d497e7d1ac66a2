import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { ERRORS, isErrorCode, type ErrorCode } from '@dystrack/core';
import { BODY_LIMIT_BYTES, buildApp } from '../app.js';
import { testConfig } from '../config.js';
import { recordings } from '../db/schema.js';
import { TestClient, createTestApp, type TestApp } from '../test-utils/test-app.js';
import { createTestDatabase } from '../test-utils/test-database.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { sampleRecording } from '../test-utils/recordings.js';

/** Checks the one error shape: a catalogue code with its status, a message, optional details, nothing else, no stack. */
function expectCodedError(response: LightMyRequestResponse, code: ErrorCode): void {
  expect(response.statusCode, response.body).toBe(ERRORS[code].status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json() as Record<string, unknown>;
  expect(body.code).toBe(code);
  expect(isErrorCode(body.code)).toBe(true);
  expect(typeof body.message).toBe('string');
  expect(Object.keys(body).every((key) => ['code', 'message', 'details'].includes(key))).toBe(true);
  expectNoStack(response.body);
}

function expectNoStack(body: string): void {
  expect(body).not.toMatch(
    /\bat .+\(.+:\d+:\d+\)|\.[cm]?[jt]s:\d+|node:internal|\/work\/|node_modules|Error:/,
  );
}

describe('error contract of the upload route', () => {
  let t: TestApp;
  let patient: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    patient = await signedInClient(t);
  });
  afterAll(() => t.close());

  const post = (
    payload: string | Buffer,
    headers: Record<string, string> = {},
    options: { csrf?: boolean } = {},
  ) =>
    patient.client.request({
      method: 'POST',
      url: '/api/v1/recordings',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
      ...options,
    });

  async function expectNothingStored(): Promise<void> {
    const rows = await t.database.db.select({ n: count() }).from(recordings);
    expect(rows[0]!.n).toBe(0);
  }

  const valid = () => JSON.stringify(sampleRecording());

  const cases: [string, () => Promise<LightMyRequestResponse>, ErrorCode][] = [
    ['malformed JSON', () => post('{"id": "x",'), 'E_JSON_MALFORMED'],
    ['an empty JSON body', () => post(''), 'E_JSON_MALFORMED'],
    [
      'a JSON body with a __proto__ key',
      () => post(valid().replace('{', '{"__proto__":{"x":1},')),
      'E_JSON_MALFORMED',
    ],
    ['a JSON array instead of a recording', () => post('[1,2,3]'), 'E_SCHEMA_VERSION'],
    [
      'an unknown schema version',
      () => post(JSON.stringify({ ...sampleRecording(), schemaVersion: 99 })),
      'E_SCHEMA_VERSION',
    ],
    [
      'a field of the wrong type',
      () => post(JSON.stringify({ ...sampleRecording(), durationMs: 'long' })),
      'E_RECORDING_INVALID',
    ],
    [
      'an unknown top-level field',
      () => post(JSON.stringify({ ...sampleRecording(), extra: 1 })),
      'E_RECORDING_INVALID',
    ],
    [
      'an unknown field inside a column',
      () => post(valid().replace('"type":"f64",', '"type":"f64","unit":"ms",')),
      'E_RECORDING_INVALID',
    ],
    [
      'a numeric column without a unit suffix',
      () => post(valid().replace('"timeStampMs"', '"timeStamp"')),
      'E_RECORDING_INVALID',
    ],
    ['a body over the limit', () => post(`{"pad":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`), 'E_BODY_TOO_LARGE'],
    [
      'a gzip bomb that is small on the wire but over the limit decompressed',
      () =>
        post(gzipSync(`{"pad":"${' '.repeat(BODY_LIMIT_BYTES)}"}`, { level: 9 }), {
          'content-encoding': 'gzip',
        }),
      'E_BODY_TOO_LARGE',
    ],
    [
      'a body that is not gzip but says it is',
      () => post(valid(), { 'content-encoding': 'gzip' }),
      'E_BAD_CONTENT_ENCODING',
    ],
    [
      'an unsupported content encoding',
      () => post(valid(), { 'content-encoding': 'x-unknown-codec' }),
      'E_UNSUPPORTED_MEDIA_TYPE',
    ],
    ['text/plain', () => post(valid(), { 'content-type': 'text/plain' }), 'E_UNSUPPORTED_MEDIA_TYPE'],
    [
      'a form post',
      () => post('a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      'E_UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'multipart',
      () => post('--b--', { 'content-type': 'multipart/form-data; boundary=b' }),
      'E_UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no CSRF header', () => post(valid(), {}, { csrf: false }), 'E_CSRF'],
    [
      'a CSRF header that does not match the cookie',
      () => post(valid(), { 'x-csrf-token': 'forged' }, { csrf: false }),
      'E_CSRF',
    ],
    [
      'a cross-site request, even with a valid token',
      () => post(valid(), { 'sec-fetch-site': 'cross-site' }),
      'E_CSRF',
    ],
    [
      'a same-site (other subdomain) request',
      () => post(valid(), { 'sec-fetch-site': 'same-site' }),
      'E_CSRF',
    ],
    [
      'no session',
      () =>
        t.client().request({
          method: 'POST',
          url: '/api/v1/recordings',
          headers: { 'content-type': 'application/json' },
          payload: valid(),
        }),
      'E_UNAUTHENTICATED',
    ],
    [
      'no session and a malformed body (the access rule is checked before the body is read)',
      () =>
        t.client().request({
          method: 'POST',
          url: '/api/v1/recordings',
          headers: { 'content-type': 'application/json' },
          payload: '{',
        }),
      'E_UNAUTHENTICATED',
    ],
    [
      'an expired or unknown session cookie',
      () => {
        const client = t.client();
        client.cookies.set('dystrack_session', 'not-a-session');
        return client.request({
          method: 'POST',
          url: '/api/v1/recordings',
          headers: { 'content-type': 'application/json' },
          payload: valid(),
        });
      },
      'E_UNAUTHENTICATED',
    ],
  ];

  it.each(cases)('%s is refused with its code and nothing is written', async (_name, send, code) => {
    const response = await send();
    expectCodedError(response, code);
    await expectNothingStored();
  });

  it('a path id that is not a UUID is 400 E_VALIDATION naming the parameter', async () => {
    for (const id of ['123', `${randomUUID()}x`, "1'; drop table recordings; --"]) {
      const response = await patient.client.get(`/api/v1/recordings/${encodeURIComponent(id)}`);
      expectCodedError(response, 'E_VALIDATION');
      expect(response.json().details.issues[0].path).toBe('params.id');
    }
    expectCodedError(await patient.client.delete('/api/v1/recordings/123'), 'E_VALIDATION');
    await expectNothingStored();
  });

  it('a URL that cannot be decoded is 400 E_BAD_REQUEST', async () => {
    const response = await patient.client.get('/api/v1/recordings/%E0%A4%A');
    expectCodedError(response, 'E_BAD_REQUEST');
  });

  it('an unknown route is a coded 404, for every method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
      expectCodedError(
        await patient.client.request({ method, url: '/api/v1/nothing-here' }),
        'E_ROUTE_NOT_FOUND',
      );
    }
  });

  it('validation details list the problems with their paths, at most 20', async () => {
    const recording = sampleRecording();
    const response = await post(
      JSON.stringify({ ...recording, hand: 'middle', durationMs: -1, taskVersion: 'one' }),
    );
    expectCodedError(response, 'E_RECORDING_INVALID');
    const paths = (response.json().details.issues as { path: string }[]).map((issue) => issue.path).sort();
    expect(paths).toEqual(['durationMs', 'hand', 'taskVersion']);
  });
});

describe('internal errors', () => {
  it('a thrown error is a 500 whose body is only { code: E_INTERNAL, message }', async () => {
    const database = await createTestDatabase();
    const app = await buildApp({ db: database.db, config: testConfig() });
    app.get('/api/v1/test-boom', { config: { access: { public: true } } }, async () => {
      const error = new Error('connection to /srv/dystrack/data failed at secret.ts:12:3') as Error & {
        statusCode: number;
      };
      error.statusCode = 500;
      throw error;
    });
    app.get('/api/v1/test-type-error', { config: { access: { public: true } } }, async () => {
      return (undefined as unknown as { x: { y: number } }).x.y;
    });
    await app.ready();
    try {
      for (const url of ['/api/v1/test-boom', '/api/v1/test-type-error']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(500);
        expect(response.json()).toEqual({ code: 'E_INTERNAL', message: ERRORS.E_INTERNAL.message });
        expectNoStack(response.body);
      }
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('a broken database gives 500 E_INTERNAL without any detail of the failure', async () => {
    const database = await createTestDatabase();
    const app = await buildApp({ db: database.db, config: testConfig() });
    await app.ready();
    const patient = await signedInClient({
      app,
      database,
      client: () => new TestClient(app),
      close: async () => {},
    });
    await patient.client.get('/api/v1/recordings');
    await database.close();
    try {
      for (const response of [
        await app.inject({ method: 'GET', url: '/api/v1/health' }),
        await patient.client.get('/api/v1/recordings'),
        await patient.client.post('/api/v1/recordings', sampleRecording()),
      ]) {
        expect(response.statusCode).toBe(500);
        expect(response.json()).toEqual({ code: 'E_INTERNAL', message: ERRORS.E_INTERNAL.message });
        expectNoStack(response.body);
      }
    } finally {
      await app.close();
    }
  });
});
