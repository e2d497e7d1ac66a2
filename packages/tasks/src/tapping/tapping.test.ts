import { parseTaskRecording, type Recording, type Stream } from '@dystrack/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskAbortedError } from '../runner';
import { simulateRecording } from '../simulate';
import { dispatchAt, dispatchKey, dispatchPointer, type PointerInit } from '../testing/events';
import { startRun } from '../testing/harness';
import { tapping } from './index';

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const targets = (element: HTMLElement) => [...element.querySelectorAll<HTMLElement>('[data-target]')];
const counter = (element: HTMLElement) => element.querySelector('.dt-tapping-count')!.textContent;
const stopButton = (element: HTMLElement) => element.querySelector<HTMLButtonElement>('.dt-tapping-stop')!;
const column = (stream: Stream | undefined, name: string) => stream!.columns[name]!.values;
const markers = (recording: Recording) =>
  column(recording.streams.markers, 'label').map((label, i) => [
    label,
    column(recording.streams.markers, 'timeStampMs')[i],
  ]);

/** A touch sample: every field the pointer stream records, with distinctive values. */
function touch(
  timeStamp: number,
  pointerId: number,
  x: number,
  extra: Partial<PointerInit> = {},
): PointerInit {
  return {
    timeStamp,
    pointerId,
    pointerType: 'touch',
    isPrimary: true,
    clientX: x,
    clientY: 300.5,
    pressure: 0.4,
    tangentialPressure: 0.1,
    tiltX: 12,
    tiltY: -7,
    twist: 30,
    altitudeAngle: 1.2,
    azimuthAngle: 0.7,
    width: 22.5,
    height: 18,
    buttons: 1,
    ...extra,
  };
}

/** What the pointer stream must hold for a dispatched event or sample: the values the event itself reports. */
function expectedRow(type: string, e: PointerEvent, coalesced: boolean) {
  const a = e as PointerEvent & { altitudeAngle?: number; azimuthAngle?: number };
  return {
    type,
    timeStampMs: e.timeStamp,
    coalesced,
    pointerId: e.pointerId,
    pointerType: e.pointerType,
    isPrimary: e.isPrimary,
    xPx: e.clientX,
    yPx: e.clientY,
    pressureNorm: e.pressure,
    tangentialPressureNorm: e.tangentialPressure,
    tiltXDeg: e.tiltX,
    tiltYDeg: e.tiltY,
    twistDeg: e.twist,
    altitudeAngleRad: a.altitudeAngle ?? null,
    azimuthAngleRad: a.azimuthAngle ?? null,
    widthPx: e.width,
    heightPx: e.height,
    buttonsMaskId: e.buttons,
  };
}

function rows(stream: Stream): Record<string, unknown>[] {
  const names = Object.keys(stream.columns);
  const n = stream.columns[names[0]!]!.values.length;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((name) => [name, stream.columns[name]!.values[i]])),
  );
}

