import type { TaskId } from '@dystrack/core';
import type { ReportData, ReportMetric, ReportTask } from '../reports/gather.js';
import { reliabilityWords, taskHandTitle, withUnit } from '../reports/render.js';

/*
 * The work-capacity findings in plain language: for each measured task and hand, how often its headline
 * measure was worse than the person's own usual range, how large the difference between the hands is,
 * how much it varies from session to session, and how it changed over the period (with the treatments of
 * the period beside it). The words describe measurements; they do not diagnose and give no legal advice.
 */

/** Which measured tasks bear on an essential hand task, found by words in the person's own description. */
const TASK_WORDS: { pattern: RegExp; tasks: TaskId[] }[] = [
  {
    pattern: /typ|keyboard|computer|data entry|word process|transcri|clerical|coding|programm/i,
    tasks: ['typing', 'tapping'],
  },
  {
    pattern: /piano|keys|organ|repertoire|scale|instrument(?!s? work)|music|guitar|violin|cello|play/i,
    tasks: ['scale', 'tapping'],
  },
  { pattern: /writ|pen|sign|note|chart|draw|sketch/i, tasks: ['handwriting', 'spiral'] },
  {
    pattern: /dent|drill|scalpel|surg|suture|instrument work|fine|precis|micro|solder|tool|needle/i,
    tasks: ['precision', 'spiral', 'tremor'],
  },
  { pattern: /hold|grip|steady|tremor|pour|carry/i, tasks: ['tremor'] },
];

/** The measured tasks that bear on an essential hand task (empty when none does). */
export function measuredTasksFor(essentialTask: string): TaskId[] {
  const found = new Set<TaskId>();
  for (const { pattern, tasks } of TASK_WORDS)
    if (pattern.test(essentialTask)) tasks.forEach((t) => found.add(t));
  return [...found];
}

/** One measured task and hand in plain language. */
export interface TaskFinding {
  title: string;
  task: TaskId;
  hand: string;
  measure: string;
  meaning: string;
  sessions: number;
  supervisedSessions: number;
  /** Whether the measure differs reliably from the person's usual range or from the other hand. */
  impaired: 'measurably worse' | 'no measurable difference' | 'not enough sessions to say';
  often: string;
  severity: string;
  variability: string;
  treatment: string;
}

