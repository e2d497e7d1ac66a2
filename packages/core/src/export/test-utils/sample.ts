import { frequencyAnswers } from '../../questionnaires/test-utils/helpers.js';
import type { ExportEntry } from '../fhir-bundle.js';
import type { ExportMetricValue, ExportRecording } from '../types.js';

/** A small record with every kind of resource the FHIR export makes. */
export function sampleRecord() {
  const recordings = new Map<string, ExportRecording>([
    [
      '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a01',
      {
        id: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a01',
        taskId: 'tapping',
        hand: 'right',
        startedAt: '2026-03-01T10:00:00.000Z',
        durationMs: 20_000,
        flags: ['SAMPLE_GAPS'],
      },
    ],
    [
      '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a02',
      {
        id: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a02',
        taskId: 'spiral',
        hand: 'left',
        startedAt: '2026-03-02T11:30:00.000Z',
        durationMs: 30_000,
        flags: [],
      },
    ],
  ]);
  const metricValues: ExportMetricValue[] = [
    {
      recordingId: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a01',
      metricId: 'tap_count',
      analysisVersion: '1.4.0',
      metricVersion: '1.0.0',
      value: 87,
      flags: [],
    },
    {
      recordingId: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a01',
      metricId: 'iti_cv_pct',
      analysisVersion: '1.4.0',
      metricVersion: '1.0.0',
      value: 12.5,
      flags: ['FEW_TAPS'],
    },
    {
      recordingId: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a02',
      metricId: 'tremor_peak_frequency_hz',
      analysisVersion: '1.4.0',
      metricVersion: '1.1.0',
      value: null,
      flags: [],
    },
    {
      recordingId: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a02',
      metricId: 'pressure_mean',
      analysisVersion: '1.4.0',
      metricVersion: '1.0.0',
      value: -0.25,
      flags: [],
    },
  ];
  const entries: ExportEntry[] = [
    {
      id: '5f0c2a55-2f3e-4b9f-8a0e-000000000001',
      kind: 'treatment',
      at: '2026-02-10T00:00:00.000Z',
      revisedAt: '2026-02-11T08:00:00.000Z',
      data: {
        type: 'botulinum-toxin',
        date: '2026-02-10',
        product: 'incobotulinumtoxinA',
        otherText: null,
        injections: [
          { muscle: 'flexor-carpi-radialis', otherText: null, side: 'right', units: 25, detail: null },
          {
            muscle: 'flexor-digitorum-superficialis',
            otherText: null,
            side: 'right',
            units: 15,
            detail: 'to the index finger',
          },
          { muscle: 'other', otherText: 'Opponens digiti minimi', side: 'right', units: 5, detail: null },
        ],
        guidance: 'ultrasound',
        sideEffects: ['weakness'],
        sideEffectsText: null,
        notes: 'Weak grip for a week.',
      },
    },
    {
      id: '5f0c2a55-2f3e-4b9f-8a0e-000000000002',
      kind: 'treatment',
      at: '2026-01-05T00:00:00.000Z',
      revisedAt: '2026-01-05T08:00:00.000Z',
      data: {
        type: 'medication',
        name: 'Trihexyphenidyl',
        dose: '2 mg',
        schedule: 'three times a day',
        start: '2026-01-05',
        stop: null,
        notes: null,
      },
    },
    {
      id: '5f0c2a55-2f3e-4b9f-8a0e-000000000003',
      kind: 'questionnaire-response',
      at: '2026-03-01T09:30:00.000Z',
      revisedAt: '2026-03-01T09:30:00.000Z',
      data: {
        questionnaireId: 'phq-9',
        version: '1.0.0',
        completedAt: '2026-03-01T09:30:00.000Z',
        answers: frequencyAnswers('phq9', [0, 1, 0, 1, 0, 1, 0, 1, 0]),
      },
    },
    {
      id: '5f0c2a55-2f3e-4b9f-8a0e-000000000004',
      kind: 'clinician-scale-total',
      at: '2026-03-03T00:00:00.000Z',
      revisedAt: '2026-03-03T12:00:00.000Z',
      data: {
        scaleId: 'wcrs',
        total: 7,
        date: '2026-03-03',
        rater: { role: 'clinician', name: 'Dr A. Example' },
        enteredBy: 'self',
      },
    },
    {
      id: '5f0c2a55-2f3e-4b9f-8a0e-000000000005',
      kind: 'diary',
      at: '2026-03-03T20:00:00.000Z',
      revisedAt: '2026-03-03T20:00:00.000Z',
      data: { notes: 'a good day' },
    },
  ];
  return { recordings, metricValues, entries };
}