describe('tapping by pointer', () => {
  it('records every pointer field with the event time stamps, coalesced samples once each', async () => {
    const run = startRun(tapping, { params: { durationS: 20 } });
    const [left, right] = targets(run.element);
    const expected: ReturnType<typeof expectedRow>[] = [];

    // A false start during the countdown is recorded, but not counted.
    let e = dispatchPointer(left!, 'pointerdown', touch(11_000.25, 2, 100.25));
    expected.push(expectedRow('pointerdown', e, false));
    e = dispatchPointer(left!, 'pointerup', touch(11_080.5, 2, 100.25, { pressure: 0, buttons: 0 }));
    expected.push(expectedRow('pointerup', e, false));
    await run.clock.advance(3000); // go at 13 000

    e = dispatchPointer(left!, 'pointerdown', touch(13_210.1, 3, 101));
    expected.push(expectedRow('pointerdown', e, false));
    // A move with two coalesced samples: stored as the two samples, not the dispatched event.
    const move = dispatchPointer(left!, 'pointermove', {
      ...touch(13_250.3, 3, 103),
      coalesced: [touch(13_246.1, 3, 102, { pressure: 0.45 }), touch(13_250.3, 3, 103)],
    });
    for (const sample of move.getCoalescedEvents()) expected.push(expectedRow('pointermove', sample, true));
    // A move without coalesced samples is stored as dispatched.
    e = dispatchPointer(left!, 'pointermove', touch(13_262, 3, 104));
    expected.push(expectedRow('pointermove', e, false));
    e = dispatchPointer(left!, 'pointerup', touch(13_300.7, 3, 104, { pressure: 0, buttons: 0 }));
    expected.push(expectedRow('pointerup', e, false));
    // A hover move with no pointer down is not recorded.
    dispatchPointer(right!, 'pointermove', touch(13_350, 1, 180, { pointerType: 'mouse', buttons: 0 }));
    e = dispatchPointer(right!, 'pointerdown', touch(13_420, 4, 190));
    expected.push(expectedRow('pointerdown', e, false));
    e = dispatchPointer(right!, 'pointerup', touch(13_515, 4, 190, { pressure: 0, buttons: 0 }));
    expected.push(expectedRow('pointerup', e, false));
    // A tap that misses both targets (on the area) is recorded too.
    e = dispatchPointer(run.element.querySelector('.dt-tapping-area')!, 'pointerdown', touch(13_600, 5, 400));
    expected.push(expectedRow('pointerdown', e, false));
    e = dispatchPointer(
      run.element.querySelector('.dt-tapping-area')!,
      'pointerup',
      touch(13_690, 5, 400, { buttons: 0 }),
    );
    expected.push(expectedRow('pointerup', e, false));

    expect(counter(run.element)).toBe('2');
    await run.clock.advance(20_000);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    expect(rows(recording.streams.pointer!)).toEqual(expected);
    expect(expected[3]!.pressureNorm).toBeCloseTo(0.45, 6); // the coalesced sample's own pressure
    expect(recording.streams.keyboard).toBeUndefined();
    expect(markers(recording)).toEqual([
      ['countdown-3', 10_000],
      ['countdown-2', 11_000],
      ['countdown-1', 12_000],
      ['trial-start', 13_000],
      ['trial-end', 33_000],
    ]);
    expect(recording.durationMs).toBe(20_000);
    expect(recording.taskId).toBe('tapping');
    expect(recording.taskVersion).toBe(tapping.definition.version);
    expect(recording.params).toMatchObject({
      input: 'pointer',
      durationS: 20,
      keyLeft: 'KeyJ',
      keyRight: 'KeyK',
    });
    expect(recording.params.layout).toMatchObject({ targets: [{ diameterPx: expect.any(Number) }, {}] });
    expect(recording.flags).toEqual([]);
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });

  it('works where the DOM has no PointerEvent (polyfilled from MouseEvent)', async () => {
    vi.stubGlobal('PointerEvent', undefined);
    const run = startRun(tapping, { params: { durationS: 5 } });
    await run.clock.advance(3000);
    const e = dispatchPointer(targets(run.element)[0]!, 'pointerdown', touch(13_100, 7, 90));
    expect(e).toBeInstanceOf(MouseEvent);
    dispatchPointer(targets(run.element)[0]!, 'pointerup', touch(13_180, 7, 90, { buttons: 0 }));
    await run.clock.advance(5000);
    const recording = await run.done;
    expect(rows(recording.streams.pointer!)[0]).toEqual(expectedRow('pointerdown', e, false));
    expect(rows(recording.streams.pointer!)[0]).toMatchObject({
      pointerId: 7,
      pressureNorm: 0.4,
      tiltXDeg: 12,
      altitudeAngleRad: 1.2,
    });
  });

  it('keeps recording after the time is up until fingers still down have lifted', async () => {
    const run = startRun(tapping, { params: { durationS: 5 } });
    await run.clock.advance(3000);
    const [left] = targets(run.element);
    dispatchPointer(left!, 'pointerdown', touch(17_990, 9, 100));
    await run.clock.advance(5000); // trial ends at 18 000 with the finger down
    dispatchPointer(left!, 'pointerup', touch(18_070, 9, 100, { buttons: 0 }));
    const recording = await run.done;
    expect(column(recording.streams.pointer, 'type')).toEqual(['pointerdown', 'pointerup']);
    expect(column(recording.streams.pointer, 'timeStampMs')).toEqual([17_990, 18_070]);
    expect(recording.durationMs).toBe(5000);
  });

  it('shows the remaining time as a progress bar and the tap count', async () => {
    const run = startRun(tapping, { params: { durationS: 20 } });
    const bar = run.element.querySelector('[role="progressbar"]')!;
    await run.clock.advance(3000);
    expect(bar.getAttribute('aria-valuenow')).toBe('20');
    await run.clock.advance(10_400);
    expect(bar.getAttribute('aria-valuenow')).toBe('10');
    expect(bar.getAttribute('aria-valuetext')).toBe('10 seconds left');
    expect(run.announcements).toContain('10 seconds left');
    await run.clock.advance(10_000);
    await run.done;
    expect(run.announcements.at(-1)).toBe('Time is up. You tapped 0 times.');
  });

  it('draws targets of at least 64 px and a Stop button of at least 64 px height', () => {
    const run = startRun(tapping, { params: { targetDiameterMm: 10 } });
    for (const target of targets(run.element))
      expect(parseFloat(target.style.width)).toBeGreaterThanOrEqual(64);
    expect(parseFloat(stopButton(run.element).style.minHeight)).toBeGreaterThanOrEqual(64);
    run.controller.abort();
  });
});

