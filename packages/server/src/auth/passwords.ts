import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id parameters (OWASP's second recommended set: 19 MiB, 2 passes, 1 lane). */
const OPTIONS = {
  algorithm: 2 /* Argon2id: the package's const enum cannot be imported under verbatimModuleSyntax */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Minimum password length. Long passphrases are easier to type with an impaired hand than complex short ones. */
export const MIN_PASSWORD_LENGTH = 10;

/** Hashes a password with argon2id (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether a password matches its argon2 hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * An argon2id hash of a random password nobody knows, made with the same parameters as real ones.
 * Log-in verifies against it when the user name is unknown, so that an unknown user and a wrong
 * password cost the same time and cannot be told apart.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

/**
 * Checks a password against a user's hash, or against the dummy hash when there is no user (or the
 * user has no password), spending the same argon2 time either way.
 * @param passwordHash - the user's hash, or null/undefined when there is no such user
 * @param password - what was typed
 */
export async function verifyPasswordOrDummy(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  const ok = await verifyPassword(passwordHash ?? (await dummyPasswordHash()), password);
  return ok && passwordHash != null;
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters; a few words in a row work well.`;
  if (password.length > 1000) return 'Use at most 1000 characters.';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'The password must not contain the user name.';
  if (new Set(password).size < 4) return 'The password needs more different characters.';
  return null;
}
