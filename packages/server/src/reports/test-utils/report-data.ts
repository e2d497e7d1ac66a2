import { computeChange, metricCatalogue, type TaskId } from '@dystrack/core';
import { EMPTY_PROFILE } from '../../api/profile.js';
import type { ReportData, ReportTask } from '../gather.js';

const DAY_MS = 86_400_000;

/**
 * A task and hand with one session a day from `from`, each with the given values of one metric (the
 * setup stays the same), and core's change statistics: for report tests that need no database.
 */
export function reportTask(
  task: TaskId,
  hand: string,
  metricId: string,
  from: string,
  values: readonly number[],
  options: { label?: string; flagged?: readonly number[] } = {},
): ReportTask {
  const definition = metricCatalogue(task).find((d) => d.id === metricId);
  if (!definition) throw new Error(`no metric ${metricId} in ${task}`);
  const t0 = Date.parse(`${from}T09:00:00Z`);
  const sessions = values.map((value, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    time: t0 + i * DAY_MS,
    value,
    flags: options.flagged?.includes(i) ? ['TOO_FEW_EVENTS'] : [],
    setupKey: 'setup-a',
  }));
  const excluded = (i: number) => options.flagged?.includes(i) ?? false;
  const judged = sessions.findLast((_, i) => !excluded(i));
  return {
    task,
    hand,
    sessions: sessions.map((s, i) => ({
      recordingId: s.id,
      time: s.time,
      values: { [metricId]: s.value },
      flags: s.flags,
      excluded: excluded(i),
      supervised: false,
    })),
    metrics: [
      {
        definition,
        label: options.label ?? metricId,
        meaning: '',
        points: sessions.map((s, i) => ({ time: s.time, value: s.value, excluded: excluded(i) })),
        change: computeChange(definition, sessions, judged ? { current: judged } : {}),
      },
    ],
  };
}

/** A report with nothing in it but the person and the period (override what a test needs). */
export function reportData(overrides: Partial<ReportData> = {}): ReportData {
  return {
    patient: { displayName: 'Ada Example', profile: { ...EMPTY_PROFILE, affectedHands: 'right' } },
    period: { from: '2026-01-01', to: '2026-03-31' },
    generatedAt: new Date('2026-04-01T10:00:00Z'),
    analysisVersion: '1.4.0',
    tasks: [],
    injections: [],
    otherTreatments: [],
    questionnaires: [],
    scaleTotals: [],
    ...overrides,
  };
}
