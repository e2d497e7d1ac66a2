import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { sampleRecording } from '../test-utils/recordings.js';
import { signedInClient } from '../test-utils/signed-in.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';

/** Rows of a raw query, on PGlite and on PostgreSQL alike. */
async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe('recording content storage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('compresses content with LZ4 where the database has it, and with pglz where it does not (PGlite)', async () => {
    const [{ lz4 }] = await rows<{ lz4: boolean }>(
      t,
      sql`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    const [{ compression }] = await rows<{ compression: string }>(
      t,
      sql`select attcompression::text as compression from pg_attribute
          where attrelid = 'recordings'::regclass and attname = 'content'`,
    );
    expect(compression).toBe(lz4 ? 'l' : '');

    // a stored recording over the TOAST threshold (2 KB) is compressed with the column's method
    const { client } = await signedInClient(t);
    const recording = sampleRecording('typing');
    for (const stream of Object.values(recording.streams)) {
      for (const column of Object.values(stream.columns)) {
        const values: unknown[] = column.values;
        column.values = Array.from(
          { length: 400 },
          (_, i) => values[i % values.length],
        ) as typeof column.values;
      }
    }
    const response = await client.post('/api/v1/recordings', recording);
    expect(response.statusCode).toBe(201);
    const [stored] = await rows<{ method: string | null; bytes: number }>(
      t,
      sql`select pg_column_compression(content) as method, octet_length(content) as bytes
          from recordings where id = ${recording.id}`,
    );
    expect(stored!.bytes).toBeGreaterThan(4096);
    expect(stored!.method).toBe(lz4 ? 'lz4' : 'pglz');
  });
});
