import type { Hand } from '@dystrack/tasks';

/** Account roles. Clinician and researcher accounts act in their role once an admin approved them. */
export type Role = 'patient' | 'clinician' | 'researcher' | 'admin';

/** The signed-in user, as `GET /api/v1/session` gives it. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleApproved: boolean;
  /** `full`, or a narrower scope (e.g. `record` on a handed-over phone). */
  scope: string;
}

/** Forms of task-specific dystonia a profile can name (the server's enum). */
export const DYSTONIA_FORMS = ['writers-cramp', 'musicians', 'typists', 'tool-use', 'other'] as const;
export type DystoniaForm = (typeof DYSTONIA_FORMS)[number];

/** The patient's profile (`GET`/`PUT /api/v1/profile`). */
export interface Profile {
  affectedHands: 'left' | 'right' | 'both' | null;
  dominantHand: 'left' | 'right' | 'ambidextrous' | null;
  dystoniaForms: DystoniaForm[];
  occupation: string | null;
  essentialHandTasks: string[];
  instrument: string | null;
  onsetYear: number | null;
  diagnosisConfirmed: 'yes' | 'no' | 'unsure' | null;
  /** Set by the server when the profile was first saved; null before onboarding. */
  onboardedAt?: string | null;
  updatedAt?: string | null;
}

/** What `GET /api/v1/recordings` lists for each stored recording. */
export interface RecordingSummary {
  id: string;
  taskId: string;
  taskVersion: string;
  schemaVersion: number;
  hand: Hand;
  startedAt: string;
  durationMs: number;
  flags: string[];
  sha256: string;
  byteLength: number;
  receivedAt: string;
  erasedAt: string | null;
  /** The clinician who supervised an in-clinic recording (and uploaded it for the patient); null otherwise. */
  supervisedBy: string | null;
}

/** A page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A registered passkey. */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** WebAuthn options with the id of the server-side challenge they belong to. */
export interface ChallengeOptions<T> {
  challengeId: string;
  options: T;
}

/** One stored session of a metric (GET /api/v1/metrics/:id/series). */
export interface SeriesPoint {
  recordingId: string;
  startedAt: string;
  value: number | null;
  flags: string[];
  excluded: boolean;
  segment: number;
  setupKey: string;
}

/** A metric's stored sessions for one hand (only the parts the browser uses). */
export interface MetricSeries {
  hand: string;
  analysisVersion: string;
  points: SeriesPoint[];
}
