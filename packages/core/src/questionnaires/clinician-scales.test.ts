import { describe, expect, it } from 'vitest';
import { CLINICIAN_SCALES, getClinicianScale, validateClinicianScaleEntry } from './clinician-scales.js';

const today = '2026-03-10';
const entry = (scaleId: string, total: number, extra: Record<string, unknown> = {}) => ({
  scaleId,
  total,
  date: '2026-03-01',
  rater: { role: 'clinician' },
  ...extra,
});

describe('clinician scales', () => {
  it('lists the scales of measures.md section 8 by id, each with range, direction and citation', () => {
    expect(CLINICIAN_SCALES.map((s) => s.id)).toEqual([
      'wcrs',
      'adds',
      'tcs',
      'bfmdrs-movement',
      'bfmdrs-disability',
      'gdrs',
      'udrs',
    ]);
    for (const scale of CLINICIAN_SCALES) {
      expect(scale.min).toBeLessThan(scale.max);
      expect(scale.citation.length).toBeGreaterThan(10);
      expect(scale.totalMeaning.length).toBeGreaterThan(10);
    }
    expect(getClinicianScale('wcrs')?.max).toBe(30);
    expect(getClinicianScale('bfmdrs-movement')?.max).toBe(120);
    expect(getClinicianScale('adds')?.direction).toBe('higher-is-better');
    expect(getClinicianScale('tcs')?.direction).toBe('higher-is-better');
  });

  it('holds no item wording: no definition has items', () => {
    for (const scale of CLINICIAN_SCALES) expect(Object.keys(scale)).not.toContain('items');
  });
});

describe('validateClinicianScaleEntry', () => {
  it('accepts a WCRS total of 12 rated by a clinician and trims the rater name', () => {
    const result = validateClinicianScaleEntry(
      entry('wcrs', 12, { rater: { role: 'clinician', name: '  Dr A  ' } }),
      { today },
    );
    expect(result).toEqual({
      ok: true,
      entry: { scaleId: 'wcrs', total: 12, date: '2026-03-01', rater: { role: 'clinician', name: 'Dr A' } },
    });
  });

  it('rejects an out-of-range WCRS total with a message naming the range', () => {
    const result = validateClinicianScaleEntry(entry('wcrs', 31), { today });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'total',
          message:
            'The Writer’s Cramp Rating Scale (WCRS) total must be between 0 and 30; 31 is outside this range.',
        },
      ],
    });
  });

  it('rejects a fraction on a whole-number scale and accepts halves on the BFMDRS movement scale', () => {
    const wcrs = validateClinicianScaleEntry(entry('wcrs', 12.5), { today });
    expect(wcrs.ok ? [] : wcrs.issues.map((i) => i.message)).toEqual([
      'The Writer’s Cramp Rating Scale (WCRS) total is a whole number; 12.5 is not.',
    ]);
    expect(validateClinicianScaleEntry(entry('bfmdrs-movement', 7.5), { today }).ok).toBe(true);
    const quarter = validateClinicianScaleEntry(entry('bfmdrs-movement', 7.25), { today });
    expect(quarter.ok ? [] : quarter.issues.map((i) => i.message)).toEqual([
      'The Burke–Fahn–Marsden Dystonia Rating Scale, movement scale (BFMDRS-M) total goes in steps of 0.5; ' +
        '7.25 is not a multiple of 0.5.',
    ]);
  });

  it('accepts ADDS values of its formula (also rounded to one decimal) and rejects others', () => {
    for (const total of [100, 95, 90, 90 - 90 / 21, 85.7, 81.4, 0]) {
      expect(validateClinicianScaleEntry(entry('adds', total), { today }).ok).toBe(true);
    }
    const bad = validateClinicianScaleEntry(entry('adds', 87), { today });
    expect(bad.ok ? [] : bad.issues.map((i) => i.message)).toEqual([
      'The Arm Dystonia Disability Scale (ADDS) total can only be one of the values its formula gives ' +
        '(100%, 95%, 90%, 85.7%, 81.4%, …); 87% is not one of them.',
    ]);
    const over = validateClinicianScaleEntry(entry('adds', 101), { today });
    expect(over.ok ? [] : over.issues[0]?.message).toBe(
      'The Arm Dystonia Disability Scale (ADDS) total must be between 0% and 100%; 101% is outside this range.',
    );
  });

  it('accepts a self-rated ADDS but not a self-rated WCRS', () => {
    expect(validateClinicianScaleEntry(entry('adds', 95, { rater: { role: 'self' } }), { today }).ok).toBe(
      true,
    );
    const result = validateClinicianScaleEntry(entry('wcrs', 5, { rater: { role: 'self' } }), { today });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        field: 'rater',
        message:
          'The WCRS is rated by a clinician. If you are copying a score from a clinic letter, choose ' +
          '“clinician” as the rater.',
      },
    ]);
  });

  it('rejects unknown scales, impossible or future dates and unknown rater roles, all at once', () => {
    const result = validateClinicianScaleEntry(
      { scaleId: 'xyz', total: 3, date: '2026-02-30', rater: { role: 'nurse' } },
      { today },
    );
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual(['scaleId', 'date', 'rater']);
    const future = validateClinicianScaleEntry(entry('tcs', 3, { date: '2026-03-11' }), { today });
    expect(future.ok ? [] : future.issues[0]?.message).toBe('The rating date 2026-03-11 is in the future.');
    expect(validateClinicianScaleEntry(entry('tcs', 3, { date: today }), { today }).ok).toBe(true);
  });

  it('rejects input of the wrong shape', () => {
    expect(validateClinicianScaleEntry({ scaleId: 'wcrs', total: '12' }, { today })).toEqual({
      ok: false,
      issues: [
        { field: 'entry', message: 'An entry needs a scale, a total (a number), a date and a rater.' },
      ],
    });
    expect(validateClinicianScaleEntry(entry('wcrs', Number.NaN), { today }).ok).toBe(false);
  });
});
