import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../formats/table.js';
import { analyzeTyping } from './analyzer.js';
import { typingFromCsv } from './from-csv.js';

const read = (text: string) => typingFromCsv(parseCsvTable(text));

describe('typingFromCsv', () => {
  it('reads down_ms, up_ms, key and code in any column order, ignoring extra columns', () => {
    const input = read('note,code,up_ms,key,down_ms\nx,KeyQ,180,a,100\ny,,330,b,250\n');
    expect(input).toEqual({
      task: 'typing',
      presses: [
        { downMs: 100, upMs: 180, code: 'KeyQ', key: 'a' },
        { downMs: 250, upMs: 330, code: null, key: 'b' },
      ],
      flags: [],
    });
  });

  it('accepts key alone and maps it to US-QWERTY keys for the hand metrics', () => {
    const rows = ['down_ms,up_ms,key'];
    // five left-hand letters (holds 100 … 140) and five right-hand letters (holds 60 … 100)
    'asdfg'.split('').forEach((k, i) => rows.push(`${i * 300},${i * 300 + 100 + 10 * i},${k}`));
    'hjkl;'.split('').forEach((k, i) => rows.push(`${5000 + i * 300},${5000 + i * 300 + 60 + 10 * i},${k}`));
    const m = analyzeTyping(read(rows.join('\n'))).metrics;
    expect(m.hold_time_median_left_ms).toBe(120);
    expect(m.hold_time_median_right_ms).toBe(80);
  });

  it('accepts code alone', () => {
    expect(read('down_ms,up_ms,code\n0,90,KeyA\n').presses[0]).toEqual({
      downMs: 0,
      upMs: 90,
      code: 'KeyA',
      key: null,
    });
  });

  it('refuses files without the time columns or without key and code (E_INPUT_COLUMNS)', () => {
    expect(() => read('down_ms,key\n0,a\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_COLUMNS' }));
    expect(() => read('up_ms,key\n0,a\n')).toThrow(expect.objectContaining({ code: 'E_INPUT_COLUMNS' }));
    expect(() => read('down_ms,up_ms,letter\n0,90,a\n')).toThrow(
      expect.objectContaining({ code: 'E_INPUT_COLUMNS', message: expect.stringContaining('key or code') }),
    );
  });

  it('refuses times that are not numbers (E_INPUT_VALUE)', () => {
    expect(() => read('down_ms,up_ms,key\n0,abc,a\n')).toThrow(
      expect.objectContaining({ code: 'E_INPUT_VALUE' }),
    );
    expect(() => read('down_ms,up_ms,key\n,90,a\n')).toThrow(
      expect.objectContaining({ code: 'E_INPUT_VALUE' }),
    );
  });
});
