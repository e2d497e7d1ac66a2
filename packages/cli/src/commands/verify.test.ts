import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignedManifest } from '@dystrack/server';
import { createMetricsTestApp, typingRecording } from '../../../server/src/metrics/test-utils/fixtures.js';
import { signedInClient, type SignedIn } from '../../../server/src/test-utils/signed-in.js';
import { run } from '../test-utils/cli.js';
import { EXIT_ALTERED, EXIT_ERASED } from './verify.js';

type MetricsApp = Awaited<ReturnType<typeof createMetricsTestApp>>;

describe('dystrack verify', () => {
  let t: MetricsApp;
  let alice: SignedIn;
  let dir: string;
  let pdfPath: string;
  let pdf: Buffer;
  let keyJson: string;
  let keyPem: string;
  let serverUrl: string;

  beforeAll(async () => {
    t = await createMetricsTestApp();
    alice = await signedInClient(t, { displayName: 'Ada Verify' });
    for (const [i, holdMs] of [90, 92, 88].entries()) {
      const response = await alice.client.post(
        '/api/v1/recordings',
        typingRecording({ holdMs, hand: 'right', startedAt: `2026-03-0${i + 1}T09:00:00.000Z` }),
      );
      expect(response.statusCode, response.body).toBe(201);
    }
    await t.job.drain();
    const issued = await alice.client.post('/api/v1/attest/reports', {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const report = await alice.client.get(issued.headers.location as string);
    expect(report.statusCode, report.body).toBe(200);
    pdf = report.rawPayload;
    dir = mkdtempSync(join(tmpdir(), 'dystrack-verify-'));
    pdfPath = join(dir, 'report.pdf');
    writeFileSync(pdfPath, pdf);
    const key = (await t.client().get('/api/v1/attest/public-key')).json<{ pem: string }>();
    keyJson = join(dir, 'key.json');
    keyPem = join(dir, 'key.pem');
    writeFileSync(keyJson, JSON.stringify(key));
    writeFileSync(keyPem, key.pem);
    serverUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says matches offline with the public key as JSON or PEM, and exits 0', async () => {
    for (const key of [keyJson, keyPem]) {
      const result = await run(['verify', pdfPath, '--public-key', key]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        'MATCHES: Matches: the report is as the server signed it, checked offline',
      );
      expect(result.stdout).toMatch(/typing, right\s+self-recorded at home\s+matches/);
      expect(result.stdout).toContain('chain of 3 recordings intact');
    }
  });

  it('says altered for an edited PDF and for another key, and exits 3', async () => {
    const signed = readSignedManifest(pdf);
    const victim = signed.manifest.recordings[1]!.sha256;
    const edited = join(dir, 'edited.pdf');
    writeFileSync(
      edited,
      Buffer.from(pdf.toString('latin1').replace(victim, `0${victim.slice(1)}`), 'latin1'),
    );
    const altered = await run(['verify', edited, '--public-key', keyPem]);
    expect(altered.code).toBe(EXIT_ALTERED);
    expect(altered.stdout).toContain('ALTERED');
    expect(altered.stdout).toContain('broken at entry 2');

    const other = join(dir, 'other.pem');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
    const wrongKey = await run(['verify', pdfPath, '--public-key', other, '--json']);
    expect(wrongKey.code).toBe(EXIT_ALTERED);
    expect(JSON.parse(wrongKey.stdout)).toMatchObject({ overall: 'altered', signature: 'other-key' });
  });

  it('asks the server, which names a recording erased since with its date, and exits 4', async () => {
    const signed = readSignedManifest(pdf);
    const erased = signed.manifest.recordings[0]!.id;
    expect((await alice.client.delete(`/api/v1/recordings/${erased}`)).statusCode).toBe(204);
    const result = await run(['verify', pdfPath, '--server', serverUrl]);
    expect(result.code, result.stderr).toBe(EXIT_ERASED);
    expect(result.stdout).toContain(
      `recording erased by its owner on ${new Date().toISOString().slice(0, 10)}`,
    );
    expect(result.stdout).toContain('1 of its 3 recordings was erased by their owner since');
  });

  it('explains a file without a manifest (exit 1) and a missing key option (exit 2)', async () => {
    const notReport = join(dir, 'plain.pdf');
    writeFileSync(notReport, '%PDF-1.3\n%%EOF\n');
    const none = await run(['verify', notReport, '--public-key', keyPem]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('holds no Dystrack signed manifest');
    const usage = await run(['verify', pdfPath]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give either --public-key FILE or --server URL');
  });
});
