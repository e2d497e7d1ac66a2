import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors/catalogue.js';
import { NOBODY_WATCHES, checkPhq9Crisis, checkRedFlags } from './safety.js';
import { frequencyAnswers } from './test-utils/helpers.js';

const resources = [
  { name: 'Example crisis line', contact: '0800 000 000', description: 'Free, 24 hours' },
  { name: '  ', contact: 'ignored: no name' },
];

describe('checkPhq9Crisis', () => {
  it('is no crisis when item 9 is "not at all" or unanswered, whatever the total', () => {
    expect(checkPhq9Crisis(frequencyAnswers('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]), resources)).toEqual({
      crisis: false,
    });
    expect(checkPhq9Crisis(frequencyAnswers('phq9', [3, 3, 3, 3, 3, 3, 3, 3, null]), resources)).toEqual({
      crisis: false,
    });
  });

  it.each([1, 2, 3])('is a crisis when item 9 = %i, even with a minimal total', (value) => {
    const result = checkPhq9Crisis(frequencyAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, value]), resources);
    expect(result.crisis).toBe(true);
    if (!result.crisis) return;
    expect(result.itemValue).toBe(value);
    expect(result.title).toBe('Please talk to someone now');
    expect(result.paragraphs).toContain(NOBODY_WATCHES);
    expect(result.paragraphs[1]).toBe(
      'Nobody watches these answers in real time. Dystrack does not alert anyone: not your doctor, and not ' +
        'the people who run this server.',
    );
    expect(result.resources).toEqual([
      { name: 'Example crisis line', contact: '0800 000 000', description: 'Free, 24 hours' },
    ]);
  });

  it('says that no services are listed when the administrator configured none', () => {
    const result = checkPhq9Crisis({ 'phq9-9': 'several-days' }, []);
    if (!result.crisis) throw new Error('expected a crisis');
    expect(result.resources).toEqual([]);
    expect(result.paragraphs[3]).toBe(
      'The people who run this server have not listed support services. A crisis line in your country, ' +
        'your doctor or someone you trust can help you today.',
    );
  });

  it('refuses an unknown item-9 answer instead of passing it as no crisis', () => {
    expect(() => checkPhq9Crisis({ 'phq9-9': 'sometimes' }, resources)).toThrow(CodedError);
  });
});

describe('checkRedFlags', () => {
  it('raises nothing for a gradual, task-bound problem already seen by a doctor', () => {
    expect(checkRedFlags({ onset: 'months-or-years', seenDoctor: true, otherSigns: [] })).toEqual({
      level: 'none',
      flags: [],
      title: null,
      message: null,
    });
    expect(checkRedFlags({})).toEqual({ level: 'none', flags: [], title: null, message: null });
  });

  it('sends someone who has not seen a doctor to one', () => {
    const result = checkRedFlags({ onset: 'months-or-years', seenDoctor: false });
    expect(result.level).toBe('see-doctor');
    expect(result.flags.map((f) => f.code)).toEqual(['no-doctor-yet']);
    expect(result.message).toBe(
      'Anyone with hand symptoms who has not seen a doctor should see one, preferably a neurologist who ' +
        'specialises in movement disorders. Dystrack informs; it does not diagnose.',
    );
  });

  it('flags sudden onset, rapid spread, weakness and other signs with "please see a doctor"', () => {
    const result = checkRedFlags({
      onset: 'days-or-weeks',
      spreadQuickly: true,
      weakness: true,
      presentAtRest: true,
      otherSigns: ['speech-or-swallowing', 'numbness', 'numbness'],
      startedAfterNewMedicine: true,
      startedAfterHeadInjury: true,
      seenDoctor: true,
    });
    expect(result.level).toBe('see-doctor');
    expect(result.title).toBe('Please see a doctor');
    expect(result.flags.map((f) => f.code)).toEqual([
      'onset-days-or-weeks',
      'rapid-spread',
      'weakness',
      'present-at-rest',
      'sign-speech-or-swallowing',
      'sign-numbness',
      'after-new-medicine',
      'after-head-injury',
    ]);
    expect(result.message).toBe(
      'Some of your answers describe signs that are not typical of a focal hand dystonia. Hand symptoms can ' +
        'have other causes, and only a doctor can check them. Please see a doctor, preferably a neurologist ' +
        'who specialises in movement disorders, and show them these answers. Dystrack informs; it does not ' +
        'diagnose.',
    );
  });

  it('makes onset within minutes or hours urgent', () => {
    const result = checkRedFlags({ onset: 'minutes-or-hours', weakness: true });
    expect(result.level).toBe('urgent');
    expect(result.title).toBe('Please get medical help now');
    expect(result.flags.map((f) => f.code)).toEqual(['onset-minutes-or-hours', 'weakness']);
    expect(result.message).toContain(
      'Call your local emergency number or go to an emergency department now.',
    );
    expect(result.message).toContain(NOBODY_WATCHES);
  });

  it('never names a diagnosis or a treatment in any message', () => {
    const all = [
      checkRedFlags({ onset: 'minutes-or-hours' }),
      checkRedFlags({ weakness: true }),
      checkRedFlags({ seenDoctor: false }),
    ];
    for (const result of all) {
      expect(result.message).not.toMatch(/stroke|parkinson|tumou?r|botulinum|medication|you have/i);
    }
  });
});
