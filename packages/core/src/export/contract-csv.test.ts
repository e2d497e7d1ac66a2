import { describe, expect, it } from 'vitest';
import { loadAnalysisInput } from '../analysis/formats/load.js';
import type {
  AnalysisInput,
  PenInput,
  ScaleInput,
  TappingInput,
  TremorInput,
  TypingInput,
} from '../analysis/inputs.js';
import { toContractCsv } from './contract-csv.js';

/** Writes the input as contract CSV and reads it back with the analysis's own CSV readers. */
function roundTrip<T extends AnalysisInput>(input: T): T {
  return loadAnalysisInput(input.task, 'exported.csv', new TextEncoder().encode(toContractCsv(input))) as T;
}

const f64 = (values: number[]) => Float64Array.from(values);

describe('recording samples in the contract CSV formats', () => {
  it('typing: presses with code and key, also keys that look like CSV or formulas', () => {
    const input: TypingInput = {
      task: 'typing',
      presses: [
        { downMs: 0, upMs: 95.5, code: 'KeyA', key: 'a' },
        { downMs: 180, upMs: 260, code: 'Comma', key: ',' },
        { downMs: 350, upMs: 420, code: 'Equal', key: '=' },
        { downMs: 500, upMs: 570, code: 'Quote', key: '"' },
        { downMs: 640, upMs: 700, code: 'KeyB', key: null },
      ],
      flags: [],
    };
    expect(roundTrip(input).presses).toEqual(input.presses);
  });

  it('tapping: taps with targets and positions, and the metronome clicks', () => {
    const input: TappingInput = {
      task: 'tapping',
      taps: [
        { downMs: 10, upMs: 90, target: 'L', xMm: 12.5, yMm: -3 },
        { downMs: 510, upMs: 600, target: 'R', xMm: null, yMm: null },
        { downMs: 1010, upMs: 1090, target: null, xMm: 1, yMm: 2 },
      ],
      beatsMs: [0, 500],
      continuationFromMs: null,
      flags: [],
    };
    const back = roundTrip(input);
    expect(back.taps).toEqual(input.taps);
    expect(back.beatsMs).toEqual(input.beatsMs);
  });

  it('tapping: refuses to drop clicks when there are more clicks than taps', () => {
    const input: TappingInput = {
      task: 'tapping',
      taps: [{ downMs: 0, upMs: 50, target: null, xMm: null, yMm: null }],
      beatsMs: [0, 500],
      continuationFromMs: null,
      flags: [],
    };
    expect(() => toContractCsv(input)).toThrow(/2 metronome clicks but 1 taps/);
  });

  it('scale: notes, a note never released, channels', () => {
    const input: ScaleInput = {
      task: 'scale',
      notes: [
        { pitch: 60, onMs: 0, offMs: 110, velocity: 64, channel: 0 },
        { pitch: 62, onMs: 125, offMs: null, velocity: 70, channel: 0 },
      ],
      sustain: [],
      tempoBpm: null,
      flags: [],
    };
    expect(roundTrip(input).notes).toEqual(input.notes);
  });

  it('pen: every optional column kept, absent ones left out', () => {
    const input: PenInput = {
      task: 'precision',
      tMs: f64([0, 4.1666, 8.3333, 12.5]),
      xMm: f64([1, 1.25, 1.5, 1e-7]),
      yMm: f64([2, 2.5, -3, 4]),
      pressure: f64([0.1, 0.2, 0.3, 0.4]),
      tiltXDeg: null,
      tiltYDeg: null,
      penDown: Uint8Array.from([1, 1, 0, 1]),
      targetXMm: f64([5, 5, 5, 5]),
      targetYMm: f64([6, 6, 6, 6]),
      flags: [],
    };
    const text = toContractCsv(input);
    expect(text.split('\r\n')[0]).toBe('t_ms,x_mm,y_mm,pressure,pen_down,target_x_mm,target_y_mm');
    const back = roundTrip(input);
    for (const key of ['tMs', 'xMm', 'yMm', 'pressure', 'targetXMm', 'targetYMm'] as const) {
      expect(Array.from(back[key]!), key).toEqual(Array.from(input[key]!));
    }
    expect(Array.from(back.penDown!)).toEqual([1, 1, 0, 1]);
    expect(back.tiltXDeg).toBeNull();
  });

  it('tremor: accelerometer and gyroscope columns', () => {
    const n = 50;
    const t = Array.from({ length: n }, (_, i) => i * 10);
    const input: TremorInput = {
      task: 'tremor',
      tMs: f64(t),
      ax: f64(t.map((x) => Math.sin(x / 30))),
      ay: f64(t.map((x) => Math.cos(x / 30) / 3)),
      az: f64(t.map(() => -0.01)),
      gx: f64(t.map((x) => x / 7)),
      gy: f64(t.map(() => 0)),
      gz: f64(t.map(() => 1)),
      flags: [],
    };
    const back = roundTrip(input);
    for (const key of ['tMs', 'ax', 'ay', 'az', 'gx', 'gy', 'gz'] as const) {
      expect(Array.from(back[key]!), key).toEqual(Array.from(input[key]!));
    }
  });
});
