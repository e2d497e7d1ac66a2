import { describe, expect, it } from 'vitest';
import { tappingCoverage } from './coverage.js';
import { TAPPING_METRICS } from './definitions.js';

const CONTRACT = ['tap_count', 'iti_mean_ms', 'iti_cv_pct', 'dwell_median_ms', 'asynchrony_sd_ms'];

describe('tapping metric catalogue and coverage', () => {
  const ids = TAPPING_METRICS.map((m) => m.id);

  it('has every contract ID, marked as such, and unique snake_case IDs with their unit last', () => {
    for (const id of CONTRACT) expect(TAPPING_METRICS.find((m) => m.id === id)?.origin).toBe('contract');
    expect(TAPPING_METRICS.filter((m) => m.origin === 'contract').length).toBe(CONTRACT.length);
    expect(new Set(ids).size).toBe(ids.length);
    const suffix: Record<string, RegExp> = {
      ms: /_ms$/,
      '%': /_pct$/,
      mm: /_mm$/,
      'ms²': /_ms2$/,
      'ms/s': /_ms_per_s$/,
      'ms/tap': /_ms_per_tap$/,
      count: /_count$/,
      '1': /_ratio$/,
    };
    for (const m of TAPPING_METRICS) {
      expect(m.id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(m.id).toMatch(suffix[m.unit]!);
      expect(m.task).toBe('tapping');
      expect(m.citation).toMatch(/measures\.md §/);
    }
  });

  it('covers every catalogue ID with a row, and names only catalogue IDs', () => {
    const covered = new Set(tappingCoverage.flatMap((row) => row.ids));
    for (const id of covered) expect(ids).toContain(id);
    for (const id of ids) expect(covered.has(id), id).toBe(true);
    for (const row of tappingCoverage) if (row.ids.length === 0) expect(row.note).toBeTruthy();
  });
});