describe('tapping by keys', () => {
  it('records keydown and keyup with code, time stamp, repeat and location, without the typed key', async () => {
    const run = startRun(tapping, { hand: 'left', params: { input: 'keys', durationS: 10 } });
    expect(targets(run.element).map((t) => t.textContent)).toEqual(['D', 'F']);
    await run.clock.advance(3000);
    const sent = [
      ['keydown', 'KeyD', 13_100.5, false],
      ['keyup', 'KeyD', 13_190.25, false],
      ['keydown', 'KeyF', 13_305, false],
      ['keydown', 'KeyF', 13_805, true],
      ['keyup', 'KeyF', 13_840, false],
      ['keydown', 'KeyA', 13_900, false],
    ] as const;
    const events = sent.map(([type, code, timeStamp, repeat]) =>
      dispatchKey(document.body, type, { code, key: code.slice(3).toLowerCase(), timeStamp, repeat }),
    );
    expect(events[0]!.defaultPrevented).toBe(true);
    expect(events[5]!.defaultPrevented).toBe(false);
    expect(counter(run.element)).toBe('2');
    await run.clock.advance(10_000);
    const recording = await run.done;

    expect(() => parseTaskRecording(recording)).not.toThrow();
    const keyboard = recording.streams.keyboard!;
    expect(Object.keys(keyboard.columns).sort()).toEqual([
      'code',
      'isComposing',
      'keyLocationIndex',
      'repeat',
      'timeStampMs',
      'type',
    ]);
    expect(rows(keyboard)).toEqual(
      sent.map(([type, code, timeStamp, repeat]) => ({
        type,
        code,
        timeStampMs: timeStamp,
        repeat,
        isComposing: false,
        keyLocationIndex: 0,
      })),
    );
    expect(recording.streams.pointer).toBeUndefined();
    expect(recording.params).toMatchObject({ input: 'keys', keyLeft: 'KeyD', keyRight: 'KeyF' });
  });

  it('uses chosen keys and rejects two equal keys', async () => {
    const run = startRun(tapping, { params: { input: 'keys', keyLeft: 'KeyF', keyRight: 'KeyJ' } });
    expect(targets(run.element).map((t) => t.textContent)).toEqual(['F', 'J']);
    run.controller.abort();
    await expect(run.done).rejects.toMatchObject({ name: 'AbortError' });
    const bad = startRun(tapping, { params: { input: 'keys', keyLeft: 'KeyF', keyRight: 'KeyF' } });
    await expect(bad.done).rejects.toThrow(/must differ/);
  });
});

