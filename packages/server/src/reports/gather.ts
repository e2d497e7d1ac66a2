import { eq } from 'drizzle-orm';
import {
  CLINICIAN_SCALES,
  HEADLINE_METRICS,
  TASK_IDS,
  computeChange,
  excludesFromTrend,
  getQuestionnaire,
  type ChangeResult,
  type MetricDefinition,
  type TaskId,
} from '@dystrack/core';
import type { Db } from '../db/database.js';
import { users } from '../db/schema.js';
import { dateInstant, listCurrent, type ListOptions } from '../api/diary.js';
import { readProfile, type Profile } from '../api/profile.js';
import { metricsJobFor } from '../metrics/job.js';
import { loadPeriodValues, type PeriodValueRow } from './store.js';

/** A report's period: whole days, both ends included (UTC dates, YYYY-MM-DD). */
export interface ReportPeriod {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** The instants a period covers: [start, end). */
export function periodInstants(period: ReportPeriod): { start: Date; end: Date } {
  const start = dateInstant(period.from);
  return { start, end: new Date(dateInstant(period.to).getTime() + DAY_MS) };
}

/** One session of a task and hand, with the values of the report's metrics. */
export interface ReportSession {
  recordingId: string;
  time: number;
  /** Values by metric id (null: could not be computed). */
  values: Record<string, number | null>;
  flags: string[];
  /** Left out of the change statistics for a quality flag. */
  excluded: boolean;
  /** Uploaded by someone other than the patient (a supervised session). */
  supervised: boolean;
}

/** One metric of a task and hand over the period. */
export interface ReportMetric {
  definition: MetricDefinition;
  label: string;
  meaning: string;
  /** The sessions of the period with a value of this metric, oldest first. */
  points: { time: number; value: number; excluded: boolean }[];
  /** Baseline (first sessions of the period on the same setup) against the latest usable session. */
  change: ChangeResult;
}

/** A task and hand with sessions in the period. */
export interface ReportTask {
  task: TaskId;
  hand: string;
  sessions: ReportSession[];
  /** The task's headline metrics that have values in the period, most telling first. */
  metrics: ReportMetric[];
}

export interface ReportInjection {
  date: string;
  product: string;
  otherText: string | null;
  injections: {
    muscle: string;
    otherText: string | null;
    side: string;
    units: number;
    detail: string | null;
  }[];
  sideEffects: string[];
}

/** Any other treatment: the stored data as entered (core's treatment schemas). */
export type ReportOtherTreatment = Record<string, unknown> & { type: string };

export interface ReportQuestionnaire {
  questionnaireId: string;
  title: string;
  date: string;
  total: number | null;
  max: number;
  /** The band label (PHQ-9, GAD-7) or the chosen answer (PGIC). */
  band: string | null;
  /** PGIC: what the answer compares with. */
  reference: { kind: string; date: string; label: string | null } | null;
}

export interface ReportScaleTotal {
  scaleId: string;
  name: string;
  abbreviation: string;
  total: number;
  unit: string;
  max: number;
  direction: 'higher-is-worse' | 'higher-is-better';
  date: string;
  rater: string;
}

/** Everything the clinician report shows. */
export interface ReportData {
  patient: { displayName: string; profile: Profile };
  period: ReportPeriod;
  generatedAt: Date;
  analysisVersion: string;
  tasks: ReportTask[];
  injections: ReportInjection[];
  otherTreatments: ReportOtherTreatment[];
  questionnaires: ReportQuestionnaire[];
  scaleTotals: ReportScaleTotal[];
}

/** Whether a treatment with a start and an optional stop overlaps the period. */
function overlaps(data: Record<string, unknown>, period: ReportPeriod): boolean {
  const date = typeof data.date === 'string' ? data.date : null;
  if (date) return date >= period.from && date <= period.to;
  const start = typeof data.start === 'string' ? data.start : null;
  const stop = typeof data.stop === 'string' ? data.stop : null;
  return start !== null && start <= period.to && (stop === null || stop >= period.from);
}

/** Every current entry (more than a person enters in years), newest first. */
const ALL: ListOptions = {
  from: undefined,
  to: undefined,
  limit: 100_000,
  after: undefined,
  filter: undefined,
};

/**
 * Gathers the clinician report of one patient for a period: per task and hand the headline metrics'
 * sessions (stored values of the current analysis version) with core's change statistics, the
 * treatments, questionnaires and clinician-scale totals of the period, and the profile.
 * @param db - the database
 * @param patientId - whose report
 * @param period - the days covered
 * @param now - the time the report is made
 */
export async function gatherReport(
  db: Db,
  patientId: string,
  period: ReportPeriod,
  now = new Date(),
): Promise<ReportData> {
  const { start, end } = periodInstants(period);
  const { version, definitions } = metricsJobFor(db).analyzer;
  const metricIds = [...new Set(TASK_IDS.flatMap((task) => HEADLINE_METRICS[task].map((m) => m.id)))];
  const [userRows, profile, values, treatmentRows, questionnaireRows, scaleRows] = await Promise.all([
    db.select({ displayName: users.displayName }).from(users).where(eq(users.id, patientId)).limit(1),
    readProfile(db, patientId),
    loadPeriodValues(db, { patientId, analysisVersion: version, metricIds, start, end }),
    // treatments of any date: a medication started before the period may still be taken in it
    listCurrent(db, patientId, 'treatment', { ...ALL, to: end }),
    listCurrent(db, patientId, 'questionnaire-response', { ...ALL, from: start, to: end }),
    listCurrent(db, patientId, 'clinician-scale-total', { ...ALL, from: start, to: end }),
  ]);

  // the rows of each task and hand, oldest first
  const byTaskHand = new Map<string, PeriodValueRow[]>();
  for (const row of values) {
    if (!(TASK_IDS as readonly string[]).includes(row.taskId)) continue;
    const key = `${row.taskId}/${row.hand}`;
    const rows = byTaskHand.get(key) ?? [];
    rows.push(row);
    byTaskHand.set(key, rows);
  }

  const tasks: ReportTask[] = [];
  for (const rows of byTaskHand.values()) {
    const task = rows[0]!.taskId as TaskId;
    const hand = rows[0]!.hand;
    const catalogue = new Map(definitions(task).map((d) => [d.id, d]));
    const sessions = new Map<string, ReportSession>();
    for (const row of rows) {
      const session = sessions.get(row.recordingId) ?? {
        recordingId: row.recordingId,
        time: row.startedAt.getTime(),
        values: {},
        flags: row.flags,
        excluded: row.flags.some((flag) => excludesFromTrend(flag, task)),
        supervised: row.supervised,
      };
      session.values[row.metricId] = row.value;
      sessions.set(row.recordingId, session);
    }
    const metrics: ReportMetric[] = [];
    for (const headline of HEADLINE_METRICS[task]) {
      const definition = catalogue.get(headline.id);
      if (!definition || (headline.bothHandsOnly && hand !== 'both')) continue;
      const changeSessions = rows
        .filter((row) => row.metricId === headline.id)
        .map((row) => ({
          id: row.recordingId,
          time: row.startedAt.getTime(),
          value: row.value,
          flags: row.flags,
          setupKey: row.setupKey,
          excluded: sessions.get(row.recordingId)!.excluded,
        }));
      const points = changeSessions.flatMap((s) =>
        s.value === null ? [] : [{ time: s.time, value: s.value, excluded: s.excluded }],
      );
      if (points.length === 0) continue;
      // the session judged: the latest with a value and no excluding flag
      const judged = changeSessions.findLast((s) => s.value !== null && !s.excluded);
      metrics.push({
        definition,
        label: headline.label,
        meaning: headline.meaning,
        points,
        change: computeChange(definition, changeSessions, judged ? { current: judged } : {}),
      });
    }
    if (metrics.length === 0) continue;
    tasks.push({ task, hand, sessions: [...sessions.values()], metrics });
  }
  const handOrder = ['left', 'right', 'both'];
  tasks.sort(
    (a, b) =>
      TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task) ||
      handOrder.indexOf(a.hand) - handOrder.indexOf(b.hand),
  );

