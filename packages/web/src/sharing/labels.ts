import { WEEKDAYS, type Schedule } from '@dystrack/core';
import { activityWords } from '../components/due-today.js';
import { calendarDateWords } from '../pages/scales-reference.js';
import type { AuditItem, ShareScope } from './api.js';

/*
 * Words of the sharing and activity pages: what each share scope lets a clinician see, how long a share
 * lasts, a clinician's proposed routine, and the audit log's rows as sentences.
 */

/** Each scope as a patient reads it: a short label and one line on what it gives (contract of issue 11). */
export const SCOPE_WORDS: Record<ShareScope, { label: string; description: string }> = {
  tasks: { label: 'Task recordings', description: 'Your task recordings, their results and trends.' },
  diary: { label: 'Diary', description: 'Your diary entries.' },
  scales: {
    label: 'Questionnaires and rating scales',
    description: 'Your questionnaire answers and rating-scale totals.',
  },
  treatments: { label: 'Treatments', description: 'Your treatment log (medicines, injections, therapies).' },
  reports: {
    label: 'Clinician report',
    description: 'The clinician report (PDF) of a period, which summarises everything above.',
  },
  'add-entries': {
    label: 'Let the clinician add entries',
    description:
      'May add rating-scale totals and treatments, marked as entered by the clinician. Works only together with “Questionnaires and rating scales” or “Treatments”.',
  },
};

/** Short words for a scope inside a sentence. */
const SCOPE_PHRASES: Record<ShareScope, string> = {
  tasks: 'task recordings',
  diary: 'diary',
  scales: 'questionnaires and rating scales',
  treatments: 'treatments',
  reports: 'clinician report',
  'add-entries': 'may add entries',
};

/** What a share gives, in plain words: "task recordings, diary and treatments". */
export function scopesWords(scopes: readonly ShareScope[]): string {
  const phrases = scopes.map((scope) => SCOPE_PHRASES[scope] ?? scope);
  if (phrases.length === 0) return 'nothing';
  if (phrases.length === 1) return phrases[0]!;
  return `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** Why a choice of scopes cannot be sent, or null. */
export function scopesProblem(scopes: readonly ShareScope[]): string | null {
  if (scopes.length === 0) return 'Tick at least one thing to share.';
  if (scopes.includes('add-entries') && !scopes.includes('scales') && !scopes.includes('treatments'))
    return 'Adding entries works only together with “Questionnaires and rating scales” or “Treatments”: tick one of those too, or untick adding entries.';
  return null;
}

/** How long a share lasts, as chosen: a length from now, until stopped, or until a chosen day. */
export type Duration = '3m' | '6m' | '1y' | 'open' | 'date';

/** The large radio buttons of a share's length. */
export const DURATION_CHOICES: { value: Duration; label: string; description?: string }[] = [
  { value: '3m', label: '3 months' },
  { value: '6m', label: '6 months' },
  { value: '1y', label: '1 year' },
  { value: 'open', label: 'Until I stop it', description: 'You can stop it here at any time.' },
  { value: 'date', label: 'Until a date I choose', description: 'At most 2 years from today.' },
];

/** `YYYY-MM-DD` of a local date. */
function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The first and last day a chosen end date may have: tomorrow, and the day before two years from today
 * (the share ends at the end of the chosen day; the server refuses ends more than two years away).
 */
export function dateBounds(now: Date = new Date()): { min: string; max: string } {
  const min = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const max = new Date(now.getFullYear() + 2, now.getMonth(), now.getDate() - 1);
  return { min: dayOf(min), max: dayOf(max) };
}

/**
 * When a share of the chosen length ends (ISO, UTC), or null for "until I stop it".
 * A chosen day ends at the end of that day in the person's time zone: "until 3 March" includes 3 March.
 * @throws Error with words for the person when the day is missing or out of bounds
 */
export function durationEnd(duration: Duration, day: string, now: Date = new Date()): string | null {
  if (duration === 'open') return null;
  if (duration === 'date') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!match) throw new Error('Choose the last day of sharing.');
    const { min, max } = dateBounds(now);
    if (day < min) throw new Error('The last day must be after today.');
    if (day > max) throw new Error('The last day can be at most 2 years from today.');
    return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59).toISOString();
  }
  const months = duration === '3m' ? 3 : duration === '6m' ? 6 : 12;
  const end = new Date(now);
  end.setMonth(end.getMonth() + months);
  return end.toISOString();
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** A moment as a local date in words ("3 March 2027"). */
export function dateWords(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** A moment as a local time ("14:05"). */
export function timeWords(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}

/** The heading of a day of the log: "Today", "Yesterday" or "Tuesday, 3 March 2026" (local days). */
export function dayHeading(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const today = dayOf(now);
  const yesterday = dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  const day = dayOf(date);
  if (day === today) return 'Today';
  if (day === yesterday) return 'Yesterday';
  return dayFormat.format(date);
}

/** The local day of a moment, `YYYY-MM-DD` (to group the log by day). */
export function localDay(iso: string): string {
  return dayOf(new Date(iso));
}

/** How long until a moment, in words for a code valid for days: "6 days and 3 hours", "45 minutes". */
export function timeLeftWords(ms: number): string {
  if (ms <= 0) return 'no time';
  const minutes = Math.ceil(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0)
    return hours > 0 ? `${plural(days, 'day')} and ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0) return plural(hours, 'hour');
  return plural(minutes, 'minute');
}

