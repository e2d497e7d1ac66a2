import { createHash, randomInt, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { recoveryCodes } from '../db/schema.js';

/** How many recovery codes an account gets (at sign-up and on each regeneration). */
export const RECOVERY_CODE_COUNT = 10;

/**
 * The letters of recovery codes: digits and lower-case letters without the look-alikes 0, o, 1, l
 * and i, so that a code read off paper can be typed without guessing (31 symbols, ~4.95 bits each).
 */
export const RECOVERY_CODE_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/** A recovery code as shown: three groups of four, e.g. `7kq2-mx9d-p4ta` (~59 bits). */
export const RECOVERY_CODE_PATTERN = /^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$/;

/** A new random recovery code in the shown form `xxxx-xxxx-xxxx`. */
export function generateRecoveryCode(): string {
  let letters = '';
  for (let i = 0; i < 12; i++) letters += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
  return `${letters.slice(0, 4)}-${letters.slice(4, 8)}-${letters.slice(8)}`;
}

/**
 * The canonical form of a typed code: lower case, without spaces or dashes. Upper case, spaces and
 * missing dashes are forgiven; nothing else is guessed.
 * @param code - the code as typed
 */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, '');
}

/**
 * SHA-256 (hex) of a code's canonical form; only these hashes are stored. A fast hash is enough:
 * codes are random with ~59 bits, not chosen by people.
 * @param code - the code as shown or typed
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}

/**
 * Replaces all recovery codes of a user with {@link RECOVERY_CODE_COUNT} new ones and returns them
 * (the only time they are ever visible).
 * @param db - the database or a transaction
 * @param userId - whose codes
 */
export async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db
    .insert(recoveryCodes)
    .values(codes.map((code) => ({ id: randomUUID(), userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/**
 * Uses up one recovery code of a user, atomically: a code works once, even for two requests at the
 * same moment.
 * @param db - the database or a transaction
 * @param userId - whose code
 * @param code - the code as typed
 * @returns whether an unused code matched (it is now used)
 */
export async function consumeRecoveryCode(db: Db, userId: string, code: string): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}
