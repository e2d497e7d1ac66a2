import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import { auditLog } from '../db/schema.js';
import { createTestDatabase } from '../test-utils/test-database.js';
import { AuditWriter, type AuditRow } from './audit-writer.js';

const row = (action: string): AuditRow => ({ action, method: 'POST', route: '/api/v1/test', status: 200 });

/** The database with a counter of the statements run (the writer's inserts go through `execute`). */
function counting(db: Db): { db: Db; inserts: () => number } {
  let inserts = 0;
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'execute') {
        return (...args: Parameters<Db['execute']>) => {
          inserts++;
          return target.execute(...args);
        };
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { db: proxy, inserts: () => inserts };
}

describe('AuditWriter', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('writes requests that arrive while a write is in flight together, and resolves each once its rows are stored', async () => {
    const { db, inserts } = counting(database.db);
    const writer = new AuditWriter(db);
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.write([row(`batch.${i}`)])));
    expect(inserts()).toBe(2); // the first alone (nothing waited yet), then the 49 that queued behind it
    const stored = await database.db.select({ action: auditLog.action }).from(auditLog);
    expect(stored.filter((r) => r.action.startsWith('batch.'))).toHaveLength(50);
  });

  it('fails only the request whose row cannot be stored, not the others of its batch', async () => {
    const writer = new AuditWriter(database.db);
    const first = writer.write([row('isolation.first')]);
    const bad = writer.write([{ ...row('isolation.bad'), status: 70_000 }]); // out of smallint range
    const good = writer.write([row('isolation.good')]);
    await expect(first).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow();
    await expect(good).resolves.toBeUndefined();
    const stored = (await database.db.select({ action: auditLog.action }).from(auditLog)).map(
      (r) => r.action,
    );
    expect(stored).toContain('isolation.good');
    expect(stored).not.toContain('isolation.bad');
  });

  it('stores every field of every row of a batch, in the order written', async () => {
    const writer = new AuditWriter(database.db);
    const actor = '00000000-0000-4000-8000-00000000a001';
    const full: AuditRow = {
      actorId: actor,
      actorRole: 'patient',
      patientId: actor,
      action: 'fields.full',
      resource: 'r-1',
      method: 'GET',
      route: '/api/v1/recordings/:id',
      status: 404,
      ip: '192.0.2.7',
      userAgent: 'Agent "quoted", {braces}',
      details: { denied: 'forbidden', nested: [1, null, 'x'] },
    };
    await Promise.all([writer.write([row('fields.first')]), writer.write([full, row('fields.last')])]);
    const stored = await database.db.select().from(auditLog).orderBy(auditLog.id);
    const mine = stored.filter((r) => r.action.startsWith('fields.'));
    expect(mine.map((r) => r.action)).toEqual(['fields.first', 'fields.full', 'fields.last']);
    const { id: _id, at, ...fields } = mine[1]!;
    expect(at).toBeInstanceOf(Date);
    expect(fields).toEqual(full);
    expect(mine[2]).toMatchObject({
      actorId: null,
      patientId: null,
      resource: null,
      ip: null,
      details: null,
    });
  });

  it('keeps a batch within the row limit', async () => {
    const { db, inserts } = counting(database.db);
    const writer = new AuditWriter(db, 10);
    await Promise.all(Array.from({ length: 31 }, (_, i) => writer.write([row(`limit.${i}`)])));
    expect(inserts()).toBe(4); // 1, then 30 queued in batches of 10
  });
});