function isWorse(metric: ReportMetric, value: number, limit: { low: number; high: number }): boolean {
  const { direction } = metric.definition;
  if (direction === 'higher-worse') return value > limit.high;
  if (direction === 'lower-worse') return value < limit.low;
  return value > limit.high || value < limit.low;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function usable(metric: ReportMetric): number[] {
  return metric.points.filter((p) => !p.excluded).map((p) => p.value);
}

/** The other hand's same task and metric, for a comparison between the hands. */
function otherHand(data: ReportData, task: ReportTask, metric: ReportMetric): ReportMetric | null {
  if (task.hand === 'both') return null;
  const other = data.tasks.find((t) => t.task === task.task && t.hand !== task.hand && t.hand !== 'both');
  return other?.metrics.find((m) => m.definition.id === metric.definition.id) ?? null;
}

const pct = (x: number) => `${Math.round(x)} %`;

/** The findings of one task and hand (its headline measure: the first of the clinician report's). */
export function taskFinding(data: ReportData, task: ReportTask): TaskFinding {
  const metric = task.metrics[0]!;
  const { definition, change } = metric;
  const values = usable(metric);
  const band = change.band;
  const worseSessions = band ? values.filter((v) => isWorse(metric, v, band)).length : null;
  const often =
    worseSessions === null
      ? `Not enough sessions at the start of the period (${change.baseline.n} of 3) to set the person's usual range.`
      : `In ${worseSessions} of ${values.length} usable sessions the measure was worse than the person's usual range at the start of the period (${withUnit(band!.low, definition.unit)} to ${withUnit(band!.high, definition.unit)}).`;

  const other = otherHand(data, task, metric);
  const mine = median(values);
  const theirs = other ? median(usable(other)) : null;
  let severity: string;
  let handsDiffer = false;
  if (mine !== null && theirs !== null && theirs !== 0 && definition.direction !== 'neutral') {
    const ratio = mine / theirs;
    const worse = definition.direction === 'higher-worse' ? ratio > 1 : ratio < 1;
    const differencePct = Math.abs(ratio - 1) * 100;
    handsDiffer = worse && differencePct >= 20;
    severity =
      `Typical value ${withUnit(mine, definition.unit)} against ${withUnit(theirs, definition.unit)} with the ${task.hand === 'left' ? 'right' : 'left'} hand: ` +
      (differencePct < 5
        ? 'about the same.'
        : `${pct(differencePct)} ${worse ? 'worse' : 'better'} than the other hand${differencePct >= 20 ? '' : ' (a small difference)'}.`);
  } else if (mine !== null) {
    severity = `Typical value ${withUnit(mine, definition.unit)}. No sessions of the other hand to compare with.`;
  } else severity = 'No usable session.';

  const average = values.reduce((a, b) => a + b, 0) / values.length;
  const spread =
    values.length >= 3 && average !== 0
      ? (Math.sqrt(values.reduce((sum, v) => sum + (v - average) ** 2, 0) / (values.length - 1)) /
          Math.abs(average)) *
        100
      : null;
  const variability =
    spread === null
      ? 'Fewer than 3 usable sessions: variation between sessions cannot be described.'
      : `From one session to the next the measure varied by about ${pct(spread)} of its average ` +
        `(${spread < 10 ? 'steady' : spread < 25 ? 'moderately variable' : 'highly variable'} from day to day).`;

  const injections = data.injections.map((i) => i.date);
  const others = data.otherTreatments.length;
  const treatmentNote =
    injections.length || others
      ? ` Treatments in the period: ${[injections.length ? `botulinum toxin on ${injections.join(', ')}` : null, others ? `${others} other treatment${others === 1 ? '' : 's'}` : null].filter(Boolean).join('; ')}. A change in time with a treatment does not show that the treatment caused it.`
      : ' No treatment was entered for the period.';
  const treatment = `From the start of the period to the latest session: ${reliabilityWords(metric)}.${treatmentNote}`;

  const reliableWorse = change.changeIsReliable && change.direction === 'worse';
  const impaired: TaskFinding['impaired'] =
    reliableWorse || handsDiffer || (worseSessions !== null && worseSessions > values.length / 4)
      ? 'measurably worse'
      : change.basis === 'insufficient' && !other
        ? 'not enough sessions to say'
        : 'no measurable difference';

  return {
    title: taskHandTitle(task.task, task.hand),
    task: task.task,
    hand: task.hand,
    measure: metric.label,
    meaning: metric.meaning,
    sessions: task.sessions.length,
    supervisedSessions: task.sessions.filter((s) => s.supervised).length,
    impaired,
    often,
    severity,
    variability,
    treatment,
  };
}

/** Each essential hand task with the findings of the measured tasks that bear on it. */
export interface EssentialTaskFindings {
  essentialTask: string;
  findings: TaskFinding[];
}

/** The essential hand tasks of the profile, each with its measured tasks' findings; then the rest. */
export function workCapacityFindings(data: ReportData): {
  essential: EssentialTaskFindings[];
  other: TaskFinding[];
} {
  const all = data.tasks.map((task) => taskFinding(data, task));
  const used = new Set<TaskFinding>();
  const essential = data.patient.profile.essentialHandTasks.map((essentialTask) => {
    const tasks = measuredTasksFor(essentialTask);
    const findings = all.filter((f) => tasks.includes(f.task));
    findings.forEach((f) => used.add(f));
    return { essentialTask, findings };
  });
  return { essential, other: all.filter((f) => !used.has(f)) };
}
