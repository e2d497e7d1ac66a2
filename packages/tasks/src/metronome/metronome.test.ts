import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Clock } from '../clock';
import { StreamBuilder, StreamSet } from '../columns';
import { FakeClock } from '../testing/fake-clock';
import {
  mapAudioTime,
  readClockAnchor,
  resumeAudio,
  startMetronome,
  type AudioContextLike,
  type Metronome,
  type MetronomeClick,
  type MetronomeOptions,
} from './metronome';
import { createMetronomeStreamWriter, metronomeFacts } from './stream-writer';
import { FakeAudioContext } from './testing';

/** A clock whose timers fire late by the given delays, in turn (timer jitter, a busy main thread). */
function lateClock(inner: FakeClock, lateMs: readonly number[]): Clock {
  let call = 0;
  return {
    now: () => inner.now(),
    setTimeout: (callback, ms) => inner.setTimeout(callback, ms + lateMs[call++ % lateMs.length]!),
    clearTimeout: (handle) => inner.clearTimeout(handle),
  };
}

function setup(startMs = 2000) {
  const clock = new FakeClock(startMs);
  const audio = new FakeAudioContext(() => clock.now());
  return { clock, audio };
}

function start(audio: FakeAudioContext, clock: Clock, options: Partial<MetronomeOptions> = {}) {
  return startMetronome({ context: audio, clock, intervalMs: 500, ...options });
}

/** The audible oscillators, in the order they were scheduled. */
const audible = (audio: FakeAudioContext) => audio.oscillators.filter((o) => o.audible);

describe('click times: scheduled audio times mapped through getOutputTimestamp', () => {
  it.each([500, 333, 750, 250, 187.5])(
    'stores exactly the scheduled start, mapped by the reading taken when it was scheduled (IOI %s ms)',
    async (intervalMs) => {
      const { clock, audio } = setup();
      // the mapping changes: a 50-ppm drift between the clocks and a 7.25-ms jump at 1.5 s (a device change)
      audio.outputTimestamp = () => {
        const contextTime = Math.max(0, audio.currentTime - 0.0213);
        const jump = clock.now() > 3500 ? 7.25 : 0;
        return { contextTime, performanceTime: 1999.5 + contextTime * 1000 * (1 + 50e-6) + 41.3 + jump };
      };
      const seen: MetronomeClick[] = [];
      const metronome = start(audio, clock, { intervalMs, clicks: 12, onClick: (c) => seen.push(c) });
      await clock.advance(12 * intervalMs + 500);
      const result = await metronome.done;

      expect(result.reason).toBe('complete');
      expect(result.clicks).toHaveLength(12);
      expect(seen).toEqual(result.clicks);
      expect(audio.oscillators).toHaveLength(12);
      const readings = new Set(audio.timestampReads);
      result.clicks.forEach((click, k) => {
        const osc = audio.oscillators[k]!;
        const stamp = osc.timestampAtStart!;
        // the reading belongs to the tick that scheduled this click, not to an earlier or later one
        expect(readings.has(stamp)).toBe(true);
        expect(click.audioTimeS).toBe(osc.startedAt);
        expect(click.mapping).toBe('outputTimestamp');
        expect(click.anchorContextTimeS).toBe(stamp.contextTime);
        expect(click.anchorPerformanceTimeMs).toBe(stamp.performanceTime);
        expect(click.clickTimeMs).toBe(stamp.performanceTime! + (osc.startedAt! - stamp.contextTime!) * 1000);
        expect(click.baseLatencyS).toBe(0.01);
        expect(click.outputLatencyS).toBe(0.02);
      });
      // not the currentTime mapping: the output trails currentTime by 21.3 ms, and the offset includes the jump
      const offsets = result.clicks.map((c) => c.clickTimeMs - c.audioTimeS * 1000);
      expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(7.25);
      // independently of the formula: the fake's output clock at the click's audio time, within the
      // 50-ppm drift over the look-ahead (≤ 0.01 ms), jump or no jump
      for (const click of result.clicks) {
        const jump = click.anchorPerformanceTimeMs - (2040.8 + click.anchorContextTimeS * 1000.05);
        expect([0, 7.25].some((j) => Math.abs(jump - j) < 1e-6)).toBe(true);
        expect(Math.abs(click.clickTimeMs - (2040.8 + click.audioTimeS * 1000.05 + jump))).toBeLessThan(0.01);
      }
      expect(result.clicks.some((c) => c.clickTimeMs - c.audioTimeS * 1000 > 2045)).toBe(true);
    },
  );

  it('reads the latencies at the moment each click is scheduled', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, { clicks: 6 });
    await clock.advance(1200);
    audio.outputLatency = 0.187; // Bluetooth headphones connected
    audio.baseLatency = undefined;
    await clock.advance(2500);
    const { clicks } = await metronome.done;
    const before = clicks.filter((c) => audio.oscillators[c.index]!.currentTimeAtStart! < 1.1);
    const after = clicks.filter((c) => audio.oscillators[c.index]!.currentTimeAtStart! > 1.3);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    for (const c of before) expect([c.baseLatencyS, c.outputLatencyS]).toEqual([0.01, 0.02]);
    for (const c of after) expect([c.baseLatencyS, c.outputLatencyS]).toEqual([null, 0.187]);
  });

  it('mapAudioTime and readClockAnchor follow the documented formula', () => {
    const { clock, audio } = setup();
    audio.outputTimestamp = () => ({ contextTime: 1.5, performanceTime: 2600.25 });
    const anchor = readClockAnchor(audio, () => clock.now());
    expect(anchor).toEqual({
      mapping: 'outputTimestamp',
      contextTimeS: 1.5,
      performanceTimeMs: 2600.25,
      baseLatencyS: 0.01,
      outputLatencyS: 0.02,
    });
    expect(mapAudioTime(1.75, anchor)).toBe(2850.25);
  });
});

