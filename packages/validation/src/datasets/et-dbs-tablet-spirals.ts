// Essential tremor with deep-brain stimulation (on/off) and healthy drawings: tablet spirals with µs time
// stamps, screen-pixel coordinates and 12-bit pressure (KaziSabrinaSonnet/Essential_Tremor_Detection, see
// SOURCE.md). Checks that the core's spiral tremor amplitude (`tremor_amplitude_pp_mm`) is higher in the
// stimulation-OFF drawings than in the healthy ones (AUC ≥ 0.85), and prints OFF vs ON per patient. Each
// spiral is turned into a contract CSV text in memory and analysed through the core's CSV path
// (`analyzeFile`); nothing is written to disk. Files are read in place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile, CodedError, dsp } from '@dystrack/core';
import type { Check, Dataset, DatasetReport } from '../check.js';

const DATASET = 'et-dbs-tablet-spirals';

/**
 * mm per screen pixel. SOURCE.md gives screen pixels without the device, so the nominal CSS scale
 * (96 px per inch) is used; an AUC does not depend on a common scale factor.
 */
const MM_PER_PX = 25.4 / 96;
/** Largest raw pressure value (12-bit), SOURCE.md. */
const PRESSURE_MAX = 4095;

/** One drawing's label from labels.csv. */
interface Drawing {
  file: string;
  group: 'ET_DBS_patient' | 'healthy' | 'synthetic_ideal_spiral';
  condition: 'stim_off' | 'stim_on' | 'none';
}

