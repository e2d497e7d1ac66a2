import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ANALYSIS_VERSION, RECORDING_SCHEMAS } from '@dystrack/core';
import { LOCK_FILE, metricRuns, metricValues, openDatabase, users, type Db } from '@dystrack/server';
import { typingRecording } from '../../../server/src/metrics/test-utils/fixtures.js';
import { prepareRecording } from '../../../server/src/recordings/prepare.js';
import { storeRecording } from '../../../server/src/recordings/store.js';
import { KINDS, freshDatabase, run } from '../test-utils/cli.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `work` on the command's database, opened and closed again (releasing the embedded database). */
async function withDb<T>(env: NodeJS.ProcessEnv, work: (db: Db) => Promise<T>): Promise<T> {
  const opened = await openDatabase({
    dataDir: env.DYSTRACK_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    migrate: false,
    purpose: 'test',
  });
  try {
    return await work(opened.db);
  } finally {
    await opened.close();
  }
}

/** A fresh database with one patient and typing recordings of the given hold times (0 presses: refused). */
async function seeded(kind: (typeof KINDS)[number], recordings: { holdMs?: number; presses?: number }[]) {
  const fresh = await freshDatabase(kind);
  cleanups.push(fresh.drop);
  const patientId = randomUUID();
  const ids = await withDb(fresh.env, async (db) => {
    await db
      .insert(users)
      .values({ id: patientId, username: `p-${patientId.slice(0, 8)}`, displayName: 'P' });
    const stored: string[] = [];
    for (const options of recordings) {
      const recording = typingRecording(options);
      await storeRecording(db, prepareRecording(recording, RECORDING_SCHEMAS), {
        patientId,
        uploadedBy: patientId,
      });
      stored.push(recording.id);
    }
    return stored;
  });
  return { env: fresh.env, dataDir: fresh.dataDir, patientId, ids };
}

/** Stored values by `recordingId/metricId@version`, read in one opening of the database. */
async function storedValues(env: NodeJS.ProcessEnv): Promise<Record<string, number | null>> {
  const rows = await withDb(env, (db) => db.select().from(metricValues));
  return Object.fromEntries(
    rows.map((r) => [`${r.recordingId}/${r.metricId}@${r.analysisVersion}`, r.value]),
  );
}

const key = (recordingId: string, metricId: string, version = ANALYSIS_VERSION) =>
  `${recordingId}/${metricId}@${version}`;

describe.each(KINDS)('dystrack recompute (%s)', (kind) => {
  it('computes every recording without metrics of this version, prints progress and a summary, then has nothing to do', async () => {
    const { env, ids } = await seeded(kind, [{ holdMs: 90 }, { holdMs: 120 }]);
    const result = await run(['recompute'], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^1/2 typing ${ids[0]}: \\d+ metrics$`));
    expect(lines[1]).toMatch(new RegExp(`^2/2 typing ${ids[1]}: \\d+ metrics$`));
    expect(lines[2]).toMatch(
      new RegExp(
        `^Recomputed 2 recordings in .* with analysis version ${ANALYSIS_VERSION.replaceAll('.', '\\.')}: 2 analysed, 0 refused\\. Metrics of earlier versions are kept\\.$`,
      ),
    );
    const values = await storedValues(env);
    expect(values[key(ids[0]!, 'hold_time_median_ms')]).toBe(90);
    expect(values[key(ids[1]!, 'hold_time_median_ms')]).toBe(120);

    const again = await run(['recompute'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Nothing to do: every stored recording in .* has metrics of analysis version /,
    );
  });

  it('--all recomputes this version and keeps the rows of earlier analysis versions; --task filters', async () => {
    const { env, ids, patientId } = await seeded(kind, [{ holdMs: 100 }]);
    const recordingId = ids[0]!;
    await withDb(env, async (db) => {
      const old = { patientId, recordingId, analysisVersion: '0.1.0' };
      await db.insert(metricRuns).values({ ...old, status: 'ok' });
      await db
        .insert(metricValues)
        .values({ ...old, metricId: 'hold_time_median_ms', metricVersion: '0.1.0', value: 77 });
      // a stale row of the current version, which --all replaces
      const current = { patientId, recordingId, analysisVersion: ANALYSIS_VERSION };
      await db.insert(metricRuns).values({ ...current, status: 'ok' });
      await db
        .insert(metricValues)
        .values({ ...current, metricId: 'hold_time_median_ms', metricVersion: '1.0.0', value: 1 });
    });
    const nothing = await run(['recompute'], { env });
    expect(nothing.stdout).toMatch(/^Nothing to do/);

    const tapping = await run(['recompute', '--all', '--task', 'tapping'], { env });
    expect(tapping.code).toBe(0);
    expect(tapping.stdout).toMatch(/^Nothing to do: every stored tapping recording/);

    const all = await run(['recompute', '--all', '--task', 'typing'], { env });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/Recomputed 1 typing recording in .*: 1 analysed, 0 refused\./);
    const values = await storedValues(env);
    expect(values[key(recordingId, 'hold_time_median_ms')]).toBe(100);
    expect(values[key(recordingId, 'keystroke_count')]).toBe(40);
    expect(values[key(recordingId, 'hold_time_median_ms', '0.1.0')]).toBe(77);
  });

  it('stores a recording the analysis refuses as failed, reports it on stderr and exits 1', async () => {
    const { env, ids } = await seeded(kind, [{ holdMs: 90 }, { presses: 0 }]);
    const result = await run(['recompute'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^dystrack: ${ids[1]}: E_[A-Z_]+: .+\\n$`));
    expect(result.stdout).toMatch(new RegExp(`2/2 typing ${ids[1]}: refused \\(E_[A-Z_]+\\)`));
    expect(result.stdout).toMatch(/1 analysed, 1 refused \(E_[A-Z_]+ 1\)/);
    const run2 = await withDb(env, (db) =>
      db.select().from(metricRuns).where(eq(metricRuns.recordingId, ids[1]!)),
    );
    expect(run2).toMatchObject([{ status: 'failed', analysisVersion: ANALYSIS_VERSION }]);
    // refused recordings are not tried again without --all
    expect((await run(['recompute'], { env })).stdout).toMatch(/^Nothing to do/);
  });
});

describe('dystrack recompute: usage and ownership', () => {
  it('refuses an unknown task with exit code 2', async () => {
    const result = await run(['recompute', '--task', 'juggling']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^dystrack: unknown task "juggling" \(one of typing, /);
    expect(result.stderr).toContain("'dystrack recompute --help'");
  });

  it('refuses while a server owns the embedded database, and says to stop it first', async () => {
    const { env, dataDir } = await seeded('pglite', [{ holdMs: 90 }]);
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await once(child, 'spawn');
    writeFileSync(
      join(dataDir!, LOCK_FILE),
      JSON.stringify({
        pid: child.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        purpose: 'serve',
      }),
    );
    const result = await run(['recompute'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: E_DATABASE_LOCKED: /);
    expect(result.stderr).toContain('Stop the server first');
    expect(result.stdout).toBe('');
    child.kill('SIGKILL');
    await once(child, 'exit');
    // nothing was computed (the lock of a dead process is taken over)
    expect(await storedValues(env)).toEqual({});
  });

  it('says so when the data directory holds no database', async () => {
    const result = await run(['recompute'], {
      env: { DYSTRACK_DATA_DIR: join('/tmp', `none-${randomUUID()}`) },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dystrack: E_NOT_FOUND: There is no Dystrack database in /);
  });
});
