// neuroQWERTY MIT-CS1PD / MIT-CS2PD (Giancardo et al. 2016, Sci Rep 6:34468; PhysioNet; see SOURCE.md):
// key press and release times of free typing by 42 early-PD patients and 43 controls. Per subject, the
// core's typing analysis (`analyze`, typing task) computes every hold-time metric from the raw files;
// the check is the AUC of PD vs controls of the best hold-time feature (≥ 0.65), printed beside the
// paper's nQi AUC 0.81. Files are read in place; nothing is written to disk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, dsp, type KeyPress, type MetricValues, type TypingInput } from '@dystrack/core';
import type { Check, Dataset, DatasetReport } from '../check.js';

const DATASET = 'neuroqwerty-mit-csxpd';
const SETS = ['MIT-CS1PD', 'MIT-CS2PD'] as const;
const THRESHOLD = 0.65;

/**
 * X11 keysym names of the logs → the physical key (`KeyboardEvent.code`) on the Spanish ISO layout
 * of the study laptop (SOURCE.md: Madrid, Lenovo G50-70), for the keys that are not plain letters.
 * Letters map to `Key<L>`; keysyms not listed keep their name as `key` with no code (the core then
 * treats them as keys outside the touch-typing map).
 */
const KEYSYM_CODES: Record<string, string> = {
  space: 'Space',
  BackSpace: 'Backspace',
  Return: 'Enter',
  Tab: 'Tab',
  Caps_Lock: 'CapsLock',
  Escape: 'Escape',
  Delete: 'Delete',
  Left: 'ArrowLeft',
  Right: 'ArrowRight',
  Up: 'ArrowUp',
  Down: 'ArrowDown',
  period: 'Period',
  colon: 'Period',
  comma: 'Comma',
  semicolon: 'Comma',
  minus: 'Slash',
  underscore: 'Slash',
  ntilde: 'Semicolon',
  Ntilde: 'Semicolon',
  ccedilla: 'Backslash',
  apostrophe: 'Minus',
  question: 'Minus',
  exclamdown: 'Equal',
  masculine: 'Backquote',
  exclam: 'Digit1',
  quotedbl: 'Digit2',
  parenleft: 'Digit8',
  parenright: 'Digit9',
  less: 'IntlBackslash',
  greater: 'IntlBackslash',
  plus: 'BracketRight',
  '[65105]': 'Quote', // dead_acute, right of ñ
  acute: 'Quote',
  '[65104]': 'BracketLeft', // dead_grave
  grave: 'BracketLeft',
};

/** The authors' default filter drops mouse events and long modifier keys (SOURCE.md). */
const DROPPED_KEY = /^(mouse_|Shift_|Alt_|Control_|Super_|Meta_|ISO_Level3_Shift|\[65027\])/;

/** One keysym → the press's `code` and `key`. */
function keyOf(keysym: string): { code: string | null; key: string } {
  if (/^[A-Za-z]$/.test(keysym)) return { code: `Key${keysym.toUpperCase()}`, key: keysym };
  if (/^[0-9]$/.test(keysym)) return { code: `Digit${keysym}`, key: keysym };
  return { code: KEYSYM_CODES[keysym] ?? null, key: keysym };
}

/**
 * A session file (`"key",hold_s,release_s,press_s`, no header) → typing input, after the authors'
 * sanity filter (SOURCE.md): rows with press ≤ 0, release ≤ 0, hold < 0 or hold ≥ 5 s are dropped,
 * and so are rows whose press time is below the previous kept row's; then mouse events and modifier
 * keys. Times become ms. The core then applies the contract rules (auto-repeat, 0 < hold < 1000 ms).
 */
export function sessionInput(text: string): TypingInput {
  const presses: KeyPress[] = [];
  let lastPress = -Infinity;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== 4) throw new Error(`unexpected line: ${line}`);
    const keysym = cells[0]!.replace(/^"|"$/g, '');
    const [hold, release, press] = cells.slice(1).map(Number) as [number, number, number];
    if (![hold, release, press].every(Number.isFinite)) throw new Error(`unexpected line: ${line}`);
    if (press <= 0 || release <= 0 || hold < 0 || hold >= 5) continue;
    if (press < lastPress) continue;
    lastPress = press;
    if (DROPPED_KEY.test(keysym)) continue;
    presses.push({ downMs: press * 1000, upMs: release * 1000, ...keyOf(keysym) });
  }
  return { task: 'typing', presses, flags: [] };
}

interface Subject {
  set: (typeof SETS)[number];
  id: string;
  pd: boolean;
  nqScore: number;
  /** Mean over the subject's sessions of each metric (null when any session's is null). */
  metrics: Record<string, number | null>;
  /** Per-session hold_time_median_ms (CS1PD has two sessions: test–retest). */
  sessionHoldMedians: number[];
}

/** Mean over sessions of every metric; null when a session lacks it. */
function meanOver(sessions: MetricValues[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const id of Object.keys(sessions[0]!)) {
    const values = sessions.map((s) => s[id]);
    out[id] = values.every((v): v is number => v !== null) ? dsp.mean(values) : null;
  }
  return out;
}

