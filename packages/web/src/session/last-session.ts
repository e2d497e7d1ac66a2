import type { Profile, User } from '../api/types.js';

/*
 * The last signed-in user and profile the server confirmed on this device, so that the app still opens for
 * them when the server cannot be reached (offline): they can record tasks, which wait in the upload queue.
 * Forgotten when they sign out or the server says nobody is signed in. Uploads still need the server to
 * accept the session: when it has expired, the person is asked to sign in again before anything is sent.
 */

/** The localStorage key (per origin, per browser profile). */
export const LAST_SESSION_KEY = 'dystrack-last-session';

export interface LastSession {
  user: User;
  profile: Profile | null;
  /** When the server last confirmed this user, ms since the Unix epoch. */
  confirmedAt: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // storage blocked by the browser's settings
    return null;
  }
}

/** Remembers the user the server just confirmed (and their profile); null forgets. */
export function rememberSession(user: User | null, profile: Profile | null, now = Date.now()): void {
  const store = storage();
  if (!store) return;
  try {
    if (!user) store.removeItem(LAST_SESSION_KEY);
    else
      store.setItem(
        LAST_SESSION_KEY,
        JSON.stringify({ user, profile, confirmedAt: now } satisfies LastSession),
      );
  } catch {
    // storage full or blocked: the app then needs the server to open, as before
  }
}

/** The last confirmed user of this device, or null (none, or unreadable). */
export function lastSession(): LastSession | null {
  const text = storage()?.getItem(LAST_SESSION_KEY);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<LastSession> | null;
    if (
      !value?.user ||
      typeof value.user.id !== 'string' ||
      typeof value.user.role !== 'string' ||
      typeof value.confirmedAt !== 'number'
    )
      return null;
    return { user: value.user, profile: value.profile ?? null, confirmedAt: value.confirmedAt };
  } catch {
    return null;
  }
}

/**
 * The localStorage key of a sign-out the server has not heard of yet: the person signed out while it could
 * not be reached. The app forgot them on this device at once; the server session ends at the next answer.
 */
export const SIGN_OUT_PENDING_KEY = 'dystrack-sign-out-pending';

/** Notes (true) or clears (false) a sign-out the server still has to hear of. */
export function setSignOutPending(pending: boolean): void {
  try {
    if (pending) storage()?.setItem(SIGN_OUT_PENDING_KEY, '1');
    else storage()?.removeItem(SIGN_OUT_PENDING_KEY);
  } catch {
    // storage blocked: the sign-out then reaches the server only if the person signs out again online
  }
}

/** Whether a sign-out still has to reach the server. */
export function signOutPending(): boolean {
  return storage()?.getItem(SIGN_OUT_PENDING_KEY) === '1';
}