describe('look-ahead scheduling on the audio clock', () => {
  it('spaces clicks exactly on the audio clock however late the timer fires', async () => {
    const inner = new FakeClock(2000);
    const audio = new FakeAudioContext(() => inner.now());
    const clock = lateClock(inner, [0, 37, 3, 91, 12, 0, 64, 5, 100, 1]);
    const metronome = start(audio, clock, { intervalMs: 333, clicks: 30 });
    await inner.advance(30 * 333 + 1000);
    const result = await metronome.done;

    expect(result.missed).toEqual([]);
    const starts = audible(audio).map((o) => o.startedAt!);
    expect(starts).toHaveLength(30);
    starts.forEach((t, k) => expect(t).toBe(result.firstClickAudioTimeS + k * 0.333));
    for (let k = 1; k < starts.length; k++) expect(starts[k]! - starts[k - 1]!).toBeCloseTo(0.333, 12);
    // every click was handed to the audio graph before it was due, never on the timer's time
    for (const o of audio.oscillators) expect(o.currentTimeAtStart!).toBeLessThan(o.startedAt! - 0.01);
    expect(result.clicks.map((c) => c.audioTimeS)).toEqual(starts);
  });

  it('first click firstClickDelayMs after the start; schedules no further ahead than the look-ahead', async () => {
    const { clock, audio } = setup();
    const t0 = audio.currentTime;
    const metronome = start(audio, clock, { intervalMs: 100, clicks: 50, firstClickDelayMs: 120 });
    expect(metronome.firstClickAudioTimeS).toBe(t0 + 0.12);
    for (let i = 0; i < 220; i++) {
      await clock.advance(25);
      for (const o of audio.oscillators) expect(o.startedAt! - o.currentTimeAtStart!).toBeLessThan(0.15);
    }
    await metronome.done;
    expect(audio.oscillators).toHaveLength(50);
  });

  it('leaves out (never plays late) clicks the timer came too late for, keeping the grid', async () => {
    const inner = new FakeClock(2000);
    const audio = new FakeAudioContext(() => inner.now());
    // the 5th timer is 600 ms late (a blocked main thread)
    const clock = lateClock(inner, [0, 0, 0, 0, 600, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const metronome = start(audio, clock, { intervalMs: 200, clicks: 10, firstClickDelayMs: 100 });
    await inner.advance(4000);
    const result = await metronome.done;
    expect(result.missed.length).toBeGreaterThan(0);
    expect(result.clicks.length + result.missed.length).toBe(10);
    const indices = result.clicks.map((c) => c.index);
    expect([...indices, ...result.missed].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const c of result.clicks) expect(c.audioTimeS).toBe(result.firstClickAudioTimeS + c.index * 0.2);
    // nothing was scheduled into the past
    for (const o of audio.oscillators) expect(o.startedAt!).toBeGreaterThan(o.currentTimeAtStart!);
  });
});

describe('count, stop and abort', () => {
  it('plays exactly `clicks` clicks, reports them as they start, then resolves and leaves no timer', async () => {
    const { clock, audio } = setup();
    const onClick = vi.fn();
    const metronome = start(audio, clock, { clicks: 5, onClick });
    await clock.advance(50);
    expect(onClick).not.toHaveBeenCalled(); // scheduled, not yet played
    expect(metronome.clicks).toHaveLength(0);
    await clock.advance(100);
    expect(onClick).toHaveBeenCalledTimes(1);
    await clock.advance(5000);
    const result = await metronome.done;
    expect(result.reason).toBe('complete');
    expect(onClick).toHaveBeenCalledTimes(5);
    expect(result.clicks.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(audio.oscillators).toHaveLength(5);
    expect(clock.pending).toBe(0);
    // every click was reported after it started on the audio clock
    for (const c of result.clicks) expect(c.audioTimeS).toBeLessThanOrEqual(audio.currentTime);
  });

  it('accents follow the pattern (higher and louder)', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, { clicks: 8, accents: [true, false, false, false] });
    await clock.advance(5000);
    const { clicks } = await metronome.done;
    expect(clicks.map((c) => c.accent)).toEqual([true, false, false, false, true, false, false, false]);
    expect(audio.oscillators.map((o) => o.frequency.value)).toEqual([
      1500, 1000, 1000, 1000, 1500, 1000, 1000, 1000,
    ]);
    const peaks = audio.gains.map((g) => g.gain.events[0]!);
    expect(peaks.map((e) => e.value)).toEqual([0.8, 0.5, 0.5, 0.5, 0.8, 0.5, 0.5, 0.5]);
    peaks.forEach((e, k) => expect(e.time).toBe(audio.oscillators[k]!.startedAt));
  });

  it('runs until stopped without a count; stop() cancels clicks not yet started and records none after it', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock);
    await clock.advance(10_000);
    expect(metronome.clicks.length).toBeGreaterThanOrEqual(19);
    const stopAt = audio.currentTime;
    metronome.stop();
    const result = await (async () => {
      await clock.advance(1000);
      return metronome.done;
    })();
    expect(result.reason).toBe('stopped');
    expect(result.clicks.every((c) => c.audioTimeS <= stopAt)).toBe(true);
    // clicks scheduled within the look-ahead were cancelled before they sounded
    const played = new Set(result.clicks.map((c) => c.audioTimeS));
    for (const o of audio.oscillators) {
      if (!played.has(o.startedAt!)) expect(o.audible).toBe(false);
    }
    expect(audible(audio)).toHaveLength(result.clicks.length);
    expect(clock.pending).toBe(0);
    const count = audio.oscillators.length;
    await clock.advance(2000);
    expect(audio.oscillators).toHaveLength(count);
  });

  it('stop() from onClick ends after that click', async () => {
    const { clock, audio } = setup();
    const metronome: Metronome = start(audio, clock, {
      onClick: (c) => {
        if (c.index === 3) metronome.stop();
      },
    });
    await clock.advance(5000);
    const result = await metronome.done;
    expect(result.clicks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(audible(audio)).toHaveLength(4);
  });

  it('rejects with an AbortError on abort, cancels what has not played, disconnects everything', async () => {
    const { clock, audio } = setup();
    const controller = new AbortController();
    const metronome = start(audio, clock, { clicks: 20, signal: controller.signal });
    await clock.advance(1300);
    controller.abort();
    await expect(metronome.done).rejects.toMatchObject({ name: 'AbortError' });
    const n = metronome.clicks.length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(audible(audio)).toHaveLength(n);
    expect(audio.nodes.every((node) => !node.connected)).toBe(true);
    expect(clock.pending).toBe(0);
    await clock.advance(5000);
    expect(metronome.clicks).toHaveLength(n);
  });

  it('rejects at once for an aborted signal and schedules nothing', async () => {
    const { clock, audio } = setup();
    const controller = new AbortController();
    controller.abort();
    const metronome = start(audio, clock, { clicks: 4, signal: controller.signal });
    await expect(metronome.done).rejects.toMatchObject({ name: 'AbortError' });
    expect(audio.oscillators).toHaveLength(0);
    expect(clock.pending).toBe(0);
  });

  it('rejects with the error of a throwing onClick and cleans up', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, {
      clicks: 10,
      onClick: () => {
        throw new Error('stream broke');
      },
    });
    const rejected = expect(metronome.done).rejects.toThrow('stream broke');
    await clock.advance(1000);
    await rejected;
    expect(audio.nodes.every((node) => !node.connected)).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('validates its options', () => {
    const { clock, audio } = setup();
    expect(() => start(audio, clock, { intervalMs: 0 })).toThrow(RangeError);
    expect(() => start(audio, clock, { intervalMs: Number.NaN })).toThrow(RangeError);
    expect(() => start(audio, clock, { clicks: 2.5 })).toThrow(RangeError);
    expect(() => start(audio, clock, { lookaheadMs: 20, tickMs: 25 })).toThrow(RangeError);
    expect(() => start(audio, clock, { gain: 2 })).toThrow(RangeError);
    expect(audio.oscillators).toHaveLength(0);
  });
});

