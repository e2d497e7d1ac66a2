import { parseTaskRecording } from '@dystrack/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskContext, TaskPlugin } from './contract';
import { EMPTY_SESSION_CONTEXT } from './pre-session';
import { createBrowserAudio, runTask, TaskAbortedError } from './runner';
import { FakeAudioContext } from './metronome';
import { FIXED_PROBE, startRun } from './testing/harness';
import { FakeClock } from './testing/fake-clock';
import { tapping } from './tapping';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A plugin with tapping's definition and a scripted run. */
function scripted(run: (ctx: TaskContext) => Promise<void>): TaskPlugin {
  return { definition: tapping.definition, run, simulate: tapping.simulate };
}

describe('runTask', () => {
  it('stamps the envelope: id, versions, hand, params with defaults, device, timing, context', async () => {
    const plugin = scripted(async (ctx) => {
      const start = await ctx.countdown();
      ctx.mark('trial-start', start);
      ctx.setParam('extra', { a: [1, 2] });
      const keyboard = ctx.stream('keyboard');
      keyboard.str('type').push('keydown');
      keyboard.f64('timeStampMs').push(start + 5);
      keyboard.str('code').push('KeyJ');
      keyboard.bool('repeat').push(false);
      keyboard.bool('isComposing').push(false);
      keyboard.str('key').push('j');
      keyboard.i32('keyLocationIndex').push(0);
      keyboard.endRow();
      ctx.mark('trial-end', start + 1000);
    });
    const context = {
      selfRating0to10: 3,
      taskLoadHoursLast24h: 1,
      botulinumToxin: 'received' as const,
      daysSinceBotulinumToxin: 40,
      medication: null,
    };
    const clock = new FakeClock(2000);
    const element = document.createElement('div');
    const done = runTask(plugin, {
      element,
      hand: 'left',
      params: { durationS: 30 },
      context,
      clock,
      probe: () => FIXED_PROBE,
      inputDevice: 'Cherry MX keyboard',
      id: '0b4f7d4e-8f53-4c1c-9a52-0d6b0c7c1a11',
    });
    await clock.advance(3000);
    const recording = await done;
    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(recording).toMatchObject({
      id: '0b4f7d4e-8f53-4c1c-9a52-0d6b0c7c1a11',
      schemaVersion: 1,
      taskId: 'tapping',
      taskVersion: '1.1.0',
      hand: 'left',
      durationMs: 1000,
      params: { input: 'pointer', durationS: 30, targetDiameterMm: 20, extra: { a: [1, 2] } },
      device: { userAgent: navigator.userAgent, inputDevice: 'Cherry MX keyboard' },
      timing: {
        crossOriginIsolated: false,
        resolutionMs: 0.1,
        pollingEstimateHz: null,
        hiddenCount: 0,
        hiddenMs: 0,
        timeOriginMs: FIXED_PROBE.timeOriginMs,
      },
      context,
      flags: [],
    });
    expect(Date.parse(recording.startedAt)).not.toBeNaN();
    expect(recording.streams.keyboard!.columns.code!.values).toEqual(['KeyJ']);
  });

  it('estimates the keyboard polling rate from the key events (times on an 8-ms comb: 125 Hz)', async () => {
    const plugin = scripted(async (ctx) => {
      const start = await ctx.countdown();
      ctx.mark('trial-start', start);
      const keyboard = ctx.stream('keyboard', ['type', 'timeStampMs', 'code', 'repeat', 'isComposing']);
      const [type, time, code, repeat, composing] = [
        keyboard.str('type'),
        keyboard.f64('timeStampMs'),
        keyboard.str('code'),
        keyboard.bool('repeat'),
        keyboard.bool('isComposing'),
      ];
      for (let i = 0; i < 30; i++) {
        // presses every 17–31 polls, held 9–13 polls, on the 8-ms comb (plus the browser's 0.1-ms rounding)
        const down = start + 8 * (i * 24 + (i % 7)) + 0.1 * (i % 2);
        for (const [kind, t] of [
          ['keydown', down],
          ['keyup', down + 8 * (9 + (i % 5))],
        ] as const) {
          type.push(kind);
          time.push(t);
          code.push('KeyJ');
          repeat.push(false);
          composing.push(false);
          keyboard.endRow();
        }
      }
      ctx.mark('trial-end', start + 8000);
    });
    const clock = new FakeClock(2000);
    const done = runTask(plugin, {
      element: document.createElement('div'),
      hand: 'left',
      context: EMPTY_SESSION_CONTEXT,
      clock,
      probe: () => FIXED_PROBE,
    });
    await clock.advance(3000);
    expect((await done).timing.pollingEstimateHz).toBe(125);
  });

  it('generates a fresh UUID per run', async () => {
    const plugin = scripted(async () => {});
    const options = {
      element: document.createElement('div'),
      hand: 'right' as const,
      context: EMPTY_SESSION_CONTEXT,
      probe: () => FIXED_PROBE,
      clock: new FakeClock(),
    };
    const [a, b] = await Promise.all([runTask(plugin, options), runTask(plugin, options)]);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
  });

  it('refuses a hand the task does not allow and unknown or out-of-range params', async () => {
    const base = {
      element: document.createElement('div'),
      context: EMPTY_SESSION_CONTEXT,
      probe: () => FIXED_PROBE,
    };
    await expect(runTask(tapping, { ...base, hand: 'both' })).rejects.toThrow(RangeError);
    await expect(runTask(tapping, { ...base, hand: 'left', params: { speed: 3 } })).rejects.toThrow(
      /no parameter "speed"/,
    );
    await expect(runTask(tapping, { ...base, hand: 'left', params: { durationS: 301 } })).rejects.toThrow(
      /between 5 and 300/,
    );
    await expect(runTask(tapping, { ...base, hand: 'left', params: { input: 'midi' } })).rejects.toThrow(
      /one of pointer, keys/,
    );
  });

  it('rejects at once, without a recording, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await runTask(tapping, {
      element: document.createElement('div'),
      hand: 'left',
      context: EMPTY_SESSION_CONTEXT,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskAbortedError);
    expect((error as TaskAbortedError).recording).toBeNull();
  });

  it('ends an aborted run even when the task ignores its signal', async () => {
    const plugin = scripted(() => new Promise<void>(() => {}));
    const run = startRun(plugin);
    await run.clock.advance(100);
    run.controller.abort();
    await expect(run.done).rejects.toMatchObject({ name: 'AbortError' });
    expect(run.checkpoints.at(-1)!.recording.flags).toEqual(['INCOMPLETE', 'ABORTED']);
  });

  it('keeps the capture of a task that fails, flagged TASK_ERROR, and rethrows its error', async () => {
    const plugin = scripted(async (ctx) => {
      ctx.mark('trial-start', 10_000);
      throw new Error('boom');
    });
    const run = startRun(plugin);
    await expect(run.done).rejects.toThrow('boom');
    const last = run.checkpoints.at(-1)!.recording;
    expect(last.flags).toEqual(['INCOMPLETE', 'TASK_ERROR']);
    expect(last.streams.markers!.columns.label!.values).toEqual(['trial-start']);
    expect(() => parseTaskRecording(last)).not.toThrow();
  });

  it('goes on capturing when onCheckpoint throws', async () => {
    const onCheckpoint = vi.fn(() => {
      throw new Error('quota exceeded');
    });
    const run = startRun(tapping, { params: { durationS: 5 }, onCheckpoint });
    await run.clock.advance(8000);
    const recording = await run.done;
    expect(onCheckpoint.mock.calls.length).toBeGreaterThan(3);
    expect(recording.durationMs).toBe(5000);
  });

  it('flags a coarse timer', async () => {
    const clock = new FakeClock();
    const recording = await runTask(
      scripted(async () => {}),
      {
        element: document.createElement('div'),
        hand: 'left',
        context: EMPTY_SESSION_CONTEXT,
        clock,
        probe: () => ({ ...FIXED_PROBE, resolutionMs: 100, coarse: true }),
      },
    );
    expect(recording.flags).toEqual(['COARSE_TIMER']);
    expect(recording.timing.resolutionMs).toBe(100);
  });

  it('announces through its own live region when the app gives none, and removes it afterwards', async () => {
    const element = document.createElement('div');
    document.body.append(element);
    const clock = new FakeClock();
    let region: Element | null = null;
    const plugin = scripted(async (ctx) => {
      ctx.announce('hello');
      region = element.querySelector('[aria-live]');
    });
    await runTask(plugin, {
      element,
      hand: 'left',
      context: EMPTY_SESSION_CONTEXT,
      clock,
      probe: () => FIXED_PROBE,
    });
    expect(region!.textContent).toBe('hello');
    expect(element.querySelector('[aria-live]')).toBeNull();
  });
});

