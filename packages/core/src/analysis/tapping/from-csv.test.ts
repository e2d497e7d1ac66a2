import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../formats/table.js';
import { analyzeTapping } from './analyzer.js';
import { tappingFromCsv } from './from-csv.js';

const read = (text: string) => tappingFromCsv(parseCsvTable(text));

describe('tappingFromCsv', () => {
  it('reads the required and optional columns in any order', () => {
    const input = read('y_mm,target,up_ms,down_ms,x_mm,extra\n1.5,L,90,0,2,z\n,,290,200,,z\n');
    expect(input.taps).toEqual([
      { downMs: 0, upMs: 90, target: 'L', xMm: 2, yMm: 1.5 },
      { downMs: 200, upMs: 290, target: null, xMm: null, yMm: null },
    ]);
    expect(input.beatsMs).toEqual([]);
    expect(input.continuationFromMs).toBeNull();
    expect(input.flags).toEqual([]);
  });

  it('reads click times independently of the taps: empty cells, any order, duplicates once', () => {
    const input = read(
      'down_ms,up_ms,beat_ms\n0,90,1000\n500,590,\n1000,1090,500\n1500,1590,500\n2000,2090,0\n',
    );
    expect(input.beatsMs).toEqual([0, 500, 1000]);
    // taps after the last click + half an interval (1250): 1500 and 2000 → continuation from 1250
    expect(input.continuationFromMs).toBe(1250);
  });

  it('drops a repeated down time (DUPLICATE_TIMESTAMPS) but keeps its click time', () => {
    const input = read('down_ms,up_ms,beat_ms\n0,90,0\n200,290,200\n200,300,400\n400,490,\n');
    expect(input.taps.map((t) => t.downMs)).toEqual([0, 200, 400]);
    expect(input.beatsMs).toEqual([0, 200, 400]);
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS']);
    expect(analyzeTapping(input).metrics.tap_count).toBe(3);
  });

  it('refuses a decreasing down time (E_NONMONOTONIC_TIME)', () => {
    expect(() => read('down_ms,up_ms\n0,90\n300,390\n200,290\n')).toThrow(
      expect.objectContaining({ code: 'E_NONMONOTONIC_TIME' }),
    );
  });

  it('refuses missing columns (E_INPUT_COLUMNS) and bad values (E_INPUT_VALUE)', () => {
    expect(() => read('down_ms,target\n0,L\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_COLUMNS' }));
    expect(() => read('up_ms\n90\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_COLUMNS' }));
    expect(() => read('down_ms,up_ms\n0,x\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_VALUE' }));
    expect(() => read('down_ms,up_ms\n100,90\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_VALUE' }));
    expect(() => read('down_ms,up_ms,x_mm\n0,90,abc\n')).toThrow(
      expect.objectContaining({ code: 'E_INPUT_VALUE' }),
    );
  });
});