/** A share code as shown: upper case in groups of four ("ABCD-EFGH-JKMN"); anything else as typed. */
export function formatCode(code: string): string {
  const bare = normaliseCode(code);
  return bare.length === 12 ? `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}` : code.trim();
}

/** A code without hyphens and spaces, in upper case (codes are case-insensitive). */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase();
}

/** Why a typed code cannot be a share code, or null. */
export function codeProblem(code: string): string | null {
  const bare = normaliseCode(code);
  if (!bare) return 'Enter the code your clinician gave you.';
  if (!/^[0-9A-Z]{12}$/.test(bare))
    return 'A code has 12 letters and digits, like ABCD-EFGH-JKMN. Check it and type it again.';
  return null;
}

const WEEKDAY_WORDS: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A proposed routine as sentences, one per item ("Typing on Monday and Thursday at 18:00"). */
export function scheduleWords(schedule: Schedule): string[] {
  return schedule.items.map((item) => {
    if (item.type === 'recurring') {
      const what = activityWords(item.activity);
      if (item.repeat.kind === 'weekdays') {
        const days = WEEKDAYS.filter(
          (d) => item.repeat.kind === 'weekdays' && item.repeat.weekdays.includes(d),
        );
        const when =
          days.length === 7 ? 'every day' : `on ${listWords(days.map((d) => WEEKDAY_WORDS[d] ?? d))}`;
        return `${what} ${when} at ${item.time}`;
      }
      const every = item.repeat.everyDays === 1 ? 'every day' : `every ${item.repeat.everyDays} days`;
      return `${what} ${every} from ${calendarDateWords(item.repeat.startDate)} at ${item.time}`;
    }
    const what = listWords(item.activities.map(activityWords));
    const sessions = `${item.sessions} session${item.sessions === 1 ? '' : 's'}`;
    return `Before each injection: ${sessions} of ${what} in the ${item.daysBefore} days before it, at ${item.time}`;
  });
}

/*
 * The audit log's action ids, as what was done. Entry kinds log `<kind>.<verb>` (api/diary.ts); the rest
 * are the actions of the server's authz.ts and the few the routes name themselves.
 */
const ENTRY_NOUNS: Record<string, { one: string; many: string }> = {
  diary: { one: 'a diary entry', many: 'diary entries' },
  questionnaire: { one: 'a questionnaire answer', many: 'questionnaire answers' },
  'clinician-scale': { one: 'a rating-scale total', many: 'rating-scale totals' },
  scale: { one: 'a questionnaire or rating-scale total', many: 'questionnaires and rating scales' },
  treatment: { one: 'a treatment', many: 'treatments' },
};

const ENTRY_VERBS: Record<string, (noun: { one: string; many: string }) => string> = {
  list: (n) => `looked at your ${n.many}`,
  read: (n) => `opened ${n.one}`,
  create: (n) => `added ${n.one}`,
  update: (n) => `changed ${n.one}`,
  delete: (n) => `deleted ${n.one}`,
  history: (n) => `looked at the earlier versions of ${n.one}`,
  write: (n) => `added or changed ${n.many}`,
};

