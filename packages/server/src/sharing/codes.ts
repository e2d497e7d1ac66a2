import { randomInt } from 'node:crypto';
import { hashToken } from '../auth/sessions.js';

/**
 * Sharing codes: 12 characters of Crockford base32 (60 bits), shown as `XXXX-XXXX-XXXX`. The alphabet
 * leaves out I, L, O and U, so that a code read aloud or typed from paper is not misread; typing is
 * forgiving (any case, hyphens and spaces ignored, I and L read as 1, O as 0, as Crockford's decoding
 * says), because people with impaired hands type with difficulty. Only SHA-256 of the normalised code is
 * stored.
 */

/** Crockford's base32 alphabet (no I, L, O, U). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters of a sharing code (60 bits). */
export const SHARE_CODE_LENGTH = 12;

/** Letters people type for digits they look like (Crockford's decoding). */
const LOOKALIKES: Record<string, string> = { I: '1', L: '1', O: '0' };

/** `n` random characters of Crockford's base32 (5 bits each, from the CSPRNG). */
export function randomCrockford(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return out;
}

/**
 * A new random code of `length` characters (a multiple of 4), grouped by four with hyphens.
 * @param length - characters without hyphens (default 12: 60 bits)
 * @example newShareCode() // '7K3M-Q9TX-0B2R'
 */
export function newShareCode(length = SHARE_CODE_LENGTH): string {
  if (!(Number.isInteger(length) && length > 0 && length % 4 === 0))
    throw new RangeError(`a code length must be a positive multiple of 4, got ${length}`);
  return formatShareCode(randomCrockford(length));
}

/** A normalised code grouped by four with hyphens (`XXXX-XXXX-XXXX`). */
export function formatShareCode(normalised: string): string {
  return normalised.match(/.{1,4}/g)?.join('-') ?? '';
}

/**
 * The code as typed, normalised: upper case, without hyphens and white space, look-alike letters read as
 * digits; null when it cannot be a code of `length` characters (then no lookup is needed).
 * @param typed - what the person typed or the link carried
 * @param length - characters of the code (default 12)
 * @example normaliseShareCode(' 7k3m-q9tx-ob2r ') // '7K3MQ9TX0B2R'
 */
export function normaliseShareCode(typed: string, length = SHARE_CODE_LENGTH): string | null {
  const compact = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/[ILO]/g, (c) => LOOKALIKES[c]!);
  if (compact.length !== length) return null;
  for (const c of compact) if (!CROCKFORD_ALPHABET.includes(c)) return null;
  return compact;
}

/**
 * What is stored of a code: SHA-256 of its normalised form (hex), so that `abcd efgh …` and
 * `ABCD-EFGH-…` find the same row; null for a string that cannot be a code.
 */
export function shareCodeHash(typed: string, length = SHARE_CODE_LENGTH): string | null {
  const normalised = normaliseShareCode(typed, length);
  return normalised === null ? null : hashToken(normalised);
}
