import type { TaskId } from '../../recording/tasks.js';

/**
 * A published minimal detectable change (MDC95) of one metric, used in place of the person's own
 * SDC95 until they have three baseline sessions (measures.md 10.3 item 3, Correction 2); or the
 * statement that none is published, with the reason.
 */
export interface PublishedMdc {
  task: TaskId;
  metricId: string;
  /**
   * The smallest change called real, as |log10(current / baseline)|; null when no individual MDC is
   * published for this metric (then only a personal baseline can judge change).
   */
  log10Threshold: number | null;
  /** What the number is and where it comes from, in one or two sentences. */
  note: string;
  /** The source (first author, year, journal) and the measures.md sections. */
  citation: string;
}

const AMPLITUDE_NOTE =
  'Transducer tremor amplitude: a change is real when |log10(A2/A1)| ≥ 0.31, i.e. a 51 % reduction or about a ' +
  '104 % increase of the geometric mean (tablet spirals, Elble 2017); head tremor needs 0.47 (66 %, Elble 2016).';

/**
 * The published MDCs of measures.md, by task and metric ID. Only tremor amplitude has one; every other
 * metric needs a personal baseline (see {@link publishedMdc} for the reasons by task).
 */
export const PUBLISHED_MDCS: readonly PublishedMdc[] = [
  {
    task: 'spiral',
    metricId: 'tremor_amplitude_pp_mm',
    log10Threshold: 0.31,
    note: AMPLITUDE_NOTE,
    citation:
      'Elble RJ, Ellenbogen A (2017), tablet spirals in essential tremor, test–retest ICC 0.97, MDC 51 %; ' +
      'measures.md 3.4, 10.3 item 3, Correction 2',
  },
  {
    task: 'tremor',
    metricId: 'tremor_displacement_rms_cm',
    log10Threshold: 0.31,
    note:
      AMPLITUDE_NOTE +
      ' For the phone accelerometer the lower bound 0.31 is the project default (measures.md 7.4: a smaller change ' +
      'should not be called a change).',
    citation:
      'Elble RJ, Ellenbogen A (2017); Elble RJ et al. (2016) Mov Disord Clin Pract 4:205–211; ' +
      'measures.md 7.1, 7.4, 10.3 item 3, Correction 2',
  },
  {
    task: 'tremor',
    metricId: 'tremor_rms_m_per_s2',
    log10Threshold: 0.31,
    note:
      AMPLITUDE_NOTE +
      ' Applied to the RMS acceleration in the tremor band, the amplitude the transducer measures (project default).',
    citation:
      'Elble RJ, Ellenbogen A (2017); Elble RJ et al. (2016) Mov Disord Clin Pract 4:205–211; ' +
      'measures.md 7.1, 7.4, 10.3 item 3, Correction 2',
  },
  {
    task: 'spiral',
    metricId: 'tremor_peak_frequency_hz',
    log10Threshold: null,
    note:
      'No individual MDC is published for tremor frequency: the ~5 % and 8.3 % figures are group differences in ' +
      '30-patient studies, not individual MDCs.',
    citation: 'Elble RJ et al. (1994) Mov Disord 9:589–596; measures.md 7.1, 10.3 item 3, Correction 2',
  },
  {
    task: 'tremor',
    metricId: 'tremor_peak_frequency_hz',
    log10Threshold: null,
    note:
      'No individual MDC is published for tremor frequency: the ~5 % and 8.3 % figures are group differences in ' +
      '30-patient studies, not individual MDCs.',
    citation: 'Elble RJ et al. (1994) Mov Disord 9:589–596; measures.md 7.1, 10.3 item 3, Correction 2',
  },
];

/** Why a task's metrics have no published MDC (measures.md 10.3 item 3 and the tasks' reliability sections). */
const NONE_BY_TASK: Record<TaskId, string> = {
  scale: 'No published MDC was found for MIDI scale metrics (measures.md 2.5, 10.3 item 3).',
  typing: 'No published MDC was found for typing metrics (measures.md 5, 10.3 item 3).',
  handwriting: 'No published MDC was found for handwriting metrics (measures.md 4.5, 10.3 item 3).',
  tapping:
    'No published MDC was found for tapping metrics; published test–retest ICCs (0.71–0.98 in Parkinson disease, ' +
    'with learning effects) give no individual MDC (measures.md 6.1, 10.3).',
  spiral:
    'No published MDC was found for this spiral metric; only tremor amplitude has one (measures.md 3.4, 10.3 item 3).',
  precision:
    'No published MDC exists for the project’s own precision task metrics (measures.md 10.3 item 3).',
  tremor:
    'No published MDC was found for this tremor metric; only tremor amplitude has one (measures.md 7.4, 10.3 item 3).',
};

/**
 * The published MDC of a metric, or an entry with `log10Threshold: null` saying why there is none.
 * @param task - the metric's task (metric IDs repeat across tasks, e.g. `tremor_peak_frequency_hz`)
 * @param metricId - the catalogue ID
 */
export function publishedMdc(task: TaskId, metricId: string): PublishedMdc {
  const entry = PUBLISHED_MDCS.find((e) => e.task === task && e.metricId === metricId);
  if (entry) return entry;
  return {
    task,
    metricId,
    log10Threshold: null,
    note: NONE_BY_TASK[task],
    citation: 'measures.md 10.3 item 3',
  };
}