  const injections: ReportInjection[] = [];
  const otherTreatments: ReportOtherTreatment[] = [];
  for (const row of [...treatmentRows.rows].reverse()) {
    const data = row.data as ReportOtherTreatment;
    if (!overlaps(data, period)) continue;
    if (data.type === 'botulinum-toxin') injections.push(data as unknown as ReportInjection);
    else otherTreatments.push(data);
  }

  const questionnaires: ReportQuestionnaire[] = [...questionnaireRows.rows].reverse().map((row) => {
    const data = row.data as {
      questionnaireId: string;
      answers: Record<string, string>;
      score: { total: number | null; max: number; band: { label: string } | null };
      reference?: { kind: string; date: string; label: string | null };
    };
    const def = getQuestionnaire(data.questionnaireId);
    let band = data.score.band?.label ?? null;
    if (def?.scoring.kind === 'single') {
      const item = def.items.find((i) => i.linkId === (def.scoring as { item: string }).item);
      const code = data.answers[(def.scoring as { item: string }).item];
      if (item?.kind === 'choice') band = item.answerSet.options.find((o) => o.code === code)?.text ?? band;
    }
    return {
      questionnaireId: data.questionnaireId,
      // the questionnaires' ids are their usual abbreviations: PHQ-9, GAD-7, PGIC
      title: data.questionnaireId.toUpperCase(),
      date: row.at.toISOString().slice(0, 10),
      total: data.score.total,
      max: data.score.max,
      band,
      reference: data.reference ?? null,
    };
  });

  const scaleTotals: ReportScaleTotal[] = [...scaleRows.rows].reverse().map((row) => {
    const data = row.data as {
      scaleId: string;
      total: number;
      date: string;
      rater: { role: string; name?: string };
    };
    const scale = CLINICIAN_SCALES.find((s) => s.id === data.scaleId);
    return {
      scaleId: data.scaleId,
      name: scale?.name ?? data.scaleId,
      abbreviation: scale?.abbreviation ?? data.scaleId,
      total: data.total,
      unit: scale?.unit ?? '',
      max: scale?.max ?? data.total,
      direction: scale?.direction ?? 'higher-is-worse',
      date: data.date,
      rater:
        (data.rater.role === 'self' ? 'self-rated' : 'clinician') +
        (data.rater.name ? `, ${data.rater.name}` : ''),
    };
  });

  return {
    patient: { displayName: userRows[0]?.displayName ?? '', profile },
    period,
    generatedAt: now,
    analysisVersion: version,
    tasks,
    injections,
    otherTreatments,
    questionnaires,
    scaleTotals,
  };
}
