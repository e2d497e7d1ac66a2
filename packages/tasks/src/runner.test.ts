import { canonicalJson, parseTaskRecording, type Recording } from '@dystrack/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './clock';
import type { CheckpointDelta, TaskContext, TaskPlugin } from './contract';
import { EMPTY_SESSION_CONTEXT } from './pre-session';
import { assembleCheckpoints, CheckpointAssembler } from './recording';
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

/**
 * A run that keeps writing awkward values for `seconds`: keyboard rows every 50 ms (strings, booleans,
 * i32 with the -1 of a missing value), a pointer stream started half-way through (f64 nulls, -0, NaN,
 * the largest doubles), a metronome stream created but never written, flags and params set mid-run.
 * Never ends by itself: the test aborts it.
 */
function busy(seconds: number): TaskPlugin {
  return scripted(async (ctx) => {
    const start = await ctx.countdown();
    ctx.mark('trial-start', start);
    const keyboard = ctx.stream('keyboard');
    for (let i = 0; i < seconds * 20; i++) {
      keyboard.str('type').push(i % 2 ? 'keyup' : 'keydown');
      keyboard.f64('timeStampMs').push(start + i * 50 + 0.1 * (i % 3));
      keyboard.str('code').push(`Key${String.fromCharCode(65 + (i % 26))}`);
      keyboard.bool('repeat').push(i % 5 === 0);
      keyboard.bool('isComposing').push(false);
      keyboard.str('key').push(i % 7 === 0 ? 'é' : 'a');
      keyboard.i32('keyLocationIndex').push(i % 4 === 0 ? null : i % 3);
      keyboard.endRow();
      if (i === seconds * 10) {
        ctx.flag('HALF_WAY');
        ctx.setParam('halfWayMs', ctx.clock.now());
        ctx.stream('metronome');
        const pointer = ctx.stream('pointer', ['pressureNorm', 'tiltXDeg']);
        for (let k = 0; k < 30; k++) {
          pointer.str('type').push('pointermove');
          pointer.f64('timeStampMs').push(ctx.clock.now() + k);
          pointer.bool('coalesced').push(k > 0);
          pointer.i32('pointerId').push(2 ** 31 - 1 - k);
          pointer.str('pointerType').push('pen');
          pointer.f64('xPx').push(k % 3 === 0 ? -0 : Number.MAX_VALUE / (k + 1));
          pointer.f64('yPx').push(k % 4 === 0 ? Number.NaN : 1e-300 * k);
          pointer.f64('pressureNorm').push(k % 2 ? null : k / 30);
          pointer.f64('tiltXDeg').push(undefined);
          pointer.endRow();
        }
      }
      await sleep(ctx.clock, 50, ctx.signal);
    }
    await new Promise<void>(() => {});
  });
}

/** Every number of a recording's streams with its sign, so that -0 and 0 differ when compared. */
function signedNumbers(recording: Recording): unknown[] {
  return Object.values(recording.streams).flatMap((stream) =>
    Object.values(stream.columns).flatMap((column) =>
      (column.values as unknown[]).map((v) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v)),
    ),
  );
}