describe('fallback mapping', () => {
  it('without getOutputTimestamp: currentTime against clock.now(), marked currentTime', async () => {
    const { clock, audio } = setup();
    audio.getOutputTimestamp = undefined;
    const metronome = start(audio, clock, { clicks: 4 });
    await clock.advance(3000);
    const { clicks } = await metronome.done;
    clicks.forEach((c, k) => {
      const osc = audio.oscillators[k]!;
      expect(c.mapping).toBe('currentTime');
      expect(c.anchorContextTimeS).toBe(osc.currentTimeAtStart);
      expect(c.anchorPerformanceTimeMs).toBe(osc.performanceTimeAtStart);
      expect(c.clickTimeMs).toBe(c.anchorPerformanceTimeMs + (c.audioTimeS - c.anchorContextTimeS) * 1000);
      // the fake's audio clock runs from performance time 2000 ms, floored to a render quantum (2.67 ms)
      const offset = c.clickTimeMs - c.audioTimeS * 1000;
      expect(offset).toBeGreaterThanOrEqual(2000 - 1e-9);
      expect(offset).toBeLessThan(2000 + 128 / 48);
    });
  });

  it.each([
    // the performance clock starts near 0 here, so only the zero rule (not the age rule) can reject it
    ['zeros (output not started)', { contextTime: 0, performanceTime: 0 }, 200],
    ['missing members', {}, 2000],
    ['non-finite values', { contextTime: Number.NaN, performanceTime: 2100 }, 2000],
    ['a negative context time', { contextTime: -0.01, performanceTime: 2000 }, 2000],
    ['a stale reading', { contextTime: 0.5, performanceTime: 300 }, 2000],
  ])('falls back on %s, and uses getOutputTimestamp once it is usable', async (_label, stamp, startMs) => {
    const { clock, audio } = setup(startMs);
    let usable = false;
    audio.outputTimestamp = () =>
      usable ? { contextTime: audio.currentTime - 0.02, performanceTime: clock.now() + 1.5 } : stamp;
    const metronome = start(audio, clock, { clicks: 8 });
    await clock.advance(1000);
    usable = true;
    await clock.advance(5000);
    const { clicks } = await metronome.done;
    const mappings = clicks.map((c) => c.mapping);
    expect(mappings[0]).toBe('currentTime');
    expect(mappings.at(-1)).toBe('outputTimestamp');
    expect(mappings.indexOf('outputTimestamp')).toBeGreaterThan(0);
    expect(mappings.slice(mappings.indexOf('outputTimestamp')).every((m) => m === 'outputTimestamp')).toBe(
      true,
    );
    const late = clicks.at(-1)!;
    expect(late.clickTimeMs).toBe(
      late.anchorPerformanceTimeMs + (late.audioTimeS - late.anchorContextTimeS) * 1000,
    );
  });

  it('a throwing getOutputTimestamp falls back too', () => {
    const { clock, audio } = setup();
    audio.getOutputTimestamp = () => {
      throw new Error('not supported');
    };
    expect(readClockAnchor(audio, () => clock.now()).mapping).toBe('currentTime');
  });
});

