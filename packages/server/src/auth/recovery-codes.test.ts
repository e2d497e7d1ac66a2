import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_PATTERN,
  generateRecoveryCode,
  hashRecoveryCode,
  normalizeRecoveryCode,
} from './recovery-codes.js';

describe('recovery codes', () => {
  it('generateRecoveryCode() gives xxxx-xxxx-xxxx from the unambiguous alphabet only', () => {
    const codes = Array.from({ length: 500 }, generateRecoveryCode);
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
    const letters = new Set(codes.join('').replaceAll('-', ''));
    for (const ambiguous of ['0', 'o', '1', 'l', 'i']) expect(letters.has(ambiguous)).toBe(false);
    for (const letter of letters) expect(RECOVERY_CODE_ALPHABET).toContain(letter);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('the alphabet has 31 distinct symbols, so a code carries more than 59 bits', () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(31);
    expect(12 * Math.log2(RECOVERY_CODE_ALPHABET.length)).toBeGreaterThan(59);
  });

  it('normalizeRecoveryCode(code) forgives case, spaces and dashes, nothing else', () => {
    expect(normalizeRecoveryCode(' 7KQ2 mx9d-P4TA ')).toBe('7kq2mx9dp4ta');
    expect(hashRecoveryCode('7KQ2 MX9D P4TA')).toBe(hashRecoveryCode('7kq2-mx9d-p4ta'));
    expect(hashRecoveryCode('7kq2-mx9d-p4tb')).not.toBe(hashRecoveryCode('7kq2-mx9d-p4ta'));
  });

  it('hashRecoveryCode(code) is the SHA-256 hex of the canonical code', () => {
    expect(hashRecoveryCode('abcd-efgh-jkmn')).toBe(
      createHash('sha256').update('abcdefghjkmn').digest('hex'),
    );
  });
});
