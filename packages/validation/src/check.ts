/** One reproduced result: what was computed, the threshold it must meet, and the published figure. */
export interface Check {
  /** Data set folder name, e.g. `neuroqwerty-mit-csxpd`. */
  dataset: string;
  /** What is checked, e.g. `PD vs control AUC of hold_time_median_ms`. */
  name: string;
  /** The computed figure, formatted for the table (units included). */
  value: string;
  /** The threshold in words, e.g. `≥ 0.65`. */
  threshold: string;
  /** The published (or data set's own) figure for comparison, when there is one. */
  published: string | null;
  pass: boolean;
}

/** What a data set adapter reports: its checks and any lines to print below the table (per-patient figures). */
export interface DatasetReport {
  checks: Check[];
  details: string[];
}

/** A data set adapter: reads the files in place (never copies them) and runs the analysis core on them. */
export interface Dataset {
  /** Folder name under the data directory. */
  folder: string;
  /** Short description for the table heading. */
  title: string;
  run(folderPath: string): Promise<DatasetReport>;
}
