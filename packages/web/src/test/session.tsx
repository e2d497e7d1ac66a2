import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { Profile, User } from '../api/types.js';
import { SessionProvider } from '../session/session.js';

/** A signed-in patient (tests only). */
export const TEST_PATIENT: User = {
  id: '11111111-1111-4111-8111-111111111111',
  username: 'ada',
  displayName: 'Ada',
  role: 'patient',
  roleApproved: true,
  scope: 'full',
};

/** A complete profile: writer's cramp of the right hand (tests only). */
export const TEST_PROFILE: Profile = {
  affectedHands: 'right',
  dominantHand: 'right',
  dystoniaForms: ['writers-cramp'],
  occupation: null,
  essentialHandTasks: [],
  instrument: null,
  onsetYear: 2020,
  diagnosisConfirmed: 'yes',
  onboardedAt: '2026-11-01T10:00:00Z',
};

/** The session of {@link TEST_PATIENT} with {@link TEST_PROFILE}. */
export const PATIENT_SESSION = { user: TEST_PATIENT, profile: TEST_PROFILE };

/**
 * Renders `ui` at `path` inside a router with a recorded memory location and a session provider: with
 * `session`, signed in as given; without it, the provider asks the (fake) server.
 */
export function renderAt(
  path: string,
  ui: ReactNode,
  session?: { user: User | null; profile?: Profile | null },
) {
  const location = memoryLocation({ path, record: true });
  const result = render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <SessionProvider initial={session}>{ui}</SessionProvider>
    </Router>,
  );
  return { ...result, location };
}
