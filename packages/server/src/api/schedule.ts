import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CodedError,
  NOTHING_DONE,
  SCHEDULE_ACTIVITIES,
  emptySchedule,
  isValidTimeZone,
  scheduleSchema,
} from '@dystrack/core';
import type { Action } from '../authz.js';
import { errorBodySchema } from '../http/errors.js';
import { subjectOf } from '../http/security.js';
import {
  TOKEN_PATTERN,
  calendarTokenOwner,
  calendarTokenStatus,
  createCalendarToken,
  doneSince,
  dueForUser,
  readDone,
  readSchedule,
  revokeCalendarToken,
  scheduleIcs,
  writeSchedule,
} from '../schedule/index.js';
import type { ApiOptions } from './index.js';
import { appUrl } from '../http/app-url.js';

/*
 * The personal schedule (routine), what is due, and the secret calendar feed. The schedule is the
 * patient's own setting, authorized like the profile (`profile.read` / `profile.write`, the patient
 * only); each audit row names the precise action (`schedule.read`, `calendar.token.create`, …). The feed
 * needs no session: its secret link is the credential; each fetch is audited as `calendar.feed`.
 */

const READ: Action = 'profile.read';
const WRITE: Action = 'profile.write';
/** The secret calendar-feed link is the patient's alone, whatever they share. */
const CALENDAR: Action = 'calendar.manage';

/** Feed fetches per minute per address: calendar programs poll every few hours; guessing is hopeless anyway. */
const FEED_RATE_LIMIT = 30;

const userId = subjectOf;

const storedScheduleSchema = z.object({
  schedule: scheduleSchema.nullable().describe('the current routine; null before the first save'),
  revision: z.int().nullable().describe('1 for the first save, then 2, 3, … (every save is kept)'),
  updatedAt: z.iso.datetime().nullable(),
});

const occurrenceSchema = z.object({
  itemId: z.string(),
  itemType: z.enum(['recurring', 'baseline']),
  activity: z.enum(SCHEDULE_ACTIVITIES),
  date: z.iso.date().describe('the local date it is planned for'),
  time: z.string().describe('preferred local time, HH:MM'),
  at: z.iso.datetime().describe('date and time as an instant'),
  until: z.iso.datetime().describe('it can be done until this instant (the next one begins)'),
  doneAt: z.iso.datetime().nullable().describe('when it was done within its window, or null'),
  baseline: z
    .object({ session: z.int(), sessions: z.int(), injectionDate: z.iso.date() })
    .nullable()
    .describe('for a baseline session: which of how many, before which injection'),
});

const dueSchema = z.object({
  due: z
    .object({
      timeZone: z.string(),
      date: z.iso.date().describe("today's local date"),
      now: z.iso.datetime(),
      today: z.array(occurrenceSchema).describe("today's occurrences, done or not"),
      overdue: z.array(occurrenceSchema).describe('missed, and still open until the next one'),
      next: z.array(occurrenceSchema).describe('the next occurrence of each item after today'),
      injections: z.array(
        z.object({
          itemId: z.string(),
          date: z.iso.date().nullable(),
          source: z.enum(['entered', 'treatment-log']).nullable(),
        }),
      ),
    })
    .nullable()
    .describe('null when no routine is saved'),
});

const tokenStatusSchema = z.object({
  active: z.boolean().describe('whether a calendar link works now'),
  createdAt: z.iso.datetime().nullable(),
});

