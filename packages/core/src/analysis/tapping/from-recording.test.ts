import { describe, expect, it } from 'vitest';
import type { Stream } from '../../recording/columns.js';
import type { Recording } from '../../recording/versions.js';
import { analyzeTapping } from './analyzer.js';
import { MM_PER_CSS_PX, tappingFromRecording } from './from-recording.js';
import { testRecording } from '../test-utils/recording.js';

const f64 = (values: (number | null)[]) => ({ type: 'f64' as const, values });
const str = (values: string[]) => ({ type: 'str' as const, values });
const bool = (values: boolean[]) => ({ type: 'bool' as const, values });
const i32 = (values: number[]) => ({ type: 'i32' as const, values });

type PointerRow = [type: string, timeStampMs: number, pointerId: number, xPx: number, yPx: number];
function pointer(rows: PointerRow[]): Stream {
  return {
    columns: {
      type: str(rows.map((r) => r[0])),
      timeStampMs: f64(rows.map((r) => r[1])),
      coalesced: bool(rows.map(() => false)),
      pointerId: i32(rows.map((r) => r[2])),
      pointerType: str(rows.map(() => 'touch')),
      xPx: f64(rows.map((r) => r[3])),
      yPx: f64(rows.map((r) => r[4])),
    },
  };
}

type KeyRow = [type: string, timeStampMs: number, code: string, repeat?: boolean];
function keyboard(rows: KeyRow[]): Stream {
  return {
    columns: {
      type: str(rows.map((r) => r[0])),
      timeStampMs: f64(rows.map((r) => r[1])),
      code: str(rows.map((r) => r[2])),
      repeat: bool(rows.map((r) => r[3] ?? false)),
      isComposing: bool(rows.map(() => false)),
    },
  };
}

const markers = (rows: [number, string][]): Stream => ({
  columns: { timeStampMs: f64(rows.map((r) => r[0])), label: str(rows.map((r) => r[1])) },
});
const metronome = (clicks: number[]): Stream => ({
  columns: {
    clickTimeMs: f64(clicks),
    audioTimeS: f64(clicks.map((c) => c / 1000)),
    accent: bool(clicks.map(() => false)),
  },
});

function recording(
  taskId: Recording['taskId'],
  streams: Record<string, Stream>,
  params: Recording['params'],
): Recording {
  return testRecording(taskId, streams, { params });
}

/** The task's layout: two targets 96 px apart (25.4 mm at the nominal scale), centres at y = 480. */
const layout = {
  targets: [
    { centreXPx: 592, centreYPx: 480, diameterPx: 76 },
    { centreXPx: 688, centreYPx: 480, diameterPx: 76 },
  ],
  area: { leftPx: 0, topPx: 160, widthPx: 1280, heightPx: 640 },
  pxPerMmNominal: 96 / 25.4,
};

const touches: PointerRow[] = [
  ['pointerdown', 4000, 1, 600, 480], // during the countdown: a false start
  ['pointerup', 4080, 1, 600, 480],
  ['pointerdown', 5000, 2, 592, 480], // on the left centre
  ['pointermove', 5040, 2, 593, 481],
  ['pointerdown', 5080, 3, 700, 489], // right, while finger 2 is still down
  ['pointerup', 5100, 2, 593, 481],
  ['pointerup', 5240, 3, 700, 489],
  ['pointerdown', 5400, 4, 680, 470], // right again: an alternation error
  ['pointercancel', 5470, 4, 680, 470],
  ['pointerdown', 5600, 5, 590, 484], // left
  ['pointerup', 5690, 5, 590, 484],
  ['pointerdown', 5800, 6, 600, 480], // never released: left out
];

