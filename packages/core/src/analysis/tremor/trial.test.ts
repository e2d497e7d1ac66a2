import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import { testRecording } from '../test-utils/recording.js';
import { tremorAnalysedSpan, tremorAttempts, TREMOR_TRIAL_MARKERS } from './trial.js';

/** A markers stream of [time, label] rows. */
function markers(rows: [number, string][]): Stream {
  return {
    columns: {
      timeStampMs: { type: 'f64', values: rows.map(([t]) => t) },
      label: { type: 'str', values: rows.map(([, label]) => label) },
    },
  };
}

const rec = (rows: [number, string][], params: Record<string, string | number> = {}) =>
  testRecording('tremor', { markers: markers(rows) }, { params });

/** One attempt of the tremor task as its run marks it. */
const attempt = (
  position: string,
  start: number,
  end: number | null,
  outcome?: string,
): [number, string][] => [
  [start - 8000, `position:${position}`],
  [start - 8000, 'sensor-on'],
  [start - 3000, 'countdown-3'],
  [start, 'trial-start'],
  [start, 'cue-start'],
  ...(end === null
    ? []
    : ([
        [end, 'trial-end'],
        [end, 'cue-end'],
        [end + 300, 'sensor-off'],
      ] as [number, string][])),
  ...(outcome ? ([[end! + 301, outcome]] as [number, string][]) : []),
];

describe('tremorAttempts', () => {
  it('reads each attempt’s position, start, end and outcome from the markers', () => {
    const r = rec([
      ...attempt('rest', 10_000, 14_000, TREMOR_TRIAL_MARKERS.discarded),
      ...attempt('rest', 30_000, 40_000, TREMOR_TRIAL_MARKERS.kept),
      ...attempt('posture', 60_000, null),
    ]);
    expect(tremorAttempts(r)).toEqual([
      { position: 'rest', startMs: 10_000, endMs: 14_000, outcome: 'discarded' },
      { position: 'rest', startMs: 30_000, endMs: 40_000, outcome: 'kept' },
      { position: 'posture', startMs: 60_000, endMs: null, outcome: 'open' },
    ]);
    expect(tremorAttempts(testRecording('tremor', {}))).toEqual([]);
  });
});

describe('tremorAnalysedSpan', () => {
  it('takes the last attempt that was not discarded, without 2 s at each end', () => {
    const span = tremorAnalysedSpan(
      rec([
        ...attempt('rest', 10_000, 20_000, TREMOR_TRIAL_MARKERS.flagged),
        ...attempt('rest', 30_000, 40_000, TREMOR_TRIAL_MARKERS.discarded),
      ]),
    )!;
    expect([span.fromMs, span.toMs, span.edgeS, span.short]).toEqual([12_000, 18_000, 2, false]);
    expect(span.attempt).toMatchObject({ startMs: 10_000, outcome: 'flagged' });
  });

  it('uses params.edgeDiscardS, and shortens the edges of a short attempt so that 3 s remain', () => {
    const one = rec(attempt('task', 0, 15_000, TREMOR_TRIAL_MARKERS.kept), { edgeDiscardS: 1 });
    expect(tremorAnalysedSpan(one)).toMatchObject({ fromMs: 1000, toMs: 14_000, edgeS: 1, short: false });
    const short = rec(attempt('rest', 0, 5000, TREMOR_TRIAL_MARKERS.flagged));
    expect(tremorAnalysedSpan(short)).toMatchObject({ fromMs: 1000, toMs: 4000, edgeS: 1, short: true });
    const tiny = rec(attempt('rest', 0, 2000, TREMOR_TRIAL_MARKERS.flagged));
    expect(tremorAnalysedSpan(tiny)).toMatchObject({ fromMs: 0, toMs: 2000, edgeS: 0, short: true });
  });

  it('takes params.position’s attempts in a recording of several positions, else the first position’s', () => {
    const rows = [
      ...attempt('rest', 10_000, 20_000, TREMOR_TRIAL_MARKERS.kept),
      ...attempt('posture', 40_000, 50_000, TREMOR_TRIAL_MARKERS.kept),
    ];
    expect(tremorAnalysedSpan(rec(rows, { position: 'posture' }))!.attempt!.position).toBe('posture');
    expect(tremorAnalysedSpan(rec(rows))!.attempt!.position).toBe('rest');
    expect(tremorAnalysedSpan(rec(rows, { position: 'wing' }))!.attempt!.position).toBe('rest');
  });

  it('runs an attempt cut off by the end of the recording to the end of the data', () => {
    const span = tremorAnalysedSpan(rec(attempt('rest', 10_000, null)))!;
    expect([span.fromMs, span.toMs, span.short]).toEqual([12_000, Number.POSITIVE_INFINITY, false]);
  });

  it('is null when every attempt was discarded, and the whole recording without trial markers', () => {
    expect(
      tremorAnalysedSpan(
        rec([
          ...attempt('rest', 10_000, 20_000, TREMOR_TRIAL_MARKERS.discarded),
          ...attempt('rest', 30_000, 32_000, TREMOR_TRIAL_MARKERS.discarded),
        ]),
      ),
    ).toBeNull();
    expect(tremorAnalysedSpan(testRecording('tremor', {}))).toMatchObject({
      fromMs: Number.NEGATIVE_INFINITY,
      toMs: Number.POSITIVE_INFINITY,
      attempt: null,
      edgeS: 0,
    });
  });
});
