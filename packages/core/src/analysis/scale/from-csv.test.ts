import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { parseCsvTable } from '../formats/table.js';
import { scaleFromCsv } from './from-csv.js';

const read = (text: string) => scaleFromCsv(parseCsvTable(text));

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof CodedError) return error.code;
    throw error;
  }
}

describe('scaleFromCsv', () => {
  it('reads notes in any column order, keeps chords and an empty off_ms as unreleased', () => {
    const input = read('velocity,on_ms,pitch,off_ms,extra\n64,0,60,120.5,x\n70,125,62,,y\n71,125,67,300,z\n');
    expect(input).toEqual({
      task: 'scale',
      notes: [
        { pitch: 60, onMs: 0, offMs: 120.5, velocity: 64, channel: null },
        { pitch: 62, onMs: 125, offMs: null, velocity: 70, channel: null },
        { pitch: 67, onMs: 125, offMs: 300, velocity: 71, channel: null },
      ],
      sustain: [],
      tempoBpm: null,
      flags: [],
    });
  });

  it('keeps an optional channel column', () => {
    expect(read('pitch,on_ms,off_ms,velocity,channel\n60,0,100,64,9\n').notes[0]!.channel).toBe(9);
  });

  it('rejects missing columns, bad values and decreasing onsets with coded errors', () => {
    expect(codeOf(() => read('pitch,on_ms,velocity\n60,0,64\n'))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60.5,0,100,64\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n128,0,100,64\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60,0,100,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60,0,100,abc\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60,100,50,64\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60,,50,64\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity,channel\n60,0,50,64,16\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('pitch,on_ms,off_ms,velocity\n60,100,150,64\n62,99,150,64\n'))).toBe(
      'E_NONMONOTONIC_TIME',
    );
  });
});
