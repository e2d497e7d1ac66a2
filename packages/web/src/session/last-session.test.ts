import { afterEach, describe, expect, it } from 'vitest';
import { TEST_PATIENT, TEST_PROFILE } from '../test/session.js';
import { LAST_SESSION_KEY, lastSession, rememberSession } from './last-session.js';

afterEach(() => localStorage.clear());

describe('the last session confirmed on this device', () => {
  it('is remembered with the profile and the time, and forgotten with null', () => {
    rememberSession(TEST_PATIENT, TEST_PROFILE, 1_700_000_000_000);
    expect(lastSession()).toEqual({
      user: TEST_PATIENT,
      profile: TEST_PROFILE,
      confirmedAt: 1_700_000_000_000,
    });
    rememberSession(null, null);
    expect(lastSession()).toBeNull();
    expect(localStorage.getItem(LAST_SESSION_KEY)).toBeNull();
  });

  it('is none when what is stored is not a session', () => {
    for (const text of ['not json', 'null', '{}', JSON.stringify({ user: { id: 1 }, confirmedAt: 1 })]) {
      localStorage.setItem(LAST_SESSION_KEY, text);
      expect(lastSession(), text).toBeNull();
    }
  });
});
