import { afterEach, describe, expect, it } from 'vitest';
import { e2eEnabled, installE2eHook } from './e2e-hook.js';

afterEach(() => {
  sessionStorage.clear();
  delete window.__dystrack;
});

describe('the end-to-end test hook', () => {
  it('is off in a production page opened normally', () => {
    expect(e2eEnabled('https://dystrack.example/', false)).toBe(false);
  });

  it('is on with ?e2e=1, and stays on for the tab (reloads, in-app navigation) until ?e2e=0', () => {
    expect(e2eEnabled('https://dystrack.example/?e2e=1', false)).toBe(true);
    expect(e2eEnabled('https://dystrack.example/recordings', false)).toBe(true);
    expect(e2eEnabled('https://dystrack.example/?e2e=0', false)).toBe(false);
    expect(e2eEnabled('https://dystrack.example/', false)).toBe(false);
  });

  it('is on in development', () => {
    expect(e2eEnabled('http://127.0.0.1:5173/', true)).toBe(true);
  });

  it('exposes the app’s own upload functions, a simulator and the listed tasks', async () => {
    // Vitest runs in development mode.
    installE2eHook();
    const hook = window.__dystrack!;
    expect(Object.keys(hook).sort()).toEqual([
      'enqueueRecording',
      'flushQueue',
      'queueEntries',
      'signedInUserId',
      'simulate',
      'tasks',
    ]);
    expect(hook.tasks.map((task) => task.id)).toEqual([
      'tapping',
      'typing',
      'scale',
      'spiral',
      'handwriting',
      'precision',
      'tremor',
    ]);
    const recording = await hook.simulate('typing', { hand: 'left', seed: 3 });
    expect(recording.taskId).toBe('typing');
    expect(recording.hand).toBe('left');
    await expect(hook.simulate('nope', { hand: 'left', seed: 3 })).rejects.toThrow('no listed task "nope"');
  });
});
