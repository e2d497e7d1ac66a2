import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { fromBase64Url, verifyManifest, verificationCode, type SignedManifest } from '@dystrack/core';
import { auditLog, reportShareLinks, serverSettings } from '../db/schema.js';
import { createMetricsTestApp, typingRecording } from '../metrics/test-utils/fixtures.js';
import { pdfFonts, pdfPageTexts } from '../reports/test-pdf.js';
import { signedInClient, type SignedIn } from '../test-utils/signed-in.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { SIGNING_KEY_SETTING, verifyEd25519 } from '../attest/keys.js';
import { MANIFEST_FILE_NAME, readSignedManifest } from '../attest/pdf-manifest.js';

type MetricsApp = Awaited<ReturnType<typeof createMetricsTestApp>>;

const squash = (text: string) => text.replace(/\s+/g, ' ');
const at = (date: string) => `${date}T09:00:00.000Z`;
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

async function attachments(pdf: Uint8Array): Promise<Record<string, { content: Uint8Array }>> {
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const files = (await document.getAttachments()) as Record<string, { content: Uint8Array }>;
  await document.destroy();
  return files;
}

describe('signed work-capacity reports', () => {
  let t: MetricsApp;
  let alice: SignedIn;
  let bob: SignedIn;
  let pdf: Buffer;
  let reportId: string;
  let publicKey: Uint8Array;

  beforeAll(async () => {
    t = await createMetricsTestApp();
    alice = await signedInClient(t, { displayName: 'Alice Typist' });
    bob = await signedInClient(t, { displayName: 'Bob Other' });
    const ok = (response: { statusCode: number; body: string }, status = 201) =>
      expect(response.statusCode, response.body).toBe(status);
    ok(
      await alice.client.put('/api/v1/profile', {
        affectedHands: 'right',
        dominantHand: 'right',
        dystoniaForms: ['typists'],
        occupation: 'Court reporter',
        essentialHandTasks: ['Typing transcripts for six hours a day', 'Stitching leather'],
        instrument: null,
        onsetYear: 2019,
        diagnosisConfirmed: 'yes',
      }),
      200,
    );
    // right hand: hold times 88, 90, 92, 90, 90 ms, then 140 ms; left hand steady at 80 ms
    for (const [i, holdMs] of [88, 90, 92, 90, 90, 140].entries())
      ok(
        await alice.client.post(
          '/api/v1/recordings',
          typingRecording({ holdMs, hand: 'right', startedAt: at(`2026-03-0${i + 1}`) }),
        ),
      );
    for (const day of ['10', '11', '12'])
      ok(
        await alice.client.post(
          '/api/v1/recordings',
          typingRecording({ holdMs: 80, hand: 'left', startedAt: at(`2026-03-${day}`) }),
        ),
      );
    await t.job.drain();
    const issued = await alice.client.post('/api/v1/attest/reports', PERIOD);
    expect(issued.statusCode, issued.body).toBe(201);
    reportId = issued.json<{ id: string }>().id;
    const response = await alice.client.get(issued.headers.location as string);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    pdf = response.rawPayload;
    const key = await t.client().get('/api/v1/attest/public-key');
    publicKey = fromBase64Url(key.json<{ publicKey: string }>().publicKey);
  });
  afterAll(() => t.close());

  it('makes the signing key when the server starts, keeps it, and publishes only the public half', async () => {
    const rows = await t.database.db
      .select()
      .from(serverSettings)
      .where(eq(serverSettings.name, SIGNING_KEY_SETTING));
    expect(rows).toHaveLength(1);
    const response = await t.client().get('/api/v1/attest/public-key');
    const body = response.json<Record<string, string>>();
    expect(body.algorithm).toBe('Ed25519');
    expect(publicKey).toHaveLength(32);
    expect(body.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(response.body).not.toContain((rows[0]!.value as { privateKey: string }).privateKey);
  });

  it('says what the essential tasks show in plain language, with provenance and the cautions', async () => {
    const text = squash((await pdfPageTexts(pdf)).join(' '));
    expect(text).toContain('Work-capacity documentation');
    expect(text).toContain('occupation: Court reporter');
    expect(text).toContain('“Typing transcripts for six hours a day”');
    expect(text).toContain('Typing, right hand');
    expect(text).toContain('Measured: measurably worse');
    // the affected hand against the other: median of 88..140 ms (90) against 80 ms
    expect(text).toMatch(
      /Typical value 90 ms against 80 ms with the left hand: 13 % worse than the other hand/,
    );
    expect(text).toContain('No task measured in this period bears directly on this hand task.');
    expect(text).toContain('self-recorded at home');
    expect(text).toContain('effort is not verified');
    expect(text).toContain('This is not a diagnosis and not legal advice');
    const signed = readSignedManifest(pdf);
    expect(text).toContain(`Verification code: ${verificationCode(signed)}`);
    expect(signed.manifest.recordings).toHaveLength(9);
    expect(signed.manifest.recordings.every((r) => r.provenance === 'self')).toBe(true);
    expect(signed.manifest.patient).not.toContain(alice.user.id);
    const fonts = pdfFonts(pdf);
    expect(fonts.standard14).toBe(false);
    expect(fonts.embedded).toBe(fonts.fonts);
  });

  it('attaches the signed manifest as a real PDF attachment that verifies offline with the public key', async () => {
    const files = await attachments(pdf);
    const attached = JSON.parse(
      Buffer.from(files[MANIFEST_FILE_NAME]!.content).toString('utf8'),
    ) as SignedManifest;
    expect(attached).toEqual(readSignedManifest(pdf));
    expect(attached.manifest.reportId).toBe(reportId);
    expect(verifyManifest(attached, publicKey, verifyEd25519).overall).toBe('matches');
  });

  it('verifies the PDF publicly: matches, then altered for an edited manifest, then erased with the date', async () => {
    const anonymous = t.client();
    const first = await anonymous.post('/api/v1/attest/verify', { pdf: pdf.toString('base64') });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      overall: 'matches',
      signature: 'valid',
      chainIntact: true,
      checkedAgainstServer: true,
    });
    expect(
      first.json<{ recordings: { words: string }[] }>().recordings.every((r) => r.words === 'matches'),
    ).toBe(true);

    // change one hash in the attached manifest (same length, so the PDF stays readable)
    const signed = readSignedManifest(pdf);
    const victim = signed.manifest.recordings[2]!.sha256;
    const edited = Buffer.from(
      pdf.toString('latin1').replace(
        victim,
        victim.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      ),
      'latin1',
    );
    const altered = await anonymous.post('/api/v1/attest/verify', { pdf: edited.toString('base64') });
    expect(altered.json()).toMatchObject({ overall: 'altered', signature: 'invalid', chainIntact: false });

    const erasedId = signed.manifest.recordings[0]!.id;
    expect((await alice.client.delete(`/api/v1/recordings/${erasedId}`)).statusCode).toBe(204);
    const after = await anonymous.post('/api/v1/attest/verify', { manifest: signed });
    const body = after.json<{
      overall: string;
      recordings: { id: string; status: string; words: string }[];
    }>();
    expect(body.overall).toBe('erased');
    const today = new Date().toISOString().slice(0, 10);
    expect(body.recordings.find((r) => r.id === erasedId)?.words).toBe(
      `recording erased by its owner on ${today}`,
    );
    expect(body.recordings.filter((r) => r.status === 'matches')).toHaveLength(8);
  });

  it('refuses a file without a manifest with a clear message', async () => {
    const response = await t
      .client()
      .post('/api/v1/attest/verify', { pdf: Buffer.from('%PDF-1.3\n%%EOF').toString('base64') });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(/holds no Dystrack signed manifest/);
  });

  it('gives an assessor a read-only link that shows the verification and the same PDF, until revoked', async () => {
    const created = await alice.client.post('/api/v1/attest/share-links', { reportId, days: 7 });
    expect(created.statusCode, created.body).toBe(201);
    const { url, id } = created.json<{ url: string; id: string }>();
    const token = url.split('#share=')[1]!;
    const assessor = t.client();
    const verification = await assessor.post('/api/v1/shared-reports/verification', { token });
    expect(verification.statusCode, verification.body).toBe(200);
    expect(verification.json<{ reportId: string }>().reportId).toBe(reportId);
    const download = await assessor.post('/api/v1/shared-reports/report.pdf', { token });
    expect(download.statusCode).toBe(200);
    expect(Buffer.compare(download.rawPayload, pdf)).toBe(0);
    // nothing else: no session, no other data
    expect((await assessor.get('/api/v1/profile')).statusCode).toBe(401);
    expect((await assessor.get('/api/v1/recordings')).statusCode).toBe(401);
    expect((await assessor.get('/api/v1/attest/share-links')).statusCode).toBe(401);
    expect(download.headers['set-cookie'] ?? '').not.toMatch(/dystrack_session/);
    // another patient neither sees nor revokes it
    expect(
      (await bob.client.get('/api/v1/attest/share-links')).json<{ links: unknown[] }>().links,
    ).toHaveLength(0);
    expect((await bob.client.delete(`/api/v1/attest/share-links/${id}`)).statusCode).toBe(404);
    expect((await bob.client.post('/api/v1/attest/share-links', { reportId, days: 7 })).statusCode).toBe(404);

    expect((await alice.client.delete(`/api/v1/attest/share-links/${id}`)).statusCode).toBe(204);
    const revoked = await assessor.post('/api/v1/shared-reports/report.pdf', { token });
    expect(revoked.statusCode).toBe(400);
    expect(revoked.json()).toMatchObject({ code: 'E_TOKEN_INVALID', details: { reason: 'revoked' } });
    expect(revoked.json<{ message: string }>().message).toMatch(/withdrew this link on \d{4}-\d{2}-\d{2}/);
    const listed = await alice.client.get('/api/v1/attest/share-links');
    expect(listed.json<{ links: { state: string }[] }>().links[0]!.state).toBe('revoked');
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.action, 'report.share')));
    expect(rows.map((row) => row.resource)).toEqual(expect.arrayContaining([`report-share:${id}`]));
  });

  it('closes an expired link, and an unknown token, each with its own reason', async () => {
    const created = await alice.client.post('/api/v1/attest/share-links', { reportId, days: 1 });
    const { url, id } = created.json<{ url: string; id: string }>();
    await t.database.db
      .update(reportShareLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(reportShareLinks.patientId, alice.user.id), eq(reportShareLinks.id, id)));
    const expired = await t
      .client()
      .post('/api/v1/shared-reports/verification', { token: url.split('#share=')[1]! });
    expect(expired.json()).toMatchObject({ code: 'E_TOKEN_INVALID', details: { reason: 'expired' } });
    const unknown = await t.client().post('/api/v1/shared-reports/verification', { token: 'x'.repeat(43) });
    expect(unknown.json()).toMatchObject({ code: 'E_TOKEN_INVALID', details: { reason: 'unknown' } });
  });

  it('refuses share links longer than 90 days and reports to people who are not signed in', async () => {
    expect((await alice.client.post('/api/v1/attest/share-links', { reportId, days: 91 })).statusCode).toBe(
      400,
    );
    expect((await t.client().post('/api/v1/attest/reports', PERIOD)).statusCode).toBe(401);
    expect((await t.client().get(`/api/v1/attest/reports/${reportId}/pdf`)).statusCode).toBe(401);
  });

  it('issues a report only on POST, answers its summary, and serves the very PDF it issued on every download', async () => {
    const before = (await alice.client.get('/api/v1/attest/reports')).json<{ reports: unknown[] }>().reports;
    const again = await alice.client.get(`/api/v1/attest/reports/${reportId}/pdf`);
    expect(again.statusCode).toBe(200);
    expect(Buffer.compare(again.rawPayload, pdf)).toBe(0);
    expect(again.headers['content-disposition']).toBe(
      'attachment; filename="dystrack-work-capacity-2026-03-01-to-2026-03-31.pdf"',
    );
    // downloading issues nothing
    expect((await alice.client.get('/api/v1/attest/reports')).json<{ reports: unknown[] }>().reports).toEqual(
      before,
    );
    const listed = before.find((r) => (r as { id: string }).id === reportId) as { code: string };
    expect(listed.code).toBe(verificationCode(readSignedManifest(pdf)));
    // another patient's report is not found; a bad period is refused with nothing issued
    expect((await bob.client.get(`/api/v1/attest/reports/${reportId}/pdf`)).statusCode).toBe(404);
    const backwards = await alice.client.post('/api/v1/attest/reports', {
      from: '2026-03-31',
      to: '2026-03-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(
      (await alice.client.get('/api/v1/attest/reports')).json<{ reports: unknown[] }>().reports,
    ).toHaveLength(before.length);
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.patientId, alice.user.id), eq(auditLog.resource, `report:work-capacity:${reportId}`)),
      );
    expect(rows.map((row) => row.action).sort()).toEqual(['report.attest', 'report.read', 'report.read']);
  });
});

describe('the public verification limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { loginRateLimit: 2 } });
  });
  afterAll(() => t.close());

  it('answers 429 E_RATE_LIMITED past the limit per address, on the shared-report routes as well', async () => {
    const body = { manifest: { not: 'a manifest' } };
    expect((await t.client().post('/api/v1/attest/verify', body)).statusCode).toBe(400);
    expect((await t.client().post('/api/v1/attest/verify', body)).statusCode).toBe(400);
    const third = await t.client().post('/api/v1/attest/verify', body);
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ code: 'E_RATE_LIMITED' });
    for (let i = 0; i < 2; i++)
      await t.client().post('/api/v1/shared-reports/verification', { token: 'y'.repeat(43) });
    expect(
      (await t.client().post('/api/v1/shared-reports/verification', { token: 'y'.repeat(43) })).statusCode,
    ).toBe(429);
  });
});
