import { describe, expect, it } from 'vitest';
import { CodedError } from '../../errors/catalogue.js';
import { analyze } from '../analyze.js';
import { parseCsvTable } from '../formats/table.js';
import type { KeyPress, TypingInput } from '../inputs.js';
import { analyzeTyping, typingAnalyzer } from './analyzer.js';
import { TYPING_METRICS } from './definitions.js';
import { typingFromCsv } from './from-csv.js';
import { selectKeystrokes } from './keystrokes.js';

const input = (presses: KeyPress[]): TypingInput => ({ task: 'typing', presses, flags: [] });
const press = (downMs: number, upMs: number, code: string | null, key: string | null = null): KeyPress => ({
  downMs,
  upMs,
  code,
  key,
});
const csv = (text: string) => typingFromCsv(parseCsvTable(text));

/**
 * Six keystrokes, in file order; holds 100, 80, 120, 90, 160, 70 ms.
 * Sorted holds 70 80 90 100 120 160: median (90 + 100)/2 = 95; type-7 quartiles at h = 1.25 and
 * 3.75: 80 + 0.25·10 = 82.5 and 100 + 0.75·20 = 115, IQR 32.5; 90th percentile at h = 4.5: 140.
 * IKIs 150 150 80 220 100 → median 150. Flights 50 70 −40 130 −60 → median 50; 2 of 5 roll over.
 */
const SIX = `down_ms,up_ms,key
0,100,a
150,230,s
300,420,d
380,470,f
600,760,j
700,770,k
`;

describe('typing contract metrics on a hand-computed file', () => {
  const result = analyzeTyping(csv(SIX));

  it('computes keystroke_count, hold median, IQR (type 7), IKI and flight medians', () => {
    expect(result.metrics.keystroke_count).toBe(6);
    expect(result.metrics.hold_time_median_ms).toBe(95);
    expect(result.metrics.hold_time_iqr_ms).toBeCloseTo(32.5, 10);
    expect(result.metrics.iki_median_ms).toBe(150);
    expect(result.metrics.flight_time_median_ms).toBe(50);
    expect(result.flags).toEqual([]);
  });

  it('computes the 90th percentile, the fluctuation and the rollover share', () => {
    expect(result.metrics.hold_time_p90_ms).toBeCloseTo(140, 10);
    // numpy: np.std(np.diff(np.log([100, 80, 120, 90, 160, 70])), ddof=1)
    expect(result.metrics.hold_time_log_diff_sd).toBeCloseTo(0.5669995442398101, 12);
    expect(result.metrics.rollover_pct).toBeCloseTo(40, 10);
    expect(result.metrics.backspace_rate_pct).toBe(0);
  });

  it('gives per-hand values only with at least 5 keystrokes of the hand', () => {
    expect(result.metrics.hold_time_median_left_ms).toBeNull();
    expect(result.metrics.hold_time_left_right_ratio).toBeNull();
    // every metric of the catalogue is present
    expect(Object.keys(result.metrics).sort()).toEqual(TYPING_METRICS.map((m) => m.id).sort());
  });

  it('is what analyze() prints through the registry', () => {
    const out = analyze(csv(SIX));
    expect(out.task).toBe('typing');
    expect(out.metrics).toEqual(result.metrics);
    expect(typingAnalyzer.metrics).toBe(TYPING_METRICS);
  });
});

