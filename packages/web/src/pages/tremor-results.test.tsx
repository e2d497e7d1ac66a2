import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeRecording, metricCatalogue, recordingSetupKey, type Recording } from '@dystrack/core';
import { simulateRecording, tremor, TREMOR_TEXT, type TrialRecord } from '@dystrack/tasks';
import type { MetricSeries, SeriesPoint } from '../api/types.js';
import { formatMetricValue, SessionResults } from './session-results.js';
import { MORE_TREMOR_MEASURES, TremorResults, tremorTrialNotes } from './tremor-results.js';

afterEach(cleanup);

const trialsOf = (recording: Recording) => recording.params['trials'] as unknown as TrialRecord[];

/** A simulated recording of a position whose first try was discarded (the simulator does that for some seeds). */
function withDiscardedTry(position: string): Recording {
  for (let seed = 1; seed < 50; seed++) {
    const recording = simulateRecording(tremor, { hand: 'right', seed, params: { position } });
    if (trialsOf(recording)[0]!.outcome === 'discarded') return recording;
  }
  throw new Error('no seed with a discarded try');
}

/** A series of stored sessions as the API gives it. */
const series = (points: Partial<SeriesPoint>[]): MetricSeries => ({
  hand: 'right',
  analysisVersion: '1.4.0',
  points: points.map((p, i) => ({
    recordingId: `r${i}`,
    startedAt: '2020-01-01T08:00:00.000Z',
    value: null,
    flags: [],
    excluded: false,
    segment: 0,
    setupKey: '',
    ...p,
  })),
});

describe('TremorResults', () => {
  it('says what was measured, which try, and shows the further measures with what they mean', () => {
    const recording = withDiscardedTry('rest');
    const output = analyzeRecording(recording);
    const { container } = render(<TremorResults recording={recording} output={output} />);
    const notes = tremorTrialNotes(recording, output);
    expect(notes.slice(0, 4)).toEqual([
      'Position: Rest (position 1 of 5), with the phone held in the hand.',
      'The middle 6 seconds of your 10-second hold were measured: the first and last 2 seconds are left out, while you settle into the position and when you hear the end beeps.',
      `The phone sent ${Math.round(output.metrics['sampling_rate_hz']!)} motion readings a second.`,
      'One earlier try was discarded: it stays in the recording but is not measured.',
    ]);
    for (const note of notes) expect(screen.getByText(note)).toBeTruthy();

    const units = new Map(metricCatalogue('tremor').map((d) => [d.id, d.unit]));
    const shown = MORE_TREMOR_MEASURES.filter((m) => output.metrics[m.id] != null);
    expect(shown.map((m) => m.id)).toEqual(
      expect.arrayContaining(['tremor_occurrence_pct', 'sampling_rate_hz']),
    );
    for (const m of shown) {
      const item = container.querySelector(`[data-metric="${m.id}"]`) as HTMLElement;
      expect(within(item).getByText(formatMetricValue(output.metrics[m.id]!, units.get(m.id)!))).toBeTruthy();
      expect(within(item).getByText(m.meaning)).toBeTruthy();
    }
    // no weight-load shift for a position without the weight
    expect(container.querySelector('[data-metric="weight_load_shift_hz"]')).toBeNull();
  });

  it('says why a position kept despite a problem is unreliable', () => {
    const recording = simulateRecording(tremor, { hand: 'right', seed: 2, params: { positions: 'wing' } });
    const trials = trialsOf(recording).map((t) =>
      t.outcome === 'kept' ? { ...t, outcome: 'flagged' as const, problems: ['low-rate' as const] } : t,
    );
    const flagged = { ...recording, params: { ...recording.params, trials: trials as never } };
    const notes = tremorTrialNotes(flagged, analyzeRecording(flagged));
    expect(notes).toContain(
      `You kept this position although the phone could not measure it well. ${TREMOR_TEXT.problems['low-rate']} It is marked as unreliable and left out of your trends.`,
    );
  });

  it('shows the change of rhythm with the weight against the latest posture of the same setup', async () => {
    const recording = simulateRecording(tremor, {
      hand: 'right',
      seed: 4,
      params: { position: 'posture-weighted', weightTest: true },
    });
    const output = analyzeRecording(recording);
    const withHz = output.metrics['tremor_peak_frequency_hz']!;
    const postureKey = recordingSetupKey({
      ...recording,
      params: { ...recording.params, position: 'posture' },
    });
    const restKey = recordingSetupKey({ ...recording, params: { ...recording.params, position: 'rest' } });
    const before = new Date(Date.parse(recording.startedAt) - 60_000).toISOString();
    const fetchSeries = vi.fn(async () =>
      series([
        { setupKey: postureKey, value: 7.5, startedAt: '2020-01-01T08:00:00.000Z' },
        { setupKey: postureKey, value: 6.9, startedAt: before },
        { setupKey: postureKey, value: 9, startedAt: before, excluded: true },
        { setupKey: restKey, value: 4, startedAt: before },
      ]),
    );
    const { container } = render(
      <TremorResults recording={recording} output={output} fetchSeries={fetchSeries} />,
    );
    const item = container.querySelector('[data-metric="weight_load_shift_hz"]') as HTMLElement;
    await waitFor(() => expect(within(item).getByText(formatMetricValue(6.9 - withHz, 'Hz'))).toBeTruthy());
    expect(within(item).getByText(/Without the weight \(.*\): 6\.9 Hz\./)).toBeTruthy();
    expect(fetchSeries).toHaveBeenCalledWith(
      'tremor_peak_frequency_hz',
      { task: 'tremor', hand: 'right' },
      expect.any(AbortSignal),
    );
  });

  it('says so when there is no posture without the weight to compare with', async () => {
    const recording = simulateRecording(tremor, {
      hand: 'left',
      seed: 4,
      params: { position: 'posture-weighted', weightTest: true },
    });
    const output = analyzeRecording(recording);
    render(<TremorResults recording={recording} output={output} fetchSeries={async () => series([])} />);
    expect(
      await screen.findByText(/Not available: there is no reliable recording of the arm stretched out/),
    ).toBeTruthy();
  });
});

