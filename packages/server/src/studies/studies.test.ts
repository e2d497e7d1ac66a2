import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueItems, NOTHING_DONE, type Schedule } from '@dystrack/core';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { signedInClient } from '../test-utils/signed-in.js';
import {
  MAX_DATE_SHIFT_DAYS,
  newDateShift,
  newEnrolCode,
  newPseudonym,
  normaliseEnrolCode,
  participantStatus,
} from './store.js';
import { studySchedulesOf, withStudySchedules } from './schedule.js';

const weekly = (id: string, activity: 'typing' | 'diary', timeZone = 'Europe/Berlin'): Schedule => ({
  version: 1,
  timeZone,
  items: [
    {
      id,
      type: 'recurring',
      activity,
      repeat: { kind: 'weekdays', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      time: '09:00',
    },
  ],
});

describe('study codes, pseudonyms and date shifts', () => {
  it('enrol codes are XXXX-XXXX in Crockford base32 and read back however they are typed', () => {
    for (let i = 0; i < 50; i++) {
      const code = newEnrolCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(normaliseEnrolCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    }
    expect(normaliseEnrolCode('abcd efgh')).toBe('ABCD-EFGH');
    expect(normaliseEnrolCode('o1l0-ABCD')).toBe('0110-ABCD'); // misreadable letters mapped
    expect(normaliseEnrolCode('ABCD-EFG')).toBeNull();
    expect(normaliseEnrolCode('ABCD-EFGU')).toBeNull(); // U is not Crockford
  });

  it('pseudonyms are P- and six Crockford characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(newPseudonym());
    for (const p of seen) expect(p).toMatch(/^P-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(seen.size).toBeGreaterThan(190);
  });

  it('date shifts are within ±180 days, both ways, and never 0', () => {
    const shifts = Array.from({ length: 4000 }, newDateShift);
    expect(shifts).not.toContain(0);
    expect(Math.min(...shifts)).toBeGreaterThanOrEqual(-MAX_DATE_SHIFT_DAYS);
    expect(Math.max(...shifts)).toBeLessThanOrEqual(MAX_DATE_SHIFT_DAYS);
    expect(shifts.some((s) => s < -150)).toBe(true);
    expect(shifts.some((s) => s > 150)).toBe(true);
    expect(shifts.every(Number.isInteger)).toBe(true);
  });

  it('status: withdrawn wins, then an older consent version awaits re-consent', () => {
    const at = new Date();
    expect(participantStatus({ withdrawnAt: null, consentVersion: 2 }, { consentVersion: 2 })).toBe(
      'consenting',
    );
    expect(participantStatus({ withdrawnAt: null, consentVersion: 1 }, { consentVersion: 2 })).toBe(
      'awaiting-reconsent',
    );
    expect(participantStatus({ withdrawnAt: at, consentVersion: 1 }, { consentVersion: 2 })).toBe(
      'withdrawn',
    );
  });
});

describe('study routines in the due list', () => {
  it('adds study items with ids of their own, in the patient’s time zone', () => {
    const own = weekly('walk', 'diary', 'America/New_York');
    const merged = withStudySchedules(own, [
      { studyId: '12345678-aaaa-4bbb-8ccc-000000000000', schedule: weekly('walk', 'typing') },
    ])!;
    expect(merged.timeZone).toBe('America/New_York');
    expect(merged.items.map((i) => i.id)).toEqual(['walk', 's123456-walk']);
    expect(withStudySchedules(own, [])).toBe(own);
    expect(withStudySchedules(null, [])).toBeNull();
    const only = withStudySchedules(null, [{ studyId: 'abcdef12-0000', schedule: weekly('t', 'typing') }])!;
    expect(only.timeZone).toBe('Europe/Berlin');
    const due = dueItems(only, NOTHING_DONE, new Date('2026-03-02T12:00:00Z'), only.timeZone);
    expect(due.today.map((o) => o.activity)).toEqual(['typing']);
  });

  describe('studySchedulesOf', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('gives the routines of studies the patient consents to at the current version only', async () => {
      const researcher = await signedInClient(t, { role: 'researcher', approved: true });
      const patient = await signedInClient(t);
      const created = await researcher.client.post('/api/v1/studies', {
        title: 'Typing',
        description: 'Daily typing.',
        tasks: ['typing'],
        schedule: weekly('daily', 'typing'),
        consent: { text: 'I agree.', withdrawalData: 'delete' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const study = created.json() as { id: string };
      expect(await studySchedulesOf(t.database.db, patient.user.id)).toEqual([]);
      const enrolled = await patient.client.post(`/api/v1/studies/${study.id}/enrol`, {
        consentVersion: 1,
        agree: true,
      });
      expect(enrolled.statusCode).toBe(201);
      expect(await studySchedulesOf(t.database.db, patient.user.id)).toEqual([
        { studyId: study.id, schedule: weekly('daily', 'typing') },
      ]);
      await researcher.client.post(`/api/v1/studies/${study.id}/consent-versions`, {
        text: 'I agree again.',
        withdrawalData: 'delete',
      });
      expect(await studySchedulesOf(t.database.db, patient.user.id)).toEqual([]);
    });
  });
});
