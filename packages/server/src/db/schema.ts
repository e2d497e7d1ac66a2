import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  uniqueIndex,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The database schema, identical on PGlite and PostgreSQL. Every row that belongs to a patient
 * carries `patient_id` (and has it in its primary key), so that tables can be distributed by patient.
 * Migrations are generated from this file by drizzle-kit into ../../drizzle and committed.
 */

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const ROLES = ['patient', 'clinician', 'researcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  /** Lower-cased, unique; people sign in with it (no e-mail server needed). */
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash'),
  role: text('role', { enum: ROLES }).notNull().default('patient'),
  /** Clinician and researcher accounts act in their role only once an admin approved them. */
  roleApprovedAt: timestamp('role_approved_at', { withTimezone: true, mode: 'date' }),
  roleApprovedBy: uuid('role_approved_by'),
  createdAt: createdAt(),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }),
});

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the session token; the token itself is only in the cookie. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `full`, or a narrower scope such as `record` for a phone hand-over. */
    scope: text('scope').notNull().default('full'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const passkeys = pgTable(
  'passkeys',
  {
    /** WebAuthn credential id, base64url. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    publicKey: bytea('public_key').notNull(),
    counter: integer('counter').notNull().default(0),
    transports: text('transports')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

/** Pending WebAuthn challenges, single use, short-lived. */
export const webauthnChallenges = pgTable('webauthn_challenges', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['register', 'authenticate'] }).notNull(),
  challenge: text('challenge').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Password-reset links issued by an admin. */
export const resetTokens = pgTable('reset_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdBy: uuid('created_by').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
});

export const DYSTONIA_FORMS = ['writers-cramp', 'musicians', 'typists', 'tool-use', 'other'] as const;
export const HANDS = ['left', 'right', 'both'] as const;

/** The patient's profile (one row per patient). */
export const profiles = pgTable('profiles', {
  patientId: uuid('patient_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  affectedHands: text('affected_hands', { enum: HANDS }),
  dominantHand: text('dominant_hand', { enum: ['left', 'right', 'ambidextrous'] }),
  dystoniaForms: text('dystonia_forms')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  occupation: text('occupation'),
  essentialHandTasks: text('essential_hand_tasks')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  instrument: text('instrument'),
  onsetYear: smallint('onset_year'),
  diagnosisConfirmed: text('diagnosis_confirmed', { enum: ['yes', 'no', 'unsure'] }),
  onboardedAt: timestamp('onboarded_at', { withTimezone: true, mode: 'date' }),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Recordings, immutable. `content` is the canonical JSON (RFC 8785) of the recording as uploaded, at its
 * own schema version; `sha256` is its hash. Only erasure by the owner ever changes a row: it clears
 * `content` and sets `erased_at` (a trigger refuses every other change), and the id stays taken.
 */
export const recordings = pgTable(
  'recordings',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    taskId: text('task_id').notNull(),
    taskVersion: text('task_version').notNull(),
    schemaVersion: smallint('schema_version').notNull(),
    hand: text('hand').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    flags: text('flags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sha256: text('sha256').notNull(),
    byteLength: integer('byte_length').notNull(),
    content: text('content'),
    /** Who uploaded it (the patient, or later a clinician in a supervised session). */
    uploadedBy: uuid('uploaded_by').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.patientId, t.id] }),
    // ids are client-generated UUIDs, unique across patients (on a database distributed by patient this
    // becomes unique per patient: the primary key)
    uniqueIndex('recordings_id_unique').on(t.id),
    index('recordings_patient_started_idx').on(t.patientId, t.startedAt, t.id),
  ],
);

/**
 * Metric values computed from stored recordings by the core analysis (src/metrics): one row per
 * recording, metric and analysis version. Rows of older analysis versions stay when a recording is
 * recomputed (`dystrack recompute`). `value` is null when the metric cannot be computed from the
 * recording; `flags` are the analysis's quality flags. Erasing a recording deletes its rows (trigger in
 * migration 0004), deleting the recording or the account deletes them by cascade.
 */
export const metricValues = pgTable(
  'metric_values',
  {
    patientId: uuid('patient_id').notNull(),
    recordingId: uuid('recording_id').notNull(),
    metricId: text('metric_id').notNull(),
    analysisVersion: text('analysis_version').notNull(),
    /** The metric's own algorithm version (MetricDefinition.version). */
    metricVersion: text('metric_version').notNull(),
    value: doublePrecision('value'),
    flags: text('flags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // patient_id leads, as on every patient table; recording ids are unique, so this is unique per
    // (recording_id, metric_id, analysis_version)
    primaryKey({
      name: 'metric_values_pk',
      columns: [t.patientId, t.recordingId, t.metricId, t.analysisVersion],
    }),
    foreignKey({
      name: 'metric_values_recording_fk',
      columns: [t.patientId, t.recordingId],
      foreignColumns: [recordings.patientId, recordings.id],
    }).onDelete('cascade'),
    index('metric_values_patient_metric_idx').on(t.patientId, t.metricId, t.analysisVersion),
  ],
);

/**
 * One row per recording and analysis version that the analysis has run for: `ok` (its values are in
 * metric_values, possibly none) or `failed` (the analysis refused the recording: `error_code`, e.g.
 * `E_TOO_FEW_EVENTS`; it is not retried until `dystrack recompute --all`). A stored recording without a
 * row for the current version is analysed at the next start. `setup_key` is the recording's measurement
 * setup (device and browser) for the same-setup rule of the change statistics.
 */
export const metricRuns = pgTable(
  'metric_runs',
  {
    patientId: uuid('patient_id').notNull(),
    recordingId: uuid('recording_id').notNull(),
    analysisVersion: text('analysis_version').notNull(),
    status: text('status', { enum: ['ok', 'failed'] }).notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    setupKey: text('setup_key'),
    computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'metric_runs_pk', columns: [t.patientId, t.recordingId, t.analysisVersion] }),
    foreignKey({
      name: 'metric_runs_recording_fk',
      columns: [t.patientId, t.recordingId],
      foreignColumns: [recordings.patientId, recordings.id],
    }).onDelete('cascade'),
  ],
);

