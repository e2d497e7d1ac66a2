import { describe, expect, it } from 'vitest';
import {
  BODY_REGION_LABELS,
  BODY_REGIONS,
  DIARY_CONTEXT_FIELDS,
  DIARY_CONTEXT_LABELS,
  DIARY_SYMPTOM_LABELS,
  DIARY_SYMPTOMS,
  DIARY_TASK_LABELS,
  DIARY_TASKS,
  bodyRegionSpread,
  diaryChanges,
  diaryDataSchema,
  diaryInputSchema,
  newBodyRegions,
  type DiaryData,
} from './diary.js';
import { latestToday, pastDate } from './fields.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');

function entry(at: string, left: DiaryData['bodyMap']['left'], right: DiaryData['bodyMap']['right'] = []) {
  return { at, bodyMap: { left, right } };
}

const BASE: DiaryData = diaryDataSchema.parse(diaryInputSchema.parse({ at: '2026-03-02T09:30:00+01:00' }));

describe('diary vocabulary', () => {
  it('has a label for every code, none empty and none repeated', () => {
    for (const [codes, labels] of [
      [DIARY_TASKS, DIARY_TASK_LABELS],
      [DIARY_SYMPTOMS, DIARY_SYMPTOM_LABELS],
      [BODY_REGIONS, BODY_REGION_LABELS],
      [DIARY_CONTEXT_FIELDS, DIARY_CONTEXT_LABELS],
    ] as const) {
      const texts = codes.map((code) => (labels as Record<string, string>)[code]);
      expect(texts.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
      expect(new Set(texts).size).toBe(codes.length);
      expect(Object.keys(labels).sort()).toEqual([...codes].sort());
    }
    expect(DIARY_SYMPTOM_LABELS['clenching-or-curling-fingers']).toBe('Clenching or curling fingers');
    expect(DIARY_TASK_LABELS.toolUse).toBe('Tool use (instrument, dental or surgical tool)');
  });
});

describe('diary schemas', () => {
  it('fills the defaults, trims the notes and refuses unknown fields and out-of-range values', () => {
    expect(BASE).toEqual({
      at: '2026-03-02T09:30:00+01:00',
      severity: {},
      symptoms: [],
      painLevel: null,
      context: {},
      bodyMap: { left: [], right: [] },
      notes: null,
    });
    expect(diaryInputSchema.parse({ at: BASE.at, notes: '  tired  ' }).notes).toBe('tired');
    expect(diaryInputSchema.safeParse({ at: BASE.at, mood: 3 }).success).toBe(false);
    expect(diaryInputSchema.safeParse({ at: BASE.at, severity: { writing: 11 } }).success).toBe(false);
    expect(diaryInputSchema.safeParse({ at: BASE.at, context: { sleepHours: 25 } }).success).toBe(false);
    expect(diaryInputSchema.safeParse({ at: BASE.at, symptoms: ['pain', 'pain'] }).success).toBe(false);
    expect(
      diaryInputSchema.safeParse({ at: new Date(Date.now() + 3 * 3600_000).toISOString() }).success,
    ).toBe(false);
  });

  it('pastDate refuses tomorrow where it is latest on Earth and accepts today there', () => {
    const today = latestToday();
    expect(pastDate.safeParse(today).success).toBe(true);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    expect(pastDate.safeParse(tomorrow).success).toBe(false);
    expect(latestToday(Date.parse('2026-01-01T10:00:00Z'))).toBe('2026-01-02');
  });
});

describe('diaryChanges', () => {
  it('names each changed field with its meaning, and nothing else', () => {
    const after: DiaryData = {
      ...BASE,
      severity: { writing: 8 },
      symptoms: ['pain', 'cramping'],
      painLevel: 4,
      context: { sleepHours: 6.5, cold: true },
      bodyMap: { left: [], right: ['forearm', 'fingers'] },
      notes: 'worse after the exam',
    };
    expect(diaryChanges({ ...BASE, severity: { writing: 6 } }, after)).toEqual([
      { label: 'Writing (0 = no symptoms, 10 = worst)', before: '6 of 10', after: '8 of 10' },
      { label: 'Symptoms', before: 'none', after: 'Cramping, Pain' },
      { label: 'Pain (0 = no pain, 10 = worst pain)', before: 'not noted', after: '4 of 10' },
      { label: 'Hours of sleep', before: 'not noted', after: '6.5 hours' },
      { label: 'Cold hands or a cold room', before: 'not noted', after: 'yes' },
      { label: 'Body regions, your right side', before: 'none', after: 'Fingers, Forearm' },
      { label: 'Notes', before: 'none', after: 'worse after the exam' },
    ]);
    expect(diaryChanges(after, after)).toEqual([]);
  });

  it('compares times as instants and words them with the given formatter', () => {
    expect(diaryChanges(BASE, { ...BASE, at: '2026-03-02T08:30:00Z' })).toEqual([]);
    expect(diaryChanges(BASE, { ...BASE, at: '2026-03-02T10:00:00Z' }, (iso) => `<${iso}>`)).toEqual([
      { label: 'Time', before: '<2026-03-02T09:30:00+01:00>', after: '<2026-03-02T10:00:00Z>' },
    ]);
  });
});

describe('bodyRegionSpread', () => {
  const entries = [
    entry(new Date(NOW - 200 * DAY).toISOString(), [], ['fingers']),
    entry(new Date(NOW - 80 * DAY).toISOString(), [], ['fingers', 'forearm']),
    entry(new Date(NOW - 10 * DAY).toISOString(), ['neck'], ['fingers']),
    entry(new Date(NOW - 1 * DAY).toISOString(), [], []),
  ];

  it('counts the entries of the window that mark each region and side, with the first date ever', () => {
    const spread = bodyRegionSpread(entries, { now: NOW });
    expect(spread.windowDays).toBe(90);
    expect(spread.entriesInWindow).toBe(3);
    expect(spread.rows).toEqual([
      {
        side: 'left',
        region: 'neck',
        count: 1,
        firstMarkedAt: entries[2]!.at,
        isNew: true,
        beyondArm: true,
      },
      {
        side: 'right',
        region: 'fingers',
        count: 2,
        firstMarkedAt: entries[0]!.at,
        isNew: false,
        beyondArm: false,
      },
      {
        side: 'right',
        region: 'forearm',
        count: 1,
        firstMarkedAt: entries[1]!.at,
        isNew: true,
        beyondArm: false,
      },
    ]);
  });

  it('does not call the regions of the very first entry new, and honours the window length', () => {
    const spread = bodyRegionSpread(entries.slice(2), { now: NOW, windowDays: 5 });
    expect(spread.entriesInWindow).toBe(1);
    expect(spread.rows).toEqual([
      {
        side: 'left',
        region: 'neck',
        count: 0,
        firstMarkedAt: entries[2]!.at,
        isNew: false,
        beyondArm: true,
      },
      {
        side: 'right',
        region: 'fingers',
        count: 0,
        firstMarkedAt: entries[2]!.at,
        isNew: false,
        beyondArm: false,
      },
    ]);
    expect(bodyRegionSpread([], { now: NOW })).toEqual({ windowDays: 90, entriesInWindow: 0, rows: [] });
  });

  it('newBodyRegions lists the marks that no earlier entry has, per side', () => {
    expect(newBodyRegions({ left: ['neck', 'hand'], right: ['fingers', 'neck'] }, entries)).toEqual([
      { side: 'left', region: 'hand' },
      { side: 'right', region: 'neck' },
    ]);
    expect(newBodyRegions({ left: [], right: ['fingers'] }, entries)).toEqual([]);
  });
});