describe('audio nodes are cleaned up', () => {
  it('disconnects each click after it has sounded, and everything at the end', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, { intervalMs: 250, clicks: 16 });
    await clock.advance(2000);
    const done = audio.oscillators.filter((o) => o.stopTime! < audio.currentTime - 0.03);
    expect(done.length).toBeGreaterThan(3);
    for (const o of done) expect(o.connected).toBe(false);
    // still connected: the clicks scheduled ahead
    expect(audio.oscillators.some((o) => o.connected)).toBe(true);
    await clock.advance(3000);
    await metronome.done;
    expect(audio.nodes).toHaveLength(32);
    for (const node of audio.nodes) {
      expect(node.connected).toBe(false);
      expect(node.disconnects).toBeGreaterThan(0);
    }
    // oscillator → its gain → destination
    expect(audio.destination.connections).toHaveLength(0);
  });

  it('wires oscillator → gain → destination (or the given node) with a decaying envelope', () => {
    const { clock, audio } = setup();
    const destination = audio.createGain();
    start(audio, clock, { clicks: 1, destination, clickDurationMs: 40 });
    const osc = audio.oscillators[0]!;
    const gain = audio.gains[1]!;
    expect(osc.connections).toEqual([gain]);
    expect(gain.connections).toEqual([destination]);
    expect(osc.stopTime).toBeCloseTo(osc.startedAt! + 0.04, 12);
    expect(gain.gain.events.map((e) => e.method)).toEqual(['setValueAtTime', 'exponentialRampToValueAtTime']);
  });
});