describe('SessionResults of a tremor recording', () => {
  it('shows the headline numbers with their meaning, then what was measured', async () => {
    const recording = simulateRecording(tremor, { hand: 'right', seed: 3, params: { positions: 'kinetic' } });
    const { container } = render(
      <SessionResults recording={recording} fetchSeries={async () => series([])} />,
    );
    const output = analyzeRecording(recording);
    for (const id of ['tremor_rms_m_per_s2', 'tremor_peak_frequency_hz', 'tremor_displacement_rms_cm']) {
      const item = container.querySelector(`[data-metric="${id}"]`) as HTMLElement;
      const unit = metricCatalogue('tremor').find((d) => d.id === id)!.unit;
      expect(within(item).getByText(formatMetricValue(output.metrics[id]!, unit))).toBeTruthy();
      expect(item.querySelector('.results__meaning')!.textContent).not.toBe('');
    }
    expect(await screen.findByRole('heading', { name: 'What was measured' })).toBeTruthy();
    expect(screen.getByText(/^Position: Finger to nose, with the phone held in the hand\.$/)).toBeTruthy();
  });
});

describe('SessionResults of a tremor recording without sensor readings', () => {
  it('gives no number, only the reason in a sentence', () => {
    const recording = simulateRecording(tremor, { hand: 'right', seed: 3, params: { positions: 'rest' } });
    const { accelerometer: _a, gyroscope: _g, motion, ...streams } = recording.streams;
    const empty = Object.fromEntries(
      Object.entries(motion!.columns).map(([name, column]) => [name, { ...column, values: [] }]),
    );
    const silent = { ...recording, streams: { ...streams, motion: { columns: empty } } } as Recording;
    const { container } = render(<SessionResults recording={silent} fetchSeries={async () => series([])} />);
    expect(screen.getByRole('status').textContent).toBe(
      'No numbers could be computed from this recording: the kept trial has fewer than two accelerometer samples: the motion sensor sent no readings. The recording itself is kept.',
    );
    expect(container.querySelector('[data-metric]')).toBeNull();
  });
});
