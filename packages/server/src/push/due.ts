import type { DueResult } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { dueForUser } from '../schedule/index.js';
import type { DueReminderItem } from './service.js';

/**
 * The occurrences worth a reminder: today's (in the person's zone) whose preferred time has come and
 * that are not done yet. Overdue occurrences of earlier days are not reminded again: they were reminded
 * on their day, and a reminder a day says "today". Key: item and activity (a baseline block plans several
 * activities); day: the occurrence's local date.
 * @param due - what is due (core `dueItems`)
 * @param now - the time of the run
 */
export function remindableItems(due: DueResult, now: Date): DueReminderItem[] {
  return due.today
    .filter((occurrence) => occurrence.doneAt === null && Date.parse(occurrence.at) <= now.getTime())
    .map((occurrence) => ({ key: `${occurrence.itemId}:${occurrence.activity}`, day: occurrence.date }));
}

/**
 * What to remind a user of now: the schedule's due items, filtered by {@link remindableItems}. A user
 * without a schedule has nothing due.
 */
export async function dueReminderItems(db: Db, userId: string, now: Date): Promise<DueReminderItem[]> {
  const due = await dueForUser(db, userId, now);
  return due ? remindableItems(due, now) : [];
}
