import { handWords } from '../format.js';
import { formatMetricValue } from '../pages/session-results.js';
import type { ChangeItem, Changes, ClinicPatient, ShareScope } from './api.js';

/** What each share scope lets the clinician see or do, in the clinician's words. */
export const SCOPE_WORDS: Readonly<Record<ShareScope, string>> = {
  tasks: 'task recordings and trends',
  diary: 'diary',
  scales: 'questionnaires and rating scales',
  treatments: 'treatment log',
  reports: 'clinician report (PDF)',
  'add-entries': 'may add rating-scale totals and treatments',
};

/** Short names of the scopes, for lists ("tasks, diary and treatments"). */
export const SCOPE_SHORT: Readonly<Record<ShareScope, string>> = {
  tasks: 'tasks',
  diary: 'diary',
  scales: 'scales',
  treatments: 'treatments',
  reports: 'reports',
  'add-entries': 'adding entries',
};

/** One line saying what reliable change means (never a diagnosis). */
export const RELIABLE_CHANGE_WORDS =
  'A reliable change is a difference larger than the measurement’s own session-to-session variation for this person. It says that a measurement changed, not why, and it is not a diagnosis.';

/** "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The scopes in a stable order, as words. */
export function scopesWords(scopes: readonly ShareScope[], words = SCOPE_SHORT): string {
  const ordered = (['tasks', 'diary', 'scales', 'treatments', 'reports', 'add-entries'] as const).filter(
    (s) => scopes.includes(s),
  );
  return ordered.length ? listWords(ordered.map((s) => words[s])) : 'nothing';
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** A date (ISO datetime or YYYY-MM-DD) as "3 Oct 2026". */
export function dayWords(value: string): string {
  const date = /^\d{4}-\d\d-\d\d$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? value : dayFormat.format(date);
}

/** "until 3 Oct 2026", or "with no end date". */
export function untilWords(expiresAt: string | null): string {
  return expiresAt ? `until ${dayWords(expiresAt)}` : 'with no end date';
}

/** The headline of a patient's changes: "2 reliably worse, 1 reliably better since 3 Oct 2026". */
export function changesHeadline(changes: Changes | null): string {
  if (!changes) return 'Task results are not shared';
  const since = `since ${dayWords(changes.since)}`;
  if (changes.worse === 0 && changes.better === 0) return `No reliable change ${since}`;
  const parts = [
    changes.worse ? `${changes.worse} reliably worse` : null,
    changes.better ? `${changes.better} reliably better` : null,
  ].filter(Boolean);
  return `${parts.join(', ')} ${since}`;
}

/** One change in words: "Tapping speed, right hand: 4.1 → 3.2 taps/s (worse; latest 20 Nov 2026)". */
export function changeItemWords(item: ChangeItem): string {
  const value = (v: number) => formatMetricValue(v, item.unit);
  return `${item.label}, ${handWords(item.hand)}: ${value(item.before)} → ${value(item.latest)} (${item.direction === 'worse' ? 'reliably worse' : 'reliably better'}; latest ${dayWords(item.latestAt)})`;
}

/** The dashboard's order: reliable worsening first (most first), then by name. */
export function sortPatients(patients: readonly ClinicPatient[]): ClinicPatient[] {
  return [...patients].sort(
    (a, b) =>
      (b.changes?.worse ?? 0) - (a.changes?.worse ?? 0) ||
      (a.displayName || a.username).localeCompare(b.displayName || b.username),
  );
}

/** The patient's name as shown. */
export function patientName(patient: Pick<ClinicPatient, 'displayName' | 'username'>): string {
  return patient.displayName || patient.username;
}