describe('typing row rules', () => {
  it('sorts rows by down time (any input order gives the same result)', () => {
    const lines = SIX.trim().split('\n');
    const shuffled = [lines[0], lines[4], lines[2], lines[6], lines[1], lines[5], lines[3]].join('\n');
    expect(analyzeTyping(csv(shuffled)).metrics).toEqual(analyzeTyping(csv(SIX)).metrics);
  });

  it('drops a key pressed again before its previous release (auto-repeat), keeps one pressed at the release', () => {
    const selection = selectKeystrokes([
      press(0, 600, 'KeyA'),
      press(500, 600, 'KeyA'), // before the first press's release: auto-repeat
      press(533, 600, 'KeyA'),
      press(600, 650, 'KeyA'), // exactly at the release: a new keystroke
      press(550, 590, 'KeyB'), // another key, overlapping: rollover, kept
    ]);
    expect(selection.autoRepeatDropped).toBe(2);
    expect(selection.keystrokes.map((k) => [k.downMs, k.code])).toEqual([
      [0, 'KeyA'],
      [550, 'KeyB'],
      [600, 'KeyA'],
    ]);
    expect(selection.flags).toEqual(['AUTO_REPEAT_DROPPED']);
  });

  it('recognises the same physical key from key values when there is no code', () => {
    const selection = selectKeystrokes([press(0, 300, null, 'a'), press(100, 300, null, 'A')]);
    expect(selection.autoRepeatDropped).toBe(1);
  });

  it('removes auto-repeat first, then keeps holds in (0, 1000) ms', () => {
    const result = analyzeTyping(
      input([
        press(0, 1500, 'KeyE'), // held 1.5 s: out of range
        press(500, 1500, 'KeyE'), // its auto-repeats
        press(533, 1500, 'KeyE'),
        press(2000, 2000, 'KeyF'), // hold 0: out
        press(3000, 4000, 'KeyG'), // hold 1000: out
        press(5000, 4990, 'KeyH'), // negative: out
        press(6000, 6999.5, 'KeyJ'), // 999.5: kept
        press(7000, 7000.5, 'KeyK'), // 0.5: kept
      ]),
    );
    expect(result.metrics.keystroke_count).toBe(2);
    expect(result.metrics.hold_time_median_ms).toBeCloseTo(500, 10);
    // two keystrokes leave the fluctuation (3 needed) null
    expect(result.flags).toEqual(['AUTO_REPEAT_DROPPED', 'HOLD_OUT_OF_RANGE', 'TOO_FEW_EVENTS']);
  });
});

describe('typing per hand, finger, digraph, backspace and windows', () => {
  it('computes hand medians and their ratio without thumbs and modifiers', () => {
    const left = ['KeyA', 'KeyS', 'KeyD', 'KeyF', 'KeyG'];
    const right = ['KeyJ', 'KeyK', 'KeyL', 'Semicolon', 'KeyH'];
    const presses = [
      ...left.map((code, i) => press(i * 1000, i * 1000 + 100 + 10 * i, code)), // 100 … 140, median 120
      ...right.map((code, i) => press(10_000 + i * 1000, 10_000 + i * 1000 + 60 + 10 * i, code)), // 60 … 100
      press(20_000, 20_050, 'Space'),
      press(21_000, 21_300, 'ShiftLeft'),
      press(22_000, 22_400, 'ShiftRight'),
    ];
    const m = analyzeTyping(input(presses)).metrics;
    expect(m.hold_time_median_left_ms).toBe(120);
    expect(m.hold_time_median_right_ms).toBe(80);
    expect(m.hold_time_left_right_ratio).toBeCloseTo(1.5, 12);
    expect(m.hold_time_iqr_left_ms).toBe(20); // 110 … 130
    expect(m.hold_time_p90_right_ms).toBeCloseTo(96, 10); // h = 3.6: 90 + 0.6·10
    expect(m.keystroke_count).toBe(13); // the contract metrics count every key
    // one key per finger: below the minimum of 5
    expect(m.hold_time_median_left_pinky_ms).toBeNull();
    expect(m.hold_time_median_thumb_ms).toBeNull();
  });

  it('computes per-finger medians (pooled thumbs) and same-finger digraph times', () => {
    // left index: f r t g v b (6 keys, 5 same-finger pairs, IKIs 200 210 220 230 240);
    // then right index: j u h n m y (IKIs 300 310 320 330 340), then five spaces (thumb).
    const leftIndex = ['KeyF', 'KeyR', 'KeyT', 'KeyG', 'KeyV', 'KeyB'];
    const rightIndex = ['KeyJ', 'KeyU', 'KeyH', 'KeyN', 'KeyM', 'KeyY'];
    const presses: KeyPress[] = [];
    let t = 0;
    leftIndex.forEach((code, i) => {
      presses.push(press(t, t + 100 + i, code)); // holds 100 … 105
      t += 200 + 10 * i;
    });
    t += 1000;
    rightIndex.forEach((code, i) => {
      presses.push(press(t, t + 80, code));
      t += 300 + 10 * i;
    });
    for (let i = 0; i < 5; i++) presses.push(press(t + 1000 * i, t + 1000 * i + 90 + i, 'Space'));
    const m = analyzeTyping(input(presses)).metrics;
    expect(m.hold_time_median_left_index_ms).toBe(102.5);
    expect(m.hold_time_median_right_index_ms).toBe(80);
    expect(m.hold_time_median_thumb_ms).toBe(92);
    expect(m.same_finger_digraph_median_left_ms).toBe(220);
    expect(m.same_finger_digraph_median_right_ms).toBe(320);
    // all 10 pairs: 200 210 220 230 240 300 310 320 330 340; the space pairs are thumbs: left out
    expect(m.same_finger_digraph_median_ms).toBe(270);
  });

  it('counts Backspace (by code or by key) as corrections', () => {
    const m = analyzeTyping(
      input([
        press(0, 100, 'KeyA'),
        press(200, 300, 'Backspace'),
        press(400, 500, null, 'Backspace'),
        press(600, 700, 'KeyS'),
      ]),
    ).metrics;
    expect(m.backspace_rate_pct).toBe(50);
  });

  it('takes the median over windows with at least 50 keystrokes', () => {
    // one keystroke a second for 120 s; first minute holds 100/200 alternating, second 50/70
    const presses: KeyPress[] = [];
    for (let i = 0; i < 120; i++) {
      const hold = i < 60 ? (i % 2 ? 200 : 100) : i % 2 ? 70 : 50;
      presses.push(press(5000 + i * 1000, 5000 + i * 1000 + hold, i % 2 ? 'KeyJ' : 'KeyF'));
    }
    const m = analyzeTyping(input(presses)).metrics;
    // 60-s windows: medians 150 and 60, IQRs 100 and 20
    expect(m.hold_time_median_win60_ms).toBe(105);
    expect(m.hold_time_iqr_win60_ms).toBe(60);
    // numpy: median of the two windows' SD of ln differences (0.69900 and 0.33931)
    expect(m.hold_time_log_diff_sd_win60).toBeCloseTo(0.5191541713397292, 12);
    // 90-s windows: the first holds 90 keystrokes (30×100, 30×200, 15×50, 15×70), the second 30 (< 50: left out)
    expect(m.hold_time_median_win90_ms).toBe(100);
    expect(m.hold_time_iqr_win90_ms).toBe(130);
    expect(m.hold_time_log_diff_sd_win90).toBeCloseTo(0.617457248121334, 12);
  });

  it('leaves windowed metrics null when no window has 50 keystrokes', () => {
    const m = analyzeTyping(csv(SIX)).metrics;
    expect(m.hold_time_median_win60_ms).toBeNull();
    expect(m.hold_time_median_win90_ms).toBeNull();
  });
});