/** Who read or changed which patient's data, when, and from where. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    /** The patient whose data was touched; null for actions on no patient's data. */
    patientId: uuid('patient_id'),
    action: text('action').notNull(),
    resource: text('resource'),
    method: text('method').notNull(),
    route: text('route').notNull(),
    status: smallint('status').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details'),
  },
  (t) => [
    index('audit_patient_at_idx').on(t.patientId, t.at),
    index('audit_actor_at_idx').on(t.actorId, t.at),
  ],
);

/** What kind of patient-entered item an entry revision holds (see {@link entryRevisions}). */
export const ENTRY_KINDS = ['diary', 'questionnaire-response', 'clinician-scale-total', 'treatment'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * Everything a patient enters by hand (diary entries, questionnaire responses, clinician-scale totals,
 * treatments), append-only: every create, edit and delete inserts a revision (1, 2, …) and no revision
 * is ever changed (a trigger in migration 0005 refuses updates). The current state of an entry is its
 * highest revision; a delete is a revision with `deleted` set and no data. `at` is the time the entry is
 * about (the diary entry's time, the rating or injection date), used to list by time range. `data` is
 * the kind's own JSON, validated by the API's zod schema before it is stored.
 */
export const entryRevisions = pgTable(
  'entry_revisions',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    entryId: uuid('entry_id').notNull(),
    revision: integer('revision').notNull(),
    kind: text('kind', { enum: ENTRY_KINDS }).notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
    data: jsonb('data'),
    /** Who wrote this revision (the patient; later a clinician entering for them). */
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'entry_revisions_pk', columns: [t.patientId, t.entryId, t.revision] }),
    // entry ids are server-generated UUIDs, unique across patients: found by id alone, then authorized
    uniqueIndex('entry_revisions_entry_unique').on(t.entryId, t.revision),
    index('entry_revisions_patient_kind_at_idx').on(t.patientId, t.kind, t.at),
    check('entry_revisions_revision_positive', sql`${t.revision} >= 1`),
    check(
      'entry_revisions_deleted_no_data',
      sql`(${t.deleted} and ${t.data} is null) or (not ${t.deleted} and ${t.data} is not null)`,
    ),
  ],
);