describe('tapping: stop, abort and checkpoints', () => {
  it('stops only on a second press of Stop, and keeps the taps', async () => {
    const run = startRun(tapping, { params: { durationS: 20 } });
    const stop = stopButton(run.element);
    expect(stop.disabled).toBe(true);
    await run.clock.advance(3000);
    expect(stop.disabled).toBe(false);
    stop.click();
    expect(stop.textContent).toBe('Press again to stop');
    await run.clock.advance(4000); // the first press expires
    expect(stop.textContent).toBe('Stop');
    dispatchPointer(targets(run.element)[0]!, 'pointerdown', touch(17_100, 3, 100));
    dispatchPointer(targets(run.element)[0]!, 'pointerup', touch(17_180, 3, 100, { buttons: 0 }));
    stop.click();
    await run.clock.advance(500);
    stop.click();
    const recording = await run.done;
    expect(recording.flags).toEqual(['STOPPED_EARLY']);
    expect(recording.durationMs).toBe(4500);
    expect(markers(recording).map(([label]) => label)).toEqual([
      'countdown-3',
      'countdown-2',
      'countdown-1',
      'trial-start',
      'stop-request',
      'stop-request',
      'stop',
      'trial-end',
    ]);
    expect(column(recording.streams.pointer, 'timeStampMs')).toEqual([17_100, 17_180]);
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });

  it('rejects with an AbortError when aborted mid-run, and the last checkpoint keeps the taps', async () => {
    const run = startRun(tapping, { params: { durationS: 20 } });
    await run.clock.advance(3000);
    const [left, right] = targets(run.element);
    dispatchPointer(left!, 'pointerdown', touch(13_100, 3, 100));
    dispatchPointer(left!, 'pointerup', touch(13_190, 3, 100, { buttons: 0 }));
    dispatchPointer(right!, 'pointerdown', touch(13_300, 4, 200));
    await run.clock.advance(2500);
    run.controller.abort();
    const error: unknown = await run.done.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskAbortedError);
    expect((error as Error).name).toBe('AbortError');
    const last = run.checkpoints.at(-1)!.recording;
    expect((error as TaskAbortedError).recording).toStrictEqual(last);
    expect(last.flags).toEqual(expect.arrayContaining(['INCOMPLETE', 'ABORTED']));
    expect(column(last.streams.pointer, 'timeStampMs')).toEqual([13_100, 13_190, 13_300]);
    expect(markers(last).at(-1)).toEqual(['abort', 15_500]);
    expect(last.durationMs).toBe(2500);
    expect(() => parseTaskRecording(last)).not.toThrow();
    expect(run.element.children).toHaveLength(0);
    expect(run.clock.pending).toBe(0);
  });

  it('checkpoints at least every 2 s and at the trial end, each a valid INCOMPLETE recording with the same id', async () => {
    const run = startRun(tapping, { params: { durationS: 10 } });
    await run.clock.advance(3000);
    let t = 13_050;
    for (let i = 0; i < 40; i++) {
      const target = targets(run.element)[i % 2]!;
      dispatchPointer(target, 'pointerdown', touch(t, 10 + i, 100));
      dispatchPointer(target, 'pointerup', touch(t + 90, 10 + i, 100, { buttons: 0 }));
      await run.clock.advance(200);
      t += 200;
    }
    await run.clock.advance(5000);
    const final = await run.done;

    const times = [10_000, ...run.checkpoints.map((c) => c.atMs), 23_000];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(2000);
    const atEnd = run.checkpoints.find((c) => markers(c.recording).some(([label]) => label === 'trial-end'))!;
    expect(atEnd.atMs).toBe(23_000);
    expect(column(atEnd.recording.streams.pointer, 'timeStampMs')).toHaveLength(80);
    for (const { recording } of run.checkpoints) {
      expect(recording.id).toBe(final.id);
      expect(recording.flags).toContain('INCOMPLETE');
      expect(() => parseTaskRecording(recording)).not.toThrow();
    }
    // Checkpoints grow: a crash loses at most the last interval.
    const sizes = run.checkpoints.map((c) => column(c.recording.streams.pointer, 'type').length);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(final.flags).not.toContain('INCOMPLETE');
  });

  it('records hidden periods, checkpoints when hidden, and flags TAB_HIDDEN', async () => {
    const run = startRun(tapping, { params: { durationS: 10 } });
    await run.clock.advance(3000);
    const before = run.checkpoints.length;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    dispatchAt(document, 'visibilitychange', 14_000.5);
    expect(run.checkpoints.length).toBe(before + 1);
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    dispatchAt(document, 'visibilitychange', 16_500.5);
    dispatchAt(window, 'blur', 17_000);
    dispatchAt(window, 'focus', 17_100);
    await run.clock.advance(10_000);
    const recording = await run.done;
    delete (document as { visibilityState?: unknown }).visibilityState;

    expect(rows(recording.streams.visibility!)).toEqual([
      { timeStampMs: 14_000.5, state: 'hidden' },
      { timeStampMs: 16_500.5, state: 'visible' },
      { timeStampMs: 17_000, state: 'blur' },
      { timeStampMs: 17_100, state: 'focus' },
    ]);
    expect(recording.timing).toMatchObject({ hiddenCount: 1, hiddenMs: 2500 });
    expect(recording.flags).toContain('TAB_HIDDEN');
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });
});

