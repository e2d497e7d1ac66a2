import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../analyze.js';
import { precisionCoverage } from './coverage-precision.js';
import { spiralCoverage } from './coverage-spiral.js';

describe('spiral and precision coverage rows', () => {
  it('name only catalogue IDs of their task, and give a reason for every row without one', () => {
    for (const [task, rows] of [
      ['spiral', spiralCoverage],
      ['precision', precisionCoverage],
    ] as const) {
      const ids = new Set(metricCatalogue(task).map((m) => m.id));
      for (const row of rows) {
        for (const id of row.ids) expect(ids.has(id), `${task}: ${id}`).toBe(true);
        if (row.ids.length === 0) expect(row.note, row.name).toBeTruthy();
      }
      // every catalogue metric appears in some row
      const covered = new Set(rows.flatMap((row) => row.ids));
      for (const id of ids) expect(covered.has(id), `${task}: ${id} has no coverage row`).toBe(true);
    }
  });

  it('covers every index of the measures.md 3.3 table', () => {
    const names = spiralCoverage.map((row) => row.name.toLowerCase()).join('\n');
    for (const index of [
      'tightness',
      'residue',
      'first-order smoothness',
      'first-order zero-crossings',
      'second-order smoothness',
      'swvi',
      'mean speed',
      'pressure',
      'tremor frequency',
      'tremor amplitude',
      'ftm-like severity',
      'log dimensionless jerk',
      'degree of severity',
    ]) {
      expect(names).toContain(index);
    }
  });
});