describe('starting audio from a user gesture', () => {
  it('refuses a suspended context: the caller must resume it from a click or key handler', () => {
    const clock = new FakeClock(2000);
    const audio = new FakeAudioContext(() => clock.now(), { state: 'suspended' });
    expect(() => start(audio, clock)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    expect(audio.oscillators).toHaveLength(0);
  });

  it('resumeAudio calls resume() synchronously (inside the gesture) and resolves when running', async () => {
    const clock = new FakeClock(2000);
    const audio = new FakeAudioContext(() => clock.now(), { state: 'suspended' });
    const button = document.createElement('button');
    let resumed: Promise<void> | undefined;
    button.addEventListener('click', () => {
      resumed = resumeAudio(audio);
      expect(audio.resumeCalls).toBe(1);
    });
    button.click();
    await resumed;
    expect(audio.state).toBe('running');
    const metronome = start(audio, clock, { clicks: 1 });
    await clock.advance(500);
    await expect(metronome.done).resolves.toMatchObject({ reason: 'complete' });
  });

  it('resumeAudio rejects when the browser keeps the context suspended, or it is closed', async () => {
    const clock = new FakeClock(0);
    const audio = new FakeAudioContext(() => clock.now(), { state: 'suspended' });
    audio.resumeAllowed = false;
    await expect(resumeAudio(audio)).rejects.toMatchObject({ name: 'NotAllowedError' });
    audio.setState('closed');
    await expect(resumeAudio(audio)).rejects.toMatchObject({ name: 'InvalidStateError' });
  });

  it('marks an interrupted run and ends a stopped one while the audio clock stands still', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, { clicks: 10 });
    await clock.advance(1000);
    audio.setState('suspended');
    await clock.advance(1000);
    metronome.stop();
    const result = await metronome.done;
    expect(result.interrupted).toBe(true);
    expect(result.reason).toBe('stopped');
    expect(audio.nodes.every((n) => !n.connected)).toBe(true);
  });

  it('ends when the context is closed', async () => {
    const { clock, audio } = setup();
    const metronome = start(audio, clock, { clicks: 10 });
    await clock.advance(1000);
    audio.setState('closed');
    await clock.advance(100);
    await expect(metronome.done).resolves.toMatchObject({ reason: 'stopped', interrupted: true });
    expect(clock.pending).toBe(0);
  });

  it('a real AudioContext fits AudioContextLike', () => {
    expectTypeOf<AudioContext>().toExtend<AudioContextLike>();
  });
});

