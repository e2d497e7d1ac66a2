import { describe, expect, it } from 'vitest';
import { codeOf, csv } from '../formats/test-utils/fixtures.js';
import { parseCsvTable } from '../formats/table.js';
import type { TremorInput } from '../inputs.js';
import { analyzeTremor } from './index.js';
import { tremorFromCsv } from './from-csv.js';
import { simulateTremor } from './simulate.js';

const read = (text: string): TremorInput => tremorFromCsv(parseCsvTable(text));

/** CSV text of an input, with every number written in full (round-trip) precision. */
function toCsv(input: TremorInput, gyro = false): string {
  const header = ['t_ms', 'ax', 'ay', 'az', ...(gyro ? ['gx', 'gy', 'gz'] : [])];
  const rows = Array.from(input.tMs, (t, i) => [
    t,
    input.ax[i]!,
    input.ay[i]!,
    input.az[i]!,
    ...(gyro ? [input.gx![i]!, input.gy![i]!, input.gz![i]!] : []),
  ]);
  return csv(header, rows);
}

describe('tremorFromCsv', () => {
  it('reads the required columns in any order and ignores extra columns', () => {
    const input = read('az,note,t_ms,ay,ax\n3,a,0,2,1\n6,b,10,5,4\n');
    expect(Array.from(input.tMs)).toEqual([0, 10]);
    expect(Array.from(input.ax)).toEqual([1, 4]);
    expect(Array.from(input.ay)).toEqual([2, 5]);
    expect(Array.from(input.az)).toEqual([3, 6]);
    expect(input.gx).toBeNull();
    expect(input.flags).toEqual([]);
  });

  it('reads the optional gyroscope columns (deg/s) when all three are there', () => {
    const input = read('t_ms,ax,ay,az,gx,gy,gz\n0,1,2,3,10,20,30\n10,4,5,6,40,50,60\n');
    expect(Array.from(input.gx!)).toEqual([10, 40]);
    expect(Array.from(input.gz!)).toEqual([30, 60]);
  });

  it('refuses only some of the gyroscope columns, and a missing required column', () => {
    expect(codeOf(() => read('t_ms,ax,ay,az,gx\n0,1,2,3,4\n'))).toBe('E_INPUT_COLUMNS');
    expect(codeOf(() => read('t_ms,ax,ay\n0,1,2\n'))).toBe('E_INPUT_COLUMNS');
  });

  it('refuses text that is not a finite number, including NaN', () => {
    expect(codeOf(() => read('t_ms,ax,ay,az\n0,NaN,0,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('t_ms,ax,ay,az\n0,0,abc,0\n'))).toBe('E_INPUT_VALUE');
    expect(codeOf(() => read('t_ms,ax,ay,az\n0,0,0,\n'))).toBe('E_INPUT_VALUE');
  });

  it('refuses time going back, naming the CSV row', () => {
    expect(codeOf(() => read('t_ms,ax,ay,az\n0,0,0,0\n10,0,0,0\n5,0,0,0\n'))).toBe('E_NONMONOTONIC_TIME');
    expect(() => read('t_ms,ax,ay,az\n0,0,0,0\n10,0,0,0\n5,0,0,0\n')).toThrow(/row 4/);
  });

  it('drops a repeated time stamp (the first row is kept) and flags it', () => {
    const input = read('t_ms,ax,ay,az\n0,1,0,0\n10,2,0,0\n10,99,0,0\n20,3,0,0\n');
    expect(Array.from(input.tMs)).toEqual([0, 10, 20]);
    expect(Array.from(input.ax)).toEqual([1, 2, 3]);
    expect(input.flags).toEqual(['DUPLICATE_TIMESTAMPS']);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(codeOf(() => read(''))).toBe('E_INPUT_EMPTY');
    expect(codeOf(() => read('t_ms,ax,ay,az\n'))).toBe('E_INPUT_EMPTY');
  });

  it('leaves a too short recording to the analysis, which refuses it with E_TOO_FEW_EVENTS', () => {
    const input = read('t_ms,ax,ay,az\n0,0,0,0\n10,1,0,0\n20,0,0,0\n');
    expect(codeOf(() => analyzeTremor(input))).toBe('E_TOO_FEW_EVENTS');
  });

  it('gives the same analysis as the in-memory recording it was written from', () => {
    const { input } = simulateTremor(8, { fs: 60, jitterMs: 2, gyroRmsDegPerS: 5, durationS: 10 });
    const fromCsv = read(toCsv(input, true));
    expect(fromCsv.flags).toContain('DUPLICATE_TIMESTAMPS');
    const direct = analyzeTremor(input);
    const viaCsv = analyzeTremor(fromCsv);
    expect(viaCsv.metrics).toEqual(direct.metrics);
    // the repeated stamps of the simulated stream are dropped by the reader here, by the analysis there
    expect([...fromCsv.flags, ...viaCsv.flags].sort()).toEqual(direct.flags);
  });
});
