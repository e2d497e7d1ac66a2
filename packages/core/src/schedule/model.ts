import { z } from 'zod';
import { QUESTIONNAIRES } from '../questionnaires/definitions.js';
import { TASK_IDS } from '../recording/tasks.js';
import { WEEKDAYS, isValidTimeZone } from './zoned.js';

/*
 * The person's routine: what they plan to do when. A schedule is JSON the person edits as a whole (the
 * server keeps every saved version). It names activities, never results: the reminders built from it
 * carry no health details.
 */

/** The current version of the schedule model; older versions are migrated forward by {@link parseSchedule}. */
export const SCHEDULE_VERSION = 1;

/** Things a schedule can plan: a task, the diary, or a questionnaire. */
export const SCHEDULE_ACTIVITIES = ['diary', ...TASK_IDS, ...Object.keys(QUESTIONNAIRES)] as [
  string,
  ...string[],
];

/** What a schedule item plans: a task id (`typing`, …), `diary`, or a questionnaire id (`phq-9`, …). */
export type Activity = string;

/** What kind of thing an activity is. */
export function activityKind(activity: Activity): 'task' | 'diary' | 'questionnaire' {
  if (activity === 'diary') return 'diary';
  return (TASK_IDS as readonly string[]).includes(activity) ? 'task' : 'questionnaire';
}

/** Most items a schedule may hold. */
export const MAX_SCHEDULE_ITEMS = 30;

/** Longest interval of an "every N days" item; also bounds how far back "overdue" can reach. */
export const MAX_EVERY_DAYS = 90;

/** Longest baseline window before an injection, in days. */
export const MAX_BASELINE_DAYS = 90;

/** Default number of baseline sessions before each injection (a baseline needs three: measures.md 10). */
export const DEFAULT_BASELINE_SESSIONS = 3;

/** Default number of days before the injection in which the baseline sessions are planned. */
export const DEFAULT_BASELINE_DAYS = 14;

const isoDate = z.iso.date().refine((date) => date >= '2000-01-01' && date <= '2200-12-31', {
  message: 'the date must be between 2000 and 2200',
});

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'choose a time of day (HH:MM, 00:00 to 23:59)')
  .describe('preferred local time, HH:MM (24-hour clock)');

const itemId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, '1 to 40 letters, digits, - or _')
  .describe('chosen by the client, unique within the schedule');

const activity = z.enum(SCHEDULE_ACTIVITIES).describe('a task id, `diary`, or a questionnaire id');

function distinct<T>(list: readonly T[]): boolean {
  return new Set(list).size === list.length;
}

const repeatSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('weekdays'),
    weekdays: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'choose at least one day')
      .max(7)
      .refine(distinct, 'each day at most once')
      .describe('the days of the week, `mon` … `sun`'),
  }),
  z.strictObject({
    kind: z.literal('interval'),
    everyDays: z.int().min(1).max(MAX_EVERY_DAYS).describe(`every N days, 1 to ${MAX_EVERY_DAYS}`),
    startDate: isoDate.describe('the first day, YYYY-MM-DD; then every N days from it'),
  }),
]);

/** One activity on chosen weekdays or every N days, at a preferred local time. */
export const recurringItemSchema = z.strictObject({
  id: itemId,
  type: z.literal('recurring'),
  activity,
  repeat: repeatSchema,
  time: localTime,
});

/**
 * A baseline block: `sessions` sessions of the chosen activities in the `daysBefore` days before each
 * planned botulinum-toxin injection. The injection date is the one the person entered
 * (`nextInjectionDate`), or, when that has passed or there is none, the last injection in the treatment
 * log plus `intervalDays`.
 */
export const baselineItemSchema = z
  .strictObject({
    id: itemId,
    type: z.literal('baseline'),
    activities: z
      .array(activity)
      .min(1, 'choose at least one activity')
      .max(10)
      .refine(distinct, 'each activity at most once'),
    sessions: z
      .int()
      .min(1)
      .max(10)
      .default(DEFAULT_BASELINE_SESSIONS)
      .describe('sessions before each injection'),
    daysBefore: z
      .int()
      .min(1)
      .max(MAX_BASELINE_DAYS)
      .default(DEFAULT_BASELINE_DAYS)
      .describe('the sessions fall in these many days before the injection'),
    time: localTime,
    nextInjectionDate: isoDate.nullable().default(null).describe('the next planned injection, YYYY-MM-DD'),
    intervalDays: z
      .int()
      .min(14)
      .max(730)
      .nullable()
      .default(null)
      .describe('usual days between injections, to plan from the last one in the treatment log'),
  })
  .superRefine((item, ctx) => {
    if (item.sessions > item.daysBefore)
      ctx.addIssue({
        code: 'custom',
        path: ['sessions'],
        message: 'at most one session a day: choose more days or fewer sessions',
      });
    if (item.nextInjectionDate === null && item.intervalDays === null)
      ctx.addIssue({
        code: 'custom',
        path: ['nextInjectionDate'],
        message: 'enter the next planned injection date, or the usual number of days between injections',
      });
  });

export const scheduleItemSchema = z.discriminatedUnion('type', [recurringItemSchema, baselineItemSchema]);

/** A schedule as stored and exchanged (version 1). Unknown fields are refused. */
export const scheduleSchema = z
  .strictObject({
    version: z.literal(SCHEDULE_VERSION),
    timeZone: z
      .string()
      .refine(isValidTimeZone, 'an IANA time zone such as Europe/Berlin')
      .describe("the person's time zone (IANA), in which the times are meant"),
    items: z.array(scheduleItemSchema).max(MAX_SCHEDULE_ITEMS),
  })
  .superRefine((schedule, ctx) => {
    if (!distinct(schedule.items.map((item) => item.id)))
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'each item id at most once' });
  });

export type Schedule = z.output<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;
export type ScheduleItem = Schedule['items'][number];
export type RecurringItem = z.output<typeof recurringItemSchema>;
export type BaselineItem = z.output<typeof baselineItemSchema>;

/**
 * Reads a stored or received schedule of any published version, migrated to the current one.
 * @throws ZodError when it is not a valid schedule
 */
export function parseSchedule(value: unknown): Schedule {
  // Version 1 is the only one so far; a later version adds its forward migration here.
  return scheduleSchema.parse(value);
}

/** An empty schedule in a zone. */
export function emptySchedule(timeZone: string): Schedule {
  return { version: SCHEDULE_VERSION, timeZone, items: [] };
}