describe('typing with too few keystrokes', () => {
  it('gives what one keystroke allows, null for the rest, and TOO_FEW_EVENTS', () => {
    const result = analyzeTyping(input([press(0, 120, 'KeyA'), press(50, 5000, 'KeyB')]));
    expect(result.metrics.keystroke_count).toBe(1);
    expect(result.metrics.hold_time_median_ms).toBe(120);
    expect(result.metrics.hold_time_iqr_ms).toBeNull();
    expect(result.metrics.iki_median_ms).toBeNull();
    expect(result.metrics.flight_time_median_ms).toBeNull();
    expect(result.metrics.hold_time_log_diff_sd).toBeNull();
    expect(result.flags).toEqual(['HOLD_OUT_OF_RANGE', 'TOO_FEW_EVENTS']);
  });

  it('flags TOO_FEW_EVENTS when the fluctuation needs a third keystroke', () => {
    const result = analyzeTyping(input([press(0, 120, 'KeyA'), press(200, 300, 'KeyB')]));
    expect(result.metrics.iki_median_ms).toBe(200);
    expect(result.metrics.hold_time_log_diff_sd).toBeNull();
    expect(result.flags).toEqual(['TOO_FEW_EVENTS']);
  });

  it('throws E_TOO_FEW_EVENTS when no keystroke is left', () => {
    const run = () => analyzeTyping(input([press(0, 1200, 'KeyA'), press(10, 10, 'KeyB')]));
    expect(run).toThrow(CodedError);
    expect(run).toThrow(expect.objectContaining({ code: 'E_TOO_FEW_EVENTS' }));
    expect(() => analyzeTyping(input([]))).toThrow(expect.objectContaining({ code: 'E_TOO_FEW_EVENTS' }));
  });
});
