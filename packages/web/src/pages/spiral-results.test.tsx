import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeRecording, metricCatalogue, spiralView, type Recording } from '@dystrack/core';
import { simulateRecording, spiral } from '@dystrack/tasks';
import { formatMetricValue, SessionResults } from './session-results.js';
import {
  MORE_SPIRAL_MEASURES,
  SpiralResults,
  spiralSummaries,
  UNCALIBRATED_WORDS,
} from './spiral-results.js';

afterEach(cleanup);

/** The same recording without its screen calibration (as made on an uncalibrated screen). */
function uncalibrated(recording: Recording): Recording {
  const params = { ...recording.params };
  delete params['pxPerMm'];
  params['calibration'] = null;
  return { ...recording, params, flags: [...recording.flags, 'NOMINAL_SCALE'] };
}

// charts of thousands of samples in jsdom take a few seconds on a busy machine
describe('SpiralResults', { timeout: 30_000 }, () => {
  it('draws each kept spiral with charts of speed, pressure and shaking, each summarised in words', () => {
    const recording = simulateRecording(spiral, { hand: 'right', seed: 3 });
    const output = analyzeRecording(recording);
    const view = spiralView(recording);
    expect(view.calibrated).toBe(true);
    expect(view.drawings.length).toBeGreaterThanOrEqual(5);
    const { container } = render(<SpiralResults recording={recording} output={output} />);

    const figures = screen.getAllByRole('figure');
    expect(figures.map((f) => within(f).getByText(/./, { selector: 'figcaption' }).textContent)).toEqual([
      'Your spiral, coloured by shaking',
      'Speed over time',
      'Pressure over time',
      'Shaking over time',
    ]);
    // the charts are drawn (SVG from Observable Plot), hidden from screen readers, and said in words
    for (const figure of figures) {
      expect(figure.querySelector('.spiral-plot__chart svg')).not.toBeNull();
      expect(figure.querySelector('.spiral-plot__chart')!.getAttribute('aria-hidden')).toBe('true');
    }
    const first = spiralSummaries(view.drawings[0]!, 'mm');
    expect(screen.getByText(first.drawing)).toBeTruthy();
    expect(screen.getByText(first.speed)).toBeTruthy();
    expect(screen.getByText(first.pressure!)).toBeTruthy();
    expect(first.drawing).toMatch(/largest was [\d.]+ mm from side to side/);
    expect(first.speed).toMatch(/mm\/s/);
    expect(screen.queryByText(UNCALIBRATED_WORDS)).toBeNull();
    // one line per pen-down segment in the drawing, coloured by shaking
    expect(figures[0]!.querySelectorAll('path').length).toBeGreaterThan(10);

    // another spiral of the run
    const group = screen.getByRole('group', { name: 'Which spiral?' });
    fireEvent.click(within(group).getByLabelText(`Spiral ${view.drawings[1]!.trial}`));
    expect(screen.getByText(spiralSummaries(view.drawings[1]!, 'mm').drawing)).toBeTruthy();

    // the measures beyond the headline ones, with the core's values and their meaning
    const units = new Map(metricCatalogue('spiral').map((d) => [d.id, d.unit]));
    const shown = MORE_SPIRAL_MEASURES.filter((m) => output.metrics[m.id] != null);
    expect(shown.map((m) => m.id)).toContain('tremor_peak_frequency_hz');
    for (const m of shown) {
      const item = container.querySelector(`[data-metric="${m.id}"]`) as HTMLElement;
      expect(within(item).getByText(formatMetricValue(output.metrics[m.id]!, units.get(m.id)!))).toBeTruthy();
      expect(within(item).getByText(new RegExp(m.meaning.slice(0, 30)))).toBeTruthy();
    }
  });

  it('says in plain words that mm are not shown without a calibration, and how to calibrate', () => {
    const recording = uncalibrated(simulateRecording(spiral, { hand: 'left', seed: 8 }));
    const output = analyzeRecording(recording);
    expect(output.metrics['tremor_amplitude_pp_mm']).toBeNull();
    render(<SpiralResults recording={recording} output={output} />);
    const note = screen.getByRole('note');
    expect(note.textContent).toBe(UNCALIBRATED_WORDS);
    expect(note.textContent).toMatch(/millimetres are not shown/);
    expect(note.textContent).toMatch(/bank card/);
    const summaries = screen
      .getAllByText(/./, { selector: '.spiral-plot__summary' })
      .map((p) => p.textContent);
    expect(summaries.length).toBe(4);
    for (const text of summaries) expect(text).not.toMatch(/\bmm\b/);
    expect(summaries.join(' ')).toMatch(/px\/s/);
    // mm measures are null and left out; the unitless ones stay
    expect(document.querySelector('[data-metric="spiral_tightness_mm_per_turn"]')).toBeNull();
    expect(document.querySelector('[data-metric="spiral_turn_count"]')).not.toBeNull();
  });

  it('is shown inside the session results of a spiral recording', async () => {
    const recording = simulateRecording(spiral, { hand: 'right', seed: 3 });
    const fetchSeries = vi.fn(() => Promise.reject(new Error('offline')));
    render(<SessionResults recording={recording} fetchSeries={fetchSeries} />);
    await screen.findByRole('heading', { name: 'Your spiral' }, { timeout: 10_000 });
    expect(screen.getAllByRole('figure').length).toBe(4);
  });
});
