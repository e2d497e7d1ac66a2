import { describe, expect, it } from 'vitest';
import { coreAnalyzer } from '../metrics/analyzer.js';
import { changesSince, type ChangeValueRow } from './changes.js';

const day = (n: number) => new Date(Date.UTC(2026, 2, n, 9));

/** A typing series of one metric: one row a day from day 1. */
function series(
  values: (number | null)[],
  options: { metricId?: string; hand?: string; flags?: (i: number) => string[]; setupKey?: string } = {},
): ChangeValueRow[] {
  return values.map((value, i) => ({
    patientId: 'p',
    recordingId: `${options.metricId ?? 'hold'}-${options.hand ?? 'right'}-${i}`,
    taskId: 'typing',
    hand: options.hand ?? 'right',
    metricId: options.metricId ?? 'hold_time_median_ms',
    startedAt: day(i + 1),
    value,
    flags: options.flags?.(i) ?? [],
    setupKey: options.setupKey ?? 'desk',
  }));
}

const definitions = coreAnalyzer.definitions;

describe('changesSince', () => {
  it('flags a reliable worsening in a session since the date, with the baseline and the latest value', () => {
    // baseline 88, 90, 92, 90, 90 ms (mean 90), then 120 ms: far beyond the SDC95
    const rows = series([88, 90, 92, 90, 90, 120]);
    const changes = changesSince(rows, day(6), definitions);
    expect(changes).toEqual({
      since: day(6).toISOString(),
      worse: 1,
      better: 0,
      items: [
        {
          task: 'typing',
          hand: 'right',
          metricId: 'hold_time_median_ms',
          label: 'Key hold time',
          unit: 'ms',
          direction: 'worse',
          before: 90,
          latest: 120,
          latestAt: day(6).toISOString(),
        },
      ],
    });
  });

  it('flags a reliable improvement as better', () => {
    const changes = changesSince(series([88, 90, 92, 90, 90, 60]), day(1), definitions);
    expect(changes.better).toBe(1);
    expect(changes.worse).toBe(0);
    expect(changes.items[0]).toMatchObject({ direction: 'better', before: 90, latest: 60 });
  });

  it('lists nothing when no session was made since the date', () => {
    const changes = changesSince(series([88, 90, 92, 90, 90, 120]), day(7), definitions);
    expect(changes).toMatchObject({ worse: 0, better: 0, items: [] });
  });

  it('lists nothing for a change within the measurement error', () => {
    const changes = changesSince(series([88, 90, 92, 90, 90, 91]), day(1), definitions);
    expect(changes.items).toEqual([]);
  });

  it('judges the latest session without an excluding flag, as the trends do', () => {
    // the aborted last session (120) is left out; the one before it (90) shows no change
    const flagged = series([88, 90, 92, 90, 90, 90, 120], { flags: (i) => (i === 6 ? ['ABORTED'] : []) });
    expect(changesSince(flagged, day(1), definitions).items).toEqual([]);
    // and a worse unflagged session before an aborted one is still flagged
    const earlier = series([88, 90, 92, 90, 90, 120, 90], { flags: (i) => (i === 6 ? ['ABORTED'] : []) });
    expect(changesSince(earlier, day(6), definitions).items).toMatchObject([
      { direction: 'worse', latest: 120 },
    ]);
  });

  it('needs a baseline: too few sessions flag nothing', () => {
    expect(changesSince(series([90, 150]), day(1), definitions).items).toEqual([]);
  });

  it('keeps hands and metrics apart and lists worse before better; ignores metrics that are not headlines', () => {
    const rows = [
      ...series([88, 90, 92, 90, 90, 60], { hand: 'left' }),
      ...series([88, 90, 92, 90, 90, 120], { hand: 'right' }),
      ...series([1, 1, 1, 1, 1, 50], { metricId: 'not_a_headline_ms' }),
    ];
    const changes = changesSince(rows, day(1), definitions);
    expect(changes.items.map((i) => [i.hand, i.direction])).toEqual([
      ['right', 'worse'],
      ['left', 'better'],
    ]);
    expect(changes.worse).toBe(1);
    expect(changes.better).toBe(1);
  });
});