describe('storing clicks', () => {
  it.each(['tapping', 'scale'] as const)(
    'writes clickTimeMs, audioTimeS, accent, latencies and mapping into the %s metronome stream',
    async (taskId) => {
      const { clock, audio } = setup();
      audio.outputTimestamp = () => ({
        contextTime: Math.max(0, audio.currentTime - 0.0125),
        performanceTime: clock.now() - 3.75,
      });
      const streams = new StreamSet(taskId);
      const metronome = start(audio, clock, {
        clicks: 6,
        accents: [true, false],
        onClick: createMetronomeStreamWriter(streams.stream('metronome')),
      });
      await clock.advance(4000);
      const { clicks } = await metronome.done;
      const stored = streams.snapshot().metronome!.columns;
      expect(stored.clickTimeMs!.values).toEqual(clicks.map((c) => c.clickTimeMs));
      expect(stored.audioTimeS!.values).toEqual(audio.oscillators.map((o) => o.startedAt));
      expect(stored.accent!.values).toEqual([true, false, true, false, true, false]);
      expect(stored.baseLatencyS!.values).toEqual(clicks.map((c) => c.baseLatencyS));
      expect(stored.outputLatencyS!.values).toEqual(clicks.map((c) => c.outputLatencyS));
      expect(stored.mapping!.values).toEqual(clicks.map((c) => c.mapping));
      // each stored time is the scheduled time mapped through the reading taken when it was scheduled
      stored.clickTimeMs!.values.forEach((t, k) => {
        const osc = audio.oscillators[k]!;
        const stamp = osc.timestampAtStart!;
        expect(t).toBe(stamp.performanceTime! + (osc.startedAt! - stamp.contextTime!) * 1000);
      });
    },
  );

  it('drops clicks when the stream is full and says so once', () => {
    const stream = new StreamBuilder(
      'metronome',
      {
        clickTimeMs: 'f64',
        audioTimeS: 'f64',
        accent: 'bool',
        baseLatencyS: 'f64',
        outputLatencyS: 'f64',
        mapping: 'str',
      },
      2,
    );
    const onOverflow = vi.fn();
    const write = createMetronomeStreamWriter(stream, onOverflow);
    const click = (index: number): MetronomeClick => ({
      index,
      accent: false,
      audioTimeS: index,
      clickTimeMs: index * 1000,
      mapping: 'outputTimestamp',
      anchorContextTimeS: 0,
      anchorPerformanceTimeMs: 0,
      baseLatencyS: null,
      outputLatencyS: null,
    });
    expect([0, 1, 2, 3].map((i) => write(click(i)))).toEqual([true, true, false, false]);
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(stream.rows).toBe(2);
  });

  it('metronomeFacts summarises the latencies and mapping sources', async () => {
    const { clock, audio } = setup();
    let usable = false;
    audio.outputTimestamp = () =>
      usable
        ? { contextTime: audio.currentTime, performanceTime: clock.now() }
        : { contextTime: 0, performanceTime: 0 };
    const metronome = start(audio, clock, { clicks: 8 });
    await clock.advance(600);
    usable = true;
    await clock.advance(1000);
    audio.outputLatency = 0.25;
    await clock.advance(4000);
    const result = await metronome.done;
    const facts = metronomeFacts(result);
    expect(facts).toMatchObject({ intervalMs: 500, clicksPlayed: 8, missedCount: 0, interrupted: false });
    const segments = facts.latency as {
      fromIndex: number;
      clicks: number;
      mapping: string;
      outputLatencyS: number;
    }[];
    expect(segments.map((s) => s.mapping)).toEqual(['currentTime', 'outputTimestamp', 'outputTimestamp']);
    expect(segments.map((s) => s.outputLatencyS)).toEqual([0.02, 0.02, 0.25]);
    expect(segments.reduce((n, s) => n + s.clicks, 0)).toBe(8);
    expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
  });
});
