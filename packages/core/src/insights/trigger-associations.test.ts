import { describe, expect, it } from 'vitest';
import { DIARY_CONTEXT_FIELDS, type DiaryContext } from '../entries/diary.js';
import { seededRandom } from '../analysis/random.js';
import { triggerAssociations, type TriggerSession } from './trigger-associations.js';
import type { ContextEntry } from './session-context.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T09:00:00Z');

/**
 * One session a day for `days` days, each with a diary entry an hour before it noting every context
 * field at random. The metric is log-normal around 100 (log10 SD 0.05); on days with stress ≥ 6 it is
 * multiplied by `stressRatio`.
 */
function simulate(seed: number, days: number, stressRatio: number) {
  const rng = seededRandom(seed);
  const sessions: TriggerSession[] = [];
  const entries: ContextEntry[] = [];
  for (let d = 0; d < days; d++) {
    const time = START + d * DAY;
    const context: DiaryContext = {
      stress: rng.int(0, 10),
      fatigue: rng.int(0, 10),
      anxiety: rng.int(0, 10),
      practiceHours: rng.int(0, 4),
      sleepHours: rng.int(4, 9),
      caffeineDrinks: rng.int(0, 5),
      alcoholDrinks: rng.int(0, 1),
      cold: rng.next() < 0.5,
    };
    entries.push({ at: new Date(time - 3_600_000).toISOString(), context });
    const log = 2 + rng.normal(0, 0.05) + (context.stress! >= 6 ? Math.log10(stressRatio) : 0);
    sessions.push({ time, value: 10 ** log });
  }
  return { sessions, entries };
}

const stressOf = (result: ReturnType<typeof triggerAssociations>) =>
  result.triggers.find((t) => t.trigger.field === 'stress')!;

describe('triggerAssociations', () => {
  it('finds a planted 20 % rise with stress: the right sign in every seed, the truth covered in most', () => {
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    let covered = 0;
    for (const seed of seeds) {
      const { sessions, entries } = simulate(seed, 80, 1.2);
      const result = triggerAssociations(sessions, entries, { logScale: true });
      expect(result.compared).toBe(8);
      const { estimate } = stressOf(result);
      const ratio = estimate!.ratio!;
      expect(ratio.estimate).toBeGreaterThan(1);
      expect(estimate!.excludesNoDifference).toBe(true);
      expect(ratio.low).toBeLessThan(ratio.estimate);
      expect(ratio.high).toBeGreaterThan(ratio.estimate);
      if (ratio.low <= 1.2 && ratio.high >= 1.2) covered++;
    }
    // each interval is a 99.4 % interval (8 triggers): about 20 of 20 expected; fixed seeds cannot flake
    expect(covered).toBeGreaterThanOrEqual(18);
  });

  it('keeps every corrected interval around "no difference" in most seeds when nothing is planted', () => {
    const seeds = Array.from({ length: 20 }, (_, i) => 100 + i);
    const clean = seeds.filter((seed) => {
      const { sessions, entries } = simulate(seed, 60, 1);
      const result = triggerAssociations(sessions, entries, { logScale: true });
      return result.triggers.every((t) => t.estimate && !t.estimate.excludesNoDifference);
    });
    // family-wise 95 %: about 19 of 20 seeds expected; the seeds are fixed, so this cannot flake
    expect(clean.length).toBeGreaterThanOrEqual(17);
  });

  it('widens the intervals as more triggers are compared (Bonferroni on the level)', () => {
    const { sessions, entries } = simulate(7, 60, 1.2);
    const widths: number[] = [];
    for (let k = 1; k <= DIARY_CONTEXT_FIELDS.length; k++) {
      // the same stress data, with only the first k fields noted
      const fields = DIARY_CONTEXT_FIELDS.slice(0, k);
      const trimmed = entries.map((e) => ({
        at: e.at,
        context: Object.fromEntries(fields.map((f) => [f, e.context[f]])) as DiaryContext,
      }));
      const result = triggerAssociations(sessions, trimmed, { logScale: true });
      expect(result.compared).toBe(k);
      expect(result.level).toBeCloseTo(1 - 0.05 / k, 12);
      const { estimate } = stressOf(result);
      widths.push(estimate!.high - estimate!.low);
    }
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1]!);
  });

  it('compares a trigger only with at least 5 sessions in each group, and says the counts', () => {
    const sessions: TriggerSession[] = [];
    const entries: ContextEntry[] = [];
    for (let d = 0; d < 24; d++) {
      const time = START + d * DAY;
      sessions.push({ time, value: 50 + (d % 3) });
      // 4 days of cold, 20 without; stress high on 5 days, low on 19
      entries.push({ at: new Date(time).toISOString(), context: { cold: d < 4, stress: d < 5 ? 8 : 2 } });
    }
    const result = triggerAssociations(sessions, entries, { logScale: false });
    const cold = result.triggers.find((t) => t.trigger.field === 'cold')!;
    expect(cold).toMatchObject({ nPresent: 4, nAbsent: 20, estimate: null });
    const stress = stressOf(result);
    expect(stress).toMatchObject({ nPresent: 5, nAbsent: 19 });
    expect(stress.estimate).not.toBeNull();
    // a metric on its own scale: a difference in its unit, no ratio
    expect(stress.estimate!.ratio).toBeNull();
    expect(result.compared).toBe(1);
    expect(result.level).toBeCloseTo(0.95, 12);
    const sleep = result.triggers.find((t) => t.trigger.field === 'sleepHours')!;
    expect(sleep).toMatchObject({ nPresent: 0, nAbsent: 0, estimate: null });
  });

  it('counts sessions without a diary note in their window and leaves them out', () => {
    const sessions = [
      { time: START, value: 10 },
      { time: START + 10 * DAY, value: 12 },
      { time: START + 11 * DAY, value: -1 },
    ];
    const entries = [{ at: new Date(START).toISOString(), context: { stress: 3 } }];
    const result = triggerAssociations(sessions, entries, { logScale: true });
    expect(result).toMatchObject({ pairedSessions: 1, unpairedSessions: 1, compared: 0 });
    expect(stressOf(result)).toMatchObject({ nPresent: 0, nAbsent: 1, estimate: null });
  });
});
