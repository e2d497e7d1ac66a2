/**
 * The per-recording rule of the pen tasks that record several trials (trials.ts): each kept trial is
 * analysed on its own and each metric's value is the median over the trials where it was computed.
 */
import { median } from '../dsp/stats.js';
import type { MetricDefinition } from '../metric.js';

/** `x.y.z` → `x.(y+1).0`. */
export function bumpMinor(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${(minor ?? 0) + 1}.0`;
}

/**
 * What the definition of each per-trial metric of the handwriting and precision tasks adds.
 * @param trials - what a trial is, plural (`handwriting trials`)
 * @param countId - the ID of the task's trial-count metric
 * @param timed - the task's timed parts (`loops and copy`)
 * @param untimed - its untimed parts (`sentence and fast sentence`)
 */
export function trialsNote(trials: string, countId: string, timed: string, untimed: string): string {
  return (
    ` A recording of several ${trials} (trial markers and params.attempts) is analysed per kept trial, on the ` +
    'samples inside its window only (rests, countdowns and redone or empty attempts left out; an attempt ended ' +
    `by Finish or the time limit kept when it lasted at least half its planned time (${timed}) or has ink ` +
    `(${untimed})), and the value is the median over the kept trials where it is computed (${countId}); an ` +
    'input without trial markers (contract CSV, older recordings) is one drawing.'
  );
}

/** Definitions with `note` added to each and their minor version bumped. */
export function withTrialsRule(definitions: readonly MetricDefinition[], note: string): MetricDefinition[] {
  return definitions.map((d) => ({ ...d, definition: d.definition + note, version: bumpMinor(d.version) }));
}

/**
 * Per metric ID, the median of the finite values the trials' results have for it; null when none has
 * one.
 */
export function medianOverTrials(
  results: readonly Readonly<Record<string, number | null | undefined>>[],
  ids: Iterable<string>,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const id of ids) {
    const values = results
      .map((r) => r[id])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    out[id] = values.length > 0 ? median(values) : null;
  }
  return out;
}
