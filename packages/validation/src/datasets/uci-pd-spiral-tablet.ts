// UCI "Parkinson Disease Spiral Drawings Using Digitized Graphics Tablet" (Isenkul, Sakar & Kursun 2014;
// see SOURCE.md): 15 controls and 62 people with Parkinson's disease (PWP), one file per subject with
// X;Y;Z;Pressure;GripAngle;Timestamp;Test ID rows. Checks that the core's spiral tremor amplitude
// (`tremor_amplitude_pp_mm`) of the static spiral test (test 0, tracing the printed spiral) is higher in
// PWP than in controls (AUC ≥ 0.65). Every drawing goes through the core's contract CSV path in memory
// (`analyzeFile`), which resamples on the real millisecond time stamps, so the different sampling
// intervals of the folders (7 vs 9 ms, SOURCE.md pitfalls) do not enter the spectrum. Files are read in
// place; nothing is written to disk.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile, CodedError, dsp } from '@dystrack/core';
import type { Check, Dataset, DatasetReport } from '../check.js';

const DATASET = 'uci-pd-spiral-tablet';

/**
 * mm per X/Y unit. SOURCE.md: raw tablet/screen pixels of a Wacom Cintiq 12WX, whose display is
 * 1280 × 800 px over 261 × 163 mm (0.204 mm per px; manufacturer specification, not checked against
 * the data). An AUC does not depend on this common factor.
 */
const MM_PER_UNIT = 261.1 / 1280;
/** Largest raw pressure (10-bit, SOURCE.md). */
const PRESSURE_MAX = 1023;
/** The static spiral test (tracing the printed Archimedean spiral). */
const STATIC_TEST = 0;
const DYNAMIC_TEST = 1;

const GROUPS = [
  { folder: 'hw_dataset/control', label: 'control' },
  { folder: 'hw_dataset/parkinson', label: 'PD (hw_dataset)' },
  { folder: 'new_dataset/parkinson', label: 'PD (new_dataset)' },
] as const;

/**
 * One test of a subject's file as a contract CSV text: t_ms = Timestamp, x_mm and y_mm = X, Y ×
 * {@link MM_PER_UNIT}, pressure = Pressure / 1023, pen_down = 1 when Pressure > 0.
 *
 * Z is not used for pen_down although SOURCE.md reads Z > 0 as hovering: in the spiral tests every
 * row with Z > 0 (single rows, Z = 12, 24, …, 4 % of the hw_dataset rows, none in new_dataset) has a
 * pressure well above 0 (no row of test 0 has pressure 0), so those are contacts; splitting at them
 * would cut only the hw_dataset drawings into short pieces. Null when the file has no row of that test.
 */
export function testCsv(text: string, test: number): string | null {
  const out = ['t_ms,x_mm,y_mm,pressure,pen_down'];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells = line.split(';').map(Number);
    if (cells.length !== 7 || cells.some((c) => !Number.isFinite(c)))
      throw new Error(`unexpected line: ${line}`);
    const [x, y, , pressure, , t, id] = cells as [number, number, number, number, number, number, number];
    if (id !== test) continue;
    out.push(
      `${t},${x * MM_PER_UNIT},${y * MM_PER_UNIT},${Math.min(1, pressure / PRESSURE_MAX)},${pressure > 0 ? 1 : 0}`,
    );
  }
  return out.length > 1 ? out.join('\n') + '\n' : null;
}

interface Result {
  group: (typeof GROUPS)[number]['label'];
  file: string;
  amplitude: number;
  frequency: number;
  speed: number;
  flags: string[];
}

/** Tremor amplitudes of one test for every subject; failures (coded errors) are listed, not hidden. */
function analyzeTest(root: string, test: number, excluded: string[]): Result[] {
  const results: Result[] = [];
  for (const { folder, label } of GROUPS) {
    for (const file of readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.txt'))
      .sort()) {
      const csv = testCsv(readFileSync(join(root, folder, file), 'utf8'), test);
      if (csv === null) {
        excluded.push(`test ${test}, ${folder}/${file}: no rows of this test`);
        continue;
      }
      try {
        const output = analyzeFile('spiral', `${file}.csv`, new TextEncoder().encode(csv));
        results.push({
          group: label,
          file,
          amplitude: output.metrics['tremor_amplitude_pp_mm'] ?? Number.NaN,
          frequency: output.metrics['tremor_peak_frequency_hz'] ?? Number.NaN,
          speed: output.metrics['mean_speed_mm_per_s'] ?? Number.NaN,
          flags: output.quality_flags,
        });
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        excluded.push(`test ${test}, ${folder}/${file}: ${error.code}: ${error.message}`);
      }
    }
  }
  return results;
}

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const median = (xs: number[]) => (xs.length ? dsp.median(xs) : Number.NaN);

function groupAuc(
  results: Result[],
  isPd: (group: Result['group']) => boolean = (group) => group !== 'control',
): { auc: number; pd: number[]; control: number[] } {
  const finite = results.filter((r) => Number.isFinite(r.amplitude));
  const pd = finite.filter((r) => isPd(r.group)).map((r) => r.amplitude);
  const control = finite.filter((r) => r.group === 'control').map((r) => r.amplitude);
  return { auc: dsp.auc(pd, control), pd, control };
}

/** The adapter: AUC of PD vs control static spirals; the dynamic test and per-folder figures in the details. */
export const uciPdSpiralTablet: Dataset = {
  folder: DATASET,
  title: 'UCI Parkinson spiral drawings (Wacom tablet), static spiral tremor amplitude',
  async run(root: string): Promise<DatasetReport> {
    const excluded: string[] = [];
    const staticResults = analyzeTest(root, STATIC_TEST, excluded);
    const dynamicResults = analyzeTest(root, DYNAMIC_TEST, excluded);
    const s = groupAuc(staticResults);
    const d = groupAuc(dynamicResults);
    const checks: Check[] = [
      {
        dataset: DATASET,
        name: `static spiral: PD (n=${s.pd.length}) vs control (n=${s.control.length}) AUC of tremor_amplitude_pp_mm`,
        value: s.auc.toFixed(3),
        threshold: '≥ 0.65',
        published: 'none (no numeric table; SOURCE.md)',
        pass: s.auc >= 0.65,
      },
    ];
    const details: string[] = [];
    for (const [name, results, auc] of [
      ['static spiral (test 0)', staticResults, s.auc],
      ['dynamic spiral (test 1, not checked)', dynamicResults, d.auc],
    ] as const) {
      const byGroup = GROUPS.map(({ label }) => {
        const rs = results.filter((r) => r.group === label);
        const noPeak = rs.filter((r) => r.flags.includes('NO_TREMOR_PEAK')).length;
        return (
          `${label} ${fmt(median(rs.map((r) => r.amplitude)))} mm at ${fmt(median(rs.map((r) => r.frequency)), 1)} Hz, ` +
          `speed ${fmt(median(rs.map((r) => r.speed)), 0)} mm/s (n=${rs.length}, NO_TREMOR_PEAK ${noPeak})`
        );
      });
      const hw = groupAuc(results, (group) => group === 'PD (hw_dataset)').auc;
      const fresh = groupAuc(results, (group) => group === 'PD (new_dataset)').auc;
      details.push(
        `${name}: AUC PD vs control ${fmt(auc, 3)} (hw_dataset PD only ${fmt(hw, 3)}, new_dataset PD only ` +
          `${fmt(fresh, 3)}); medians: ${byGroup.join('; ')}`,
      );
    }
    details.push(...excluded.map((e) => `excluded ${e}`));
    return { checks, details };
  },
};
