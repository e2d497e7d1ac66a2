import { Fhir, type ValidatorMessage } from 'fhir';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../analysis/analyze.js';
import {
  buildFhirBundle,
  fhirBundleChunks,
  metricCodeSystem,
  metricCodeSystemUrl,
  type FhirBundleEntry,
  type SkippedEntry,
} from './fhir-bundle.js';
import { sampleRecord } from './test-utils/sample.js';

/*
 * The bundle checked against the official FHIR R4 structure definitions and value sets with the `fhir`
 * package (as questionnaires/fhir-validate.test.ts does): element names, cardinalities, data types and
 * required bindings; unknown elements are errors. The package reports as `info` that it does not hold
 * the example value sets (any code allowed); those notes are left out, nothing else.
 */

const fhir = new Fhir();

/**
 * Elements whose R4 binding is `example` (any code may be used), where the package still warns that a
 * project code is not in the example value set (LOINC codes, observation methods). The last test reads
 * the strength from the package's own definitions, so this list cannot hide a stronger binding.
 */
const EXAMPLE_BINDINGS = ['Observation.code', 'Observation.method'];
const NOW = '2026-03-04T12:00:00.000Z';

function problemsOf(resource: object): ValidatorMessage[] {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const problems = result.messages.filter(
    (m) =>
      !(m.severity === 'info' && /^Value set ".*" could not be found\.$/.test(m.message ?? '')) &&
      !(
        m.severity === 'warning' &&
        EXAMPLE_BINDINGS.includes(m.location ?? '') &&
        /^Code ".*" \(https:\/\/dystrack\.org\/fhir\/CodeSystem\/[a-z-]+\) not found in value set$/.test(
          m.message ?? '',
        )
      ),
  );
  expect(result.valid).toBe(!problems.some((m) => m.severity === 'error' || m.severity === 'fatal'));
  return problems;
}

function ofType(entries: FhirBundleEntry[], type: string) {
  return (
    entries
      .filter((e) => e.resource.resourceType === type)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the resources' JSON, read freely
      .map((e) => e.resource as Record<string, any>)
  );
}

