import { metricCatalogue } from '../analysis/analyze.js';
import type { MetricDefinition } from '../analysis/metric.js';
import { ANALYSIS_VERSION } from '../analysis/version.js';
import {
  MUSCLES,
  SIDE_LABELS,
  SURGERY_LABELS,
  THERAPY_LABELS,
  TOXIN_PRODUCT_LABELS,
  treatmentInputSchema,
  type TreatmentInput,
} from '../entries/treatments.js';
import { CLINICIAN_SCALES, getClinicianScale } from '../questionnaires/clinician-scales.js';
import { QUESTIONNAIRES } from '../questionnaires/definitions.js';
import {
  allFhirResources,
  buildQuestionnaireResponse,
  FHIR_DATE_TIME,
  toFhirClinicianScaleQuestionnaire,
} from '../questionnaires/fhir.js';
import { TASK_IDS } from '../recording/tasks.js';
import type { ExportMetricValue, ExportRecording } from './types.js';
import { UCUM_SYSTEM, ucumCode } from './ucum.js';

/**
 * The patient's record as a FHIR R4 (4.0.1) Bundle of type `collection`, for clinicians' and research
 * systems: Patient, one Observation per stored metric value, QuestionnaireResponse (questionnaires and
 * clinician-scale totals), MedicationStatement (medications), Procedure (botulinum-toxin sessions with
 * one bodySite per injected muscle and side, operations, DBS setting changes and therapies) with one
 * MedicationAdministration per injected muscle that holds the dose, and the definitions the resources
 * refer to (Questionnaires and the project's CodeSystems).
 *
 * Codes: metrics use the project CodeSystem `{base}/CodeSystem/metric` (code = metric ID, version = the
 * analysis version that computed the value); tasks `{base}/CodeSystem/task`. LOINC appears only on the
 * PHQ-9 and GAD-7 totals (checked, see questionnaires/definitions.ts). Muscles, hands, products and
 * procedures are given as text only: no SNOMED CT code was checked for them, so none is claimed.
 * Diary entries and task modifications are not part of the FHIR export (the JSON export has them).
 */

export const DYSTRACK_FHIR_BASE = 'https://dystrack.org/fhir';

/** The latest revision of an entry that is not deleted. */
export interface ExportEntry {
  id: string;
  kind: 'diary' | 'questionnaire-response' | 'clinician-scale-total' | 'treatment';
  /** ISO 8601 with time zone. */
  at: string;
  /** When this revision was written (ISO 8601). */
  revisedAt: string;
  data: unknown;
}

export interface FhirExportInput {
  baseUrl?: string;
  patient: { id: string; displayName: string | null };
  /** By id. */
  recordings: ReadonlyMap<string, ExportRecording>;
  metricValues: Iterable<ExportMetricValue>;
  entries: Iterable<ExportEntry>;
}

/** A resource of the bundle, with its fullUrl when others refer to it. */
export interface FhirBundleEntry {
  fullUrl?: string;
  resource: { resourceType: string } & Record<string, unknown>;
}

/** An entry the FHIR export could not express, and why (the JSON export still holds it). */
export interface SkippedEntry {
  id: string;
  reason: string;
}

type CodeableConcept = { coding?: { system: string; code: string; display?: string }[]; text?: string };

function base(input: FhirExportInput): string {
  return (input.baseUrl ?? DYSTRACK_FHIR_BASE).replace(/\/+$/, '');
}

export function metricCodeSystemUrl(baseUrl = DYSTRACK_FHIR_BASE): string {
  return `${baseUrl.replace(/\/+$/, '')}/CodeSystem/metric`;
}

export function taskCodeSystemUrl(baseUrl = DYSTRACK_FHIR_BASE): string {
  return `${baseUrl.replace(/\/+$/, '')}/CodeSystem/task`;
}

const TASK_WORDS: Record<string, string> = {
  typing: 'Typing',
  tapping: 'Finger tapping',
  scale: 'Playing a scale or passage',
  spiral: 'Spiral drawing',
  handwriting: 'Handwriting',
  precision: 'Precision drawing (line or target tracing)',
  tremor: 'Tremor (phone held in the hand)',
};

const HAND_WORDS: Record<string, string> = { left: 'Left hand', right: 'Right hand', both: 'Both hands' };

/**
 * The project CodeSystem of the metric IDs at one analysis version. An ID used by several tasks is one
 * concept whose definition gives each task's.
 */