function readLabels(folder: string): Drawing[] {
  const [header, ...rows] = readFileSync(join(folder, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  if (header !== 'file,group,condition_from_source_folder')
    throw new Error(`labels.csv: unexpected header ${header}`);
  return rows.map((row) => {
    const [file, group, condition] = row.split(',');
    return { file: file!, group: group as Drawing['group'], condition: condition as Drawing['condition'] };
  });
}

/**
 * The spiral part of a log file as a contract CSV text: the sample lines between `Spirals Begun` and
 * `Lines Begun` (`<t µs> - x, y, prev_x, prev_y, pressure`), as t_ms (µs / 1000), x_mm and y_mm
 * (pixels × {@link MM_PER_PX}) and pressure (raw / 4095). The files have no pen-up samples.
 */
export function spiralCsv(text: string): { csv: string; samples: number } {
  const lines = text.split(/\r?\n/);
  const out = ['t_ms,x_mm,y_mm,pressure'];
  let inSpiral = false;
  for (const line of lines) {
    if (line.includes('Spirals Begun')) {
      inSpiral = true;
      continue;
    }
    if (line.includes('Lines Begun') || line.includes('Test Over')) break;
    if (!inSpiral || line.trim() === '') continue;
    const match = /^\s*(\d+) - ([^,]+),([^,]+),([^,]+),([^,]+),([^,]+)\s*$/.exec(line);
    if (!match) throw new Error(`unexpected line: ${line.slice(0, 60)}`);
    const [, t, x, y, , , p] = match.map((s) => s.trim());
    out.push(
      `${Number(t) / 1000},${Number(x) * MM_PER_PX},${Number(y) * MM_PER_PX},${Number(p) / PRESSURE_MAX}`,
    );
  }
  return { csv: out.join('\n') + '\n', samples: out.length - 1 };
}

/** Patient of an ET file, from its name (SOURCE.md, "Subjects and labels"). */
function patientOf(file: string): string {
  if (file.includes('log_P2_')) return 'P2';
  if (file.includes('log_P4_')) return 'P4';
  if (file.includes('tremorlog')) return 'unnamed (2019-07-09, tremorlog*)';
  return 'unknown';
}

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The adapter: AUC of stim-OFF vs healthy spirals, and OFF vs ON per patient in the details. */
export const etDbsTabletSpirals: Dataset = {
  folder: DATASET,
  title: 'ET patients with DBS on/off and healthy drawings, tablet spirals (tremor amplitude)',
  async run(folder: string): Promise<DatasetReport> {
    const drawings = readLabels(folder).filter((d) => d.group !== 'synthetic_ideal_spiral');
    const results: (Drawing & { amplitude: number; frequency: number; flags: string[] })[] = [];
    const details: string[] = [];
    for (const drawing of drawings) {
      const { csv } = spiralCsv(readFileSync(join(folder, drawing.file), 'utf8'));
      try {
        const output = analyzeFile('spiral', `${drawing.file}.csv`, new TextEncoder().encode(csv));
        results.push({
          ...drawing,
          amplitude: output.metrics['tremor_amplitude_pp_mm'] ?? Number.NaN,
          frequency: output.metrics['tremor_peak_frequency_hz'] ?? Number.NaN,
          flags: output.quality_flags,
        });
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        details.push(`excluded ${drawing.file}: ${error.code}: ${error.message}`);
      }
    }
    const amplitudes = (keep: (d: Drawing) => boolean) =>
      results.filter((r) => keep(r) && Number.isFinite(r.amplitude)).map((r) => r.amplitude);
    const off = amplitudes((d) => d.condition === 'stim_off');
    const on = amplitudes((d) => d.condition === 'stim_on');
    const healthy = amplitudes((d) => d.group === 'healthy');
    const aucOffHealthy = dsp.auc(off, healthy);
    const checks: Check[] = [
      {
        dataset: DATASET,
        name: `stim-OFF (n=${off.length}) vs healthy (n=${healthy.length}) AUC of tremor_amplitude_pp_mm`,
        value: aucOffHealthy.toFixed(3),
        threshold: '≥ 0.85',
        published: 'none (SOURCE.md: 4–12/0.5–4 Hz speed-power ratio higher OFF)',
        pass: aucOffHealthy >= 0.85,
      },
    ];
    const median = (xs: number[]) => (xs.length ? dsp.median(xs) : Number.NaN);
    details.push(
      `median tremor_amplitude_pp_mm (mm, nominal 96 px/in): OFF ${fmt(median(off))} (n=${off.length}), ` +
        `ON ${fmt(median(on))} (n=${on.length}), healthy ${fmt(median(healthy))} (n=${healthy.length}); ` +
        `AUC ON vs healthy ${fmt(dsp.auc(on, healthy), 3)}, OFF vs ON ${fmt(dsp.auc(off, on), 3)}`,
    );
    for (const patient of [
      ...new Set(results.filter((r) => r.group === 'ET_DBS_patient').map((r) => patientOf(r.file))),
    ]) {
      const of = (condition: Drawing['condition']) =>
        results.filter((r) => patientOf(r.file) === patient && r.condition === condition);
      const summary = (rs: typeof results) =>
        rs.length
          ? `median ${fmt(median(rs.map((r) => r.amplitude)))} mm at ${fmt(median(rs.map((r) => r.frequency)), 1)} Hz ` +
            `(n=${rs.length}: ${rs.map((r) => fmt(r.amplitude)).join(', ')})`
          : 'no drawing';
      details.push(`${patient}: OFF ${summary(of('stim_off'))}; ON ${summary(of('stim_on'))}`);
    }
    const flagged = (flag: string) => results.filter((r) => r.flags.includes(flag)).length;
    details.push(
      `flags: NO_TREMOR_PEAK OFF ${results.filter((r) => r.condition === 'stim_off' && r.flags.includes('NO_TREMOR_PEAK')).length}` +
        `/${off.length}, healthy ${results.filter((r) => r.group === 'healthy' && r.flags.includes('NO_TREMOR_PEAK')).length}` +
        `/${healthy.length}; POOR_SPIRAL_FIT ${flagged('POOR_SPIRAL_FIT')}, SAMPLE_GAPS ${flagged('SAMPLE_GAPS')}, ` +
        `LOW_SAMPLING_RATE ${flagged('LOW_SAMPLING_RATE')} of ${results.length}`,
    );
    return { checks, details };
  },
};