describe('tappingFromRecording, screen taps', () => {
  const streams = {
    pointer: pointer(touches),
    markers: markers([
      [4500, 'trial-start'],
      [25_000, 'trial-end'],
    ]),
  };

  it('pairs pointers, keeps the trial, labels the nearest target and converts px to mm', () => {
    const input = tappingFromRecording(recording('tapping', streams, { input: 'pointer', layout }));
    expect(input.taps.map((t) => [t.downMs, t.upMs, t.target])).toEqual([
      [5000, 5100, 'left'],
      [5080, 5240, 'right'],
      [5400, 5470, 'right'],
      [5600, 5690, 'left'],
    ]);
    expect(input.taps[1]!.xMm).toBeCloseTo(700 * MM_PER_CSS_PX, 12);
    expect(input.taps[1]!.yMm).toBeCloseTo(489 * MM_PER_CSS_PX, 12);
    expect(input.targetCentresMm!.left!.xMm).toBeCloseTo(592 * MM_PER_CSS_PX, 12);
    expect(input.flags).toEqual(['NOMINAL_SCALE']);
    expect(input.beatsMs).toEqual([]);
    expect(input.continuationFromMs).toBeNull();

    const m = analyzeTapping(input).metrics;
    expect(m.tap_count).toBe(4);
    expect(m.alternation_error_count).toBe(1);
    // distances from own centre, px: 0, √(12² + 9²) = 15, √(8² + 10²), √(2² + 4²)
    const px = [0, 15, Math.hypot(8, 10), Math.hypot(2, 4)];
    expect(m.spatial_error_mean_mm).toBeCloseTo(
      ((px[0]! + px[1]! + px[2]! + px[3]!) / 4) * MM_PER_CSS_PX,
      10,
    );
  });

  it('uses a calibrated scale when the params give one (no NOMINAL_SCALE)', () => {
    const input = tappingFromRecording(
      recording('tapping', streams, { input: 'pointer', layout, pxPerMm: 5 }),
    );
    expect(input.taps[1]!.xMm).toBeCloseTo(140, 12);
    expect(input.flags).toEqual([]);
  });
});

describe('tappingFromRecording, keys and metronome', () => {
  it('counts only the two tapping keys, drops auto-repeat, reads clicks and the continuation marker', () => {
    const rows: KeyRow[] = [
      ['keydown', 1000, 'KeyJ'],
      ['keyup', 1090, 'KeyJ'],
      ['keydown', 1250, 'KeyK'],
      ['keydown', 1300, 'Space'], // not a tapping key
      ['keyup', 1320, 'Space'],
      ['keyup', 1340, 'KeyK'],
      ['keydown', 1500, 'KeyJ'],
      ['keydown', 1550, 'KeyJ', true], // auto-repeat
      ['keyup', 1600, 'KeyJ'],
      ['keydown', 2000, 'KeyK'],
      ['keyup', 2100, 'KeyK'],
      ['keydown', 2500, 'KeyJ'],
      ['keyup', 2590, 'KeyJ'],
    ];
    const input = tappingFromRecording(
      recording(
        'tapping',
        {
          keyboard: keyboard(rows),
          metronome: metronome([1000, 1500, 1250]),
          markers: markers([[1800, 'continuation-start']]),
        },
        { input: 'keys', keyLeft: 'KeyJ', keyRight: 'KeyK' },
      ),
    );
    expect(input.taps.map((t) => [t.downMs, t.upMs, t.target])).toEqual([
      [1000, 1090, 'left'],
      [1250, 1340, 'right'],
      [1500, 1600, 'left'],
      [2000, 2100, 'right'],
      [2500, 2590, 'left'],
    ]);
    expect(input.beatsMs).toEqual([1000, 1250, 1500]);
    expect(input.continuationFromMs).toBe(1800);
    expect(input.flags).toEqual(['AUTO_REPEAT_DROPPED']);
    expect(input.taps.every((t) => t.xMm === null)).toBe(true);
  });

  it('infers the continuation start after the last click when there is no marker', () => {
    const rows: KeyRow[] = [];
    for (let t = 1000; t <= 4000; t += 500) rows.push(['keydown', t, 'Space'], ['keyup', t + 80, 'Space']);
    const input = tappingFromRecording(
      recording('tapping', { keyboard: keyboard(rows), metronome: metronome([1000, 1500, 2000]) }, {}),
    );
    expect(input.taps.length).toBe(7);
    expect(input.taps[0]!.target).toBe('Space');
    expect(input.continuationFromMs).toBe(2250);
  });

  it('refuses another task (E_TASK_MISMATCH) and a missing stream (E_INPUT_COLUMNS)', () => {
    expect(() => tappingFromRecording(recording('typing', {}, {}))).toThrow(
      expect.objectContaining({ code: 'E_TASK_MISMATCH' }),
    );
    expect(() => tappingFromRecording(recording('tapping', {}, { input: 'keys' }))).toThrow(
      expect.objectContaining({ code: 'E_INPUT_COLUMNS' }),
    );
    expect(() => tappingFromRecording(recording('tapping', {}, {}))).toThrow(
      expect.objectContaining({ code: 'E_INPUT_COLUMNS' }),
    );
  });
});
