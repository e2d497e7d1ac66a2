import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../analysis/analyze.js';
import { csvField, csvTable, guardFormula } from './csv.js';
import {
  METRICS_CSV_DICTIONARY,
  METRICS_CSV_HEADER,
  metricCatalogueCsv,
  metricsCsvDictionary,
  metricsCsvRows,
} from './metrics-csv.js';
import { sampleRecord } from './test-utils/sample.js';

function parse(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { newline: '\r\n', delimiter: ',' });
  expect(result.errors).toEqual([]);
  return result.data.filter((row) => !(row.length === 1 && row[0] === ''));
}

describe('RFC 4180 CSV', () => {
  it('quotes commas, quotes, line breaks and edge spaces, and reads back to the same text', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded ', 'crlf\r\nx', ''];
    const text = csvTable(
      ['x'],
      cells.map((c) => [c]),
    );
    expect(text).toBe(
      'x\r\nplain\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n" padded "\r\n"crlf\r\nx"\r\n\r\n',
    );
    expect(
      parse(text)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(cells.slice(0, -1));
  });

  it('writes numbers as they read back, null and non-finite numbers as empty fields', () => {
    expect([0.1 + 0.2, -1.5, 1e-7, 42, null, Number.NaN].map((c) => csvField(c))).toEqual([
      '0.30000000000000004',
      '-1.5',
      '1e-7',
      '42',
      '',
      '',
    ]);
  });

  it('guards text that a spreadsheet would run as a formula, never numbers', () => {
    for (const danger of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx']) {
      expect(guardFormula(danger)).toBe(`'${danger}`);
    }
    expect(guardFormula('fine = ok')).toBe('fine = ok');
    expect(csvField('=1+1', { guardFormulas: true })).toBe("'=1+1");
    expect(csvField(-1.5, { guardFormulas: true })).toBe('-1.5');
    expect(csvField('=1+1')).toBe('=1+1');
  });
});

describe('metrics CSV', () => {
  const { recordings, metricValues } = sampleRecord();

  it('has one row per session and metric that parses back to the stored values', () => {
    const rows = parse([...metricsCsvRows(recordings, metricValues)].join(''));
    expect(rows[0]).toEqual([...METRICS_CSV_HEADER]);
    expect(rows).toHaveLength(metricValues.length + 1);
    const records = rows.slice(1).map((r) => Object.fromEntries(METRICS_CSV_HEADER.map((h, i) => [h, r[i]])));
    expect(records[0]).toEqual({
      recording_id: '0b7a4c36-6a43-4d8e-9a55-1c1c3d1e0a01',
      started_at: '2026-03-01T10:00:00.000Z',
      task: 'tapping',
      hand: 'right',
      metric_id: 'tap_count',
      value: '87',
      unit: 'count',
      ucum_unit: '{count}',
      metric_version: '1.0.0',
      analysis_version: '1.4.0',
      quality_flags: 'SAMPLE_GAPS',
    });
    expect(records[1]!.quality_flags).toBe('FEW_TAPS;SAMPLE_GAPS');
    expect(records[2]!.value).toBe(''); // could not be computed
    expect(records[3]!.value).toBe('-0.25'); // a negative number is not guarded
    expect(records.map((r) => Number(r.value || Number.NaN))).toEqual(
      metricValues.map((v) => v.value ?? Number.NaN),
    );
  });

  it('guards a text cell that starts like a formula', () => {
    const hostile = new Map(recordings);
    const first = [...recordings.values()][0]!;
    hostile.set(first.id, { ...first, hand: '=cmd|calc' });
    const rows = parse([...metricsCsvRows(hostile, metricValues.slice(0, 1))].join(''));
    expect(rows[1]![3]).toBe("'=cmd|calc");
  });

  it('the dictionary documents every column and the formula guard; the catalogue has every metric', () => {
    expect(METRICS_CSV_DICTIONARY.map(([c]) => c)).toEqual([...METRICS_CSV_HEADER]);
    const dictionary = metricsCsvDictionary('1.4.0');
    for (const column of METRICS_CSV_HEADER) expect(dictionary).toContain(`| ${column} |`);
    expect(dictionary).toMatch(/apostrophe/);
    const catalogue = parse(metricCatalogueCsv());
    expect(catalogue.slice(1).map((r) => `${r[1]}/${r[0]}`)).toEqual(
      metricCatalogue().map((d) => `${d.task}/${d.id}`),
    );
  });
});
