import { describe, expect, it } from 'vitest';
import {
  ANSWER_SETS,
  GAD7,
  PGIC,
  PHQ9,
  PHQ9_ITEM9_LINK_ID,
  QUESTIONNAIRES,
  getQuestionnaire,
} from './definitions.js';

describe('questionnaire definitions', () => {
  it('has PHQ-9, GAD-7 and PGIC under their own ids', () => {
    expect(Object.keys(QUESTIONNAIRES)).toEqual(['phq-9', 'gad-7', 'pgic']);
    for (const [id, def] of Object.entries(QUESTIONNAIRES)) expect(def.id).toBe(id);
    expect(getQuestionnaire('gad-7')).toBe(GAD7);
    expect(getQuestionnaire('toString')).toBeUndefined();
  });

  it('gives every questionnaire unique linkIds, a version, a recall period, a licence and a citation', () => {
    for (const def of Object.values(QUESTIONNAIRES)) {
      const ids = def.items.map((item) => item.linkId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(def.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(def.recallPeriod.length).toBeGreaterThan(0);
      expect(def.licence.length).toBeGreaterThan(0);
      expect(def.citation.length).toBeGreaterThan(0);
      expect(def.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });

  it('keeps answer codes unique and values consecutive within each answer set', () => {
    for (const set of Object.values(ANSWER_SETS)) {
      const codes = set.options.map((o) => o.code);
      expect(new Set(codes).size).toBe(codes.length);
      const values = set.options.map((o) => o.value);
      values.forEach((v, i) => expect(v).toBe(values[0]! + i));
    }
  });

  it('has bands that tile the score range without gaps or overlaps', () => {
    for (const def of Object.values(QUESTIONNAIRES)) {
      const bands = def.scoring.bands;
      const min = def.scoring.kind === 'sum' ? def.scoring.min : 1;
      const max = def.scoring.kind === 'sum' ? def.scoring.max : 7;
      expect(bands[0]!.min).toBe(min);
      expect(bands.at(-1)!.max).toBe(max);
      for (let i = 1; i < bands.length; i++) expect(bands[i]!.min).toBe(bands[i - 1]!.max + 1);
    }
  });

  it('scores the 9 PHQ-9 symptom items 0–27 with the published bands, not the difficulty item', () => {
    expect(PHQ9.items).toHaveLength(10);
    expect(PHQ9.scoring.kind).toBe('sum');
    if (PHQ9.scoring.kind !== 'sum') return;
    expect(PHQ9.scoring.items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `phq9-${n}`));
    expect(PHQ9.scoring.items).not.toContain('phq9-difficulty');
    expect([PHQ9.scoring.min, PHQ9.scoring.max]).toEqual([0, 27]);
    expect(PHQ9.scoring.bands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['minimal', 0, 4],
      ['mild', 5, 9],
      ['moderate', 10, 14],
      ['moderately-severe', 15, 19],
      ['severe', 20, 27],
    ]);
  });

  it('scores GAD-7 0–21 with bands at 5, 10 and 15', () => {
    if (GAD7.scoring.kind !== 'sum') throw new Error('GAD-7 is a sum');
    expect(GAD7.scoring.items).toHaveLength(7);
    expect(GAD7.scoring.bands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['minimal', 0, 4],
      ['mild', 5, 9],
      ['moderate', 10, 14],
      ['severe', 15, 21],
    ]);
  });

  it('uses the published PHQ-9 item 9 and recall period wording', () => {
    const item9 = PHQ9.items.find((item) => item.linkId === PHQ9_ITEM9_LINK_ID);
    expect(item9?.text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(PHQ9.stem).toBe(
      'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
    );
    expect(PHQ9.licence).toContain('No permission required to reproduce, translate, display or distribute.');
    expect(GAD7.licence).toContain('No permission required to reproduce, translate, display or distribute.');
  });

  it('words the PGIC from very much better (1) to very much worse (7), overall and for the affected task', () => {
    const overall = PGIC.items[0];
    expect(overall?.kind).toBe('choice');
    if (overall?.kind !== 'choice') return;
    expect(overall.answerSet.options.map((o) => `${o.value} ${o.text}`)).toEqual([
      '1 Very much better',
      '2 Much better',
      '3 A little better',
      '4 No change',
      '5 A little worse',
      '6 Much worse',
      '7 Very much worse',
    ]);
    expect(PGIC.items.map((item) => [item.linkId, item.kind])).toEqual([
      ['pgic-overall', 'choice'],
      ['pgic-task', 'choice'],
      ['pgic-task-words', 'text'],
    ]);
  });

  it('uses no LOINC code other than the two checked totals', () => {
    const text = JSON.stringify(QUESTIONNAIRES);
    const loincLike = text.match(/\b\d{4,6}-\d\b/g) ?? [];
    expect([...new Set(loincLike)].sort()).toEqual(['44261-6', '70274-6']);
  });

  it('never words a band as a diagnosis', () => {
    for (const def of Object.values(QUESTIONNAIRES)) {
      for (const band of def.scoring.bands) {
        expect(band.meaning).not.toMatch(/\b(you have|you are depressed|disorder|diagnos)/i);
      }
      expect(def.resultNote).toMatch(/not a diagnosis/);
    }
  });
});
