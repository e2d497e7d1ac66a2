import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CodedError } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { DYSTONIA_FORMS, HANDS, profiles } from '../db/schema.js';
import type { ApiOptions } from './index.js';
import { subjectOf } from '../http/security.js';
import { errorResponse } from './session.js';

/** The earliest accepted year of onset. */
export const MIN_ONSET_YEAR = 1900;

/** The current year where it is latest on Earth (UTC+14), so that no one's current year is refused. */
function latestCurrentYear(): number {
  return new Date(Date.now() + 14 * 3600_000).getUTCFullYear();
}

const text = z.string().trim().min(1).max(200);

/**
 * The profile as a patient enters it: every field is required (null or [] for "not given"), so that
 * a client that forgot a field gets a 400 instead of erasing what was saved. Unknown fields are refused.
 */
export const profileInputSchema = z.strictObject({
  affectedHands: z.enum(HANDS).nullable().describe('the hand(s) the dystonia affects'),
  dominantHand: z.enum(['left', 'right', 'ambidextrous']).nullable(),
  dystoniaForms: z
    .array(z.enum(DYSTONIA_FORMS))
    .max(DYSTONIA_FORMS.length)
    .refine((forms) => new Set(forms).size === forms.length, 'each form at most once')
    .describe('forms of task-specific dystonia'),
  occupation: text.nullable(),
  essentialHandTasks: z.array(text).max(20).describe('hand tasks the occupation depends on'),
  instrument: text.nullable().describe('for musicians'),
  onsetYear: z
    .number()
    .int()
    .min(MIN_ONSET_YEAR)
    .refine((year) => year <= latestCurrentYear(), 'the year of onset cannot be in the future')
    .nullable()
    .describe(`year the symptoms began, ${MIN_ONSET_YEAR} to the current year`),
  diagnosisConfirmed: z
    .enum(['yes', 'no', 'unsure'])
    .nullable()
    .describe('whether a doctor has confirmed the diagnosis'),
});

/** A profile as entered. */
export type ProfileInput = z.infer<typeof profileInputSchema>;

/** The stored profile, with the time onboarding was completed and of the last save (null before the first). */
export const profileSchema = z.object({
  affectedHands: z.enum(HANDS).nullable(),
  dominantHand: z.enum(['left', 'right', 'ambidextrous']).nullable(),
  dystoniaForms: z.array(z.enum(DYSTONIA_FORMS)),
  occupation: z.string().nullable(),
  essentialHandTasks: z.array(z.string()),
  instrument: z.string().nullable(),
  onsetYear: z.number().int().nullable(),
  diagnosisConfirmed: z.enum(['yes', 'no', 'unsure']).nullable(),
  onboardedAt: z.iso.datetime().nullable().describe('set by the first complete save, never cleared'),
  updatedAt: z.iso.datetime().nullable(),
});

/** A stored profile. */
export type Profile = z.infer<typeof profileSchema>;

/** The profile of a patient who has not saved one yet. */
export const EMPTY_PROFILE: Profile = {
  affectedHands: null,
  dominantHand: null,
  dystoniaForms: [],
  occupation: null,
  essentialHandTasks: [],
  instrument: null,
  onsetYear: null,
  diagnosisConfirmed: null,
  onboardedAt: null,
  updatedAt: null,
};

/**
 * Whether a profile is complete enough to finish onboarding: affected hand(s), dominant hand, at least
 * one form of dystonia and the diagnosis question answered. Occupation, hand tasks, instrument and
 * year of onset stay optional (not everyone has or remembers them).
 * @param profile - the profile as entered
 */
export function isProfileComplete(profile: ProfileInput): boolean {
  return (
    profile.affectedHands !== null &&
    profile.dominantHand !== null &&
    profile.dystoniaForms.length > 0 &&
    profile.diagnosisConfirmed !== null
  );
}

function toJson(row: typeof profiles.$inferSelect): Profile {
  return {
    affectedHands: row.affectedHands,
    dominantHand: row.dominantHand,
    dystoniaForms: row.dystoniaForms as Profile['dystoniaForms'],
    occupation: row.occupation,
    essentialHandTasks: row.essentialHandTasks,
    instrument: row.instrument,
    onsetYear: row.onsetYear,
    diagnosisConfirmed: row.diagnosisConfirmed,
    onboardedAt: row.onboardedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The stored profile of a patient, or the empty one.
 * @param db - the database
 * @param patientId - whose profile
 */
export async function readProfile(db: Db, patientId: string): Promise<Profile> {
  const rows = await db.select().from(profiles).where(eq(profiles.patientId, patientId)).limit(1);
  return rows[0] ? toJson(rows[0]) : EMPTY_PROFILE;
}

/**
 * Stores a patient's whole profile in one statement. `onboardedAt` is set by the first complete save
 * and kept from then on.
 * @param db - the database
 * @param patientId - whose profile
 * @param input - the whole profile
 */
export async function writeProfile(db: Db, patientId: string, input: ProfileInput): Promise<Profile> {
  const now = new Date();
  const values = { ...input, updatedAt: now };
  const rows = await db
    .insert(profiles)
    .values({ patientId, ...values, onboardedAt: isProfileComplete(input) ? now : null })
    .onConflictDoUpdate({
      target: profiles.patientId,
      set: { ...values, onboardedAt: sql`coalesce(${profiles.onboardedAt}, excluded.onboarded_at)` },
    })
    .returning();
  const row = rows[0];
  if (!row) throw new CodedError('E_INTERNAL');
  return toJson(row);
}

/** The patient's profile: affected hands, forms of dystonia, occupation, onset, diagnosis. */
export async function profileRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options;
  const patientId = subjectOf;

  app.get(
    '/api/v1/profile',
    {
      config: { access: { action: 'profile.read', patient: 'subject' } },
      schema: {
        tags: ['profile'],
        summary: "The signed-in patient's profile (empty fields before the first save)",
        response: {
          200: profileSchema,
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_FORBIDDEN'),
        },
      },
    },
    async (request) => readProfile(db, patientId(request)),
  );

  app.put(
    '/api/v1/profile',
    {
      config: { access: { action: 'profile.write', patient: 'subject' } },
      schema: {
        tags: ['profile'],
        summary: "Stores the signed-in patient's whole profile",
        description:
          'Every field is required (null or [] when not given); unknown fields answer 400 E_VALIDATION. The first save with ' +
          'affected hand(s), dominant hand, at least one form of dystonia and the diagnosis answer sets `onboardedAt`.',
        body: profileInputSchema,
        response: {
          200: profileSchema,
          400: errorResponse('E_VALIDATION'),
          401: errorResponse('E_UNAUTHENTICATED'),
          403: errorResponse('E_CSRF, E_FORBIDDEN'),
        },
      },
    },
    async (request) => writeProfile(db, patientId(request), request.body),
  );
}
