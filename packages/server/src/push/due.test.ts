import { describe, expect, it } from 'vitest';
import type { DueResult, Occurrence } from '@dystrack/core';
import { remindableItems } from './due.js';

function occurrence(overrides: Partial<Occurrence>): Occurrence {
  return {
    itemId: 'weekly',
    itemType: 'recurring',
    activity: 'typing',
    date: '2026-03-10',
    time: '18:00',
    at: '2026-03-10T17:00:00.000Z',
    until: '2026-03-17T00:00:00.000Z',
    doneAt: null,
    baseline: null,
    ...overrides,
  };
}

function due(today: Occurrence[], overdue: Occurrence[] = []): DueResult {
  return { timeZone: 'Europe/Berlin', date: '2026-03-10', now: '', today, overdue, next: [], injections: [] };
}

describe('remindableItems', () => {
  it("reminds today's occurrences whose time has come and that are not done, keyed by item and activity", () => {
    const result = due(
      [
        occurrence({}),
        occurrence({
          itemId: 'baseline',
          itemType: 'baseline',
          activity: 'spiral',
          at: '2026-03-10T08:00:00.000Z',
        }),
        occurrence({
          itemId: 'baseline',
          itemType: 'baseline',
          activity: 'diary',
          at: '2026-03-10T08:00:00.000Z',
        }),
        occurrence({ itemId: 'done', doneAt: '2026-03-10T07:00:00.000Z', at: '2026-03-10T06:00:00.000Z' }),
        occurrence({ itemId: 'later', at: '2026-03-10T20:00:00.000Z' }),
      ],
      [occurrence({ itemId: 'missed', date: '2026-03-09', at: '2026-03-09T17:00:00.000Z' })],
    );
    expect(remindableItems(result, new Date('2026-03-10T17:00:00.000Z'))).toEqual([
      { key: 'weekly:typing', day: '2026-03-10' },
      { key: 'baseline:spiral', day: '2026-03-10' },
      { key: 'baseline:diary', day: '2026-03-10' },
    ]);
    expect(remindableItems(result, new Date('2026-03-10T16:59:59.000Z'))).toEqual([
      { key: 'baseline:spiral', day: '2026-03-10' },
      { key: 'baseline:diary', day: '2026-03-10' },
    ]);
  });

  it('reminds nothing when nothing is due today', () => {
    expect(remindableItems(due([]), new Date('2026-03-10T23:00:00.000Z'))).toEqual([]);
  });
});