const ACTION_WORDS: Record<string, string> = {
  'account.delete': 'deleted the account',
  'profile.read': 'looked at your profile',
  'profile.write': 'changed your profile',
  'recording.create': 'made a task recording',
  'recording.read': 'opened one of your task recordings',
  'recording.list': 'looked at the list of your task recordings',
  'recording.erase': 'erased a task recording',
  'audit.read': 'looked at this activity log',
  'data.export': 'downloaded your data',
  'report.create': 'made a clinician report (PDF)',
  'report.read': 'looked at or downloaded your signed work-capacity reports',
  'report.attest': 'made a signed work-capacity report (PDF)',
  'report.share': 'made or withdrew a link to a signed report',
  'handover.create': 'made a code to record on a phone',
  'handover.read': 'checked a code to record on a phone',
  'handover.cancel': 'cancelled a code to record on a phone',
  'handover.redeem': 'used a code to record on a phone',
  'share.manage': 'changed your sharing',
  'share.read': 'looked at your sharing',
  'share.list': 'looked at your sharing',
  'share.create': 'invited a clinician',
  'share.update': 'changed what is shared with a clinician',
  'share.revoke': 'stopped sharing with a clinician',
  'share.redeem': 'used your invitation code, which started sharing',
  'invitation.preview': 'looked at a clinician’s invitation',
  'invitation.redeem': 'used a clinician’s invitation code',
  'changes.read': 'looked at what changed in your results since the last visit',
  'visit.record': 'marked a visit (what is new is counted from now)',
  'study.participate': 'changed your taking part in a study',
  'study.enrol': 'joined a study',
  'study.consent': 'agreed to a study’s consent',
  'study.withdraw': 'left a study',
  'study.export': 'exported a study’s de-identified data',
  'study.lookup': 'looked up a study by its code',
  'study.participation.read': 'looked at the studies you take part in',
  'schedule.read': 'looked at your routine',
  'schedule.write': 'changed your routine',
  'schedule.due': 'looked at what your routine plans for today',
  'calendar.feed': 'your calendar app fetched your routine',
  'calendar.token.read': 'looked at your calendar link',
  'calendar.token.create': 'made a calendar link',
  'calendar.token.revoke': 'stopped a calendar link',
  'calendar.manage': 'changed your calendar link',
  'red-flags.check': 'checked answers for warning signs',
  'admin.users.reset-link': 'made a password reset link for you',
  'admin.users.approve': 'approved an account',
};

/** What an audit row did, as a phrase after who did it ("opened a diary entry"); unknown ids as they are. */
export function actionWords(action: string): string {
  const known = ACTION_WORDS[action];
  if (known) return known;
  const dot = action.lastIndexOf('.');
  const noun = ENTRY_NOUNS[action.slice(0, dot)];
  const verb = ENTRY_VERBS[action.slice(dot + 1)];
  if (dot > 0 && noun && verb) return verb(noun);
  return `did “${action}”`;
}

const ROLE_WORDS: Record<string, string> = {
  clinician: 'clinician',
  researcher: 'researcher',
  patient: 'patient',
  admin: 'administrator',
};

/** Who did what an audit row records: "You", "Dr Lee (clinician)", "An administrator (Sam)", … */
export function actorWords(actor: AuditItem['actor'], meId: string | null): string {
  if (!actor) return 'Someone not signed in';
  if (actor.id === meId) return 'You';
  const name = actor.displayName ?? 'An account that no longer exists';
  if (actor.role === 'admin')
    return actor.displayName ? `An administrator (${actor.displayName})` : 'An administrator';
  const role = actor.role ? (ROLE_WORDS[actor.role] ?? actor.role) : null;
  return role ? `${name} (${role})` : name;
}

/** Whether an audit row records a refused attempt. */
export function isRefused(item: Pick<AuditItem, 'status' | 'details'>): boolean {
  const denied = (item.details as { denied?: unknown } | null | undefined)?.denied;
  return Boolean(denied) || item.status >= 400;
}

/** A user agent in short words: "Firefox on Windows", "Safari on iPhone"; the first words otherwise. */
export function userAgentWords(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrome\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : null;
  const system = /iPhone/.test(userAgent)
    ? 'iPhone'
    : /iPad/.test(userAgent)
      ? 'iPad'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(userAgent)
            ? 'Mac'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : null;
  if (browser && system) return `${browser} on ${system}`;
  if (browser ?? system) return (browser ?? system)!;
  return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent;
}
