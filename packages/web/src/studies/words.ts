import { WEEKDAYS, type Schedule, type ScheduleItem, type Weekday } from '@dystrack/core';
import { taskDefinition } from '@dystrack/tasks';
import { activityWords } from '../components/due-today.js';
import { calendarDateWords } from '../pages/scales-reference.js';
import type { EnrolmentStatus, WithdrawalChoice, WithdrawalData } from './api.js';

/*
 * Studies in words: the routine a study asks for, the withdrawal promise of a consent version, and a
 * participant's status. Shared by the researcher's pages and the patient's participation page, so that
 * both read the same sentences.
 */

const DAY_PLURALS: Record<Weekday, string> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

/** A list in words: "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The title of a task of the catalogue (the id when the catalogue does not know it). */
export function taskTitle(id: string): string {
  return taskDefinition(id)?.title ?? id;
}

/** Days of the week in words: "every day", "on weekdays", "on Mondays and Thursdays". */
export function weekdaysWords(days: readonly Weekday[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'every day';
  if (set.size === 5 && !set.has('sat') && !set.has('sun')) return 'on weekdays (Monday to Friday)';
  return `on ${listWords(WEEKDAYS.filter((day) => set.has(day)).map((day) => DAY_PLURALS[day]))}`;
}

/** One item of a routine in words: "Tapping: on Mondays and Thursdays, around 18:00". */
export function scheduleItemWords(item: ScheduleItem): string {
  if (item.type === 'recurring') {
    const what = activityWords(item.activity);
    const when =
      item.repeat.kind === 'weekdays'
        ? weekdaysWords(item.repeat.weekdays)
        : item.repeat.everyDays === 1
          ? `every day from ${calendarDateWords(item.repeat.startDate)}`
          : `every ${item.repeat.everyDays} days from ${calendarDateWords(item.repeat.startDate)}`;
    return `${what}: ${when}, around ${item.time}`;
  }
  const what = listWords(item.activities.map(activityWords));
  return (
    `${what}: ${item.sessions} session${item.sessions === 1 ? '' : 's'} in the ${item.daysBefore} days ` +
    `before each planned botulinum-toxin injection, around ${item.time}`
  );
}

/**
 * A study's routine as sentences, one per item, or one sentence saying there is none. The times are
 * meant in the routine's time zone; it is named when it differs from this device's.
 */
export function scheduleWords(schedule: Schedule | null, deviceZone = localTimeZone()): string[] {
  if (!schedule || schedule.items.length === 0)
    return ['No fixed routine: the study asks for its tasks whenever suits you.'];
  const lines = schedule.items.map(scheduleItemWords);
  if (schedule.timeZone !== deviceZone) lines.push(`Times are in the ${schedule.timeZone} time zone.`);
  return lines;
}

/** The time zone of this device (the study's routine is made in the researcher's). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** What a withdrawal promise means, for the researcher choosing it. */
export const WITHDRAWAL_RESEARCHER_WORDS: Record<WithdrawalData, { label: string; description: string }> = {
  keep: {
    label: 'Keep the data collected until the withdrawal',
    description:
      'What the participant recorded for the study before withdrawing stays in the export; nothing recorded after it is added.',
  },
  delete: {
    label: 'Remove all of the participant’s data',
    description:
      'After the withdrawal none of the participant’s data is in the export any more, including what was collected before.',
  },
  'participant-chooses': {
    label: 'The participant chooses when withdrawing',
    description:
      'Each participant decides, when they withdraw, whether the data collected so far is kept or removed.',
  },
};

/** The withdrawal promise of a consent version, in plain words for the participant. */
export function withdrawalPromiseWords(data: WithdrawalData): string {
  switch (data) {
    case 'keep':
      return 'You can withdraw at any time, without giving a reason. If you do, what you recorded for the study until then stays in the study’s data, under your pseudonym; nothing you record afterwards is shared with the study.';
    case 'delete':
      return 'You can withdraw at any time, without giving a reason. If you do, all of your data leaves the study: the researcher’s exports no longer contain any of it, including what was shared before. (Files the researcher downloaded before you withdrew are outside Dystrack.)';
    default:
      return 'You can withdraw at any time, without giving a reason. When you do, you choose: the data you recorded for the study until then either stays in the study’s data, under your pseudonym, or leaves the study completely.';
  }
}

/** The participant's two choices on withdrawing, explained. */
export const WITHDRAWAL_CHOICE_WORDS: Record<WithdrawalChoice, { label: string; description: string }> = {
  keep: {
    label: 'Keep what I recorded so far in the study',
    description:
      'Your data until today stays in the study’s data, under your pseudonym (never your name). Nothing after today is shared.',
  },
  delete: {
    label: 'Remove all my data from the study',
    description:
      'None of your data is in the researcher’s exports any more, including what was shared before (files the researcher downloaded earlier are outside Dystrack). Your own records in Dystrack stay yours.',
  },
};

/** What happened to the data of a withdrawn participation. */
export function withdrawnDataWords(choice: WithdrawalChoice | null): string {
  if (choice === 'keep') return 'Your data until the withdrawal stays in the study, under your pseudonym.';
  if (choice === 'delete') return 'All of your data was removed from the study.';
  return 'Nothing you record is shared with the study any more.';
}

/** A participant's status for the researcher's table. */
export const PARTICIPANT_STATUS_WORDS: Record<EnrolmentStatus, string> = {
  consenting: 'Consenting',
  'awaiting-reconsent': 'Awaiting re-consent',
  withdrawn: 'Withdrawn',
};
