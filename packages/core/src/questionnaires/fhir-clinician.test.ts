import { Fhir } from 'fhir';
import { describe, expect, it } from 'vitest';
import { CLINICIAN_SCALES } from './clinician-scales.js';
import { toFhirClinicianScaleQuestionnaire } from './fhir.js';
import { checkQuestionnaire } from './fhir-check.js';

const fhir = new Fhir();
const base = 'https://dystrack.example.org/fhir';

describe('licensed clinician scales as FHIR Questionnaires of their totals', () => {
  it('each is a valid R4 Questionnaire with the date, the rater and the total within the scale’s range', () => {
    for (const scale of CLINICIAN_SCALES) {
      const q = toFhirClinicianScaleQuestionnaire(scale, base);
      const result = fhir.validate(q, { errorOnUnexpected: true });
      const errors = result.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal');
      expect(errors, scale.id).toEqual([]);
      expect(checkQuestionnaire(q), scale.id).toEqual([]);
      expect(q.item.map((i) => i.linkId)).toEqual(['date', 'rater-role', 'rater', 'total']);
      const total = q.item.find((i) => i.linkId === 'total')!;
      expect(total.extension?.map((e) => e.valueDecimal)).toEqual([scale.min, scale.max]);
      expect(
        q.item.find((i) => i.linkId === 'rater-role')!.answerOption!.map((o) => o.valueCoding.code),
      ).toEqual([...scale.raters]);
      expect(q.copyright).toBe(scale.reuse);
    }
  });

  it('never carries a scale item: four fixed questions whatever the scale, and the ids are distinct', () => {
    const all = CLINICIAN_SCALES.map((scale) => toFhirClinicianScaleQuestionnaire(scale, base));
    expect(new Set(all.map((q) => q.id)).size).toBe(CLINICIAN_SCALES.length);
    const texts = new Set(all.flatMap((q) => q.item.map((i) => i.text!.replace(/^\S+ total.*$/, 'total'))));
    expect([...texts].sort()).toEqual(
      ['Date of the rating', 'Name of the rater', 'Who rated', 'total'].sort(),
    );
  });
});
