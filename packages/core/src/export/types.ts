/** What the export builders read: the stored rows, as plain values (dates as ISO 8601 strings). */

/** A stored recording's description (its raw content is not needed here). */
export interface ExportRecording {
  id: string;
  taskId: string;
  /** `left`, `right` or `both`. */
  hand: string;
  /** ISO 8601 with time zone, e.g. `2026-03-01T10:00:00.000Z`. */
  startedAt: string;
  durationMs: number;
  flags: readonly string[];
}

/** One stored metric value of a recording. */
export interface ExportMetricValue {
  recordingId: string;
  metricId: string;
  analysisVersion: string;
  metricVersion: string;
  /** null when the metric could not be computed from the recording. */
  value: number | null;
  flags: readonly string[];
}
