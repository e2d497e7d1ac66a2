import { describe, expect, it } from 'vitest';
import { handwritingCoverage } from './coverage-handwriting.js';
import { HANDWRITING_METRICS } from './handwriting.js';

describe('handwriting coverage rows', () => {
  const catalogue = new Set(HANDWRITING_METRICS.map((m) => m.id));

  it('names only catalogue IDs, and every row without IDs says why', () => {
    for (const row of handwritingCoverage) {
      expect(row.section).toMatch(/^4\.\d$/);
      for (const id of row.ids) expect(catalogue.has(id), id).toBe(true);
      if (row.ids.length === 0) expect(row.note?.length ?? 0).toBeGreaterThan(20);
    }
  });

  it('covers every catalogue ID and every metric of the §1.1 handwriting row', () => {
    const covered = new Set(handwritingCoverage.flatMap((row) => row.ids));
    for (const id of catalogue) expect(covered.has(id), id).toBe(true);
    const names = handwritingCoverage.map((row) => row.name.toLowerCase()).join('\n');
    for (const word of [
      'stroke frequency',
      'niv',
      'writing speed',
      'pressure',
      'peak acceleration',
      'breaks',
      'legibility',
      'ldlj',
    ]) {
      expect(names).toContain(word);
    }
  });
});
