import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { RECORDING_SCHEMAS } from '@dystrack/core';
import { LOCK_FILE, metricValues, openDatabase, recordings, users, type Db } from '@dystrack/server';
import { typingRecording } from '../../../server/src/metrics/test-utils/fixtures.js';
import { prepareRecording } from '../../../server/src/recordings/prepare.js';
import { storeRecording } from '../../../server/src/recordings/store.js';
import { freshDatabase, run } from '../test-utils/cli.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function withDb<T>(env: NodeJS.ProcessEnv, work: (db: Db) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ dataDir: env.DYSTRACK_DATA_DIR, migrate: false, purpose: 'test' });
  try {
    return await work(opened.db);
  } finally {
    await opened.close();
  }
}

/** A database with the account `ada`, one typing recording and one stored metric value. */
async function seeded() {
  const fresh = await freshDatabase('pglite');
  cleanups.push(fresh.drop);
  const out = mkdtempSync(join(tmpdir(), 'dystrack-export-'));
  cleanups.push(() => rmSync(out, { recursive: true, force: true }));
  const patientId = randomUUID();
  const recording = typingRecording({ holdMs: 90 });
  const stored = await withDb(fresh.env, async (db) => {
    await db.insert(users).values({ id: patientId, username: 'ada', displayName: '' });
    await storeRecording(db, prepareRecording(recording, RECORDING_SCHEMAS), {
      patientId,
      uploadedBy: patientId,
    });
    await db.insert(metricValues).values({
      patientId,
      recordingId: recording.id,
      metricId: 'hold_time_median_ms',
      analysisVersion: '1.4.0',
      metricVersion: '1.0.0',
      value: 90,
      flags: [],
    });
    const [row] = await db.select().from(recordings);
    return row!;
  });
  return { env: fresh.env, dataDir: fresh.dataDir!, out, recording, stored };
}

describe('dystrack export', () => {
  it('writes the FHIR bundle, the CSV ZIP and the raw ZIP of one account', async () => {
    const { env, out, recording, stored } = await seeded();

    const fhirFile = join(out, 'ada.fhir.json');
    const fhir = await run(['export', '--user', 'ADA', '--format', 'fhir', '--out', fhirFile], { env });
    expect(fhir.stderr).toBe(`Wrote ${fhirFile} (application/fhir+json) for the account "ADA".\n`);
    expect(fhir.code).toBe(0);
    const bundle = JSON.parse(readFileSync(fhirFile, 'utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const observation = bundle.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Observation',
    ).resource;
    expect(observation.code.coding[0]).toMatchObject({ code: 'hold_time_median_ms', version: '1.4.0' });
    expect(observation.valueQuantity).toMatchObject({ value: 90, code: 'ms' });
    expect(existsSync(`${fhirFile}.partial`)).toBe(false);

    const csvFile = join(out, 'ada.csv.zip');
    expect((await run(['export', '--user', 'ada', '--format', 'csv', '--out', csvFile], { env })).code).toBe(
      0,
    );
    const csv = unzipSync(readFileSync(csvFile));
    const lines = strFromU8(csv['metrics.csv']!).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${recording.id},`);
    expect(lines[1]).toContain(',hold_time_median_ms,90,ms,ms,1.0.0,1.4.0,');

    const rawFile = join(out, 'ada.raw.zip');
    expect((await run(['export', '--user', 'ada', '--format', 'raw', '--out', rawFile], { env })).code).toBe(
      0,
    );
    const raw = unzipSync(readFileSync(rawFile));
    const json = raw[`recordings/${recording.id}.json`]!;
    expect(createHash('sha256').update(json).digest('hex')).toBe(stored.sha256);
    expect(strFromU8(raw[`recordings/${recording.id}.csv`]!).split('\r\n')[0]).toBe('down_ms,up_ms,code,key');
    const manifest = JSON.parse(strFromU8(raw['manifest.json']!));
    expect(manifest.recordings[0]).toMatchObject({ id: recording.id, storedSha256: stored.sha256 });
  });

  it('writes to standard output with --out -', async () => {
    const { env } = await seeded();
    const result = await run(['export', '--user', 'ada', '--format', 'raw', '--out', '-'], { env });
    expect(result.code).toBe(0);
    expect(Object.keys(unzipSync(new Uint8Array(result.stdoutBytes)))).toContain('manifest.json');
  });

  it('refuses an unknown account (exit 1) and wrong usage (exit 2), writing nothing', async () => {
    const { env, out } = await seeded();
    const target = join(out, 'x.json');
    const unknown = await run(['export', '--user', 'nobody', '--format', 'fhir', '--out', target], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^dystrack: E_NOT_FOUND: There is no account with the user name "nobody"\./,
    );
    expect(existsSync(target)).toBe(false);
    const badFormat = await run(['export', '--user', 'ada', '--format', 'pdf', '--out', target], { env });
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('invalid --format "pdf" (fhir, csv, raw)');
    expect((await run(['export', '--format', 'csv', '--out', target], { env })).stderr).toContain(
      'missing --user',
    );
    expect((await run(['export', '--user', 'ada', '--format', 'csv'], { env })).stderr).toContain(
      'missing --out',
    );
  });

  it('refuses while a server owns the embedded database, and says to stop it first', async () => {
    const { env, dataDir, out } = await seeded();
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await once(child, 'spawn');
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({
        pid: child.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        purpose: 'serve',
      }),
    );
    const target = join(out, 'x.zip');
    const result = await run(['export', '--user', 'ada', '--format', 'csv', '--out', target], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: E_DATABASE_LOCKED: /);
    expect(result.stderr).toContain('Stop the server first');
    expect(existsSync(target)).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
  });
});