describe('FHIR R4 Bundle of the patient record', () => {
  const { recordings, metricValues, entries } = sampleRecord();
  const skipped: SkippedEntry[] = [];
  const bundle = buildFhirBundle(
    {
      patient: { id: '9d5ed678-fe57-4cca-b9a2-1a2b3c4d5e6f', displayName: '' },
      recordings,
      metricValues,
      entries,
    },
    NOW,
    skipped,
  );

  it('validates against the R4 definitions with zero problems, as a whole and entry by entry', () => {
    expect(problemsOf(bundle)).toEqual([]);
    for (const entry of bundle.entry) {
      expect(problemsOf(entry.resource), JSON.stringify(entry.resource).slice(0, 120)).toEqual([]);
    }
  });

  it('the validator does catch a broken Observation inside the bundle (the check can fail)', () => {
    const broken = structuredClone(bundle);
    const observation = broken.entry.find((e) => e.resource.resourceType === 'Observation')!;
    (observation.resource as Record<string, unknown>).status = 'done';
    (observation.resource as Record<string, unknown>).valueQuantity = { value: 'seven' };
    const errors = problemsOf(broken).filter((m) => m.severity === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('has a pseudonymous Patient (no name when the account has none) that every resource refers to', () => {
    const [patient] = ofType(bundle.entry, 'Patient');
    expect(patient).toEqual({
      resourceType: 'Patient',
      identifier: [
        { system: 'https://dystrack.org/fhir/account', value: '9d5ed678-fe57-4cca-b9a2-1a2b3c4d5e6f' },
      ],
    });
    const patientUrl = bundle.entry[0]!.fullUrl;
    for (const e of bundle.entry) {
      const subject = (e.resource as { subject?: { reference: string } }).subject;
      if (subject) expect(subject.reference).toBe(patientUrl);
    }
    const named = buildFhirBundle(
      { patient: { id: 'p', displayName: 'Ana' }, recordings, metricValues: [], entries: [] },
      NOW,
    );
    expect(named.entry[0]!.resource.name).toEqual([{ text: 'Ana' }]);
  });

  it('one Observation per stored value: project code with the analysis version, UCUM unit, time, hand and task', () => {
    const observations = ofType(bundle.entry, 'Observation');
    expect(observations).toHaveLength(metricValues.length);
    const taps = observations.find((o) => o.code.coding[0].code === 'tap_count')!;
    expect(taps.code.coding[0]).toMatchObject({ system: metricCodeSystemUrl(), version: '1.4.0' });
    expect(taps.valueQuantity).toEqual({
      value: 87,
      unit: 'count',
      system: 'http://unitsofmeasure.org',
      code: '{count}',
    });
    expect(taps.effectiveDateTime).toBe('2026-03-01T10:00:00.000Z');
    expect(taps.bodySite).toEqual({ text: 'Right hand' });
    expect(taps.method.coding[0].code).toBe('tapping');
    expect(taps.note[0].text).toContain('SAMPLE_GAPS');
    const cv = observations.find((o) => o.code.coding[0].code === 'iti_cv_pct')!;
    expect(cv.valueQuantity.code).toBe('%');
    const missing = observations.find((o) => o.code.coding[0].code === 'tremor_peak_frequency_hz')!;
    expect(missing.valueQuantity).toBeUndefined();
    expect(missing.dataAbsentReason.coding[0].code).toBe('unknown');
  });

  it('a Procedure per toxin session with one bodySite per injected muscle, and the dose per muscle', () => {
    const [procedure] = ofType(bundle.entry, 'Procedure');
    expect(procedure!.performedDateTime).toBe('2026-02-10');
    expect(procedure!.bodySite).toEqual([
      { text: 'Flexor carpi radialis, right' },
      { text: 'Flexor digitorum superficialis, right (to the index finger)' },
      { text: 'Opponens digiti minimi, right' },
    ]);
    for (const site of procedure!.bodySite) expect(site.coding).toBeUndefined(); // text only: no SNOMED CT claimed
    expect(procedure!.note[0].text).toContain('Flexor carpi radialis, right: 25 units');
    const administrations = ofType(bundle.entry, 'MedicationAdministration');
    expect(administrations.map((a) => [a.dosage.site.text, a.dosage.dose.value])).toEqual([
      ['Flexor carpi radialis, right', 25],
      ['Flexor digitorum superficialis, right (to the index finger)', 15],
      ['Opponens digiti minimi, right', 5],
    ]);
    const procedureUrl = bundle.entry.find((e) => e.resource === procedure)!.fullUrl;
    for (const a of administrations) expect(a.partOf).toEqual([{ reference: procedureUrl }]);
  });

  it('a MedicationStatement for an oral medication, QuestionnaireResponses with the LOINC-coded PHQ-9 total', () => {
    const [statement] = ofType(bundle.entry, 'MedicationStatement');
    expect(statement).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { text: 'Trihexyphenidyl' },
      effectivePeriod: { start: '2026-01-05' },
      dosage: [{ text: '2 mg, three times a day' }],
    });
    const responses = ofType(bundle.entry, 'QuestionnaireResponse');
    expect(responses).toHaveLength(2);
    const phq = responses.find((r) => r.questionnaire.includes('phq-9'))!;
    expect(phq.item.at(-1).answer).toEqual([{ valueInteger: 4 }]);
    const phqQuestionnaire = ofType(bundle.entry, 'Questionnaire').find((q) => q.id === 'phq-9')!;
    expect(phqQuestionnaire.item.at(-1).code).toEqual([
      { system: 'http://loinc.org', code: '44261-6', display: expect.any(String) },
    ]);
    const wcrs = responses.find((r) => r.questionnaire.includes('clinician-scale-wcrs'))!;
    expect(wcrs.item.find((i: { linkId: string }) => i.linkId === 'total').answer).toEqual([
      { valueDecimal: 7 },
    ]);
  });

  it('says which entries it could not express (the diary), instead of dropping them silently', () => {
    expect(skipped).toEqual([
      { id: '5f0c2a55-2f3e-4b9f-8a0e-000000000005', reason: expect.stringMatching(/diary/) },
    ]);
  });

  it('the metric CodeSystem has every catalogue ID once', () => {
    const cs = metricCodeSystem();
    const ids = new Set(metricCatalogue().map((d) => d.id));
    expect(cs.concept.map((c) => c.code).sort()).toEqual([...ids].sort());
    expect(cs.count).toBe(ids.size);
    expect(problemsOf(cs)).toEqual([]);
  });

  it('Observation.code and Observation.method are example bindings in the R4 definitions', () => {
    const types = fhir.parser.parsedStructureDefinitions;
    for (const path of EXAMPLE_BINDINGS) {
      const [type, name] = path.split('.');
      const element = types[type!]!._properties?.find((p) => p._name === name);
      expect(element?._valueSetStrength, path).toBe('example');
    }
  });

  it('the streamed chunks join to the same JSON as the bundle object', () => {
    const text = [
      ...fhirBundleChunks(
        {
          patient: { id: '9d5ed678-fe57-4cca-b9a2-1a2b3c4d5e6f', displayName: '' },
          recordings,
          metricValues,
          entries,
        },
        NOW,
      ),
    ].join('');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(bundle)));
  });
});
