import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { createMetricsTestApp, typingRecording } from '../metrics/test-utils/fixtures.js';
import { pdfFonts, pdfPageTexts } from '../reports/test-pdf.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';

type MetricsApp = Awaited<ReturnType<typeof createMetricsTestApp>>;

const squash = (text: string) => text.replace(/\s+/g, ' ');
const at = (date: string) => `${date}T09:00:00.000Z`;

describe('GET /api/v1/reports/clinician.pdf', () => {
  let t: MetricsApp;
  let alice: SignedIn;
  beforeAll(async () => {
    t = await createMetricsTestApp();
    alice = await signedInClient(t, { displayName: 'Alice Report' });
    const ok = async (response: { statusCode: number; body: string }, status = 201) =>
      expect(response.statusCode, response.body).toBe(status);
    await ok(
      await alice.client.put('/api/v1/profile', {
        affectedHands: 'right',
        dominantHand: 'right',
        dystoniaForms: ['typists'],
        occupation: 'Court reporter',
        essentialHandTasks: [],
        instrument: null,
        onsetYear: 2019,
        diagnosisConfirmed: 'yes',
      }),
      200,
    );
    // typing with the right hand: hold times 88, 90, 92, 90, 90 ms (baseline mean 90), then 120 ms
    const holds = [88, 90, 92, 90, 90, 120];
    for (const [i, holdMs] of holds.entries()) {
      const recording = typingRecording({ holdMs, hand: 'right', startedAt: at(`2026-03-0${i + 1}`) });
      await ok(await alice.client.post('/api/v1/recordings', recording));
    }
    // a session before the period, which must not count
    await ok(
      await alice.client.post(
        '/api/v1/recordings',
        typingRecording({ holdMs: 300, hand: 'right', startedAt: at('2026-02-01') }),
      ),
    );
    await t.job.drain();
    await ok(
      await alice.client.post('/api/v1/treatments', {
        type: 'botulinum-toxin',
        date: '2026-03-04',
        product: 'incobotulinumtoxinA',
        injections: [
          { muscle: 'extensor-indicis', side: 'right', units: 15 },
          { muscle: 'flexor-pollicis-longus', side: 'right', units: 7.5 },
        ],
      }),
    );
    await ok(
      await alice.client.post('/api/v1/treatments', {
        type: 'therapy',
        therapy: 'sensorimotor-retraining',
        start: '2026-01-10',
      }),
    );
    const phq = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`phq9-${i + 1}`, i < 6 ? 'several-days' : 'not-at-all']),
    );
    await ok(
      await alice.client.post('/api/v1/questionnaires/responses', {
        questionnaireId: 'phq-9',
        answers: phq,
        completedAt: '2026-03-05T10:00:00Z',
      }),
    );
    await ok(
      await alice.client.post('/api/v1/questionnaires/responses', {
        questionnaireId: 'pgic',
        answers: { 'pgic-overall': 'much-better' },
        completedAt: '2026-03-06T10:00:00Z',
        reference: { kind: 'injection', date: '2026-03-04' },
      }),
    );
    await ok(
      await alice.client.post('/api/v1/clinician-scales/totals', {
        scaleId: 'wcrs',
        total: 9,
        date: '2026-03-02',
        rater: { role: 'clinician', name: 'Dr Movement' },
      }),
    );
  });
  afterAll(() => t.close());

  it('answers a PDF attachment whose summary states the seeded numbers, entries and profile', async () => {
    const response = await alice.client.get('/api/v1/reports/clinician.pdf?from=2026-03-01&to=2026-03-31');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="dystrack-clinician-report-2026-03-01-to-2026-03-31.pdf"',
    );
    const pdf = response.rawPayload;
    const pages = await pdfPageTexts(pdf);
    const summary = squash(pages[0]!);
    expect(summary).toContain('Alice Report · affected hand: right hand');
    expect(summary).toContain('occupation: Court reporter');
    expect(summary).toContain('Period 2026-03-01 to 2026-03-31');
    expect(summary).toMatch(/Typing, right hand Key hold time 90 ms 5 sessions 120 ms 2026-03-06/);
    expect(summary).toContain('Reliable change: worse (+33.3 %');
    expect(summary).toContain('2026-03-04 — Xeomin (incobotulinumtoxinA), 22.5 U in total');
    expect(summary).toContain('Extensor indicis (proprius) (EI), right, 15 U');
    expect(summary).toContain('Flexor pollicis longus (FPL), right, 7.5 U');
    expect(summary).toContain('2026-01-10 to ongoing — Therapy: Sensorimotor retraining');
    expect(summary).toContain('PHQ-9 (total of 27): 2026-03-05: 6 (mild)');
    expect(summary).toContain('2026-03-06: "Much better" compared with injection on 2026-03-04');
    expect(summary).toContain(
      'WCRS (Writer’s Cramp Rating Scale, of 30, higher is worse): 2026-03-02: 9 (clinician, Dr Movement)',
    );
    expect(summary).toContain('it does not diagnose');
    const details = squash(pages.slice(1).join(' '));
    expect(details).toContain('Typing, right hand: details');
    expect(details).toContain('6 sessions in the period');
    expect(details).not.toContain('2026-02-01');
    const fonts = pdfFonts(pdf);
    expect(fonts.standard14).toBe(false);
    expect(fonts.embedded).toBe(fonts.fonts);
    // audited with the period
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.action, 'report.create')));
    expect(rows.map((row) => row.resource)).toContain('report:clinician:2026-03-01..2026-03-31');
  });

  it('gives a valid PDF that says there is no data for a period without any', async () => {
    const response = await alice.client.get('/api/v1/reports/clinician.pdf?from=2025-01-01&to=2025-01-31');
    expect(response.statusCode).toBe(200);
    const pages = await pdfPageTexts(response.rawPayload);
    expect(pages).toHaveLength(1);
    expect(squash(pages[0]!)).toContain('There is no data in this period');
    expect(squash(pages[0]!)).toContain('No questionnaire or scale total was entered for this period.');
  });

  it.each([
    ['from after to', 'from=2026-03-31&to=2026-03-01'],
    ['more than 5 years', 'from=2020-01-01&to=2026-01-02'],
    ['a malformed date', 'from=2026-3-1&to=2026-03-31'],
    ['an impossible date', 'from=2026-02-30&to=2026-03-31'],
    ['a missing date', 'from=2026-03-01'],
  ])('refuses %s with 400 E_VALIDATION', async (_, query) => {
    const response = await alice.client.get(`/api/v1/reports/clinician.pdf?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('E_VALIDATION');
  });

  it('needs a signed-in user', async () => {
    const response = await t.client().get('/api/v1/reports/clinician.pdf?from=2026-03-01&to=2026-03-31');
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('E_UNAUTHENTICATED');
  });
});