/**
 * The person's routine (see core `schedule`), versioned and append-only: every save inserts version 1,
 * 2, …; the current routine is the highest version, older ones are its history. `data` is the core
 * schedule JSON, validated by the API's zod schema before it is stored.
 */
export const schedules = pgTable(
  'schedules',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    data: jsonb('data').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'schedules_pk', columns: [t.patientId, t.version] }),
    check('schedules_version_positive', sql`${t.version} >= 1`),
  ],
);

/**
 * Secret calendar-feed links (`/calendar/<token>.ics`). Only the SHA-256 (hex) of the token is stored;
 * the token is shown once. Revoking sets `revoked_at`; at most one link per person is active (partial
 * unique index), so creating a new one revokes the old one in the same transaction.
 */
export const calendarTokens = pgTable(
  'calendar_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('calendar_tokens_one_active')
      .on(t.patientId)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * Server-wide values that must survive restarts, by name. `vapid`: the Web Push (VAPID) key pair
 * `{ publicKey, privateKey }`, generated once at the first need (src/push/vapid.ts); browsers subscribe
 * with its public key, so a new pair would silence every existing subscription.
 */
export const serverSettings = pgTable('server_settings', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Web Push subscriptions, one per browser (the push service's endpoint URL) and account. `p256dh` and
 * `auth` are the browser's keys (base64url) that the payload is encrypted to. A push service that answers
 * 404 or 410 has dropped the subscription: the row is deleted. `failures` counts other failed sends in a
 * row (reset by a success).
 */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    endpoint: text('endpoint').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    /** The last failure in a few words (`HTTP 500`, `ECONNRESET`), for the operator. */
    lastError: text('last_error'),
  },
  (t) => [index('push_subscriptions_user_idx').on(t.userId)],
);

/**
 * Reminders sent, so that each due item is reminded at most once per day: one row per patient, day
 * (YYYY-MM-DD, the day the item is due) and item key. Rows older than a week are pruned by the sender.
 */
export const pushRemindersSent = pgTable(
  'push_reminders_sent',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    itemKey: text('item_key').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'push_reminders_sent_pk', columns: [t.patientId, t.day, t.itemKey] })],
);

/**
 * Desk-to-phone hand-over codes: a signed-in patient shows a QR code whose single-use token signs a phone
 * in for recording only (a `record`-scope session). Only the SHA-256 (hex) of the token is stored; the
 * token lives in the QR code's URL fragment. A code is valid for at most five minutes (`expires_at`),
 * is used once (`used_at`, set atomically) and can be cancelled from the desk (`cancelled_at`).
 * `session_token_hash` is the phone's session, so that the desk can end it. `task` and `hand` are what
 * the phone opens (null: the task list).
 */
export const handoverTokens = pgTable(
  'handover_tokens',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    tokenHash: text('token_hash').notNull(),
    task: text('task'),
    hand: text('hand', { enum: HANDS }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    sessionTokenHash: text('session_token_hash'),
  },
  (t) => [
    primaryKey({ name: 'handover_tokens_pk', columns: [t.patientId, t.id] }),
    uniqueIndex('handover_tokens_token_hash_idx').on(t.tokenHash),
    uniqueIndex('handover_tokens_id_idx').on(t.id),
    check('handover_tokens_lifetime', sql`${t.expiresAt} <= ${t.createdAt} + interval '5 minutes'`),
  ],
);

