import type { DueResult, Schedule, ScheduleInput } from '@dystrack/core';
import { apiDelete, apiGet, apiPost, apiPut } from './client.js';

/** Calls of the routine API (`/api/v1/schedule`, `/api/v1/calendar/token`, docs/api-surface.md). */

/** The saved routine: null before the first save. */
export interface StoredSchedule {
  schedule: Schedule | null;
  /** 1 for the first save, then 2, 3, … */
  revision: number | null;
  updatedAt: string | null;
}

/** Whether a calendar link works now. */
export interface CalendarStatus {
  active: boolean;
  createdAt: string | null;
}

/** A new calendar link, shown once. */
export interface CalendarLink {
  url: string;
  createdAt: string;
}

export function getSchedule(signal?: AbortSignal): Promise<StoredSchedule> {
  return apiGet('/api/v1/schedule', { signal });
}

/** Saves the whole routine as a new version. */
export function saveSchedule(schedule: ScheduleInput): Promise<StoredSchedule> {
  return apiPut('/api/v1/schedule', schedule);
}

/** What is due today, overdue and next; null when no routine is saved. */
export async function getDue(signal?: AbortSignal): Promise<DueResult | null> {
  return (await apiGet<{ due: DueResult | null }>('/api/v1/schedule/due', { signal })).due;
}

export function getCalendarStatus(signal?: AbortSignal): Promise<CalendarStatus> {
  return apiGet('/api/v1/calendar/token', { signal });
}

/** Creates a calendar link, replacing the one before (which stops working). */
export function createCalendarLink(): Promise<CalendarLink> {
  return apiPost('/api/v1/calendar/token');
}

/** Turns the calendar link off: it answers 404 from now on. */
export async function revokeCalendarLink(): Promise<void> {
  await apiDelete('/api/v1/calendar/token');
}