/** The routine, what is due, and the calendar feed. */
export async function scheduleRoutes(fastify: FastifyInstance, options: ApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, config } = options;

  app.get(
    '/api/v1/schedule',
    {
      config: { access: { action: READ, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary: "The signed-in patient's routine (null before the first save)",
        response: { 200: storedScheduleSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      request.auditAs('schedule.read', null);
      const stored = await readSchedule(db, userId(request));
      return {
        schedule: stored?.schedule ?? null,
        revision: stored?.revision ?? null,
        updatedAt: stored?.updatedAt.toISOString() ?? null,
      };
    },
  );

  app.put(
    '/api/v1/schedule',
    {
      config: { access: { action: WRITE, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary: "Saves the signed-in patient's whole routine as a new version (earlier ones are kept)",
        description:
          '`{ version: 1, timeZone, items }`. Items are `recurring` (one activity on weekdays or every N days, at a ' +
          'local time) or `baseline` (sessions of activities in the days before each planned botulinum-toxin ' +
          'injection: the entered `nextInjectionDate`, or the last injection in the treatment log plus ' +
          '`intervalDays`). Activities are task ids, `diary` or questionnaire ids. Unknown fields and invalid ' +
          'values answer 400 E_VALIDATION with `details.issues`.',
        body: scheduleSchema,
        response: {
          200: storedScheduleSchema,
          400: errorBodySchema.describe('E_VALIDATION (with `details.issues`)'),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
          409: errorBodySchema.describe('E_CONFLICT: saved by another request at the same time'),
        },
      },
    },
    async (request) => {
      const patientId = userId(request);
      request.auditAs('schedule.write', null);
      const stored = await writeSchedule(db, patientId, request.body, patientId);
      request.auditAs('schedule.write', null, { revision: stored.revision });
      return {
        schedule: stored.schedule,
        revision: stored.revision,
        updatedAt: stored.updatedAt.toISOString(),
      };
    },
  );

  app.get(
    '/api/v1/schedule/due',
    {
      config: { access: { action: READ, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary: 'What is due today, what is overdue, and what comes next',
        description:
          'Matched with what the patient did: recordings by task, diary entries and questionnaire responses. ' +
          "Days are counted in the routine's time zone, or in `timeZone` when given (e.g. while travelling).",
        querystring: z.strictObject({
          timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
        }),
        response: { 200: dueSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      request.auditAs('schedule.due', null);
      return { due: await dueForUser(db, userId(request), new Date(), request.query.timeZone) };
    },
  );

  app.get(
    '/api/v1/calendar/token',
    {
      config: { access: { action: CALENDAR, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary: 'Whether the patient has a calendar link (the link itself is shown only when created)',
        response: { 200: tokenStatusSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      request.auditAs('calendar.token.read', null);
      const status = await calendarTokenStatus(db, userId(request));
      return { active: status.active, createdAt: status.createdAt?.toISOString() ?? null };
    },
  );

  app.post(
    '/api/v1/calendar/token',
    {
      config: { access: { action: CALENDAR, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary:
          'Creates the secret calendar link, replacing (and revoking) any earlier one; answers it once',
        description:
          'Anyone with the link sees the times of the reminders, never what they are about. Only a hash of the ' +
          'secret is stored: the link cannot be shown again, only replaced or revoked.',
        response: {
          201: z.object({
            url: z.string().describe('the feed, `…/calendar/<secret>.ics`'),
            createdAt: z.iso.datetime(),
          }),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
          409: errorBodySchema.describe('E_CONFLICT: created by another request at the same moment'),
        },
      },
    },
    async (request, reply) => {
      request.auditAs('calendar.token.create', null);
      const { token, createdAt } = await createCalendarToken(db, userId(request));
      reply.code(201).header('cache-control', 'no-store');
      return {
        url: `${appUrl(config.publicUrl, request)}/calendar/${token}.ics`,
        createdAt: createdAt.toISOString(),
      };
    },
  );

  app.delete(
    '/api/v1/calendar/token',
    {
      config: { access: { action: CALENDAR, patient: 'subject' } },
      schema: {
        tags: ['schedule'],
        summary: 'Revokes the calendar link: it answers 404 from now on (nothing to revoke is fine too)',
        response: {
          204: z.null().describe('Revoked.'),
          401: errorBodySchema,
          403: errorBodySchema.describe('E_CSRF, E_FORBIDDEN'),
        },
      },
    },
    async (request, reply) => {
      const revoked = await revokeCalendarToken(db, userId(request));
      request.auditAs('calendar.token.revoke', null, { revoked });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/calendar/:file',
    {
      config: {
        access: { public: true },
        rateLimit: { max: FEED_RATE_LIMIT, timeWindow: 60_000, keyGenerator: (request) => request.ip },
      },
      schema: {
        tags: ['schedule'],
        summary: 'The calendar feed (iCalendar) of a secret link: the next 8 weeks of reminders',
        description:
          'No session: the secret in the link is the credential. Events are titled "Dystrack: N-minute check" and ' +
          'link back to the app; they carry no health details. A revoked or unknown link answers 404.',
        params: z.object({ file: z.string().max(100).describe('`<secret>.ics`') }),
        response: {
          200: z.string().describe('the iCalendar text (`text/calendar`)'),
          404: errorBodySchema.describe('E_NOT_FOUND: no such link, or revoked'),
          429: errorBodySchema.describe('E_RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const match = /^(.+)\.ics$/.exec(request.params.file);
      const token = match?.[1] ?? '';
      const patientId = TOKEN_PATTERN.test(token) ? await calendarTokenOwner(db, token) : null;
      if (!patientId) throw new CodedError('E_NOT_FOUND', 'There is no such calendar.');
      request.audit({ action: 'calendar.feed', patientId, resource: null });
      const stored = await readSchedule(db, patientId);
      const now = new Date();
      // without a routine the feed is a valid, empty calendar (the link stays subscribed)
      const ics = scheduleIcs(
        stored?.schedule ?? emptySchedule('UTC'),
        stored ? await readDone(db, patientId, doneSince(now)) : NOTHING_DONE,
        now,
        appUrl(config.publicUrl, request),
        patientId,
      );
      // revocation must take effect at once: no cache may keep the feed
      return reply.header('cache-control', 'no-store').type('text/calendar; charset=utf-8').send(ics);
    },
  );
}
