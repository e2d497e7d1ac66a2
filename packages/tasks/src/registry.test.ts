import { parseTaskRecording, TASK_IDS, TASK_RECORDING_SPECS } from '@dystrack/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hand, TaskPlugin } from './contract';
import { FakeAudioContext } from './metronome';
import { FakeMidiAccess, FakeMidiInput, fakeMidiNavigator } from './midi/testing';
import { makeCalibration, saveCalibration } from './pen/calibration';
import { createScalePlugin, expectedSequence } from './scale';
import { loadTask, TASK_DEFINITIONS, taskDefinition } from './catalog';
import { loadCapture, loadTaskDefinition } from './capture-catalog';
import { getTask, TASKS } from './registry';
import { resolveParams } from './params';
import { simulateRecording } from './simulate';
import { dispatchPointer } from './testing/events';
import { startRun } from './testing/harness';
import { createTremorPlugin, FakeSensorSource } from './tremor';

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

type Run = ReturnType<typeof startRun>;
const click = (run: Run, className: string) =>
  run.element.querySelector<HTMLButtonElement>(`.${className}`)!.click();

/**
 * A pen stroke on the run's pen surface every second until the run ends (or `maxS`), so that every
 * trial of a pen task has ink, whatever its timing.
 */
async function drawEverySecond(run: Run, maxS: number): Promise<void> {
  let over = false;
  void run.done.finally(() => (over = true)).catch(() => {});
  for (let s = 0; s < maxS && !over; s++) {
    await run.clock.advance(1000);
    const canvas = run.element.querySelector('.dt-pen-canvas');
    if (!canvas) continue;
    const t = run.clock.now();
    const at = (dt: number, x: number, buttons = 1) => ({
      timeStamp: t + dt,
      pointerId: 2,
      pointerType: 'pen',
      isPrimary: true,
      clientX: x,
      clientY: 50 + x / 3,
      pressure: buttons ? 0.5 : 0,
      buttons,
    });
    dispatchPointer(canvas, 'pointerdown', at(0, 10));
    dispatchPointer(canvas, 'pointermove', { ...at(8, 12), coalesced: [at(4, 11), at(8, 12)] });
    dispatchPointer(canvas, 'pointerup', at(12, 13, 0));
  }
}

/**
 * How to take a task that needs input or set-up to a complete run: its plugin (with fakes), what to
 * prepare before it starts, start options and the input. Tasks missing here end on their own time.
 */
const DRIVERS: Partial<
  Record<
    string,
    {
      plugin?(): TaskPlugin;
      prepare?(): void;
      options?: Parameters<typeof startRun>[1];
      drive?(run: Run): Promise<void>;
    }
  >
> = {
  // a keyboard on a fake MIDI port plays one correct run of block A
  scale: (() => {
    const input = new FakeMidiInput('port-1', 'Digital Piano', 'Acme');
    return {
      plugin: () => createScalePlugin({ navigator: fakeMidiNavigator(new FakeMidiAccess([input])) }),
      options: {
        params: { block: 'a-120', runs: 1 },
        audio: (clock) => new FakeAudioContext(() => clock.now()),
      },
      drive: async (run) => {
        await run.clock.advance(0);
        click(run, 'dt-scale-no-pedal');
        await run.clock.advance(0);
        click(run, 'dt-scale-start');
        await run.clock.advance(3000);
        const playFrom = run.clock.now() + 100 + 8 * 500;
        const pitches = expectedSequence('right')[0]!.pitches;
        input.playOn(
          run.clock,
          pitches.flatMap((pitch, k) => [
            { timeStamp: playFrom + k * 125, data: [0x90, pitch, 64] },
            { timeStamp: playFrom + k * 125 + 100, data: [0x80, pitch, 64] },
          ]),
        );
      },
    };
  })(),
  // a screen calibrated with the card
  spiral: { prepare: () => void saveCalibration(window, makeCalibration(342.4, window)) },
  // a calibrated screen, and a pen stroke every second: both loops trials have ink
  handwriting: {
    prepare: () => void saveCalibration(window, makeCalibration(342.4, window)),
    drive: (run) => drawEverySecond(run, 120),
  },
  // a calibrated screen, and the pen in every hold
  precision: {
    prepare: () => void saveCalibration(window, makeCalibration(342.4, window)),
    drive: (run) => drawEverySecond(run, 120),
  },
  // motion sensors fed with a tremor; the person presses Start
  tremor: {
    plugin: () =>
      createTremorPlugin({ sensors: new FakeSensorSource({ feed: {} }), vibrate: null, speech: null }),
    drive: async (run) => {
      await run.clock.advance(0);
      click(run, 'dt-tremor-start');
    },
  },
};

describe('the catalogue the app loads tasks from', () => {
  it('lists the registry’s tasks in its order, and loads each one’s plugin', async () => {
    expect(TASK_DEFINITIONS).toEqual(TASKS.map((task) => task.definition));
    for (const task of TASKS) {
      expect(taskDefinition(task.definition.id)).toBe(task.definition);
      expect(await loadTask(task.definition.id)).toBe(task);
      const capture = (await loadCapture(task.definition.id))!;
      expect(capture.definition).toBe(task.definition);
      expect(capture.run).toBe(task.run);
      expect(await loadTaskDefinition(task.definition.id)).toBe(task.definition);
    }
    expect(await loadTaskDefinition('nope')).toBeUndefined();
    expect(await loadTaskDefinition('constructor')).toBeUndefined();
    expect(await loadTask('nope')).toBeUndefined();
    expect(await loadTask('constructor')).toBeUndefined();
    expect(await loadCapture('constructor')).toBeUndefined();
    expect(taskDefinition('nope')).toBeUndefined();
  });
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
      const driver = DRIVERS[definition.id];
      driver?.prepare?.();
      const run = startRun(driver?.plugin?.() ?? task, { hand, ...driver?.options });
      await driver?.drive?.(run);
      // Tasks end on their own time; a task that needs input to end needs its own driver (DRIVERS).
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
