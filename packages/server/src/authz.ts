import type { Role } from './db/schema.js';

/** The signed-in user as every route sees it. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Whether a clinician or researcher role has been approved by an admin (always true for patients and admins). */
  roleApproved: boolean;
  /** The session's scope: `full`, or `record` for a session that may only record tasks. */
  scope: 'full' | 'record';
}

/**
 * Every action a route can perform. `patientData` actions touch a patient's data and are audited;
 * `scopes` lists the session scopes that may perform it.
 */
export const ACTIONS = {
  'account.read': { patientData: false, write: false },
  'account.update': { patientData: false, write: true },
  'account.delete': { patientData: true, write: true },
  'passkey.manage': { patientData: false, write: true },
  'profile.read': { patientData: true, write: false },
  'profile.write': { patientData: true, write: true },
  // the patient's record beyond tasks: diary entries, questionnaires, scale totals, treatments (each audit
  // row names the precise action, e.g. diary.update, and the entry)
  'entry.read': { patientData: true, write: false },
  'entry.write': { patientData: true, write: true },
  // the only action of a `record` session (a phone signed in by a hand-over code): running a task needs no
  // other data from the server (the session itself is public, the task catalogue is part of the app)
  'recording.create': { patientData: true, write: true, scopes: ['full', 'record'] },
  'recording.read': { patientData: true, write: false },
  'recording.list': { patientData: true, write: false },
  'recording.erase': { patientData: true, write: true },
  'audit.read': { patientData: true, write: false },
  // the patient's whole record as one file (GET /api/v1/export)
  'data.export': { patientData: true, write: false },
  // the clinician report of a period as a PDF (GET /api/v1/reports/clinician.pdf)
  'report.create': { patientData: true, write: false },
  // signed work-capacity reports: the list of issued ones, and read-only share links to one (create, revoke);
  // opening a share link is public
  'report.read': { patientData: true, write: false },
  'report.share': { patientData: true, write: true },
  // desk-to-phone hand-over codes (POST/GET/DELETE /api/v1/handover…); redeeming a code is public and
  // audited as `handover.redeem`
  'handover.create': { patientData: true, write: true },
  'handover.read': { patientData: true, write: false },
  'handover.cancel': { patientData: true, write: true },
  'admin.users.read': { patientData: false, write: false },
  'admin.users.write': { patientData: false, write: true },
  'admin.backup': { patientData: false, write: false },
} as const satisfies Record<string, { patientData: boolean; write: boolean; scopes?: readonly string[] }>;

export type Action = keyof typeof ACTIONS;

/** Why an authorization failed; `ok` when it did not. */
export type Decision = 'ok' | 'unauthenticated' | 'forbidden' | 'not-approved';

const ADMIN_ACTIONS = new Set<Action>(['admin.users.read', 'admin.users.write', 'admin.backup']);

/**
 * The one place that decides who may do what to whose data. Every route calls it, through the
 * route's `access` rule or through `request.authorize` for rules that need the resource first.
 *
 * Rules: nobody acts without signing in; a session scoped to recording may only record; a patient
 * acts on their own data; admins manage accounts but read no patient's data; clinician and
 * researcher roles act as such only after an admin approved them (sharing comes with consent later).
 * @param user - the signed-in user, or null
 * @param action - what is being done
 * @param patientId - whose data it touches, or null for actions on no patient's data
 */
export function authorize(user: AuthUser | null, action: Action, patientId: string | null): Decision {
  if (!user) return 'unauthenticated';
  const rule = ACTIONS[action];
  const scopes: readonly string[] = 'scopes' in rule ? rule.scopes : ['full'];
  if (!scopes.includes(user.scope)) return 'forbidden';
  if (ADMIN_ACTIONS.has(action)) return user.role === 'admin' ? 'ok' : 'forbidden';
  if (patientId === null) return 'ok';
  if (patientId === user.id) return 'ok';
  if ((user.role === 'clinician' || user.role === 'researcher') && !user.roleApproved) return 'not-approved';
  return 'forbidden';
}
