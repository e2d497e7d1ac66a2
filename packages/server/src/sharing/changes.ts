import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import {
  HEADLINE_METRICS,
  TASK_IDS,
  computeChange,
  excludesFromTrend,
  type MetricDefinition,
  type TaskId,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { metricRuns, metricValues, recordings } from '../db/schema.js';

/**
 * The clinician dashboard's change flags: for each patient who shares tasks, which headline metrics
 * (core's HEADLINE_METRICS, as in the clinician report) show a reliable change in a session made since
 * the clinician's last visit. The statistics are core's `computeChange`, called exactly as the trends
 * (`GET /api/v1/metrics/:metricId/series`) and the clinician report call it: the latest session with a
 * value and no excluding quality flag, judged against the person's baseline on the same device and
 * browser (personal SDC95, or the published MDC). Nothing here re-derives a statistic.
 */

/** One metric with a reliable change, as the dashboard shows it. */
export interface ChangeItem {
  task: TaskId;
  hand: string;
  metricId: string;
  /** The metric's plain-language label (core's headline metrics). */
  label: string;
  unit: string;
  direction: 'worse' | 'better';
  /** The baseline value the latest session is judged against, in the metric's unit. */
  before: number;
  /** The latest judged session's value. */
  latest: number;
  latestAt: string;
}

/** A patient's reliable changes since `since`. */
export interface Changes {
  since: string;
  worse: number;
  better: number;
  items: ChangeItem[];
}

/** One stored value with what the change statistics need. */
export interface ChangeValueRow {
  patientId: string;
  recordingId: string;
  taskId: string;
  hand: string;
  metricId: string;
  startedAt: Date;
  value: number | null;
  flags: string[];
  setupKey: string;
}

/** Every headline metric id (of any task). */
const HEADLINE_IDS = [...new Set(TASK_IDS.flatMap((task) => HEADLINE_METRICS[task].map((m) => m.id)))];

/**
 * The headline-metric values of several patients, whole history (a baseline may be old), in three
 * single-table queries for all of them together, whatever their number: the recordings (by
 * `recordings_patient_started_idx`), their runs (primary key) and the values (`metric_values_patient_metric_idx`),
 * joined here. A join in SQL was planned as nested loops over the whole metric table on PGlite (see
 * reports/store.ts); the rows are those of `loadSeries` for each task, metric and hand.
 * @param db - the database
 * @param patientIds - whose values
 * @param analysisVersion - the current analysis version
 */
export async function loadChangeValues(
  db: Db,
  patientIds: readonly string[],
  analysisVersion: string,
): Promise<ChangeValueRow[]> {
  if (patientIds.length === 0) return [];
  const ids = [...patientIds];
  const [recordingRows, runs, values] = await Promise.all([
    db
      .select({
        patientId: recordings.patientId,
        id: recordings.id,
        taskId: recordings.taskId,
        hand: recordings.hand,
        startedAt: recordings.startedAt,
        flags: recordings.flags,
      })
      .from(recordings)
      .where(and(inArray(recordings.patientId, ids), isNull(recordings.erasedAt)))
      .orderBy(asc(recordings.startedAt), asc(recordings.id)),
    db
      .select({
        patientId: metricRuns.patientId,
        recordingId: metricRuns.recordingId,
        setupKey: metricRuns.setupKey,
      })
      .from(metricRuns)
      .where(and(inArray(metricRuns.patientId, ids), eq(metricRuns.analysisVersion, analysisVersion))),
    db
      .select({
        patientId: metricValues.patientId,
        recordingId: metricValues.recordingId,
        metricId: metricValues.metricId,
        value: metricValues.value,
        flags: metricValues.flags,
      })
      .from(metricValues)
      .where(
        and(
          inArray(metricValues.patientId, ids),
          inArray(metricValues.metricId, HEADLINE_IDS),
          eq(metricValues.analysisVersion, analysisVersion),
        ),
      ),
  ]);
  const key = (patientId: string, recordingId: string) => `${patientId}/${recordingId}`;
  const setupOf = new Map(runs.map((run) => [key(run.patientId, run.recordingId), run.setupKey ?? '']));
  const valuesOf = new Map<string, typeof values>();
  for (const value of values) {
    const k = key(value.patientId, value.recordingId);
    const list = valuesOf.get(k) ?? [];
    list.push(value);
    valuesOf.set(k, list);
  }
  const rows: ChangeValueRow[] = [];
  // in recording order, so that each series comes out oldest first
  for (const recording of recordingRows) {
    const k = key(recording.patientId, recording.id);
    const setupKey = setupOf.get(k);
    if (setupKey === undefined) continue; // not analysed for this version (as loadSeries's inner join)
    for (const value of valuesOf.get(k) ?? []) {
      rows.push({
        patientId: recording.patientId,
        recordingId: recording.id,
        taskId: recording.taskId,
        hand: recording.hand,
        metricId: value.metricId,
        startedAt: recording.startedAt,
        value: value.value,
        flags: [...new Set([...value.flags, ...recording.flags])].sort(),
        setupKey,
      });
    }
  }
  return rows;
}

const DIRECTION_ORDER = { worse: 0, better: 1 } as const;
const HAND_ORDER = ['left', 'right', 'both'];

/**
 * One patient's reliable changes in sessions made since `since`: for each headline metric of each task
 * and hand, the change statistics of the latest session that has a value and no excluding flag; a metric
 * is listed when that session is at or after `since` and its change is reliably better or worse.
 * Worse first.
 * @param rows - the patient's values (any order)
 * @param since - the last visit, or the start of the share
 * @param definitions - the metric catalogue of a task (the analyzer's)
 */
export function changesSince(
  rows: readonly ChangeValueRow[],
  since: Date,
  definitions: (task: TaskId) => readonly MetricDefinition[],
): Changes {
  const series = new Map<string, ChangeValueRow[]>();
  for (const row of rows) {
    if (!(TASK_IDS as readonly string[]).includes(row.taskId)) continue;
    const k = `${row.taskId}/${row.hand}/${row.metricId}`;
    const list = series.get(k) ?? [];
    list.push(row);
    series.set(k, list);
  }
  const items: ChangeItem[] = [];
  for (const list of series.values()) {
    const task = list[0]!.taskId as TaskId;
    const { hand, metricId } = list[0]!;
    const headline = HEADLINE_METRICS[task].find((m) => m.id === metricId);
    const definition = definitions(task).find((d) => d.id === metricId);
    if (!headline || !definition || (headline.bothHandsOnly && hand !== 'both')) continue;
    const sessions = list.map((row) => ({
      id: row.recordingId,
      time: row.startedAt.getTime(),
      value: row.value,
      flags: row.flags,
      setupKey: row.setupKey,
    }));
    // the session judged, as the trends and the report choose it
    const judged = sessions.findLast(
      (s) => s.value !== null && !s.flags.some((flag) => excludesFromTrend(flag, task)),
    );
    if (!judged || judged.time < since.getTime()) continue;
    const change = computeChange(definition, sessions, { current: judged });
    if (change.direction !== 'worse' && change.direction !== 'better') continue;
    if (change.baseline.value === null || judged.value === null) continue;
    items.push({
      task,
      hand,
      metricId,
      label: headline.label,
      unit: definition.unit,
      direction: change.direction,
      before: change.baseline.value,
      latest: judged.value,
      latestAt: new Date(judged.time).toISOString(),
    });
  }
  items.sort(
    (a, b) =>
      DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] ||
      TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task) ||
      HAND_ORDER.indexOf(a.hand) - HAND_ORDER.indexOf(b.hand) ||
      a.metricId.localeCompare(b.metricId),
  );
  return {
    since: since.toISOString(),
    worse: items.filter((i) => i.direction === 'worse').length,
    better: items.filter((i) => i.direction === 'better').length,
    items,
  };
}

/**
 * The reliable changes of several patients, each since its own date, from one load of their values.
 * @param db - the database
 * @param patients - each patient with the time changes count from
 * @param analyzer - the current analysis version and metric catalogue
 */
export async function changesForPatients(
  db: Db,
  patients: readonly { patientId: string; since: Date }[],
  analyzer: { version: string; definitions: (task: TaskId) => readonly MetricDefinition[] },
): Promise<Map<string, Changes>> {
  const rows = await loadChangeValues(
    db,
    patients.map((p) => p.patientId),
    analyzer.version,
  );
  const byPatient = new Map<string, ChangeValueRow[]>();
  for (const row of rows) {
    const list = byPatient.get(row.patientId) ?? [];
    list.push(row);
    byPatient.set(row.patientId, list);
  }
  return new Map(
    patients.map((p) => [
      p.patientId,
      changesSince(byPatient.get(p.patientId) ?? [], p.since, analyzer.definitions),
    ]),
  );
}
