import { describe, expect, it } from 'vitest';
import { TASK_IDS } from '../recording/tasks.js';
import { metricCatalogue } from './analyze.js';
import { HEADLINE_METRICS } from './headlines.js';

describe('HEADLINE_METRICS', () => {
  it.each(TASK_IDS)(
    '%s: every headline metric is in the task’s catalogue, once, with a label and a sentence',
    (task) => {
      const ids = new Set(metricCatalogue(task).map((d) => d.id));
      const headlines = HEADLINE_METRICS[task];
      expect(headlines.length).toBeGreaterThan(0);
      for (const h of headlines) {
        expect(ids.has(h.id), h.id).toBe(true);
        expect(h.label.length).toBeGreaterThan(2);
        expect(h.meaning).toMatch(/^[A-Z].*\.$/);
      }
      expect(new Set(headlines.map((h) => h.id)).size).toBe(headlines.length);
    },
  );

  it('never names a condition or a diagnosis in what it tells the person', () => {
    const text = Object.values(HEADLINE_METRICS)
      .flat()
      .map((h) => `${h.label} ${h.meaning}`)
      .join(' ');
    expect(text).not.toMatch(/dystonia|parkinson|diagnos|disease|cramp|patholog/i);
  });
});