describe('tapping simulate', () => {
  const itis = (recording: Recording) => {
    const stream = recording.streams.pointer ?? recording.streams.keyboard!;
    const types = column(stream, 'type');
    const times = column(stream, 'timeStampMs') as number[];
    const downs = times.filter((_, i) => types[i] === 'pointerdown' || types[i] === 'keydown');
    return downs.slice(1).map((t, i) => t - downs[i]!);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateRecording(tapping, { hand: 'right', seed: 11 });
    expect(simulateRecording(tapping, { hand: 'right', seed: 11 })).toEqual(a);
    const b = simulateRecording(tapping, { hand: 'right', seed: 12 });
    expect(b.id).not.toBe(a.id);
    expect(b.streams.pointer).not.toEqual(a.streams.pointer);
  });

  it('gives valid, realistic alternating taps for both hands and both inputs', () => {
    for (const input of ['pointer', 'keys']) {
      for (const hand of ['left', 'right'] as const) {
        for (const seed of [1, 2, 3]) {
          const recording = simulateRecording(tapping, { hand, seed, params: { input } });
          expect(() => parseTaskRecording(recording)).not.toThrow();
          expect(recording.flags).toEqual(['SIMULATED']);
          expect(recording.durationMs).toBe(20_000);
          const intervals = itis(recording);
          expect(intervals.length).toBeGreaterThan(70);
          expect(median(intervals)).toBeGreaterThan(170);
          expect(median(intervals)).toBeLessThan(260);
          const stream = recording.streams.pointer ?? recording.streams.keyboard!;
          const types = column(stream, 'type');
          const sameTarget =
            input === 'keys'
              ? (() => {
                  const codes = column(stream, 'code').filter((_, i) => types[i] === 'keydown');
                  return codes.slice(1).filter((c, i) => c === codes[i]).length / codes.length;
                })()
              : (() => {
                  const xs = (column(stream, 'xPx') as number[]).filter((_, i) => types[i] === 'pointerdown');
                  return xs.slice(1).filter((x, i) => x < 640 === xs[i]! < 640).length / xs.length;
                })();
          expect(sameTarget).toBeLessThan(0.1);
        }
      }
    }
  });

  it('has dwell times of 80–120 ms on average', () => {
    const recording = simulateRecording(tapping, { hand: 'right', seed: 4 });
    const stream = recording.streams.pointer!;
    const types = column(stream, 'type');
    const ids = column(stream, 'pointerId');
    const times = column(stream, 'timeStampMs') as number[];
    const downAt = new Map<number, number>();
    const dwells: number[] = [];
    types.forEach((type, i) => {
      if (type === 'pointerdown') downAt.set(ids[i] as number, times[i]!);
      if (type === 'pointerup') dwells.push(times[i]! - downAt.get(ids[i] as number)!);
    });
    const mean = dwells.reduce((s, d) => s + d, 0) / dwells.length;
    expect(mean).toBeGreaterThan(70);
    expect(mean).toBeLessThan(130);
  });

  it('fills the maximum duration with longest', () => {
    const recording = simulateRecording(tapping, { hand: 'left', seed: 5, longest: true });
    expect(recording.durationMs).toBe(300_000);
    expect(recording.params.durationS).toBe(300);
    expect(() => parseTaskRecording(recording)).not.toThrow();
  });
});
