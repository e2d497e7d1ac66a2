import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { TASK_IDS, TASK_RECORDING_SPECS, canonicalJson, maxRecordingBytes } from '@dystrack/core';
import { BODY_LIMIT_BYTES } from '../app.js';
import { recordings } from '../db/schema.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { largestStream, longestRecording } from '../test-utils/recordings.js';

/**
 * Size limits, measured on the largest recordings the specs allow: each must be accepted (gzipped, as the
 * web app sends them), and one row more than a stream's limit must be refused.
 */
describe('largest recordings', () => {
  let t: TestApp;
  let patient: SignedIn;
  beforeAll(async () => {
    t = await createTestApp();
    patient = await signedInClient(t);
  });
  afterAll(() => t.close());

  const upload = (json: string) =>
    patient.client.request({
      method: 'POST',
      url: '/api/v1/recordings',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(json, { level: 1 }),
    });

  it.each(TASK_IDS)(
    'the longest legal %s recording (every stream at its row limit, widest values) uploads gzipped and reads back intact',
    async (taskId) => {
      const recording = longestRecording(taskId);
      const json = JSON.stringify(recording);
      const bytes = Buffer.byteLength(json);
      expect(bytes).toBeLessThanOrEqual(maxRecordingBytes(TASK_RECORDING_SPECS[taskId]));
      expect(bytes).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
      const response = await upload(json);
      expect(response.statusCode, response.body.slice(0, 500)).toBe(201);
      const summary = response.json();
      expect(summary.byteLength).toBe(bytes);
      const read = await patient.client.get(`/api/v1/recordings/${recording.id}`);
      expect(read.statusCode).toBe(200);
      const stored = read.body.slice(read.body.indexOf(',"recording":') + ',"recording":'.length, -1);
      // byte for byte what was sent, in canonical form (the sort of keys changes no length)
      expect(stored === canonicalJson(recording)).toBe(true);
      expect(createHash('sha256').update(stored).digest('hex')).toBe(summary.sha256);
    },
    120_000,
  );

  it.each(TASK_IDS)(
    'a %s recording with one row more than its largest stream allows is 400 E_RECORDING_INVALID and nothing is stored',
    async (taskId) => {
      const before = (await t.database.db.select({ n: count() }).from(recordings))[0]!.n;
      const recording = longestRecording(taskId, { extraRows: 1 });
      const stream = largestStream(taskId);
      const json = JSON.stringify(recording);
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
      const response = await upload(json);
      expect(response.statusCode).toBe(400);
      const maxRows = TASK_RECORDING_SPECS[taskId].streams[stream]!.maxRows;
      expect(response.json()).toMatchObject({
        code: 'E_RECORDING_INVALID',
        details: { issues: [{ message: `stream "${stream}" has ${maxRows + 1} rows, at most ${maxRows}` }] },
      });
      expect((await t.database.db.select({ n: count() }).from(recordings))[0]!.n).toBe(before);
      expect(
        await t.database.db.select().from(recordings).where(eq(recordings.id, recording.id)),
      ).toHaveLength(0);
    },
    120_000,
  );
});