/**
 * Signed work-capacity reports: each issued report's signed manifest (the recordings it was made from,
 * their content hashes, the hash chain and the server's Ed25519 signature) and the PDF as it was issued,
 * so that a share link serves the very file the patient gave out.
 */
export const attestedReports = pgTable(
  'attested_reports',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    signedManifest: jsonb('signed_manifest').notNull(),
    pdf: bytea('pdf').notNull(),
  },
  (t) => [
    primaryKey({ name: 'attested_reports_pk', columns: [t.patientId, t.id] }),
    uniqueIndex('attested_reports_id_idx').on(t.id),
  ],
);

/**
 * Read-only links to one signed report that the patient gives an assessor: only the SHA-256 (hex) of the
 * token is stored. A link shows the report's verification and serves its PDF until `expires_at` or until
 * the patient revokes it (`revoked_at`); it grants nothing else.
 */
export const reportShareLinks = pgTable(
  'report_share_links',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    tokenHash: text('token_hash').notNull(),
    reportId: uuid('report_id').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ name: 'report_share_links_pk', columns: [t.patientId, t.id] }),
    uniqueIndex('report_share_links_token_hash_idx').on(t.tokenHash),
    uniqueIndex('report_share_links_id_idx').on(t.id),
    foreignKey({
      name: 'report_share_links_report_fk',
      columns: [t.patientId, t.reportId],
      foreignColumns: [attestedReports.patientId, attestedReports.id],
    }).onDelete('cascade'),
    check('report_share_links_lifetime', sql`${t.expiresAt} <= ${t.createdAt} + interval '90 days'`),
  ],
);

/** What a patient can share with a clinician (see `SHARE_SCOPES` in ../authz.ts for what each allows). */
export const SHARE_SCOPES = ['tasks', 'diary', 'scales', 'treatments', 'reports', 'add-entries'] as const;
export type ShareScope = (typeof SHARE_SCOPES)[number];

/**
 * Consent-based sharing of a patient's data with one clinician. A share is made in one of two ways:
 * - the patient invites: the row is created with the chosen scopes and end, and a single-use code
 *   (`invite_token_hash`, SHA-256 of the code, valid until `invite_expires_at`) that an approved clinician
 *   redeems; `clinician_id` is set then (`accepted_at`);
 * - the clinician invites (see {@link shareInvitations}): the patient redeems the clinician's code,
 *   chooses the scopes and end, and the row is created already accepted.
 * A share is active while accepted, not revoked and before `expires_at` (null: until revoked). Revoking
 * sets `revoked_at`; authorization reads the active shares on every request, so it takes effect at once.
 * `last_visit_at` is the clinician's last recorded visit (the dashboard flags changes since then).
 */
