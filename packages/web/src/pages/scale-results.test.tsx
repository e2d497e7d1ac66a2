import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  analyzeRecording,
  computeChange,
  metricCatalogue,
  recordingSetupKey,
  scaleFromRecording,
  scaleProfile,
  type Recording,
} from '@dystrack/core';
import { scale, simulateRecording } from '@dystrack/tasks';
import { seriesBefore } from '../test/fixtures.js';
import { ioiSummary, noteName, profileSummary, ScaleResults, velocitySummary } from './scale-results.js';
import { formatMetricValue } from './session-results.js';

afterEach(cleanup);

const seriesOf = (recording: Recording, values: number[]) => seriesBefore(recording, values, '1.1.0');

const offline = () => Promise.reject(new Error('offline'));

describe('ScaleResults', () => {
  const recording = simulateRecording(scale, { hand: 'right', seed: 3, params: { block: 'a-120', runs: 4 } });
  const metrics = analyzeRecording(recording).metrics;
  const profiles = scaleProfile(scaleFromRecording(recording), 'right');

  it('draws the fingerprint, the intervals and the velocities per direction, each plot with its text summary', () => {
    const { container } = render(<ScaleResults recording={recording} fetchSeries={offline} />);
    expect(screen.getByRole('heading', { name: 'Your timing fingerprint' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Time between notes' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Evenness of loudness' })).toBeTruthy();
    const runs = container.querySelector('[data-metric="correct_run_count"] dd')!.textContent;
    expect(runs).toBe(
      `${metrics.correct_run_count} (${profiles[0]!.runs.length} going up, ${profiles[1]!.runs.length} going down)`,
    );
    expect(container.querySelector('[data-metric="incorrect_run_count"] dd')!.textContent).toBe(
      String(metrics.incorrect_run_count),
    );
    // 3 sections × 2 directions: a figure with an SVG named and described by its caption
    const figures = container.querySelectorAll('figure.scale-plot');
    expect(figures).toHaveLength(6);
    for (const figure of figures) {
      const svg = figure.querySelector('svg')!;
      const caption = figure.querySelector('figcaption')!;
      expect(svg.getAttribute('role')).toBe('img');
      expect(svg.getAttribute('aria-label')).toMatch(/going (up|down)$/);
      expect(svg.getAttribute('aria-describedby')).toBe(caption.id);
      expect(caption.textContent).toMatch(/^Going (up|down), \d+ runs?: /);
    }
    expect(figures[0]!.querySelector('figcaption')!.textContent).toBe(profileSummary(profiles[0]!));
    expect(figures[3]!.querySelector('figcaption')!.textContent).toBe(ioiSummary(profiles[1]!, 125));
    expect(figures[4]!.querySelector('figcaption')!.textContent).toBe(velocitySummary(profiles[0]!));
    // the band of the run-to-run spread and the average line are drawn
    expect(figures[0]!.querySelector('[aria-label="area"] path')).toBeTruthy();
    expect(figures[0]!.querySelector('[aria-label="line"] path')).toBeTruthy();
    expect(figures[2]!.querySelectorAll('[aria-label="line"] path').length).toBeGreaterThan(
      profiles[0]!.runs.length,
    );
  });

  it('summarises the profile in words: the latest and earliest notes and the run-to-run spread', () => {
    const profile = profiles[0]!;
    const text = profileSummary(profile);
    const late = profile.deviation!.mean.indexOf(Math.max(...profile.deviation!.mean));
    expect(text).toContain(`most late at note ${late + 1} (${noteName(profile.pitches![late]!)})`);
    expect(text).toContain('From run to run your timing varied by');
    expect(ioiSummary(profile, 125)).toContain(
      `Unevenness within a run (SD of the intervals): ${formatMetricValue(metrics.ioi_sd_up_ms!, 'ms')}.`,
    );
    expect(ioiSummary(profile, 125)).toContain('(the metronome asked for 125 ms)');
    expect(noteName(60)).toBe('C4');
    expect(noteName(84)).toBe('C6');
    expect(noteName(37)).toBe('C♯2');
  });

  it('compares the profile, interval and velocity metrics with the earlier sessions through the core change module', async () => {
    const earlier: Record<string, number[]> = {
      trial_to_trial_sd_ms: [3, 3.2, 3.1],
      ioi_sd_up_ms: [30, 31, 29],
    };
    const fetchSeries = vi.fn((metricId: string) =>
      Promise.resolve(seriesOf(recording, earlier[metricId] ?? [])),
    );
    const { container } = render(<ScaleResults recording={recording} fetchSeries={fetchSeries} />);
    const asked = fetchSeries.mock.calls.map((c) => c[0]).sort();
    expect(asked).toEqual(
      [
        'ioi_sd_down_ms',
        'ioi_sd_up_ms',
        'systematic_profile_rms_ms',
        'trial_to_trial_sd_ms',
        'velocity_sd',
      ].sort(),
    );
    expect(fetchSeries).toHaveBeenCalledWith(
      'ioi_sd_up_ms',
      { task: 'scale', hand: 'right' },
      expect.anything(),
    );
    for (const id of ['trial_to_trial_sd_ms', 'ioi_sd_up_ms']) {
      const definition = metricCatalogue('scale').find((d) => d.id === id)!;
      const series = seriesOf(recording, earlier[id]!);
      const expected = computeChange(
        definition,
        series.points.map((p) => ({
          id: p.recordingId,
          time: Date.parse(p.startedAt),
          value: p.value,
          flags: p.flags,
          setupKey: p.setupKey,
        })),
        {
          current: {
            id: recording.id,
            time: Date.parse(recording.startedAt),
            value: metrics[id]!,
            setupKey: recordingSetupKey(recording),
            flags: [...new Set([...analyzeRecording(recording).quality_flags, ...recording.flags])],
          },
        },
      );
      const item = container.querySelector(`[data-metric="${id}"]`) as HTMLElement;
      await waitFor(() => expect(item.textContent).toContain(expected.wording.summary));
      expect(within(item).getByText(formatMetricValue(metrics[id]!, 'ms'))).toBeTruthy();
    }
  });

  it('says plainly when no run was played correctly, and shows no plot', () => {
    const warmUp = simulateRecording(scale, {
      hand: 'left',
      seed: 2,
      params: { block: 'warm-up', warmUpS: 10 },
    });
    const { container } = render(<ScaleResults recording={warmUp} fetchSeries={offline} />);
    expect(screen.getByText(/No run was played exactly as written/)).toBeTruthy();
    expect(container.querySelector('figure')).toBeNull();
    expect(container.querySelector('[data-metric="correct_run_count"] dd')!.textContent).toBe(
      '0 (0 going up, 0 going down)',
    );
  });

  it('shows nothing for a block D passage (no scale in it)', () => {
    const passage = simulateRecording(scale, {
      hand: 'left',
      seed: 2,
      params: { block: 'd-passage', runs: 2 },
    });
    const { container } = render(<ScaleResults recording={passage} fetchSeries={offline} />);
    expect(container.innerHTML).toBe('');
  });

  it('draws each hand of a both-hands recording', () => {
    const both = simulateRecording(scale, { hand: 'both', seed: 5, params: { block: 'b-80', runs: 2 } });
    const { container } = render(<ScaleResults recording={both} fetchSeries={offline} />);
    const captions = [...container.querySelectorAll('figcaption')].map((c) => c.textContent ?? '');
    expect(captions.some((c) => c.startsWith('Left hand, going up'))).toBe(true);
    expect(captions.some((c) => c.startsWith('Right hand, going down'))).toBe(true);
  });

  it('shows why when the recording cannot be read', () => {
    const broken = { ...recording, streams: {} } as Recording;
    render(<ScaleResults recording={broken} fetchSeries={offline} />);
    expect(screen.getByText(/The note-by-note view could not be made/)).toBeTruthy();
  });
});
