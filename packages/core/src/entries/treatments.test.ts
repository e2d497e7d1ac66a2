import { describe, expect, it } from 'vitest';
import {
  INJECTED_MUSCLES,
  INJECTION_GUIDANCE,
  INJECTION_GUIDANCE_LABELS,
  MUSCLES,
  SURGERIES,
  SURGERY_LABELS,
  TASK_MODIFICATIONS,
  TASK_MODIFICATION_LABELS,
  THERAPIES,
  THERAPY_LABELS,
  TOXIN_PRODUCTS,
  TOXIN_PRODUCT_LABELS,
  TOXIN_SIDE_EFFECTS,
  TOXIN_SIDE_EFFECT_LABELS,
  TREATMENT_TYPES,
  TREATMENT_TYPE_LABELS,
  treatmentDate,
  treatmentInputSchema,
} from './treatments.js';

describe('treatment vocabulary', () => {
  it.each([
    ['products', TOXIN_PRODUCTS, TOXIN_PRODUCT_LABELS],
    ['guidance', INJECTION_GUIDANCE, INJECTION_GUIDANCE_LABELS],
    ['side effects', TOXIN_SIDE_EFFECTS, TOXIN_SIDE_EFFECT_LABELS],
    ['therapies', THERAPIES, THERAPY_LABELS],
    ['task modifications', TASK_MODIFICATIONS, TASK_MODIFICATION_LABELS],
    ['surgeries', SURGERIES, SURGERY_LABELS],
    ['types', TREATMENT_TYPES, TREATMENT_TYPE_LABELS],
  ] as const)(
    'gives every code of the %s a distinct label, and no label to an unknown code',
    (_n, codes, labels) => {
      expect(Object.keys(labels).sort()).toEqual([...codes].sort());
      const texts = codes.map((code) => (labels as Record<string, string>)[code]!.trim());
      expect(texts.every((text) => text.length > 0)).toBe(true);
      expect(new Set(texts).size).toBe(texts.length);
    },
  );

  it('names each product by its brands and its generic name', () => {
    expect(TOXIN_PRODUCT_LABELS.onabotulinumtoxinA).toBe('Botox (onabotulinumtoxinA)');
    for (const product of TOXIN_PRODUCTS.filter((p) => p !== 'other'))
      expect(TOXIN_PRODUCT_LABELS[product]).toContain(`(${product})`);
  });

  it('gives every muscle a name, a region and chart abbreviations that point to one muscle only', () => {
    expect(Object.keys(MUSCLES).sort()).toEqual([...INJECTED_MUSCLES].sort());
    const seen = new Map<string, string>();
    for (const muscle of INJECTED_MUSCLES) {
      const info = MUSCLES[muscle];
      expect(info.label.length, muscle).toBeGreaterThan(0);
      for (const abbreviation of info.abbreviations) {
        expect(seen.get(abbreviation.toUpperCase()), abbreviation).toBeUndefined();
        seen.set(abbreviation.toUpperCase(), muscle);
      }
    }
    expect(MUSCLES['flexor-digitorum-superficialis'].abbreviations).toContain('FDS');
    expect(MUSCLES['first-dorsal-interosseous'].region).toBe('hand');
  });
});

describe('treatmentInputSchema', () => {
  it('fills the defaults of an injection, and its day is the injection date', () => {
    const parsed = treatmentInputSchema.parse({
      type: 'botulinum-toxin',
      date: '2025-10-14',
      product: 'abobotulinumtoxinA',
      injections: [{ muscle: 'flexor-carpi-radialis', side: 'left', units: 40, detail: '  ' }],
    });
    expect(parsed).toEqual({
      type: 'botulinum-toxin',
      date: '2025-10-14',
      product: 'abobotulinumtoxinA',
      otherText: null,
      injections: [
        { muscle: 'flexor-carpi-radialis', otherText: null, side: 'left', units: 40, detail: null },
      ],
      guidance: null,
      sideEffects: [],
      sideEffectsText: null,
      notes: null,
    });
    expect(treatmentDate(parsed)).toBe('2025-10-14');
  });

  it('dates a period by its start, and refuses a stop before it', () => {
    const therapy = treatmentInputSchema.parse({
      type: 'therapy',
      therapy: 'physiotherapy',
      start: '2024-02-01',
    });
    expect(treatmentDate(therapy)).toBe('2024-02-01');
    const stopped = treatmentInputSchema.safeParse({
      type: 'therapy',
      therapy: 'physiotherapy',
      start: '2024-02-01',
      stop: '2024-01-01',
    });
    expect(stopped.success).toBe(false);
    expect(stopped.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['stop', 'the stop date is before the start date'],
    ]);
  });
});
