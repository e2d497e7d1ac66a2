import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson, CodedError } from '@dystrack/core';
import { pgTemplateName } from '../test-utils/paths.js';
import { copyTemplate } from '../test-utils/test-database.js';
import { backupDatabase, backupTables, restoreDatabase } from './backup.js';
import { openDatabase, type Database, type Db } from './database.js';
import {
  auditLog,
  metricValues,
  passkeys,
  profiles,
  recoveryCodes,
  resetTokens,
  sessions,
  users,
  webauthnChallenges,
} from './schema.js';

type Kind = 'pglite' | 'postgres';
const KINDS: Kind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const PAIRS = KINDS.flatMap((from) => KINDS.map((to) => [from, to] as const));

/** A fresh migrated database of the given kind (PostgreSQL only with TEST_DATABASE_URL). */
async function openTestDatabase(kind: Kind): Promise<Database> {
  if (kind === 'pglite') {
    const dataDir = copyTemplate();
    const database = await openDatabase({ dataDir, migrate: false, purpose: 'test' });
    return {
      ...database,
      close: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `dystrack_t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}" template "${pgTemplateName(inject('migrationsDigest'))}"`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: target.toString(), migrate: false, poolSize: 2 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
/** 2^53 + 1: not representable as a JS number, so only an exact bigint path keeps it. */
const BIG_ID = '9007199254740993';

/** Puts rows into every table, with the values that are easy to get wrong. */
async function seed(db: Db): Promise<{ recordingIds: string[] }> {
  const alice = randomUUID();
  const bob = randomUUID();
  await db.insert(users).values([
    {
      id: alice,
      username: 'alice',
      displayName: 'Alice «Ä» "quoted", {braces}',
      passwordHash: '$argon2id$v=19$x',
      role: 'patient',
    },
    {
      id: bob,
      username: 'bob',
      displayName: 'Dr. Bob',
      role: 'clinician',
      roleApprovedAt: new Date('2024-02-29T23:59:59.999Z'),
      roleApprovedBy: alice,
    },
  ]);
  // microseconds: a JS Date cannot hold them, the backup must
  await db.execute(
    sql`update users set password_changed_at = '2024-05-01 12:34:56.123456+02' where id = ${alice}`,
  );
  await db.insert(sessions).values({
    tokenHash: 'a'.repeat(64),
    userId: alice,
    scope: 'record',
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    ip: '::1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)\n\ttab',
  });
  const key = new Uint8Array(256).map((_, i) => i); // every byte value, 0x00 and 0xff included
  await db.insert(passkeys).values({
    id: 'cred-1_-',
    userId: alice,
    publicKey: key,
    counter: 7,
    transports: ['usb', 'internal'],
    name: 'Yubi "key"',
  });
  await db
    .insert(webauthnChallenges)
    .values({ id: randomUUID(), userId: null, kind: 'authenticate', challenge: 'c', expiresAt: new Date() });
  await db.insert(recoveryCodes).values({ id: randomUUID(), userId: alice, codeHash: 'h', usedAt: null });
  await db
    .insert(resetTokens)
    .values({ tokenHash: 'r', userId: alice, createdBy: bob, expiresAt: new Date() });
  await db.insert(profiles).values({
    patientId: alice,
    affectedHands: 'right',
    dystoniaForms: ['writers-cramp', 'other'],
    essentialHandTasks: ['a,b', 'with "quotes"', '{x}', 'NULL', '', 'ünïcödé ✍️'],
    onsetYear: 2019,
    occupation: null,
  });
  // an entry with history: revision 2 deleted it (no data); JSON data with values that are easy to get wrong
  const entryId = randomUUID();
  await db.execute(sql`insert into entry_revisions (patient_id, entry_id, revision, kind, at, deleted, data,
      created_by, created_at)
    values (${alice}, ${entryId}, 1, 'diary', '2024-05-01 09:30:00.000001+00', false,
        '{"notes": "ünïcödé ✍️", "severity": {"writing": 7}, "x": 0.1000000000000000055511151231257827}'::jsonb,
        ${alice}, '2024-05-01 09:31:00.5+00'),
      (${alice}, ${entryId}, 2, 'diary', '2024-05-01 09:30:00.000001+00', true, null, ${alice},
        '2024-05-02 00:00:00+00')`);
  // the routine: two versions (JSON), and a revoked and an active calendar link (partial unique index)
  await db.execute(sql`insert into schedules (patient_id, version, data, created_by) values
      (${alice}, 1, '{"version": 1, "timeZone": "Europe/Berlin", "items": []}'::jsonb, ${alice}),
      (${alice}, 2, '{"version": 1, "timeZone": "Pacific/Kiritimati", "items": [{"id": "ü"}]}'::jsonb, ${alice})`);
  await db.execute(sql`insert into calendar_tokens (token_hash, patient_id, created_at, revoked_at) values
      ('old', ${alice}, '2024-05-01 09:30:00.000001+00', '2024-05-02 00:00:00+00'), ('new', ${alice}, now(), null)`);
  // Web Push: the server's VAPID key pair, a subscription with a failure noted, a reminder sent
  await db.execute(sql`insert into server_settings (name, value) values
      ('vapid', '{"publicKey": "BPub", "privateKey": "priv"}'::jsonb)`);
  await db.execute(sql`insert into push_subscriptions (endpoint, user_id, p256dh, auth, user_agent, last_success_at,
      failures, last_failure_at, last_error)
    values ('https://push.example/ü?a=1', ${alice}, 'p256', 'auth', null, '2024-05-01 09:30:00.000001+00', 2, now(),
      'HTTP 500')`);
  await db.execute(sql`insert into push_reminders_sent (patient_id, day, item_key) values
      (${alice}, '2024-05-01', 'weekly:typing')`);
  // a used hand-over code; a signed report (bytes of its PDF) with an expiring share link
  await db.execute(sql`insert into handover_tokens (patient_id, id, token_hash, task, hand, created_at, expires_at,
      used_at) values (${alice}, ${randomUUID()}, 'hashed', 'tremor', 'right', '2024-05-01 09:30:00.000001+00',
      '2024-05-01 09:35:00.000001+00', '2024-05-01 09:31:00+00')`);
  const reportId = randomUUID();
  await db.execute(sql`insert into attested_reports (patient_id, id, issued_at, period_from, period_to,
      signed_manifest, pdf) values (${alice}, ${reportId}, '2024-05-02 10:00:00.5+00', '2024-01-01', '2024-05-01',
      '{"manifest": {"n": 0.1000000000000000055511151231257827}, "signature": "ü"}'::jsonb,
      '\x255044460001ff'::bytea)`);
  await db.execute(sql`insert into report_share_links (patient_id, id, token_hash, report_id, expires_at)
    values (${alice}, ${randomUUID()}, 'share-hash', ${reportId}, '2024-06-01 00:00:00+00')`);
  // sharing with the clinician (an accepted share, and an invitation of the clinician's), and a study
  await db.execute(sql`insert into shares (patient_id, id, clinician_id, scopes, created_by, accepted_at, expires_at,
      last_visit_at) values (${alice}, ${randomUUID()}, ${bob}, '{tasks,add-entries}'::text[], ${alice},
      '2024-05-01 09:30:00.000001+00', '2025-05-01 00:00:00+00', null)`);
  await db.execute(sql`insert into share_invitations (id, clinician_id, token_hash, note, schedule, expires_at)
    values (${randomUUID()}, ${bob}, 'invite-hash', 'Bitte «vor» dem Termin', '{"version": 1, "items": []}'::jsonb,
      '2024-05-15 00:00:00+00')`);
  const studyId = randomUUID();
  await db.execute(sql`insert into studies (id, researcher_id, title, description, enrol_code, tasks, consent_version)
    values (${studyId}, ${bob}, 'Tapping ✍️', 'Line one
line two', 'ABCD-EFGH', '{tapping}'::text[], 2)`);
  await db.execute(sql`insert into study_consent_versions (study_id, version, text, withdrawal_data) values
      (${studyId}, 1, 'First text', 'keep'), (${studyId}, 2, 'Second text', 'participant-chooses')`);
  await db.execute(sql`insert into study_enrolments (patient_id, study_id, pseudonym, date_shift_days, consent_version,
      consented_at) values (${alice}, ${studyId}, 'P-7K3M9Q', -113, 1, '2024-05-01 09:30:00.000001+00')`);
  await db.execute(sql`insert into study_consent_events (patient_id, study_id, event, consent_version) values
      (${alice}, ${studyId}, 'consent', 1)`);
  const recordingIds: string[] = [];
  for (const [i, erased] of [false, false, true].entries()) {
    const id = randomUUID();
    recordingIds.push(id);
    const content = canonicalJson({
      id,
      taskId: 'tapping',
      note: `ünïcödé ✍️ ${i}`,
      tMs: [0, 0.1, 1e-7, 123456.789],
      big: 1e21,
    });
    await db.execute(sql`insert into recordings (patient_id, id, task_id, task_version, schema_version, hand, started_at,
        duration_ms, flags, sha256, byte_length, content, uploaded_by, received_at, erased_at)
      values (${alice}, ${id}, 'tapping', '1.0.0', 1, 'right', '2024-05-01 10:00:00.000001+00', ${30000 + i},
        ${erased ? '{}' : '{focus-lost,"odd, flag"}'}::text[], ${sha256(content)}, ${Buffer.byteLength(content)},
        ${erased ? null : content}, ${alice}, '2024-05-01 10:00:31.654321+00', ${erased ? '2024-06-01 00:00:00.5+00' : null})`);
  }
  // metrics of the first recording, at two analysis versions; doubles that only an exact format keeps
  for (const version of ['0.9.0', '1.0.0']) {
    await db.execute(sql`insert into metric_runs (patient_id, recording_id, analysis_version, status, error_code,
        error_message, setup_key, computed_at)
      values (${alice}, ${recordingIds[0]}, ${version}, 'ok', null, null, 'Mozilla/# (X#)|Linux|', '2024-05-01 10:00:32.000007+00')`);
    await db.insert(metricValues).values(
      [0.1, 1.2345678901234567e-100, -1.7976931348623157e308, null].map((value, i) => ({
        patientId: alice,
        recordingId: recordingIds[0]!,
        metricId: `m${i}_ms`,
        analysisVersion: version,
        metricVersion: '1.0.0',
        value,
        flags: i === 0 ? ['TAB_HIDDEN', 'odd, "flag"'] : [],
      })),
    );
  }
  await db.execute(sql`insert into metric_runs (patient_id, recording_id, analysis_version, status, error_code, error_message)
    values (${alice}, ${recordingIds[1]}, '1.0.0', 'failed', 'E_TOO_FEW_EVENTS', 'only 2 taps')`);
  await db.insert(auditLog).values([
    {
      actorId: alice,
      patientId: alice,
      action: 'recording.create',
      method: 'POST',
      route: '/api/v1/recordings',
      status: 201,
      details: { n: 12345, s: 'ü', nested: [null, true, 1.5] },
    },
    {
      actorId: bob,
      patientId: alice,
      action: 'recording.read',
      method: 'GET',
      route: '/api/v1/recordings/:id',
      status: 200,
    },
    { actorId: null, patientId: null, action: 'gone', method: 'GET', route: '/', status: 200 },
  ]);
  await db.execute(sql`delete from audit_log where action = 'gone'`);
  await db.execute(sql`insert into audit_log (id, action, method, route, status, details)
    values (${BIG_ID}, 'big', 'GET', '/', 200, '{"exact": 0.1000000000000000055511151231257827, "big": 12345678901234567890}'::jsonb)`);
  // rows deleted or rolled back leave the sequence ahead of the highest id; their ids are never handed out again
  await db.execute(sql`select setval(pg_get_serial_sequence('audit_log', 'id'), ${BIG_ID}::bigint + 10)`);
  return { recordingIds };
}

/** Every table's rows as canonical text, ordered: the ground truth the backup must reproduce. */
async function dump(db: Db): Promise<Record<string, string[]>> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local timezone = 'UTC'`);
    const out: Record<string, string[]> = {};
    for (const { name } of backupTables()) {
      const result = (await tx.execute(
        sql`select row_to_json(t)::text as j from ${sql.identifier(name)} t order by 1`,
      )) as unknown as {
        rows: { j: string }[];
      };
      out[name] = result.rows.map((row) => row.j);
    }
    return out;
  });
}

async function rowCount(db: Db, table: string): Promise<number> {
  const result = (await db.execute(
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  )) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a CodedError');
}

/** The uncompressed lines of a backup file. */
const linesOf = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
/** Lines with a recomputed, matching end line. */
function withTrailer(lines: string[]): string[] {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return [...lines, JSON.stringify({ end: true, rows: lines.length - 1, sha256: hash.digest('hex') })];
}
const writeLines = (file: string, lines: string[]) => writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dystrack-backup-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: Database[] = [];
afterEach(async () => {
  for (const database of open.splice(0)) await database.close();
});
async function fresh(kind: Kind): Promise<Database> {
  const database = await openTestDatabase(kind);
  open.push(database);
  return database;
}

describe.each(PAIRS)('backup from %s, restore into %s', (from, to) => {
  it('restores every row of every table identically, and each recording still matches its SHA-256', async () => {
    const source = await fresh(from);
    await seed(source.db);
    const before = await dump(source.db);
    for (const [table, rows] of Object.entries(before))
      expect(rows.length, `seed rows of ${table}`).toBeGreaterThan(0);

    const file = join(dir, `${from}-${to}.dystrack.gz`);
    const made = await backupDatabase(source.db, file, { sourceKind: source.kind });
    expect(made.rows).toBe(Object.values(before).reduce((sum, rows) => sum + rows.length, 0));

    const target = await fresh(to);
    const restored = await restoreDatabase(target.db, file);
    expect(restored.rows).toBe(made.rows);
    expect(await dump(target.db)).toEqual(before);

    const recordings = (await target.db.execute(
      sql`select content, sha256, byte_length from recordings where content is not null`,
    )) as unknown as {
      rows: { content: string; sha256: string; byte_length: number }[];
    };
    expect(recordings.rows).toHaveLength(2);
    for (const row of recordings.rows) {
      expect(sha256(row.content)).toBe(row.sha256);
      expect(Buffer.byteLength(row.content)).toBe(row.byte_length);
    }
  });
});

describe('backup', () => {
  it('lists every table of the database in its header, each with its row count', async () => {
    const source = await fresh(KINDS.at(-1)!);
    await seed(source.db);
    const file = join(dir, 'tables.gz');
    const { header } = await backupDatabase(source.db, file);
    const tables = (await source.db.execute(
      sql`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'public' and relkind = 'r' order by 1`,
    )) as unknown as { rows: { relname: string }[] };
    expect(header.tables.map((t) => t.name).sort()).toEqual(tables.rows.map((row) => row.relname));
    for (const table of header.tables)
      expect(table.rows, table.name).toBe(await rowCount(source.db, table.name));
    // every row line is counted in the header, and tables come after the tables they reference
    const lines = linesOf(file)
      .slice(1, -1)
      .map((line) => JSON.parse(line) as { t: string });
    expect(lines.length).toBe(header.tables.reduce((sum, t) => sum + t.rows, 0));
    expect(header.tables.findIndex((t) => t.name === 'users')).toBeLessThan(
      header.tables.findIndex((t) => t.name === 'recordings'),
    );
  });

  it('refuses when the database has a table the schema does not know, instead of leaving it out', async () => {
    const source = await fresh(KINDS[0]!);
    await source.db.execute(sql`create table notes (id int primary key, body text)`);
    expect(await codeOf(backupDatabase(source.db, join(dir, 'unknown-table.gz')))).toBe('E_CONFLICT');
    expect(existsSync(join(dir, 'unknown-table.gz'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('never overwrites an existing file', async () => {
    const source = await fresh(KINDS[0]!);
    const file = join(dir, 'exists.gz');
    writeFileSync(file, 'precious');
    expect(await codeOf(backupDatabase(source.db, file))).toBe('E_CONFLICT');
    expect(readFileSync(file, 'utf8')).toBe('precious');
  });

  it('writes to a stream and restores from one', async () => {
    const source = await fresh(KINDS[0]!);
    await seed(source.db);
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await backupDatabase(source.db, stream);
    const target = await fresh(KINDS[0]!);
    const body = new PassThrough();
    body.end(Buffer.concat(chunks));
    await restoreDatabase(target.db, body);
    expect(await dump(target.db)).toEqual(await dump(source.db));
  });
});

describe('restore', () => {
  let file: string;
  let expected: Record<string, string[]>;
  beforeAll(async () => {
    const source = await openTestDatabase(KINDS[0]!);
    try {
      await seed(source.db);
      expected = await dump(source.db);
      file = join(dir, 'restore-source.gz');
      await backupDatabase(source.db, file);
    } finally {
      await source.close();
    }
  });

  it('continues the sequences after the restored ids, so no id is handed out twice', async () => {
    const target = await fresh(KINDS[0]!);
    await restoreDatabase(target.db, file);
    const next = (await target.db.execute(
      sql`insert into audit_log (action, method, route, status) values ('after', 'GET', '/', 200) returning id::text as id`,
    )) as unknown as { rows: { id: string }[] };
    expect(BigInt(next.rows[0]!.id)).toBe(BigInt(BIG_ID) + 11n);
  });

  it('refuses a database that already has data, and changes nothing', async () => {
    const target = await fresh(KINDS[0]!);
    await target.db.insert(users).values({ id: randomUUID(), username: 'someone', displayName: 'Someone' });
    const before = await dump(target.db);
    expect(await codeOf(restoreDatabase(target.db, file))).toBe('E_CONFLICT');
    expect(await dump(target.db)).toEqual(before);
  });

  it.each([
    ['cut off before its end line', (lines: string[]) => lines.slice(0, -1)],
    ['cut off in the middle', (lines: string[]) => lines.slice(0, 5)],
    ['with a changed value', (lines: string[]) => lines.map((line) => line.replace('"alice"', '"mallory"'))],
    [
      'with a row removed (checksum fixed up)',
      (lines: string[]) => withTrailer(lines.slice(0, -1).filter((_, i) => i !== 2)),
    ],
    ['with lines after the end', (lines: string[]) => [...lines, lines[1]!]],
    [
      // damage that makes a value the database refuses (not only a checksum that differs at the end)
      'with an id the database refuses',
      (lines: string[]) => lines.map((line, i) => (i === 1 ? line.replace(/"([0-9a-f]{8})-/, '"$1 ') : line)),
    ],
  ])('refuses a backup %s and leaves the database empty', async (_name, change) => {
    const broken = join(dir, `broken-${randomUUID()}.gz`);
    const changed = change(linesOf(file));
    expect(changed).not.toEqual(linesOf(file));
    writeLines(broken, changed);
    const target = await fresh(KINDS[0]!);
    expect(await codeOf(restoreDatabase(target.db, broken))).toBe('E_VALIDATION');
    for (const table of Object.keys(expected)) expect(await rowCount(target.db, table), table).toBe(0);
  });

  it('refuses files that are not backups: plain text, damaged gzip, other JSON, a missing file', async () => {
    const target = await fresh(KINDS[0]!);
    const text = join(dir, 'text.gz');
    writeFileSync(text, 'just some text\n');
    const damaged = join(dir, 'damaged.gz');
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(damaged, bytes);
    const json = join(dir, 'json.gz');
    writeLines(json, ['{"hello":"world"}']);
    expect(await codeOf(restoreDatabase(target.db, text))).toBe('E_VALIDATION');
    expect(await codeOf(restoreDatabase(target.db, damaged))).toBe('E_VALIDATION');
    expect(await codeOf(restoreDatabase(target.db, json))).toBe('E_VALIDATION');
    expect(await codeOf(restoreDatabase(target.db, join(dir, 'nope.gz')))).toBe('E_NOT_FOUND');
    for (const table of Object.keys(expected)) expect(await rowCount(target.db, table), table).toBe(0);
  });

  it('refuses a backup made at other migrations than the database has', async () => {
    const lines = linesOf(file);
    const header = JSON.parse(lines[0]!) as { migrations: unknown[] };
    header.migrations = header.migrations.slice(0, -1);
    const older = join(dir, 'older.gz');
    writeLines(older, [JSON.stringify(header), ...lines.slice(1)]);
    const target = await fresh(KINDS[0]!);
    expect(await codeOf(restoreDatabase(target.db, older))).toBe('E_CONFLICT');
  });
});
