import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type * as Argon2 from '@node-rs/argon2';
import { recoveryCodes, users } from '../db/schema.js';
import type { Database } from '../db/database.js';
import { createTestDatabase } from '../test-utils/test-database.js';
import { uniqueUsername, TEST_PASSWORD } from '../test-utils/test-accounts.js';
import { authenticate, createAdmin, createUser } from './users.js';

// every argon2 verification is recorded, with the hash it was checked against
const argon2 = vi.hoisted(() => ({ verified: [] as string[] }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof Argon2>();
  return {
    ...real,
    verify: (hashed: string, password: string) => {
      argon2.verified.push(hashed);
      return real.verify(hashed, password);
    },
  };
});

/** The argon2 parameters of a PHC string, e.g. `argon2id$v=19$m=19456,t=2,p=1`. */
const parameters = (phc: string) => phc.split('$').slice(1, 4).join('$');

describe('auth/users', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());
  beforeEach(() => {
    argon2.verified.length = 0;
  });

  describe('authenticate(db, username, password)', () => {
    it('returns the user for the right password, in any case of the user name', async () => {
      const username = uniqueUsername();
      const { id } = await createUser(database.db, { username, password: TEST_PASSWORD });
      expect((await authenticate(database.db, username.toUpperCase(), TEST_PASSWORD))?.id).toBe(id);
    });

    it('spends one argon2 verification with the same parameters for an unknown user as for a wrong password', async () => {
      const username = uniqueUsername();
      await createUser(database.db, { username, password: TEST_PASSWORD });
      expect(await authenticate(database.db, username, 'wrong password')).toBeNull();
      expect(await authenticate(database.db, uniqueUsername('ghost'), 'wrong password')).toBeNull();
      expect(argon2.verified).toHaveLength(2);
      const [real, dummy] = argon2.verified as [string, string];
      expect(dummy).not.toBe(real);
      expect(parameters(dummy)).toBe(parameters(real));
      expect(parameters(real)).toBe('argon2id$v=19$m=19456,t=2,p=1');
    });

    it('does not let the dummy hash sign anyone in, even with its own password unknown to all', async () => {
      expect(await authenticate(database.db, uniqueUsername('ghost'), '')).toBeNull();
      expect(argon2.verified).toHaveLength(1);
    });
  });

  describe('createUser(db, input)', () => {
    it('stores the user name lower-case and creates ten hashed recovery codes with it', async () => {
      const username = uniqueUsername('MixedCase');
      const created = await createUser(database.db, { username, password: TEST_PASSWORD });
      expect(created.username).toBe(username.toLowerCase());
      expect(created.recoveryCodes).toHaveLength(10);
      const stored = await database.db
        .select()
        .from(recoveryCodes)
        .where(eq(recoveryCodes.userId, created.id));
      expect(stored).toHaveLength(10);
      for (const row of stored) expect(created.recoveryCodes).not.toContain(row.codeHash);
    });

    it('creates nothing when the user name is taken (the recovery codes roll back with the user)', async () => {
      const username = uniqueUsername();
      await createUser(database.db, { username, password: TEST_PASSWORD });
      await expect(createUser(database.db, { username, password: TEST_PASSWORD })).rejects.toMatchObject({
        code: 'E_USERNAME_TAKEN',
      });
      const rows = await database.db.select().from(users).where(eq(users.username, username));
      expect(rows).toHaveLength(1);
      const codes = await database.db
        .select()
        .from(recoveryCodes)
        .where(eq(recoveryCodes.userId, rows[0]!.id));
      expect(codes).toHaveLength(10);
    });

    it('refuses malformed user names and weak passwords', async () => {
      await expect(
        createUser(database.db, { username: 'ab', password: TEST_PASSWORD }),
      ).rejects.toMatchObject({ code: 'E_VALIDATION' });
      await expect(
        createUser(database.db, { username: uniqueUsername(), password: 'weak' }),
      ).rejects.toMatchObject({ code: 'E_WEAK_PASSWORD' });
    });
  });

  describe('createAdmin(db, input)', () => {
    it('creates an approved admin that can sign in', async () => {
      const username = uniqueUsername('admin');
      const created = await createAdmin(database.db, {
        username,
        password: TEST_PASSWORD,
        displayName: 'The Admin',
      });
      const [row] = await database.db.select().from(users).where(eq(users.id, created.id));
      expect(row).toMatchObject({ role: 'admin', displayName: 'The Admin' });
      expect(row?.roleApprovedAt).toBeInstanceOf(Date);
      expect((await authenticate(database.db, username, TEST_PASSWORD))?.role).toBe('admin');
    });
  });
});