describe('runTask: checkpoints hand over only what is new', () => {
  it('each delta holds only the rows since the previous one; assembled, they equal the full recording value for value', async () => {
    const run = startRun(busy(6));
    await run.clock.advance(3000 + 4000);
    run.controller.abort();
    const error = (await run.done.catch((e: unknown) => e)) as TaskAbortedError;
    const full = error.recording!;
    const deltas = run.checkpoints.map((c) => c.delta);
    expect(deltas.length).toBeGreaterThanOrEqual(7);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));

    // the rows of the deltas add up to the recording's, each row handed over once, in order
    const keyboardRows = full.streams.keyboard!.columns.type!.values.length;
    expect(keyboardRows).toBeGreaterThan(60);
    let next = 0;
    for (const delta of deltas) {
      const chunk = delta.streams.keyboard;
      if (!chunk) continue;
      expect(chunk.fromRow).toBe(next);
      // a checkpoint comes every second: about 20 new key rows, never everything so far
      expect(chunk.rows).toBeLessThanOrEqual(21);
      next += chunk.rows;
    }
    expect(next).toBe(keyboardRows);
    // the metronome stream was created empty half-way: it is in the recording from then on
    expect(full.streams.metronome!.columns.clickTimeMs!.values).toEqual([]);
    expect(deltas.filter((d) => d.streams.metronome)).toHaveLength(1);

    const assembled = assembleCheckpoints(deltas);
    expect(assembled).toStrictEqual(full);
    expect(canonicalJson(assembled)).toBe(canonicalJson(full));
    expect(JSON.stringify(assembled)).toBe(JSON.stringify(full)); // key order too
    expect(signedNumbers(assembled)).toStrictEqual(signedNumbers(full));
    expect(signedNumbers(full)).toContain('-0');
    expect(full.streams.pointer!.columns.yPx!.values).toContain(null);
    expect(full.flags).toEqual(['HALF_WAY', 'INCOMPLETE', 'ABORTED']);
    expect(full.params).toHaveProperty('halfWayMs');
    expect(() => parseTaskRecording(assembled)).not.toThrow();
  });

  it('a checkpoint assembled mid-run equals the recording as it was then (its envelope is that checkpoint’s)', async () => {
    const run = startRun(busy(6));
    await run.clock.advance(3000 + 2500);
    const mid = run.checkpoints.at(-1)!;
    expect(mid.recording.flags).toEqual(['INCOMPLETE']);
    expect(mid.recording.durationMs).toBe(mid.atMs - 13_000);
    const rows = mid.recording.streams.keyboard!.columns.type!.values.length;
    run.controller.abort();
    const full = ((await run.done.catch((e: unknown) => e)) as TaskAbortedError).recording!;
    // the rows then are the first rows of the end, unchanged
    for (const [name, column] of Object.entries(mid.recording.streams.keyboard!.columns)) {
      expect(column.values).toStrictEqual(full.streams.keyboard!.columns[name]!.values.slice(0, rows));
    }
  });

  it('after onCheckpoint throws, the next delta has the same seq and covers the rows of the lost one', async () => {
    let calls = 0;
    let thrown = false;
    const run = startRun(busy(6), {
      onCheckpoint: (delta) => {
        calls++;
        // the first delta with key rows is lost
        if (!thrown && (delta.streams.keyboard?.rows ?? 0) > 0) {
          thrown = true;
          throw new Error('quota exceeded');
        }
      },
    });
    await run.clock.advance(3000 + 4000);
    run.controller.abort();
    const full = ((await run.done.catch((e: unknown) => e)) as TaskAbortedError).recording!;
    const deltas = run.checkpoints.map((c) => c.delta);
    expect(calls).toBe(deltas.length + 1);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(Math.max(...deltas.map((d) => d.streams.keyboard?.rows ?? 0))).toBeGreaterThan(30);
    expect(assembleCheckpoints(deltas)).toStrictEqual(full);
  });

  it('the deltas hold typed-array copies of the new values, not views of the growing columns', async () => {
    const run = startRun(busy(3));
    await run.clock.advance(3000 + 2000);
    run.controller.abort();
    await run.done.catch(() => undefined);
    const chunk = run.checkpoints.find((c) => (c.delta.streams.keyboard?.rows ?? 0) > 0)!.delta.streams
      .keyboard!;
    const time = chunk.columns.timeStampMs!;
    expect(time.type).toBe('f64');
    expect(time.values).toBeInstanceOf(Float64Array);
    expect((time.values as Float64Array).buffer.byteLength).toBe(8 * chunk.rows);
    expect(chunk.columns.repeat!.values).toBeInstanceOf(Uint8Array);
    expect(chunk.columns.keyLocationIndex!.values).toBeInstanceOf(Int32Array);
  });
});

describe('CheckpointAssembler', () => {
  /** The deltas and the abort recording of a short busy run. */
  async function deltasOfRun(): Promise<{ deltas: CheckpointDelta[]; full: Recording }> {
    const run = startRun(busy(4));
    await run.clock.advance(3000 + 3500);
    run.controller.abort();
    const full = ((await run.done.catch((e: unknown) => e)) as TaskAbortedError).recording!;
    return { deltas: run.checkpoints.map((c) => c.delta), full };
  }

  it('refuses a delta out of order, missing, doubled or of another recording, and stays as it was', async () => {
    const { deltas } = await deltasOfRun();
    // the second delta with key rows: the assembly so far already holds some
    const k = deltas.map((d, i) => ((d.streams.keyboard?.rows ?? 0) > 0 ? i : -1)).filter((i) => i >= 0)[1]!;
    const assembler = new CheckpointAssembler();
    for (const delta of deltas.slice(0, k)) assembler.add(delta);
    const before = assembler.recording();
    expect(() => assembler.add(deltas[k + 1]!)).toThrow(`checkpoint ${k + 1} of`);
    expect(() => assembler.add(deltas[k - 1]!)).toThrow(RangeError);
    expect(() => assembler.add({ ...deltas[k]!, id: 'another' })).toThrow(/another/);
    const keyboard = deltas[k]!.streams.keyboard!;
    const shifted = {
      ...deltas[k]!,
      streams: { ...deltas[k]!.streams, keyboard: { ...keyboard, fromRow: keyboard.fromRow + 1 } },
    };
    expect(() => assembler.add(shifted)).toThrow(/goes on from row/);
    const short = {
      ...deltas[k]!,
      streams: { ...deltas[k]!.streams, keyboard: { ...keyboard, rows: keyboard.rows + 1 } },
    };
    expect(() => assembler.add(short)).toThrow(/does not fit/);
    expect(assembler.recording()).toStrictEqual(before);
    expect(assembler.nextSeq).toBe(k);
    expect(assembler.add(deltas[k]!).nextSeq).toBe(k + 1);
    expect(() => new CheckpointAssembler().recording()).toThrow(RangeError);
    expect(() => assembleCheckpoints(deltas.slice(1))).toThrow(RangeError);
  });

  it('goes on from a base recording assembled earlier: base plus later deltas equals all deltas', async () => {
    const { deltas, full } = await deltasOfRun();
    const base = assembleCheckpoints(deltas.slice(0, 3));
    const rest = deltas.slice(3);
    expect(rest.length).toBeGreaterThan(1);
    expect(assembleCheckpoints(rest, { recording: base, seq: 2 })).toStrictEqual(full);
    expect(() => assembleCheckpoints(deltas.slice(4), { recording: base, seq: 2 })).toThrow(RangeError);
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
