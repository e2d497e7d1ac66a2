import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../test-utils/test-database.js';
import { insertByUnnest } from './unnest-insert.js';

describe('insertByUnnest', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.execute(
      sql`create table unnest_probe (n serial primary key, name text not null, score float8, tags text[] not null, note jsonb)`,
    );
  });
  afterAll(() => database.close());

  /** The probe table's rows in insertion order (the same result shape on PGlite and node-postgres). */
  type ProbeRow = { name: string; score: number | null; tags: string[]; note: unknown };
  const probe = async (): Promise<ProbeRow[]> => {
    const result = (await database.db.execute(
      sql`select name, score, tags, note from unnest_probe order by n`,
    )) as unknown as { rows: ProbeRow[] };
    return result.rows;
  };

  it('stores the rows in order with their nulls, text with quotes and commas, exact doubles and converted columns', async () => {
    await insertByUnnest(database.db, 'unnest_probe', [
      {
        name: 'name',
        arrayType: 'text[]',
        values: ['plain', 'with "quotes", {braces} and \\ backslash', 'NULL'],
      },
      { name: 'score', arrayType: 'float8[]', values: [0.1 + 0.2, null, -1e-7] },
      {
        name: 'tags',
        arrayType: 'text[]',
        values: [JSON.stringify(['B', 'A']), JSON.stringify([]), JSON.stringify(['x,y'])],
        expression:
          'array(select t from jsonb_array_elements_text(tags::jsonb) with ordinality as e(t, i) order by i)',
      },
      {
        name: 'note',
        arrayType: 'text[]',
        values: [JSON.stringify({ a: [1, null] }), null, JSON.stringify('s')],
        expression: 'note::jsonb',
      },
    ]);
    expect(await probe()).toEqual([
      { name: 'plain', score: 0.1 + 0.2, tags: ['B', 'A'], note: { a: [1, null] } },
      { name: 'with "quotes", {braces} and \\ backslash', score: null, tags: [], note: null },
      { name: 'NULL', score: -1e-7, tags: ['x,y'], note: 's' },
    ]);
  });

  it('writes nothing for no rows and refuses columns of different lengths', async () => {
    const before = (await probe()).length;
    await insertByUnnest(database.db, 'unnest_probe', [{ name: 'name', arrayType: 'text[]', values: [] }]);
    await expect(
      insertByUnnest(database.db, 'unnest_probe', [
        { name: 'name', arrayType: 'text[]', values: ['a', 'b'] },
        { name: 'score', arrayType: 'float8[]', values: [1] },
      ]),
    ).rejects.toThrow(RangeError);
    expect(await probe()).toHaveLength(before);
  });
});
