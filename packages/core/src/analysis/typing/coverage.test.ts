import { describe, expect, it } from 'vitest';
import { typingCoverage } from './coverage.js';
import { TYPING_METRICS } from './definitions.js';

const CONTRACT = [
  'keystroke_count',
  'hold_time_median_ms',
  'hold_time_iqr_ms',
  'iki_median_ms',
  'flight_time_median_ms',
];

describe('typing metric catalogue and coverage', () => {
  const ids = TYPING_METRICS.map((m) => m.id);

  it('has every contract ID, marked as such, and unique snake_case IDs', () => {
    for (const id of CONTRACT) {
      expect(TYPING_METRICS.find((m) => m.id === id)?.origin).toBe('contract');
    }
    expect(TYPING_METRICS.filter((m) => m.origin === 'contract').length).toBe(CONTRACT.length);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of TYPING_METRICS) {
      expect(m.id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(m.task).toBe('typing');
      expect(m.version).toBe('1.0.0');
      expect(m.citation).toMatch(/measures\.md §/);
      if (m.unit === 'ms') expect(m.id).toMatch(/_ms$/);
      if (m.unit === '%') expect(m.id).toMatch(/_pct$/);
    }
  });

  it('covers every catalogue ID with a row, and names only catalogue IDs', () => {
    const covered = new Set(typingCoverage.flatMap((row) => row.ids));
    for (const id of covered) expect(ids).toContain(id);
    for (const id of ids) expect(covered.has(id), id).toBe(true);
    for (const row of typingCoverage) {
      if (row.ids.length === 0) expect(row.note).toBeTruthy();
    }
  });
});
