import { describe, expect, it } from 'vitest';
import { hashToken } from '../auth/sessions.js';
import {
  CROCKFORD_ALPHABET,
  formatShareCode,
  newShareCode,
  normaliseShareCode,
  shareCodeHash,
} from './codes.js';

describe('sharing codes', () => {
  it('makes codes of 12 Crockford base32 characters grouped as XXXX-XXXX-XXXX, without I, L, O, U', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = newShareCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      seen.add(code);
    }
    // 60 bits: 500 codes never collide in practice
    expect(seen.size).toBe(500);
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('uses every character of the alphabet (no bias towards a few)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++)
      for (const c of newShareCode().replace(/-/g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 4800 characters: about 150 each; far below 60 or above 260 would mean a broken generator
    for (const n of counts.values()) expect(n).toBeGreaterThan(60);
    for (const n of counts.values()) expect(n).toBeLessThan(260);
  });

  it('normalises case, hyphens, spaces and look-alike letters', () => {
    expect(normaliseShareCode('7k3m-q9tx-0b2r')).toBe('7K3MQ9TX0B2R');
    expect(normaliseShareCode(' 7K3M Q9TX 0B2R ')).toBe('7K3MQ9TX0B2R');
    expect(normaliseShareCode('7K3MQ9TX0B2R')).toBe('7K3MQ9TX0B2R');
    // O read as 0, I and L as 1
    expect(normaliseShareCode('7K3M-Q9TX-OB2R')).toBe('7K3MQ9TX0B2R');
    expect(normaliseShareCode('iLl1-0000-0000')).toBe('111100000000');
  });

  it('refuses what cannot be a code', () => {
    expect(normaliseShareCode('7K3M-Q9TX-0B2')).toBeNull();
    expect(normaliseShareCode('7K3M-Q9TX-0B2RR')).toBeNull();
    expect(normaliseShareCode('7K3M-Q9TX-0B2U')).toBeNull();
    expect(normaliseShareCode('7K3M-Q9TX-0B2!')).toBeNull();
    expect(normaliseShareCode('')).toBeNull();
    expect(shareCodeHash('nope')).toBeNull();
  });

  it('hashes the normalised code, so that any way of typing it finds the same row', () => {
    const code = newShareCode();
    const hash = shareCodeHash(code);
    expect(hash).toBe(hashToken(code.replace(/-/g, '')));
    expect(shareCodeHash(code.toLowerCase().replace(/-/g, ' '))).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(shareCodeHash(newShareCode())).not.toBe(hash);
  });

  it('formats and generates other lengths in groups of four', () => {
    expect(formatShareCode('ABCD1234')).toBe('ABCD-1234');
    expect(newShareCode(8)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(normaliseShareCode('abcd-1234', 8)).toBe('ABCD1234');
    expect(() => newShareCode(10)).toThrow(RangeError);
  });
});
