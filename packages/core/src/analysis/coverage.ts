/**
 * One row of the metric coverage table: a metric that measures.md names, and the catalogue ID that
 * implements it, or why it is not implemented. Each task module exports its rows; docs/metric-coverage.md
 * is generated from all of them and a test checks every ID against the catalogue.
 */
export interface CoverageRow {
  /** measures.md section, e.g. `5.4`. */
  section: string;
  /** The metric as measures.md names it. */
  name: string;
  /** The catalogue IDs that implement it (several for per-hand or per-finger variants); empty when not implemented. */
  ids: string[];
  /** Why it is not implemented (required when `ids` is empty), or a note on how it is implemented. */
  note?: string;
}