describe('runTask: the audio source', () => {
  const run = (plugin: TaskPlugin, audio?: () => FakeAudioContext | null, signal?: AbortSignal) =>
    runTask(plugin, {
      element: document.createElement('div'),
      hand: 'right',
      context: EMPTY_SESSION_CONTEXT,
      clock: new FakeClock(1000),
      probe: () => FIXED_PROBE,
      announce: () => {},
      signal,
      ...(audio ? { audio } : {}),
    });

  it('creates the context on the first ctx.audio() only, returns the same one after, and closes it at the end', async () => {
    const clock = new FakeClock(1000);
    const fake = new FakeAudioContext(() => clock.now());
    const close = vi.fn(() => Promise.resolve());
    const factory = vi.fn(() => Object.assign(fake, { close }));
    const seen: unknown[] = [];
    await run(
      scripted(async (ctx) => {
        await Promise.resolve();
        expect(factory).not.toHaveBeenCalled();
        seen.push(ctx.audio(), ctx.audio());
      }),
      factory,
    );
    expect(factory).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([fake, fake]);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('never creates a context for a task that does not ask, and closes it on abort too', async () => {
    const factory = vi.fn(() => null);
    await run(
      scripted(async () => {}),
      factory,
    );
    expect(factory).not.toHaveBeenCalled();
    const controller = new AbortController();
    const close = vi.fn(() => Promise.resolve());
    const done = run(
      scripted(async (ctx) => {
        ctx.audio();
        controller.abort();
        await new Promise(() => {});
      }),
      () => Object.assign(new FakeAudioContext(() => 0), { close }),
      controller.signal,
    );
    await expect(done).rejects.toBeInstanceOf(TaskAbortedError);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('by default gives null where the browser has no AudioContext, and a new AudioContext where it has one', async () => {
    vi.stubGlobal('AudioContext', undefined);
    expect(createBrowserAudio()).toBeNull();
    let got: unknown = 'unset';
    await run(
      scripted(async (ctx) => {
        got = ctx.audio();
      }),
    );
    expect(got).toBeNull();
    const made: unknown[] = [];
    vi.stubGlobal(
      'AudioContext',
      class {
        state = 'suspended';
        constructor(options: unknown) {
          made.push(options);
        }
      },
    );
    expect(createBrowserAudio()).toMatchObject({ state: 'suspended' });
    expect(made).toEqual([{ latencyHint: 'interactive' }]);
    vi.unstubAllGlobals();
  });
});
