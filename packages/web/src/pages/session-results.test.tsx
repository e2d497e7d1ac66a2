import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  analyzeRecording,
  computeChange,
  HEADLINE_METRICS,
  metricCatalogue,
  recordingSetupKey,
  type Recording,
} from '@dystrack/core';
import { simulateRecording, tapping, typing } from '@dystrack/tasks';
import { seriesBefore } from '../test/fixtures.js';
import { formatMetricValue, SessionResults, setupNotes } from './session-results.js';

afterEach(cleanup);

describe('SessionResults', () => {
  it.each([
    ['typing', typing],
    ['tapping', tapping],
  ] as const)('%s: shows the headline metrics with the values of the analysis core', async (task, plugin) => {
    const recording = simulateRecording(plugin, { hand: 'right', seed: 4 });
    const expected = analyzeRecording(recording);
    const units = new Map(metricCatalogue(task).map((d) => [d.id, d.unit]));
    const fetchSeries = vi.fn(() => Promise.reject(new Error('offline')));
    const { container } = render(<SessionResults recording={recording} fetchSeries={fetchSeries} />);
    const shown = HEADLINE_METRICS[task].filter((h) => expected.metrics[h.id] !== null && !h.bothHandsOnly);
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const headline of shown) {
      const item = container.querySelector(`[data-metric="${headline.id}"]`) as HTMLElement;
      expect(within(item).getByText(headline.label)).toBeTruthy();
      expect(
        within(item).getByText(formatMetricValue(expected.metrics[headline.id]!, units.get(headline.id)!)),
      ).toBeTruthy();
      expect(within(item).getByText(headline.meaning)).toBeTruthy();
    }
    // headline metrics without a value for this recording, or comparing the hands in a one-hand run, are left out
    for (const headline of HEADLINE_METRICS[task].filter((h) => !shown.includes(h))) {
      expect(container.querySelector(`[data-metric="${headline.id}"]`)).toBeNull();
    }
    await waitFor(() =>
      expect(screen.getAllByText(/No comparison with your earlier sessions now \(offline\)/)).toHaveLength(
        shown.length,
      ),
    );
    expect(fetchSeries).toHaveBeenCalledWith(
      'iti_mean_ms' in expected.metrics ? 'iti_mean_ms' : 'hold_time_median_ms',
      { task, hand: 'right' },
      expect.anything(),
    );
  });

  it('shows how far ahead of the beat only with a sound timing check, and otherwise links to it', () => {
    const params = { protocol: 'sync-continuation', input: 'keys' };
    const calibrated = simulateRecording(tapping, { hand: 'right', seed: 6, params });
    const fetchSeries = vi.fn(() => Promise.reject(new Error('offline')));
    const first = render(<SessionResults recording={calibrated} fetchSeries={fetchSeries} />);
    const mean = analyzeRecording(calibrated).metrics.asynchrony_mean_ms!;
    const item = first.container.querySelector('[data-metric="asynchrony_mean_ms"]') as HTMLElement;
    expect(within(item).getByText('Ahead of or behind the beat')).toBeTruthy();
    expect(within(item).getByText(formatMetricValue(mean, 'ms'))).toBeTruthy();
    expect(first.container.querySelector('a[href="/sound-check"]')).toBeNull();
    cleanup();

    const { latencyCalibration: _removed, ...rest } = calibrated.params;
    const uncalibrated = { ...calibrated, params: rest };
    const second = render(<SessionResults recording={uncalibrated} fetchSeries={fetchSeries} />);
    expect(second.container.querySelector('[data-metric="asynchrony_mean_ms"]')).toBeNull();
    // the steadiness with the beat is shown all the same
    expect(second.container.querySelector('[data-metric="asynchrony_sd_ms"]')).not.toBeNull();
    const link = second.container.querySelector('a[href="/sound-check"]')!;
    expect(link.textContent).toBe('sound timing check');
  });

  it('compares each value with the earlier sessions through the core change module', async () => {
    const recording = simulateRecording(typing, { hand: 'right', seed: 5 });
    const value = analyzeRecording(recording).metrics.hold_time_median_ms!;
    // three baseline sessions well below today's value: a reliable change
    const earlier = [0.6, 0.62, 0.61].map((f) => f * value);
    const fetchSeries = vi.fn((metricId: string) =>
      Promise.resolve(seriesBefore(recording, metricId === 'hold_time_median_ms' ? earlier : [])),
    );
    const { container } = render(<SessionResults recording={recording} fetchSeries={fetchSeries} />);
    const definition = metricCatalogue('typing').find((d) => d.id === 'hold_time_median_ms')!;
    const expected = computeChange(
      definition,
      seriesBefore(recording, earlier).points.map((p) => ({
        time: Date.parse(p.startedAt),
        value: p.value,
        flags: p.flags,
        setupKey: p.setupKey,
      })),
      {
        current: {
          value,
          time: Date.parse(recording.startedAt),
          setupKey: recordingSetupKey(recording),
          flags: [...new Set([...analyzeRecording(recording).quality_flags, ...recording.flags])],
        },
      },
    );
    expect(expected.changeIsReliable).toBe(true);
    const item = container.querySelector('[data-metric="hold_time_median_ms"]') as HTMLElement;
    await waitFor(() =>
      expect(
        within(item).getByText(
          new RegExp(expected.wording.summary.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
        ),
      ).toBeTruthy(),
    );
    expect(item.textContent).toContain('a reliable change');
    expect(screen.getByText(/it is not a diagnosis/)).toBeTruthy();
  });

  it('compares the hands only for a run with both hands', () => {
    const fetchSeries = vi.fn(() => Promise.reject(new Error('offline')));
    const both = render(
      <SessionResults
        recording={simulateRecording(typing, { hand: 'both', seed: 7 })}
        fetchSeries={fetchSeries}
      />,
    );
    expect(both.container.querySelector('[data-metric="hold_time_left_right_ratio"]')).not.toBeNull();
    both.unmount();
    const right = render(
      <SessionResults
        recording={simulateRecording(typing, { hand: 'right', seed: 7 })}
        fetchSeries={fetchSeries}
      />,
    );
    expect(right.container.querySelector('[data-metric="hold_time_left_right_ratio"]')).toBeNull();
  });

  it('says so when nothing can be computed, and keeps the recording', () => {
    const recording = simulateRecording(typing, { hand: 'right', seed: 6 });
    const empty: Recording = {
      ...recording,
      streams: {
        ...recording.streams,
        keyboard: {
          ...recording.streams.keyboard!,
          columns: Object.fromEntries(
            Object.entries(recording.streams.keyboard!.columns).map(([name, column]) => [
              name,
              { ...column, values: [] },
            ]),
          ) as typeof recording.streams.keyboard.columns,
        },
      },
    };
    render(<SessionResults recording={empty} fetchSeries={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toMatch(
      /No numbers could be computed.*The recording itself is kept/,
    );
  });
});

describe('setupNotes', () => {
  const timing = {
    crossOriginIsolated: true,
    resolutionMs: 0.005,
    pollingEstimateHz: null,
    hiddenCount: 0,
    hiddenMs: 0,
    timeOriginMs: 1.7e12,
  };
  it('says nothing when the setup did not limit the precision', () => {
    expect(setupNotes({ timing })).toEqual([]);
    expect(setupNotes({ timing: { ...timing, pollingEstimateHz: 1000 } })).toEqual([]);
  });
  it('names each limit in plain words', () => {
    expect(setupNotes({ timing: { ...timing, resolutionMs: 1 } })).toEqual([
      expect.stringMatching(/only to the nearest 1 ms .* less precise than usual/),
    ]);
    expect(setupNotes({ timing: { ...timing, resolutionMs: null } })[0]).toMatch(/could not be checked/);
    expect(setupNotes({ timing: { ...timing, crossOriginIsolated: false, resolutionMs: 0.1 } })[0]).toMatch(
      /without its usual isolation.*0\.1 ms/,
    );
    expect(setupNotes({ timing: { ...timing, hiddenCount: 2, hiddenMs: 3456 } })[0]).toMatch(
      /background 2 times \(3\.5 s in all\)/,
    );
    expect(setupNotes({ timing: { ...timing, pollingEstimateHz: 125 } })[0]).toMatch(
      /about every 8 ms \(125 times a second\).*up to 8 ms late/,
    );
  });
});
