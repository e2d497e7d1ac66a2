import { describe, expect, it } from 'vitest';
import type { Recording } from '../../recording/versions.js';
import { analyze } from '../analyze.js';
import type { Note } from '../inputs.js';
import { testRecording } from '../test-utils/recording.js';
import { scaleFromRecording } from './from-recording.js';
import { scaleAnalyzer, sustainWhilePlaying } from './index.js';
import { SCALE_METRICS } from './metrics.js';
import { passageTimingSdMs, segmentPassage } from './passage.js';

const hex = (...bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** A scale recording of these notes (note-on, note-off 100 ms later) and pedal changes, with markers. */
function midiRecording(
  notes: { pitch: number; onMs: number; velocity?: number }[],
  options: { pedal?: [number, number][]; markers?: [number, string][]; params?: Recording['params'] } = {},
): Recording {
  const rows: [number, string][] = [];
  for (const n of notes) {
    rows.push([n.onMs, hex(0x90, n.pitch, n.velocity ?? 64)], [n.onMs + 100, hex(0x80, n.pitch, 0)]);
  }
  for (const [ms, value] of options.pedal ?? []) rows.push([ms, hex(0xb0, 64, value)]);
  rows.sort((a, b) => a[0] - b[0]);
  const streams: Recording['streams'] = {
    midi: {
      columns: {
        timeStampMs: { type: 'f64', values: rows.map((r) => r[0]) },
        bytesHex: { type: 'str', values: rows.map((r) => r[1]) },
      },
    },
  };
  if (options.markers) {
    streams['markers'] = {
      columns: {
        timeStampMs: { type: 'f64', values: options.markers.map((m) => m[0]) },
        label: { type: 'str', values: options.markers.map((m) => m[1]) },
      },
    };
  }
  return testRecording('scale', streams, { params: options.params ?? {} });
}

const PHRASE = [67, 69, 71, 72, 74, 72];
/** Nominal tempo-normalised positions of the phrase's onsets. */
const U = [0, 0.2, 0.4, 0.6, 0.8, 1];
/** Deviations from U of the four correct repetitions (normalised time), per position. */
const E = [
  [0, 0.01, 0.02, 0, 0.01, 0],
  [0, -0.01, -0.02, 0, -0.01, 0],
  [0, 0.01, 0.02, 0, 0.01, 0],
  [0, -0.01, -0.02, 0, -0.01, 0],
];
/** Durations (first to last onset) of the four correct repetitions: different tempi. */
const D = [1000, 1100, 900, 1000];
const VELOCITIES = [60, 62, 64, 66, 68, 70];

/**
 * Five repetitions 4 s apart (the third with a wrong note, 70 for 71), a stray note between the
 * fourth and the fifth, and a note before the trial started.
 */
function passageNotes(): { pitch: number; onMs: number; velocity: number }[] {
  const notes: { pitch: number; onMs: number; velocity: number }[] = [{ pitch: 60, onMs: 500, velocity: 50 }];
  let correct = 0;
  for (let r = 0; r < 5; r++) {
    const start = 2000 + 4000 * r;
    if (r === 2) {
      const wrong = PHRASE.map((p) => (p === 71 ? 70 : p));
      wrong.forEach((pitch, k) => notes.push({ pitch, onMs: start + 200 * k, velocity: 64 }));
      continue;
    }
    const e = E[correct]!;
    const d = D[correct]!;
    PHRASE.forEach((pitch, k) =>
      notes.push({ pitch, onMs: start + d * (U[k]! + e[k]!), velocity: VELOCITIES[k]! }),
    );
    correct++;
  }
  notes.push({ pitch: 50, onMs: 16_500, velocity: 64 }); // stray, 1.5 s after repetition 4 (14 000–15 000) and before 5 (18 000)
  return notes.sort((a, b) => a.onMs - b.onMs);
}

const MARKERS: [number, string][] = [
  [1500, 'trial-start'],
  [19_000, 'run-end'],
  [25_000, 'trial-end'],
];

describe('block D passage', () => {
  it('reads a d-passage recording as a passage with its pause and play window', () => {
    const input = scaleFromRecording(
      midiRecording(passageNotes(), {
        markers: MARKERS,
        params: { block: 'd-passage', passagePauseMs: 1200 },
      }),
    );
    expect(input.passagePauseMs).toBe(1200);
    expect(input.playWindowMs).toEqual({ startMs: 1500, endMs: 25_000 });
    const noPause = scaleFromRecording(midiRecording(passageNotes(), { params: { block: 'd-passage' } }));
    expect(noPause.passagePauseMs).toBe(1500);
    expect(noPause.playWindowMs).toBeNull();
    expect(
      scaleFromRecording(midiRecording(passageNotes(), { params: { block: 'a-120' } })).passagePauseMs,
    ).toBe(undefined);
  });

  it('finds the template, counts the wrong repetition and computes the tempo-normalised timing', () => {
    const recording = midiRecording(passageNotes(), {
      markers: MARKERS,
      params: { block: 'd-passage', passagePauseMs: 1500 },
    });
    const out = analyze(scaleFromRecording(recording));
    const m = out.metrics;
    expect(m['note_count']).toBe(32); // 5 × 6 + the stray note + the note before the trial
    expect(m['correct_run_count']).toBe(4);
    expect(m['incorrect_run_count']).toBe(1);
    expect(m['run_error_rate_pct']).toBe(20);
    expect(m['unmatched_note_count']).toBe(7); // the wrong repetition and the stray note
    // σ[k] of the normalised onsets: 0.01·√(4/3), 0.02·√(4/3), 0, 0.01·√(4/3) at the mean duration 1000 ms
    expect(m['passage_timing_sd_ms']).toBeCloseTo(20 / Math.sqrt(3), 9);
    // durations 1000, 1100, 900, 1000: SD √(20000/3), mean 1000
    expect(m['passage_duration_cv_pct']).toBeCloseTo(Math.sqrt(20_000 / 3) / 10, 9);
    expect(m['velocity_sd']).toBeCloseTo(Math.sqrt(14), 12);
    for (const id of [
      'ioi_mean_ms',
      'ioi_sd_ms',
      'line_fit_residual_rms_ms',
      'trial_to_trial_sd_ms',
      'tempo_error_ms',
    ])
      expect(m[id], id).toBeNull();
    expect(out.quality_flags).toEqual(['WRONG_NOTES']);
  });

  it('does not change scale recordings: the passage metrics are null', () => {
    const scale = analyze(scaleFromRecording(midiRecording(passageNotes())));
    expect(scale.metrics['passage_timing_sd_ms']).toBeNull();
    expect(scale.metrics['passage_duration_cv_pct']).toBeNull();
    expect(scale.metrics['correct_run_count']).toBe(0);
    expect(scale.quality_flags).toContain('NO_CORRECT_RUN');
  });

  it('takes the first of equally frequent pitch sequences as the template; stray notes are no run', () => {
    const at = (pitches: number[], t0: number): Note[] =>
      pitches.map((pitch, k) => ({ pitch, onMs: t0 + 100 * k, offMs: null, velocity: 64, channel: 0 }));
    const a = [60, 62, 64];
    const b = [60, 62, 65];
    const notes = [...at(b, 0), ...at(a, 2000), ...at([40, 41], 4000), ...at(a, 6000), ...at(b, 8000)];
    const seg = segmentPassage(notes, 1500);
    expect(seg.runs).toHaveLength(4);
    expect(seg.template).toEqual(b);
    expect(seg.correct.map((run) => run[0]!.onMs)).toEqual([0, 8000]);
    expect(seg.incorrectCount).toBe(2);
    expect(seg.unmatchedNoteCount).toBe(8);
    // a gap just below the pause does not cut; one of exactly the pause does
    expect(segmentPassage(at(a, 0).concat(at(a, 1699)), 1500).runs).toHaveLength(1);
    expect(segmentPassage(at(a, 0).concat(at(a, 1700)), 1500).runs).toHaveLength(2);
    // the play window leaves out notes outside it
    expect(segmentPassage(notes, 1500, { startMs: 1000, endMs: 7000 }).runs).toHaveLength(2);
  });

  it('needs two correct runs of at least 3 notes and a positive duration for the timing', () => {
    const run = (onsets: number[]): Note[] =>
      onsets.map((onMs) => ({ pitch: 60, onMs, offMs: null, velocity: 64, channel: 0 }));
    expect(passageTimingSdMs([run([0, 100, 200])])).toBeNaN();
    expect(passageTimingSdMs([run([0, 100]), run([0, 100])])).toBeNaN();
    expect(passageTimingSdMs([run([0, 0, 0]), run([0, 50, 100])])).toBeNaN();
    // (0.5, 0.25) at the mean duration 150 ms: SD 0.25/√2 → 26.5165 ms
    expect(passageTimingSdMs([run([0, 50, 100]), run([0, 50, 200])])).toBeCloseTo(
      (0.25 / Math.SQRT2) * 150,
      9,
    );
    const { flags, metrics } = scaleAnalyzer.analyze(
      {
        task: 'scale',
        notes: run([0, 100, 200]),
        sustain: [],
        tempoBpm: null,
        passagePauseMs: 1500,
        flags: [],
      },
      { hand: null },
    );
    expect(flags).toEqual(['TOO_FEW_EVENTS']);
    expect(metrics['correct_run_count']).toBe(1);
    expect(metrics['passage_timing_sd_ms']).toBeNaN();
  });

  it('defines the passage metrics at version 1.0.0 and bumps the scale metrics that changed', () => {
    const byId = new Map(SCALE_METRICS.map((d) => [d.id, d]));
    expect(byId.get('passage_timing_sd_ms')!.version).toBe('1.0.0');
    expect(byId.get('passage_duration_cv_pct')!.version).toBe('1.0.0');
    expect(byId.get('note_count')!.version).toBe('1.0.0');
    for (const d of SCALE_METRICS) {
      if (d.id === 'note_count' || d.id.startsWith('passage_')) continue;
      expect(d.version, d.id).toBe('1.1.0');
      expect(d.definition, d.id).toMatch(/passage/);
    }
    expect(byId.get('passage_timing_sd_ms')!.citation).toMatch(/van Vugt.*2012.*measures\.md §2\.2/);
  });
});

describe('sustain pedal only while playing', () => {
  const notes = [60, 62, 64].map((pitch, k) => ({ pitch, onMs: 2000 + 125 * k }));
  const markers: [number, string][] = [
    [1500, 'trial-start'],
    [5000, 'trial-end'],
  ];
  const flags = (pedal: [number, number][], withMarkers: boolean) =>
    analyze(scaleFromRecording(midiRecording(notes, { pedal, ...(withMarkers ? { markers } : {}) })))
      .quality_flags;

  it('with trial markers: a press and release before the trial (the pedal check) is not flagged', () => {
    expect(
      flags(
        [
          [1000, 127],
          [1200, 0],
        ],
        true,
      ),
    ).not.toContain('SUSTAIN_PEDAL');
    expect(flags([[6000, 127]], true)).not.toContain('SUSTAIN_PEDAL'); // after the trial
    expect(
      flags(
        [
          [1000, 127],
          [1200, 0],
          [2100, 100],
          [2300, 0],
        ],
        true,
      ),
    ).toContain('SUSTAIN_PEDAL');
    expect(
      flags(
        [
          [1000, 127],
          [2300, 0],
        ],
        true,
      ),
    ).toContain('SUSTAIN_PEDAL'); // still down at the start
    expect(flags([[5000, 64]], true)).toContain('SUSTAIN_PEDAL'); // at the trial-end (inclusive)
  });

  it('without markers: a press anywhere is flagged, as before', () => {
    expect(
      flags(
        [
          [1000, 127],
          [1200, 0],
        ],
        false,
      ),
    ).toContain('SUSTAIN_PEDAL');
    expect(flags([[1000, 63]], false)).not.toContain('SUSTAIN_PEDAL');
    expect(sustainWhilePlaying({ sustain: [{ ms: 9000, value: 127 }] })).toBe(true);
    expect(
      sustainWhilePlaying({ sustain: [{ ms: 9000, value: 127 }], playWindowMs: { startMs: 0, endMs: 8000 } }),
    ).toBe(false);
  });
});
