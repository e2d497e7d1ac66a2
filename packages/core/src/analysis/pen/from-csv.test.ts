import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { parseCsvTable } from '../formats/table.js';
import { median } from '../dsp/stats.js';
import { seededRandom } from '../random.js';
import { finishPenInput, medianExceeds, penFromCsv } from './from-csv.js';

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
  throw new Error('expected a CodedError, nothing was thrown');
}

const csv = (text: string, task: 'spiral' | 'handwriting' | 'precision' = 'spiral') =>
  penFromCsv(parseCsvTable(text), task);

describe('penFromCsv', () => {
  it('reads the required and optional columns in any order', () => {
    const input = csv(
      'pressure,y_mm,t_ms,x_mm,tilt_x_deg,tilt_y_deg,pen_down,extra\n' +
        '0.5,2,0,1,10,-5,1,a\n0.25,4,8,3,11,-6,1,b\n1,6,16,5,12,-7,0,c\n',
    );
    expect(input.task).toBe('spiral');
    expect([...input.tMs]).toEqual([0, 8, 16]);
    expect([...input.xMm]).toEqual([1, 3, 5]);
    expect([...input.yMm]).toEqual([2, 4, 6]);
    expect([...input.pressure!]).toEqual([0.5, 0.25, 1]);
    expect([...input.tiltXDeg!]).toEqual([10, 11, 12]);
    expect([...input.tiltYDeg!]).toEqual([-5, -6, -7]);
    expect([...input.penDown!]).toEqual([1, 1, 0]);
    expect(input.targetXMm).toBeNull();
    expect(input.flags).toEqual([]);
  });

  it('leaves absent optional columns null', () => {
    const input = csv('t_ms,x_mm,y_mm\n0,0,0\n5,1,1\n');
    expect(input.pressure).toBeNull();
    expect(input.tiltXDeg).toBeNull();
    expect(input.tiltYDeg).toBeNull();
    expect(input.penDown).toBeNull();
  });

  it('reads target columns for the precision task only', () => {
    const text = 't_ms,x_mm,y_mm,target_x_mm,target_y_mm\n0,0,0,1,2\n5,1,1,3,4\n';
    const precision = csv(text, 'precision');
    expect([...precision.targetXMm!]).toEqual([1, 3]);
    expect([...precision.targetYMm!]).toEqual([2, 4]);
    expect(csv(text, 'spiral').targetXMm).toBeNull();
    expect(codeOf(() => csv('t_ms,x_mm,y_mm,target_x_mm\n0,0,0,1\n', 'precision'))).toBe('E_INPUT_COLUMNS');
  });

  it('drops repeated time stamps (keeping the last) and flags them', () => {
    const input = csv('t_ms,x_mm,y_mm\n0,0,0\n5,1,1\n5,2,2\n5,3,3\n10,4,4\n');
    expect([...input.tMs]).toEqual([0, 5, 10]);
    expect([...input.xMm]).toEqual([0, 3, 4]);
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS']);
  });

  it('rejects decreasing time, naming the sample', () => {
    let message = '';
    try {
      csv('t_ms,x_mm,y_mm\n0,0,0\n10,1,1\n9,2,2\n');
    } catch (error) {
      expect((error as CodedError).code).toBe('E_NONMONOTONIC_TIME');
      message = (error as Error).message;
    }
    expect(message).toContain('sample 3');
  });

  it('gives coded errors for missing columns, text that is not a number, bad ranges and empty files', () => {
    expect(codeOf(() => csv('t_ms,x_mm\n0,0\n'))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => csv('x_mm,y_mm\n0,0\n'))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm\n0,NaN,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm\n0,abc,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm\n0,,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm,pressure\n0,0,0,1.5\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm,pen_down\n0,0,0,2\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => csv('t_ms,x_mm,y_mm\n'))).toBe('E_INPUT_EMPTY');
    expect(codeOf(() => csv(''))).toBe('E_INPUT_EMPTY');
  });

  it('flags pen lifts between pen-down samples, but not hovering before or after', () => {
    const lifted = csv('t_ms,x_mm,y_mm,pen_down\n0,0,0,1\n5,1,0,1\n10,2,0,0\n15,3,0,1\n20,4,0,1\n');
    expect(lifted.flags).toEqual(['PEN_LIFTS']);
    const hover = csv('t_ms,x_mm,y_mm,pen_down\n0,0,0,0\n5,1,0,1\n10,2,0,1\n15,3,0,0\n');
    expect(hover.flags).toEqual([]);
  });

  it('flags gaps over 50 ms inside a pen-down stretch only', () => {
    const gap = csv('t_ms,x_mm,y_mm\n0,0,0\n5,1,0\n56,2,0\n61,3,0\n');
    expect(gap.flags).toEqual(['SAMPLE_GAPS']);
    const exactly50 = csv('t_ms,x_mm,y_mm\n0,0,0\n5,1,0\n55,2,0\n60,3,0\n');
    expect(exactly50.flags).toEqual([]);
    // a long pause while the pen is up is a lift, not a gap
    const lift = csv('t_ms,x_mm,y_mm,pen_down\n0,0,0,1\n5,1,0,1\n6,1,0,0\n300,2,0,1\n305,3,0,1\n');
    expect(lift.flags).toEqual(['PEN_LIFTS']);
  });

  it('flags a median pen-down sampling rate below 90 Hz', () => {
    const rows = (dt: number) =>
      't_ms,x_mm,y_mm\n' + Array.from({ length: 20 }, (_, i) => `${i * dt},${i},0`).join('\n');
    expect(csv(rows(12)).flags).toEqual(['LOW_SAMPLING_RATE']); // 83 Hz
    expect(csv(rows(11)).flags).toEqual([]); // 91 Hz
  });
});

describe('finishPenInput', () => {
  it('keeps extra flags, sorted and unique', () => {
    const input = finishPenInput(
      {
        tMs: [0, 0, 10],
        xMm: [0, 1, 2],
        yMm: [0, 0, 0],
        pressure: null,
        tiltXDeg: null,
        tiltYDeg: null,
        penDown: null,
        targetXMm: null,
        targetYMm: null,
      },
      'handwriting',
      ['NOMINAL_SCALE', 'DUPLICATE_TIMESTAMPS'],
    );
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS', 'NOMINAL_SCALE']);
    expect(input.task).toBe('handwriting');
    expect([...input.xMm]).toEqual([1, 2]);
  });

  it('refuses an empty input', () => {
    const empty = {
      tMs: [],
      xMm: [],
      yMm: [],
      pressure: null,
      tiltXDeg: null,
      tiltYDeg: null,
      penDown: null,
    };
    expect(codeOf(() => finishPenInput({ ...empty, targetXMm: null, targetYMm: null }, 'spiral'))).toBe(
      'E_INPUT_EMPTY',
    );
  });
});

describe('medianExceeds', () => {
  it('says whether dsp median exceeds the limit, for odd and even counts and values at the limit', () => {
    const random = seededRandom(7);
    let checked = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = random.int(1, 12);
      // few distinct values, so that ties with each other and with the limit are common
      const values = Float64Array.from({ length: n }, () => random.int(0, 5) / 2);
      for (const limit of [-1, 0, 0.25, 0.5, 1, 1.25, 1.5, 2, 2.5, 3]) {
        expect(medianExceeds(values, limit), `${values.join(',')} > ${limit}`).toBe(median(values) > limit);
        checked++;
      }
    }
    expect(checked).toBe(4000);
    expect(medianExceeds(new Float64Array(0), 0)).toBe(false);
  });
});
