import type { Role, ShareScope } from './db/schema.js';

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
 * The patients who share data with the caller, and what each shares: the active shares (accepted, not
 * revoked, not expired), read afresh on every request of an approved clinician (src/sharing/relations.ts),
 * so that a revocation takes effect at the next request.
 */
export type SharedWith = ReadonlyMap<string, ReadonlySet<ShareScope>>;

export const NOTHING_SHARED: SharedWith = new Map();

interface ActionRule {
  patientData: boolean;
  write: boolean;
  scopes?: readonly string[];
  roles?: readonly Role[];
  shared?: readonly ShareScope[];
}

/**
 * Every action a route can perform. `patientData` actions touch a patient's data and are audited;
 * `scopes` lists the session scopes that may perform it (default: `full` only); `roles` limits who may
 * perform it at all (in an approved role; patients need no approval); `shared` is what an approved clinician
 * needs the patient to share to perform it on the patient's data (every listed share scope; an empty
 * list: any active share). An action without `shared` is the patient's alone.
 */
export const ACTIONS = {
  'account.read': { patientData: false, write: false },
  'account.update': { patientData: false, write: true },
  'account.delete': { patientData: true, write: true },
  'passkey.manage': { patientData: false, write: true },
  // the profile and routine: a clinician with any active share sees them (the context of everything else)
  'profile.read': { patientData: true, write: false, shared: [] },
  'profile.write': { patientData: true, write: true },
  // the secret calendar-feed link (see, create, revoke)
  'calendar.manage': { patientData: true, write: true },
  // the patient's record beyond tasks, by kind (each audit row names the precise action, e.g.
  // diary.update, and the entry); a clinician the patient lets add entries may add scale totals and
  // treatments (marked as clinician-entered) and change only those they entered
  'diary.read': { patientData: true, write: false, shared: ['diary'] },
  'diary.write': { patientData: true, write: true },
  'scale.read': { patientData: true, write: false, shared: ['scales'] },
  'scale.write': { patientData: true, write: true, shared: ['scales', 'add-entries'] },
  'treatment.read': { patientData: true, write: false, shared: ['treatments'] },
  'treatment.write': { patientData: true, write: true, shared: ['treatments', 'add-entries'] },
  // the only action of a `record` session (a phone signed in by a hand-over code): running a task needs no
  // other data from the server (the session itself is public, the task catalogue is part of the app); a
  // clinician the patient shares tasks with may record for the patient in the clinic (supervised)
  'recording.create': { patientData: true, write: true, scopes: ['full', 'record'], shared: ['tasks'] },
  'recording.read': { patientData: true, write: false, shared: ['tasks'] },
  'recording.list': { patientData: true, write: false, shared: ['tasks'] },
  'recording.erase': { patientData: true, write: true },
  'audit.read': { patientData: true, write: false },
  // the patient's whole record as one file (GET /api/v1/export)
  'data.export': { patientData: true, write: false },
  // the clinician report of a period as a PDF (GET /api/v1/reports/clinician.pdf)
  'report.create': { patientData: true, write: false, shared: ['reports'] },
  // signed work-capacity reports: the list of issued ones, and read-only share links to one (create, revoke);
  // opening a share link is public
  'report.read': { patientData: true, write: false, shared: ['reports'] },
  // issuing a signed work-capacity report: the patient's own decision, whatever they share
  'report.attest': { patientData: true, write: true },
  'report.share': { patientData: true, write: true },
  // desk-to-phone hand-over codes (POST/GET/DELETE /api/v1/handover…); redeeming a code is public and
  // audited as `handover.redeem`
  'handover.create': { patientData: true, write: true },
  'handover.read': { patientData: true, write: false },
  'handover.cancel': { patientData: true, write: true },
  // sharing: the patient's shares (list, invite, change, revoke; redeeming a clinician's code), the
  // clinician's side (the patients who share, invitations, redeeming a patient's code, recording a visit)
  'share.manage': { patientData: true, write: true, roles: ['patient'] },
  'share.read': { patientData: true, write: false, roles: ['patient'] },
  'clinician.read': { patientData: false, write: false, roles: ['clinician'] },
  'clinician.write': { patientData: false, write: true, roles: ['clinician'] },
  'visit.record': { patientData: true, write: true, roles: ['clinician'], shared: [] },
  // studies: the researcher's own studies and their de-identified export; the patient's enrolments
  'study.read': { patientData: false, write: false, roles: ['researcher'] },
  'study.write': { patientData: false, write: true, roles: ['researcher'] },
  'study.export': { patientData: false, write: false, roles: ['researcher'] },
  'study.participate': { patientData: true, write: true, roles: ['patient'] },
  'admin.users.read': { patientData: false, write: false, roles: ['admin'] },
  'admin.users.write': { patientData: false, write: true, roles: ['admin'] },
  'admin.backup': { patientData: false, write: false, roles: ['admin'] },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof ACTIONS;

/** Why an authorization failed; `ok` when it did not. */
export type Decision = 'ok' | 'unauthenticated' | 'forbidden' | 'not-approved';

/**
 * The one place that decides who may do what to whose data. Every route calls it, through the
 * route's `access` rule or through `request.authorize` for rules that need the resource first.
 *
 * Rules: nobody acts without signing in; a session scoped to recording may only record; admins manage
 * accounts but read no patient's data; clinician and researcher roles act as such only after an admin
 * approved them; a patient acts on their own data; an approved clinician acts on a patient's data only
 * as far as the patient shares it with them (the action's `shared` scopes, in an active share); nobody
 * else touches a patient's data (researchers see only de-identified study exports).
 * @param user - the signed-in user, or null
 * @param action - what is being done
 * @param patientId - whose data it touches, or null for actions on no patient's data
 * @param sharedWith - the caller's active shares (empty for anyone but an approved clinician)
 */
export function authorize(
  user: AuthUser | null,
  action: Action,
  patientId: string | null,
  sharedWith: SharedWith = NOTHING_SHARED,
): Decision {
  if (!user) return 'unauthenticated';
  const rule: ActionRule = ACTIONS[action];
  if (!(rule.scopes ?? ['full']).includes(user.scope)) return 'forbidden';
  const professional = user.role === 'clinician' || user.role === 'researcher';
  if (rule.roles) {
    if (!rule.roles.includes(user.role)) return 'forbidden';
    if (!user.roleApproved) return 'not-approved';
  }
  if (patientId === null) return 'ok';
  if (patientId === user.id) return 'ok';
  if (professional && !user.roleApproved) return 'not-approved';
  if (user.role === 'clinician' && rule.shared) {
    const scopes = sharedWith.get(patientId);
    if (scopes && rule.shared.every((scope) => scopes.has(scope))) return 'ok';
  }
  return 'forbidden';
}