function readSubjects(folder: string): Subject[] {
  const subjects: Subject[] = [];
  for (const set of SETS) {
    const lines = readFileSync(join(folder, set, `GT_DataPD_${set}.csv`), 'utf8')
      .trim()
      .split(/\r?\n/);
    const header = lines[0]!.split(',');
    const col = (name: string) => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${set}: no ${name} column`);
      return i;
    };
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const files = ['file_1', 'file_2'].filter((f) => header.includes(f)).map((f) => cells[col(f)]!);
      const sessions = files
        .filter((f) => f !== '')
        .map((f) => analyze(sessionInput(readFileSync(join(folder, set, `data_${set}`, f), 'utf8'))).metrics);
      subjects.push({
        set,
        id: cells[col('pID')]!,
        pd: cells[col('gt')] === 'True',
        nqScore: Number(cells[col('nqScore')]),
        metrics: meanOver(sessions),
        sessionHoldMedians: sessions.map((s) => s.hold_time_median_ms!),
      });
    }
  }
  return subjects;
}

/** Pearson correlation. */
function pearson(x: number[], y: number[]): number {
  const mx = dsp.mean(x);
  const my = dsp.mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export const neuroqwertyMitCsxpd: Dataset = {
  folder: DATASET,
  title: 'neuroQWERTY MIT-CS1PD/CS2PD: free typing, 42 early PD vs 43 controls (Giancardo 2016)',
  async run(folder: string): Promise<DatasetReport> {
    const subjects = readSubjects(folder);
    const pd = subjects.filter((s) => s.pd);
    const controls = subjects.filter((s) => !s.pd);
    const features = Object.keys(subjects[0]!.metrics).filter((id) => id.startsWith('hold_time_'));

    // AUC = P(PD value > control value), over subjects with a value.
    const rows = features.map((id) => {
      const a = pd.map((s) => s.metrics[id]).filter((v): v is number => v !== null);
      const b = controls.map((s) => s.metrics[id]).filter((v): v is number => v !== null);
      const auc = dsp.auc(a, b);
      return { id, auc, separation: Math.max(auc, 1 - auc), nPd: a.length, nControl: b.length };
    });
    rows.sort((x, y) => y.separation - x.separation);
    const best = rows[0]!;
    const higherInPd = best.auc >= 0.5;
    const nqAuc = dsp.auc(
      pd.map((s) => s.nqScore),
      controls.map((s) => s.nqScore),
    );
    const median = rows.find((r) => r.id === 'hold_time_median_ms')!;

    const checks: Check[] = [
      {
        dataset: DATASET,
        name: `best of ${features.length} hold-time features, PD vs control AUC, max(AUC, 1 − AUC): ${best.id} (${higherInPd ? 'higher' : 'lower'} in PD)`,
        value: best.separation.toFixed(3),
        threshold: `≥ ${THRESHOLD}`,
        published: `nQi AUC 0.81 (paper; nqScore column here: ${nqAuc.toFixed(3)})`,
        pass: best.separation >= THRESHOLD,
      },
      {
        dataset: DATASET,
        name: 'pre-specified contract feature hold_time_median_ms, PD vs control AUC (higher in PD)',
        value: median.auc.toFixed(3),
        threshold: `≥ ${THRESHOLD}`,
        published: 'median HT +25–40 % in early PD (measures.md 5.2)',
        pass: median.auc >= THRESHOLD,
      },
    ];

    const cs1 = subjects.filter((s) => s.sessionHoldMedians.length === 2);
    const retest = pearson(
      cs1.map((s) => Math.log(s.sessionHoldMedians[0]!)),
      cs1.map((s) => Math.log(s.sessionHoldMedians[1]!)),
    );
    const groupMedian = (group: Subject[], set: string, id: string) =>
      dsp.median(
        group
          .filter((s) => s.set === set)
          .map((s) => s.metrics[id])
          .filter((v): v is number => v !== null),
      );
    const details = [
      `${pd.length} PD and ${controls.length} controls; CS1PD values are the mean of the subject's two sessions.`,
      `AUC = P(PD value > control value); below 0.5 the feature is lower in PD. The best of ${features.length} features is picked after the fact, so its AUC is optimistic.`,
      `Pre-specified contract feature hold_time_median_ms: AUC ${median.auc.toFixed(3)}.`,
      ...rows.map(
        (r) =>
          `  ${r.id.padEnd(34)} AUC ${r.auc.toFixed(3)}  (${r.auc >= 0.5 ? 'higher' : 'lower'} in PD; n = ${r.nPd}/${r.nControl})`,
      ),
      'Group medians over subjects (measures.md 5.2 lists 133/94 ms CS1PD and 119/93 ms CS2PD for the hold median):',
      ...SETS.map(
        (set) =>
          `  ${set}: hold_time_median_ms PD ${groupMedian(pd, set, 'hold_time_median_ms').toFixed(1)} / control ${groupMedian(controls, set, 'hold_time_median_ms').toFixed(1)} ms; hold_time_iqr_ms ${groupMedian(pd, set, 'hold_time_iqr_ms').toFixed(1)} / ${groupMedian(controls, set, 'hold_time_iqr_ms').toFixed(1)} ms; hold_time_log_diff_sd ${groupMedian(pd, set, 'hold_time_log_diff_sd').toFixed(3)} / ${groupMedian(controls, set, 'hold_time_log_diff_sd').toFixed(3)}`,
      ),
      `Test–retest (CS1PD, ${cs1.length} subjects, two sessions): Pearson r of ln hold_time_median_ms = ${retest.toFixed(3)}.`,
    ];
    return { checks, details };
  },
};
