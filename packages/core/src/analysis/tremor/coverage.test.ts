import { describe, expect, it } from 'vitest';
import { tremorCoverage } from './coverage.js';
import { TREMOR_METRICS } from './metrics.js';

describe('tremor coverage rows', () => {
  const ids = new Set(TREMOR_METRICS.map((m) => m.id));

  it('name only catalogue IDs, and give a reason where nothing implements the metric', () => {
    for (const row of tremorCoverage) {
      for (const id of row.ids) expect(ids.has(id), id).toBe(true);
      if (row.ids.length === 0) expect(row.note, row.name).toBeTruthy();
      expect(row.section).toMatch(/^(1\.1|7\.\d)$/);
    }
  });

  it('cover every metric of the catalogue', () => {
    const covered = new Set(tremorCoverage.flatMap((row) => row.ids));
    for (const id of ids) expect(covered.has(id), id).toBe(true);
  });

  it('have a row for each metric of the 7.3 table', () => {
    const names = tremorCoverage.filter((row) => row.section === '7.3').map((row) => row.name.toLowerCase());
    for (const metric of [
      'peak frequency',
      'tremor band power',
      'rms acceleration',
      'displacement amplitude',
      'relative band power',
      'high/low ratio',
      'occurrence',
      'frequency stability',
      'weight-load shift',
    ]) {
      expect(
        names.some((name) => name.startsWith(metric)),
        metric,
      ).toBe(true);
    }
  });
});
