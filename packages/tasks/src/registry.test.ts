import { parseTaskRecording, TASK_IDS, TASK_RECORDING_SPECS } from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hand } from './contract';
import { getTask, TASKS } from './registry';
import { resolveParams } from './params';
import { simulateRecording } from './simulate';
import { startRun } from './testing/harness';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('TASKS', () => {
  it('has unique, known task ids and getTask finds each', () => {
    const ids = TASKS.map((task) => task.definition.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(TASK_IDS).toContain(id);
      expect(getTask(id)!.definition.id).toBe(id);
    }
    expect(getTask('nope')).toBeUndefined();
  });

  describe.each(TASKS.map((task) => [task.definition.id, task] as const))('%s', (_id, task) => {
    const { definition } = task;
    const spec = TASK_RECORDING_SPECS[definition.id];

    it('has a definition that core spec allows', () => {
      expect(definition.version).toMatch(/^\d+\.\d+\.\d+$/);
      for (const hand of definition.hands) expect(spec.hands).toContain(hand);
      expect(definition.instructions.length).toBeGreaterThan(0);
      expect(() => resolveParams(definition)).not.toThrow();
      for (const [name, param] of Object.entries(definition.parameters)) {
        if (param.type === 'number') {
          expect(param.min, name).toBeLessThanOrEqual(param.default);
          expect(param.default, name).toBeLessThanOrEqual(param.max);
        }
        if (name === 'durationS' && param.type === 'number')
          expect(param.max).toBeLessThanOrEqual(spec.maxDurationS);
      }
    });

    it('simulates valid recordings for every hand, several seeds, and the longest run', () => {
      for (const hand of definition.hands as readonly Hand[]) {
        for (const seed of [1, 2, 3, 1234567]) {
          const recording = simulateRecording(task, { hand, seed });
          expect(() => parseTaskRecording(recording)).not.toThrow();
        }
        const longest = simulateRecording(task, { hand, seed: 9, longest: true });
        expect(() => parseTaskRecording(longest)).not.toThrow();
        expect(longest.durationMs).toBeLessThanOrEqual(spec.maxDurationS * 1000);
        expect(longest.durationMs).toBeGreaterThan(0.9 * spec.maxDurationS * 1000);
      }
    });

    it('runs in the browser to a valid recording with the same streams as its simulation', async () => {
      const hand = definition.hands[0]!;
      const run = startRun(task, { hand });
      // Tasks end on their own time; a task that needs input to end needs its own driver here.
      for (let i = 0; i < spec.maxDurationS + 10 && run.clock.pending > 0; i++) await run.clock.advance(1000);
      const recording = await run.done;
      expect(() => parseTaskRecording(recording)).not.toThrow();
      const simulated = simulateRecording(task, { hand, seed: 1 });
      expect(Object.keys(recording.streams).sort()).toEqual(Object.keys(simulated.streams).sort());
      for (const [name, stream] of Object.entries(recording.streams)) {
        expect(Object.keys(stream.columns).sort(), name).toEqual(
          Object.keys(simulated.streams[name]!.columns).sort(),
        );
      }
      expect(Object.keys(recording).sort()).toEqual(Object.keys(simulated).sort());
      expect(Object.keys(recording.params).sort()).toEqual(Object.keys(simulated.params).sort());
    });
  });
});

describe('parameters asked of the person', () => {
  it.each(TASKS.map((plugin) => [plugin.definition.id, plugin] as const))(
    '%s labels every option of each asked parameter, and only those',
    (_id, plugin) => {
      for (const spec of Object.values(plugin.definition.parameters)) {
        if (spec.type !== 'string' || !spec.ask) continue;
        expect(Object.keys(spec.ask.labels).sort()).toEqual([...(spec.options ?? [])].sort());
        expect(spec.options).toContain(spec.default);
      }
    },
  );
});
