import {
  ANALYSIS_VERSION,
  CodedError,
  TASK_IDS,
  analyzeFile,
  metricCatalogue,
  recordingSetupKey,
  type AnalysisOutput,
  type MetricDefinition,
  type Recording,
  type TaskId,
} from '@dystrack/core';

/** A stored recording as the analysis reads it: its task and its stored canonical JSON. */
export interface StoredRecordingContent {
  taskId: string;
  content: string;
}

/**
 * What the metrics job analyses recordings with: the core analysis by default ({@link coreAnalyzer});
 * tests inject their own.
 */
export interface MetricsAnalyzer {
  /** The analysis version whose rows this analyzer writes (`analysis_version`). */
  version: string;
  /**
   * Analyses one stored recording.
   * @throws CodedError when the recording cannot be analysed (`E_TOO_FEW_EVENTS`, …)
   */
  analyze(recording: StoredRecordingContent): AnalysisOutput;
  /** The metric catalogue of a task (for `metric_version` and the API). */
  definitions(task: TaskId): readonly MetricDefinition[];
}

const utf8 = new TextEncoder();

/**
 * The core analysis: a stored recording is read by core's recording adapters as a `.json` file (any
 * published schema version, migrated forward) and analysed for its task and hand.
 */
export const coreAnalyzer: MetricsAnalyzer = {
  version: ANALYSIS_VERSION,
  analyze: ({ taskId, content }) => analyzeFile(asTaskId(taskId), 'recording.json', utf8.encode(content)),
  definitions: (task) => metricCatalogue(task),
};

/** A stored task id as a TaskId (the recording was validated at upload; this guards old rows). */
export function asTaskId(taskId: string): TaskId {
  if (!(TASK_IDS as readonly string[]).includes(taskId)) throw new CodedError('E_UNKNOWN_TASK');
  return taskId as TaskId;
}

/** The outcome of analysing one recording, ready to be stored. */
export interface ComputedMetrics {
  status: 'ok' | 'failed';
  /** One entry per metric of the analysis (value null when it could not be computed). */
  values: { metricId: string; metricVersion: string; value: number | null }[];
  /** The analysis's quality flags. */
  flags: string[];
  /** The recording's measurement setup (see core's `recordingSetupKey`); null if it cannot be read. */
  setupKey: string | null;
  /** Why the analysis refused the recording (status `failed`). */
  error: { code: string; message: string } | null;
}

/**
 * Analyses one stored recording. Never throws: an analysis that refuses the recording (a CodedError)
 * or crashes (any other error, reported as `E_INTERNAL`) gives status `failed` with the reason, because
 * the analysis is deterministic and would fail the same way again.
 * @param analyzer - the analysis to run
 * @param recording - the stored task id and canonical JSON
 */
export function computeMetrics(
  analyzer: MetricsAnalyzer,
  recording: StoredRecordingContent,
): ComputedMetrics {
  const setupKey = readSetupKey(recording.content);
  try {
    const output = analyzer.analyze(recording);
    const definitions = new Map(analyzer.definitions(asTaskId(recording.taskId)).map((d) => [d.id, d]));
    const values = Object.entries(output.metrics).map(([metricId, value]) => ({
      metricId,
      metricVersion: definitions.get(metricId)?.version ?? '0.0.0',
      value: typeof value === 'number' && Number.isFinite(value) ? value : null,
    }));
    return { status: 'ok', values, flags: [...output.quality_flags], setupKey, error: null };
  } catch (error) {
    const coded = error instanceof CodedError;
    return {
      status: 'failed',
      values: [],
      flags: [],
      setupKey,
      error: {
        code: coded ? error.code : 'E_INTERNAL',
        message: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
      },
    };
  }
}

/** The setup key of a stored recording (from `device`, `flags`, `taskId` and `params`, which every schema version has). */
function readSetupKey(content: string): string | null {
  try {
    const parsed = JSON.parse(content) as Partial<Recording>;
    return parsed.device
      ? recordingSetupKey({
          device: parsed.device,
          flags: Array.isArray(parsed.flags) ? parsed.flags : [],
          taskId: parsed.taskId,
          params: parsed.params && typeof parsed.params === 'object' ? parsed.params : {},
        })
      : null;
  } catch {
    return null;
  }
}
