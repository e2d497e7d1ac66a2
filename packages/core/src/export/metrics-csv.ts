import { metricCatalogue } from '../analysis/analyze.js';
import type { MetricDefinition } from '../analysis/metric.js';
import { csvRecord, csvTable, type CsvCell } from './csv.js';
import type { ExportMetricValue, ExportRecording } from './types.js';
import { ucumCode } from './ucum.js';

/**
 * The metrics as a table for spreadsheets and statistics programs: one row per session (recording) and
 * metric, with a data dictionary that says what each column holds and a catalogue of the metrics.
 */

export const METRICS_CSV_HEADER = [
  'recording_id',
  'started_at',
  'task',
  'hand',
  'metric_id',
  'value',
  'unit',
  'ucum_unit',
  'metric_version',
  'analysis_version',
  'quality_flags',
] as const;

/** The data dictionary of the metrics CSV: column, type, meaning. */
export const METRICS_CSV_DICTIONARY: readonly (readonly [string, string, string])[] = [
  ['recording_id', 'text (UUID)', 'The session: the recording the value was computed from.'],
  [
    'started_at',
    'date and time (ISO 8601, UTC)',
    'When the recording started, e.g. 2026-03-01T10:00:00.000Z.',
  ],
  ['task', 'text', 'The task recorded: typing, tapping, scale, spiral, handwriting, precision or tremor.'],
  ['hand', 'text', 'The hand that did the task: left, right or both.'],
  [
    'metric_id',
    'text',
    'The metric (see metric-catalogue.csv for its definition, unit and source). The ID ends with its unit.',
  ],
  [
    'value',
    'number',
    'The value in the unit of the `unit` column, with a dot as the decimal point. Empty when the metric could not be computed from this recording.',
  ],
  ['unit', 'text', 'The unit as the app prints it (ms, Hz, mm, %, count, 1 = no unit, …).'],
  ['ucum_unit', 'text', 'The same unit as a UCUM code (https://ucum.org), as in the FHIR export.'],
  ['metric_version', 'text (semver)', "The version of the metric's algorithm."],
  [
    'analysis_version',
    'text (semver)',
    'The version of the analysis that computed the value. A recording analysed again by a newer analysis has one row per version.',
  ],
  [
    'quality_flags',
    'text',
    "The analysis's quality flags for this recording and value, separated by semicolons (e.g. SAMPLE_GAPS); empty when none.",
  ],
];

/** Key of a metric in the catalogue: task and ID (some IDs are used by several tasks). */
function catalogueIndex(): Map<string, MetricDefinition> {
  return new Map(metricCatalogue().map((d) => [`${d.task}/${d.id}`, d]));
}

/**
 * The CSV rows, one per stored value, in the order given (the caller sorts by time). Text cells that
 * start with = + - @ get a leading apostrophe; numbers are written as they are.
 * @param recordings - the recordings, by id
 * @param values - the stored values
 */
export function* metricsCsvRows(
  recordings: ReadonlyMap<string, ExportRecording>,
  values: Iterable<ExportMetricValue>,
): Generator<string> {
  const catalogue = catalogueIndex();
  yield csvRecord(METRICS_CSV_HEADER);
  for (const v of values) {
    const recording = recordings.get(v.recordingId);
    const definition = recording ? catalogue.get(`${recording.taskId}/${v.metricId}`) : undefined;
    const row: CsvCell[] = [
      v.recordingId,
      recording?.startedAt ?? null,
      recording?.taskId ?? null,
      recording?.hand ?? null,
      v.metricId,
      v.value,
      definition?.unit ?? null,
      definition ? ucumCode(definition.unit) : null,
      v.metricVersion,
      v.analysisVersion,
      [...new Set([...(recording?.flags ?? []), ...v.flags])].sort().join(';'),
    ];
    yield csvRecord(row, { guardFormulas: true });
  }
}

/** The data dictionary as Markdown, to go with the CSV files. */
export function metricsCsvDictionary(analysisVersion: string): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  return [
    '# Dystrack metrics export: data dictionary',
    '',
    '`metrics.csv` has one row per session (recording) and metric. `metric-catalogue.csv` describes every',
    `metric of analysis version ${analysisVersion}: its ID, task, unit, definition and source.`,
    '',
    'Format: CSV as RFC 4180 writes it (UTF-8, comma-separated, a header row, CRLF line ends, fields with',
    'commas, quotes or line breaks in double quotes). Numbers use a dot as the decimal point and may be',
    'written in exponent form (1.5e-7).',
    '',
    'Spreadsheet safety: a text cell that would start with =, +, - or @ (or a tab or carriage return) is',
    "written with a leading apostrophe (for example `'=A1`), so that a spreadsheet shows it as text instead",
    'of running it as a formula. Remove the apostrophe if you read the file with another program. Numbers',
    'are never changed (a negative value is written as -1.5).',
    '',
    '## metrics.csv',
    '',
    '| column | type | meaning |',
    '|---|---|---|',
    ...METRICS_CSV_DICTIONARY.map(([c, t, m]) => `| ${c} | ${t} | ${escape(m)} |`),
    '',
    '## metric-catalogue.csv',
    '',
    '| column | meaning |',
    '|---|---|',
    '| metric_id | The metric ID (as in metrics.csv). |',
    '| task | The task it belongs to; an ID used by several tasks has one row per task. |',
    '| unit | The unit as the app prints it. |',
    '| ucum_unit | The UCUM code of the unit. |',
    '| direction | higher-worse, lower-worse or neutral: whether a larger value means worse motor control. |',
    '| definition | What is computed. |',
    '| citation | The source of the method. |',
    "| metric_version | The version of the metric's algorithm. |",
    '',
  ].join('\n');
}

/** The metric catalogue as CSV (formula guard as in metrics.csv). */
export function metricCatalogueCsv(): string {
  return csvTable(
    ['metric_id', 'task', 'unit', 'ucum_unit', 'direction', 'definition', 'citation', 'metric_version'],
    metricCatalogue().map((d) => [
      d.id,
      d.task,
      d.unit,
      ucumCode(d.unit),
      d.direction,
      d.definition,
      d.citation,
      d.version,
    ]),
    { guardFormulas: true },
  );
}