export function metricCodeSystem(baseUrl = DYSTRACK_FHIR_BASE, version = ANALYSIS_VERSION) {
  const byId = new Map<string, MetricDefinition[]>();
  for (const d of metricCatalogue()) byId.set(d.id, [...(byId.get(d.id) ?? []), d]);
  const concept = [...byId.entries()].map(([code, defs]) => ({
    code,
    display: code,
    definition:
      defs.length === 1
        ? `${defs[0]!.definition} Unit: ${defs[0]!.unit}.`
        : defs.map((d) => `${d.task}: ${d.definition} Unit: ${d.unit}.`).join(' '),
  }));
  return {
    resourceType: 'CodeSystem' as const,
    id: 'metric',
    url: metricCodeSystemUrl(baseUrl),
    version,
    name: 'DystrackMetric',
    title: 'Dystrack metrics',
    status: 'active' as const,
    description:
      'The metrics the Dystrack analysis computes from a recording. The code is the metric ID (public API: never ' +
      'renamed or given another meaning); the version is the analysis version.',
    content: 'complete' as const,
    caseSensitive: true,
    count: concept.length,
    concept,
  };
}

/** The project CodeSystem of the tasks (the method of an Observation). */
export function taskCodeSystem(baseUrl = DYSTRACK_FHIR_BASE) {
  return {
    resourceType: 'CodeSystem' as const,
    id: 'task',
    url: taskCodeSystemUrl(baseUrl),
    version: '1.0.0',
    name: 'DystrackTask',
    title: 'Dystrack tasks',
    status: 'active' as const,
    content: 'complete' as const,
    caseSensitive: true,
    count: TASK_IDS.length,
    concept: TASK_IDS.map((id) => ({ code: id, display: TASK_WORDS[id] ?? id })),
  };
}

/** One stored metric value as an Observation. */
export function metricObservation(
  value: ExportMetricValue,
  recording: ExportRecording | undefined,
  definition: MetricDefinition | undefined,
  patientRef: string,
  baseUrl = DYSTRACK_FHIR_BASE,
): FhirBundleEntry['resource'] {
  const flags = [...new Set([...(recording?.flags ?? []), ...value.flags])].sort();
  const note = [`Metric algorithm version ${value.metricVersion}.`];
  if (flags.length > 0) note.push(`Quality flags: ${flags.join(', ')}.`);
  const trimmed = baseUrl.replace(/\/+$/, '');
  return {
    resourceType: 'Observation',
    identifier: [
      {
        system: `${trimmed}/metric-value`,
        value: `${value.recordingId}/${value.metricId}/${value.analysisVersion}`,
      },
    ],
    status: 'final',
    code: {
      coding: [
        {
          system: metricCodeSystemUrl(trimmed),
          version: value.analysisVersion,
          code: value.metricId,
          display: value.metricId,
        },
      ],
      text: value.metricId,
    },
    subject: { reference: patientRef },
    ...(recording ? { effectiveDateTime: recording.startedAt } : {}),
    ...(value.value === null
      ? {
          dataAbsentReason: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }],
            text: 'Could not be computed from this recording.',
          },
        }
      : {
          valueQuantity: {
            value: value.value,
            ...(definition
              ? { unit: definition.unit, system: UCUM_SYSTEM, code: ucumCode(definition.unit) }
              : {}),
          },
        }),
    note: [{ text: note.join(' ') }],
    ...(recording
      ? {
          bodySite: { text: HAND_WORDS[recording.hand] ?? recording.hand },
          method: {
            coding: [
              {
                system: taskCodeSystemUrl(trimmed),
                code: recording.taskId,
                display: TASK_WORDS[recording.taskId] ?? recording.taskId,
              },
            ],
            text: TASK_WORDS[recording.taskId] ?? recording.taskId,
          },
        }
      : {}),
  };
}

function text(words: string): CodeableConcept {
  return { text: words };
}

/** The named choice's label, or for `other` the words the person gave. */
function withOther(label: string, otherText: string | null): string {
  return otherText ?? label;
}

