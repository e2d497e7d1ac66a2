import type { TaskId } from '@dystrack/core';
import type { Db } from '../db/database.js';
import { coreAnalyzer, type MetricsAnalyzer } from './analyzer.js';
import { analyseRecordings, type AnalysisOutcome } from './job.js';
import { recordingsToAnalyse } from './store.js';

/** Recordings analysed and stored together (one load, one transaction). */
const BATCH = 32;

/** One recording done by {@link recomputeMetrics}. */
export interface RecomputeProgress {
  /** 1-based position and the number of recordings to do. */
  index: number;
  total: number;
  recordingId: string;
  taskId: string;
  outcome: AnalysisOutcome;
  /** Metric values stored. */
  metrics: number;
  error: { code: string; message: string } | null;
}

/** What {@link recomputeMetrics} did. */
export interface RecomputeSummary {
  analysisVersion: string;
  total: number;
  ok: number;
  /** Recordings the analysis refused (stored as failed runs). */
  failed: number;
  /** Recordings erased or deleted while the command ran. */
  gone: number;
  /** Refusals by error code. */
  failures: Record<string, number>;
}

/**
 * Computes the metrics of stored recordings for the current analysis version, one after the other:
 * every recording without a run of that version, or with `all` every stored recording (its rows of that
 * version are replaced). Rows of other analysis versions are never touched, so earlier results stay
 * comparable. Used by `dystrack recompute`.
 * @param db - the database
 * @param options - `all`, a `task` filter, the analyzer (default core's) and a progress callback
 */
export async function recomputeMetrics(
  db: Db,
  options: {
    all?: boolean;
    task?: TaskId;
    analyzer?: MetricsAnalyzer;
    onProgress?: (progress: RecomputeProgress) => void;
  } = {},
): Promise<RecomputeSummary> {
  const analyzer = options.analyzer ?? coreAnalyzer;
  const todo = await recordingsToAnalyse(db, analyzer.version, {
    ...(options.all ? { all: true } : {}),
    ...(options.task ? { task: options.task } : {}),
  });
  const summary: RecomputeSummary = {
    analysisVersion: analyzer.version,
    total: todo.length,
    ok: 0,
    failed: 0,
    gone: 0,
    failures: {},
  };
  for (let start = 0; start < todo.length; start += BATCH) {
    const batch = todo.slice(start, start + BATCH);
    const results = await analyseRecordings(db, analyzer, batch);
    for (const [k, { outcome, metrics, error }] of results.entries()) {
      const ref = batch[k]!;
      summary[outcome]++;
      if (error) summary.failures[error.code] = (summary.failures[error.code] ?? 0) + 1;
      options.onProgress?.({
        index: start + k + 1,
        total: todo.length,
        recordingId: ref.recordingId,
        taskId: ref.taskId,
        outcome,
        metrics,
        error,
      });
    }
  }
  return summary;
}
