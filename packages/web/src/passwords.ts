/** Shortest password the server accepts (it checks again). */
export const MIN_PASSWORD_LENGTH = 10;
/** User names: 3–64 characters, lower-case letters, digits, dot, dash, underscore, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** How good a password looks, with a plain-words hint. */
export interface PasswordStrength {
  level: 'empty' | 'too-weak' | 'ok' | 'strong';
  /** One or two sentences in plain words. */
  hint: string;
}

/**
 * A plain-words strength hint for a password, following the server's rules (at least 10 characters,
 * not the user name, not one or two characters repeated). Long passphrases are easier to type with an
 * impaired hand than short complex passwords, so length counts most.
 */
export function passwordStrength(password: string, username = ''): PasswordStrength {
  if (password.length === 0) {
    return {
      level: 'empty',
      hint: `Use at least ${MIN_PASSWORD_LENGTH} characters. A few ordinary words in a row are strong and easy to type.`,
    };
  }
  const name = username.trim().toLowerCase();
  if (password.length < MIN_PASSWORD_LENGTH) {
    const missing = MIN_PASSWORD_LENGTH - password.length;
    return {
      level: 'too-weak',
      hint: `Too short: ${missing} more character${missing === 1 ? '' : 's'} needed. A few words in a row work well.`,
    };
  }
  if (password.length > 1000) return { level: 'too-weak', hint: 'Too long: use at most 1000 characters.' };
  if (name.length >= 3 && password.toLowerCase().includes(name))
    return { level: 'too-weak', hint: 'Do not use your user name in the password.' };
  if (new Set(password).size < 4)
    return {
      level: 'too-weak',
      hint: 'Use more different characters: this is mostly the same few repeated.',
    };
  const words = password
    .trim()
    .split(/[\s\-_.]+/)
    .filter((w) => w.length >= 3).length;
  if (password.length >= 16 || (words >= 3 && password.length >= 14))
    return { level: 'strong', hint: 'Strong: long passwords like this are hard to guess.' };
  return { level: 'ok', hint: 'Good enough. Adding another word or two makes it stronger.' };
}

/** The problem with a user name, in plain words, or null. */
export function usernameProblem(username: string): string | null {
  const value = username.trim().toLowerCase();
  if (value.length === 0) return 'Enter a user name.';
  if (value.length < 3) return 'Use at least 3 characters for the user name.';
  if (value.length > 64) return 'Use at most 64 characters for the user name.';
  if (!USERNAME_PATTERN.test(value))
    return 'Use only letters, digits, dots, dashes and underscores, starting with a letter or digit.';
  return null;
}