/** A treatment as FHIR resources; empty for task modifications (not a FHIR resource kind). */
function treatmentEntries(entry: ExportEntry, t: TreatmentInput, patientRef: string): FhirBundleEntry[] {
  const fullUrl = `urn:uuid:${entry.id}`;
  const notes = 'notes' in t && t.notes ? [{ text: t.notes }] : undefined;
  switch (t.type) {
    case 'medication':
      return [
        {
          fullUrl,
          resource: {
            resourceType: 'MedicationStatement',
            status: t.stop === null ? 'active' : 'completed',
            medicationCodeableConcept: text(t.name),
            subject: { reference: patientRef },
            effectivePeriod: { start: t.start, ...(t.stop === null ? {} : { end: t.stop }) },
            dateAsserted: entry.revisedAt,
            informationSource: { reference: patientRef },
            dosage: [{ text: `${t.dose}, ${t.schedule}` }],
            ...(notes ? { note: notes } : {}),
          },
        },
      ];
    case 'botulinum-toxin': {
      const product = withOther(TOXIN_PRODUCT_LABELS[t.product], t.otherText);
      const site = (i: (typeof t.injections)[number]) =>
        `${withOther(MUSCLES[i.muscle].label, i.otherText)}, ${SIDE_LABELS[i.side].toLowerCase()}${i.detail ? ` (${i.detail})` : ''}`;
      const doses = t.injections.map((i) => `${site(i)}: ${i.units} units`).join('; ');
      const procedure: FhirBundleEntry = {
        fullUrl,
        resource: {
          resourceType: 'Procedure',
          status: 'completed',
          code: text('Botulinum toxin injection'),
          subject: { reference: patientRef },
          performedDateTime: t.date,
          bodySite: t.injections.map((i) => text(site(i))),
          usedCode: [text(product)],
          note: [
            { text: `${product}. Doses: ${doses}.` },
            ...(t.sideEffects.length > 0 || t.sideEffectsText
              ? [
                  {
                    text: `Side effects: ${[...t.sideEffects, t.sideEffectsText].filter(Boolean).join(', ')}.`,
                  },
                ]
              : []),
            ...(notes ?? []),
          ],
        },
      };
      const administrations: FhirBundleEntry[] = t.injections.map((i) => ({
        resource: {
          resourceType: 'MedicationAdministration',
          partOf: [{ reference: fullUrl }],
          status: 'completed',
          medicationCodeableConcept: text(product),
          subject: { reference: patientRef },
          effectiveDateTime: t.date,
          dosage: {
            site: text(site(i)),
            route: text('Intramuscular'),
            // units of biological activity differ between products: no UCUM unit fits, so none is claimed
            dose: { value: i.units, unit: 'units of the product' },
          },
        },
      }));
      return [procedure, ...administrations];
    }
    case 'surgery':
      return [
        {
          fullUrl,
          resource: {
            resourceType: 'Procedure',
            status: 'completed',
            code: text(withOther(SURGERY_LABELS[t.procedure], t.otherText)),
            subject: { reference: patientRef },
            performedDateTime: t.date,
            ...(t.side ? { bodySite: [text(`${SIDE_LABELS[t.side]} side`)] } : {}),
            ...(notes ? { note: notes } : {}),
          },
        },
      ];
    case 'dbs-settings':
      return [
        {
          fullUrl,
          resource: {
            resourceType: 'Procedure',
            status: 'completed',
            code: text('Deep brain stimulation setting change'),
            subject: { reference: patientRef },
            performedDateTime: t.date,
            note: [{ text: `Settings: ${t.settings}` }, ...(notes ?? [])],
          },
        },
      ];
    case 'therapy':
      return [
        {
          fullUrl,
          resource: {
            resourceType: 'Procedure',
            status: t.stop === null ? 'in-progress' : 'completed',
            code: text(withOther(THERAPY_LABELS[t.therapy], t.otherText)),
            subject: { reference: patientRef },
            performedPeriod: { start: t.start, ...(t.stop === null ? {} : { end: t.stop }) },
            ...(notes ? { note: notes } : {}),
          },
        },
      ];
    case 'task-modification':
      return [];
  }
}

interface StoredResponse {
  questionnaireId: string;
  completedAt: string;
  answers: Record<string, string>;
}

