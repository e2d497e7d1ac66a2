import { describe, expect, it } from 'vitest';
import { StreamBuilder, StreamSet } from './columns';

describe('StreamBuilder', () => {
  it('appends rows beyond its initial capacity and snapshots them as plain arrays', () => {
    const s = new StreamBuilder(
      'test',
      { timeStampMs: 'f64', pointerId: 'i32', label: 'str', repeat: 'bool' },
      10_000,
    );
    const t = s.f64('timeStampMs');
    const id = s.i32('pointerId');
    const label = s.str('label');
    const repeat = s.bool('repeat');
    for (let i = 0; i < 1000; i++) {
      t.push(i + 0.25);
      id.push(i - 500);
      label.push(`r${i}`);
      repeat.push(i % 3 === 0);
      s.endRow();
    }
    const { columns } = s.snapshot();
    expect(s.rows).toBe(1000);
    expect(columns.timeStampMs).toEqual({
      type: 'f64',
      values: Array.from({ length: 1000 }, (_, i) => i + 0.25),
    });
    expect(columns.pointerId!.values[0]).toBe(-500);
    expect(columns.pointerId!.values[999]).toBe(499);
    expect(columns.label!.values[999]).toBe('r999');
    expect(columns.repeat!.values.slice(0, 4)).toEqual([true, false, false, true]);
  });

  it('stores missing numbers as null (f64) and -1 (i32)', () => {
    const s = new StreamBuilder('test', { xPx: 'f64', buttonsMaskId: 'i32' }, 10);
    for (const value of [undefined, null, NaN, Infinity, 3.5]) {
      s.f64('xPx').push(value);
      s.i32('buttonsMaskId').push(value === 3.5 ? 2 : value);
      s.endRow();
    }
    expect(s.snapshot().columns.xPx!.values).toEqual([null, null, null, null, 3.5]);
    expect(s.snapshot().columns.buttonsMaskId!.values).toEqual([-1, -1, -1, -1, 2]);
  });

  it('endRow() rejects a row where a column got no value, and snapshots keep only complete rows', () => {
    const s = new StreamBuilder('test', { a: 'str', bMs: 'f64' }, 10);
    s.str('a').push('x');
    s.f64('bMs').push(1);
    s.endRow();
    s.str('a').push('y');
    expect(() => s.endRow()).toThrow(/column "test.bMs" has 1 values/);
    expect(s.snapshot().columns).toEqual({
      a: { type: 'str', values: ['x'] },
      bMs: { type: 'f64', values: [1] },
    });
  });

  it('a snapshot does not change when rows are appended later', () => {
    const s = new StreamBuilder('test', { tMs: 'f64' }, 10);
    s.f64('tMs').push(1);
    s.endRow();
    const before = s.snapshot();
    s.f64('tMs').push(2);
    s.endRow();
    expect(before.columns.tMs!.values).toEqual([1]);
  });

  it('hands out columns only by their declared type', () => {
    const s = new StreamBuilder('test', { tMs: 'f64' }, 10);
    expect(() => s.i32('tMs')).toThrow(TypeError);
    expect(() => s.f64('nope')).toThrow(RangeError);
  });

  it('hasRoom() says when maxRows is reached', () => {
    const s = new StreamBuilder('test', { tMs: 'f64' }, 2);
    expect(s.hasRoom(2)).toBe(true);
    s.f64('tMs').push(1);
    s.endRow();
    expect(s.hasRoom(2)).toBe(false);
    expect(s.hasRoom()).toBe(true);
  });
});

describe('StreamSet', () => {
  it('builds streams from core spec, with required columns always and optional ones on request', () => {
    const set = new StreamSet('tapping');
    const keyboard = set.stream('keyboard', ['keyLocationIndex']);
    expect(keyboard.columnNames()).toEqual([
      'type',
      'timeStampMs',
      'code',
      'repeat',
      'isComposing',
      'keyLocationIndex',
    ]);
    expect(keyboard.maxRows).toBe(12_000);
    expect(set.stream('pointer').columnNames()).toContain('altitudeAngleRad');
    expect(Object.keys(set.snapshot())).toEqual(['markers', 'visibility', 'keyboard', 'pointer']);
  });

  it('refuses streams and columns the task does not declare', () => {
    const set = new StreamSet('tapping');
    expect(() => set.stream('midi')).toThrow(/no stream "midi"/);
    expect(() => set.stream('keyboard', ['pressureNorm'])).toThrow(/no column "pressureNorm"/);
  });

  it('durationMs() runs from the first trial-start to the last trial-end, or to now', () => {
    const set = new StreamSet('tapping');
    expect(set.durationMs(100)).toBe(0);
    set.mark('countdown-3', 50);
    set.mark('trial-start', 1000);
    expect(set.durationMs(1500)).toBe(500);
    set.mark('trial-end', 3000);
    set.mark('trial-start', 4000);
    set.mark('trial-end', 6000);
    expect(set.durationMs(9999)).toBe(5000);
  });
});