export const shares = pgTable(
  'shares',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    clinicianId: uuid('clinician_id').references(() => users.id, { onDelete: 'cascade' }),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').notNull(),
    inviteTokenHash: text('invite_token_hash'),
    inviteExpiresAt: timestamp('invite_expires_at', { withTimezone: true, mode: 'date' }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedBy: uuid('revoked_by'),
    lastVisitAt: timestamp('last_visit_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ name: 'shares_pk', columns: [t.patientId, t.id] }),
    uniqueIndex('shares_id_idx').on(t.id),
    uniqueIndex('shares_invite_token_hash_idx').on(t.inviteTokenHash),
    index('shares_clinician_idx').on(t.clinicianId),
    check('shares_accepted_has_clinician', sql`(${t.acceptedAt} is null) = (${t.clinicianId} is null)`),
  ],
);

/**
 * A clinician's invitation to a patient: a single-use code (SHA-256 stored) valid until `expires_at`; it
 * can carry a proposed routine (`schedule`, core schedule JSON) that the patient may accept with it.
 * Redeeming creates the share (`share_id`) and sets `used_at`.
 */
export const shareInvitations = pgTable(
  'share_invitations',
  {
    id: uuid('id').primaryKey(),
    clinicianId: uuid('clinician_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    note: text('note'),
    schedule: jsonb('schedule'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    usedBy: uuid('used_by'),
    shareId: uuid('share_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('share_invitations_clinician_idx').on(t.clinicianId)],
);

/** What happens to a participant's data when they withdraw, as the consent text promised. */
export const WITHDRAWAL_DATA = ['keep', 'delete', 'participant-chooses'] as const;

/**
 * Research studies, defined by an approved researcher: the tasks and routine participants follow
 * (`schedule`, core schedule JSON) and the current consent version (see {@link studyConsentVersions}).
 * Patients find a study by its `enrol_code` (not a secret: it is printed on the study's recruitment
 * material); enrolling needs the patient's explicit consent to the current consent text.
 */
export const studies = pgTable('studies', {
  id: uuid('id').primaryKey(),
  researcherId: uuid('researcher_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  description: text('description').notNull(),
  enrolCode: text('enrol_code').notNull().unique(),
  tasks: text('tasks').array().notNull(),
  schedule: jsonb('schedule'),
  consentVersion: integer('consent_version').notNull(),
  status: text('status', { enum: ['open', 'closed'] })
    .notNull()
    .default('open'),
  createdAt: createdAt(),
});

/** Every version of a study's consent text, append-only. */
export const studyConsentVersions = pgTable(
  'study_consent_versions',
  {
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    withdrawalData: text('withdrawal_data', { enum: WITHDRAWAL_DATA }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'study_consent_versions_pk', columns: [t.studyId, t.version] }),
    check('study_consent_versions_version_positive', sql`${t.version} >= 1`),
  ],
);

/**
 * A patient's participation in a study. `pseudonym` is the participant's ID in every export; `date_shift_days`
 * is the participant's secret shift of every date in an export. The participant consented to
 * `consent_version` at `consented_at`; a newer study version needs re-consent before the researcher sees
 * anything new. `withdrawn_at` ends it; `withdrawal_data` is what was chosen for the data (`keep`: data up to
 * the withdrawal stays in exports; `delete`: none of it is exported any more).
 */
export const studyEnrolments = pgTable(
  'study_enrolments',
  {
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    pseudonym: text('pseudonym').notNull(),
    dateShiftDays: integer('date_shift_days').notNull(),
    consentVersion: integer('consent_version').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true, mode: 'date' }).notNull(),
    enrolledAt: createdAt(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    withdrawalData: text('withdrawal_data', { enum: ['keep', 'delete'] }),
  },
  (t) => [
    primaryKey({ name: 'study_enrolments_pk', columns: [t.patientId, t.studyId] }),
    uniqueIndex('study_enrolments_pseudonym_idx').on(t.studyId, t.pseudonym),
    index('study_enrolments_study_idx').on(t.studyId),
  ],
);

/**
 * Every consent and withdrawal, append-only: the study's record of who agreed to which consent text when
 * (the enrolment row holds the current state).
 */
export const studyConsentEvents = pgTable(
  'study_consent_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    event: text('event', { enum: ['consent', 'withdraw'] }).notNull(),
    consentVersion: integer('consent_version').notNull(),
    withdrawalData: text('withdrawal_data', { enum: ['keep', 'delete'] }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('study_consent_events_patient_idx').on(t.patientId, t.studyId)],
);

export const schema = {
  users,
  sessions,
  passkeys,
  webauthnChallenges,
  recoveryCodes,
  resetTokens,
  profiles,
  recordings,
  metricValues,
  metricRuns,
  auditLog,
  entryRevisions,
  schedules,
  calendarTokens,
  serverSettings,
  pushSubscriptions,
  pushRemindersSent,
  handoverTokens,
  attestedReports,
  reportShareLinks,
  shares,
  shareInvitations,
  studies,
  studyConsentVersions,
  studyEnrolments,
  studyConsentEvents,
};