interface StoredScaleTotal {
  scaleId: string;
  total: number;
  date: string;
  rater: { role: 'clinician' | 'self'; name?: string };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** A hand-entered entry as FHIR resources, or why it is not in the FHIR export. */
function entryResources(
  entry: ExportEntry,
  patientRef: string,
  baseUrl: string,
): FhirBundleEntry[] | { reason: string } {
  const data = entry.data;
  switch (entry.kind) {
    case 'diary':
      return { reason: 'diary entries are in the JSON export only' };
    case 'treatment': {
      const parsed = treatmentInputSchema.safeParse(data);
      if (!parsed.success) return { reason: 'the stored treatment does not match the current form' };
      if (parsed.data.type === 'task-modification')
        return { reason: 'task modifications are in the JSON export only' };
      return treatmentEntries(entry, parsed.data, patientRef);
    }
    case 'questionnaire-response': {
      const stored = data as StoredResponse;
      const def = isRecord(data) ? QUESTIONNAIRES[stored.questionnaireId] : undefined;
      if (!def) return { reason: 'unknown questionnaire' };
      try {
        const resource = buildQuestionnaireResponse(def, stored.answers, {
          baseUrl,
          authored: stored.completedAt,
          subject: patientRef,
        });
        return [{ fullUrl: `urn:uuid:${entry.id}`, resource: { ...resource } }];
      } catch (error) {
        return { reason: error instanceof Error ? error.message : 'the answers could not be read' };
      }
    }
    case 'clinician-scale-total': {
      const stored = data as StoredScaleTotal;
      const scale = isRecord(data) ? getClinicianScale(stored.scaleId) : undefined;
      if (!scale) return { reason: 'unknown clinician scale' };
      const q = toFhirClinicianScaleQuestionnaire(scale, baseUrl);
      const roleSystem = `${baseUrl}/CodeSystem/rater-role`;
      const roleOption = q.item[1]!.answerOption!.find((o) => o.valueCoding.code === stored.rater.role);
      return [
        {
          fullUrl: `urn:uuid:${entry.id}`,
          resource: {
            resourceType: 'QuestionnaireResponse',
            questionnaire: `${q.url}|${q.version}`,
            status: 'completed',
            subject: { reference: patientRef },
            authored: FHIR_DATE_TIME.test(entry.revisedAt) ? entry.revisedAt : entry.at,
            item: [
              { linkId: 'date', text: q.item[0]!.text, answer: [{ valueDate: stored.date }] },
              {
                linkId: 'rater-role',
                text: q.item[1]!.text,
                answer: [
                  {
                    valueCoding: {
                      system: roleSystem,
                      code: stored.rater.role,
                      ...(roleOption?.valueCoding.display ? { display: roleOption.valueCoding.display } : {}),
                    },
                  },
                ],
              },
              ...(stored.rater.name
                ? [{ linkId: 'rater', text: q.item[2]!.text, answer: [{ valueString: stored.rater.name }] }]
                : []),
              { linkId: 'total', text: q.item[3]!.text, answer: [{ valueDecimal: stored.total }] },
            ],
          },
        },
      ];
    }
  }
}

/**
 * The bundle's entries one at a time (the server writes them out as they come, so a year of metric
 * values is never one object in memory). The Patient comes first, then the definitions, the
 * Observations in the order of `metricValues`, then the entries. `skipped` collects the entries the
 * FHIR export cannot express, with the reason.
 */
export function* fhirBundleEntries(
  input: FhirExportInput,
  skipped: SkippedEntry[] = [],
): Generator<FhirBundleEntry> {
  const baseUrl = base(input);
  const patientRef = `urn:uuid:${input.patient.id}`;
  const name = input.patient.displayName?.trim();
  yield {
    fullUrl: patientRef,
    resource: {
      resourceType: 'Patient',
      identifier: [{ system: `${baseUrl}/account`, value: input.patient.id }],
      ...(name ? { name: [{ text: name }] } : {}),
    },
  };
  yield { fullUrl: metricCodeSystemUrl(baseUrl), resource: metricCodeSystem(baseUrl) };
  yield { fullUrl: taskCodeSystemUrl(baseUrl), resource: taskCodeSystem(baseUrl) };
  for (const resource of allFhirResources(baseUrl))
    yield { fullUrl: resource.url, resource: { ...resource } };
  for (const scale of CLINICIAN_SCALES) {
    const q = toFhirClinicianScaleQuestionnaire(scale, baseUrl);
    yield { fullUrl: q.url, resource: { ...q } };
  }
  const catalogue = new Map(metricCatalogue().map((d) => [`${d.task}/${d.id}`, d]));
  for (const value of input.metricValues) {
    const recording = input.recordings.get(value.recordingId);
    const definition = recording ? catalogue.get(`${recording.taskId}/${value.metricId}`) : undefined;
    yield { resource: metricObservation(value, recording, definition, patientRef, baseUrl) };
  }
  for (const entry of input.entries) {
    const result = entryResources(entry, patientRef, baseUrl);
    if (Array.isArray(result)) yield* result;
    else skipped.push({ id: entry.id, reason: result.reason });
  }
}

/** The bundle's envelope before its entries. */
export function fhirBundleHead(timestamp: string) {
  return {
    resourceType: 'Bundle' as const,
    meta: { lastUpdated: timestamp },
    type: 'collection' as const,
    timestamp,
  };
}

/** The whole bundle as one object (for tests and small records; the server streams {@link fhirBundleChunks}). */
export function buildFhirBundle(input: FhirExportInput, timestamp: string, skipped: SkippedEntry[] = []) {
  return { ...fhirBundleHead(timestamp), entry: [...fhirBundleEntries(input, skipped)] };
}

/** The bundle as JSON text in pieces, one entry each, that joined are `JSON.stringify(buildFhirBundle(…))`. */
export function* fhirBundleChunks(
  input: FhirExportInput,
  timestamp: string,
  skipped: SkippedEntry[] = [],
): Generator<string> {
  const head = JSON.stringify(fhirBundleHead(timestamp));
  yield `${head.slice(0, -1)},"entry":[`;
  let first = true;
  for (const entry of fhirBundleEntries(input, skipped)) {
    yield `${first ? '' : ','}${JSON.stringify(entry)}`;
    first = false;
  }
  yield ']}';
}
