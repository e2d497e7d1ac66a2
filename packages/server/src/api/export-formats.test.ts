import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { Fhir } from 'fhir';
import { unzipSync, strFromU8 } from 'fflate';
import Papa from 'papaparse';
import { METRICS_CSV_HEADER } from '@dystrack/core';
import { auditLog, metricRuns, metricValues, recordings } from '../db/schema.js';
import { sampleRecording } from '../test-utils/recordings.js';
import { signUp, type TestAccount } from '../test-utils/test-accounts.js';
import { createTestApp, type TestApp } from '../test-utils/test-app.js';
import { zipStream, type RawManifestItem } from './export-formats.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('GET /api/v1/export/{fhir,csv,raw}', () => {
  let t: TestApp;
  let alice: TestAccount;
  const ids = { tremor: randomUUID(), typing: randomUUID(), spiral: randomUUID(), erased: randomUUID() };

  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t);
    for (const [task, id, startedAt] of [
      ['tremor', ids.tremor, '2026-03-01T10:00:00.000+01:00'],
      ['typing', ids.typing, '2026-03-02T10:00:00.000+01:00'],
      ['spiral', ids.spiral, '2026-03-03T10:00:00.000+01:00'],
      ['tremor', ids.erased, '2026-03-04T10:00:00.000+01:00'],
    ] as const) {
      const response = await alice.client.post(
        '/api/v1/recordings',
        sampleRecording(task, { id, startedAt }),
      );
      expect(response.statusCode, response.body).toBe(201);
    }
    expect((await alice.client.delete(`/api/v1/recordings/${ids.erased}`)).statusCode).toBe(204);
    // stored metric values of two analysis versions (the metrics job's own rows are replaced)
    await t.database.db.delete(metricValues).where(eq(metricValues.patientId, alice.user.id));
    await t.database.db.delete(metricRuns).where(eq(metricRuns.patientId, alice.user.id));
    for (const analysisVersion of ['1.3.0', '1.4.0']) {
      const ref = { patientId: alice.user.id, recordingId: ids.tremor, analysisVersion };
      await t.database.db.insert(metricRuns).values({ ...ref, status: 'ok', setupKey: 'test' });
      await t.database.db.insert(metricValues).values([
        { ...ref, metricId: 'tremor_peak_frequency_hz', metricVersion: '1.0.0', value: 5.5, flags: [] },
        { ...ref, metricId: 'tremor_rms_m_per_s2', metricVersion: '1.0.0', value: null, flags: ['SHORT'] },
      ]);
    }
    const toxin = await alice.client.post('/api/v1/treatments', {
      type: 'botulinum-toxin',
      date: '2026-02-01',
      product: 'onabotulinumtoxinA',
      injections: [
        { muscle: 'flexor-carpi-ulnaris', side: 'left', units: 20 },
        { muscle: 'first-dorsal-interosseous', side: 'left', units: 10 },
      ],
    });
    expect(toxin.statusCode, toxin.body).toBe(201);
    const medication = await alice.client.post('/api/v1/treatments', {
      type: 'medication',
      name: 'Trihexyphenidyl',
      dose: '2 mg',
      schedule: 'twice a day',
      start: '2026-01-01',
    });
    expect(medication.statusCode, medication.body).toBe(201);
    const answers: Record<string, string> = { 'phq9-difficulty': 'somewhat-difficult' };
    for (let i = 1; i <= 9; i++) answers[`phq9-${i}`] = 'several-days';
    const phq9 = await alice.client.post('/api/v1/questionnaires/responses', {
      questionnaireId: 'phq-9',
      answers,
      completedAt: '2026-03-01T09:30:00+01:00',
    });
    expect(phq9.statusCode, phq9.body).toBe(201);
    const total = await alice.client.post('/api/v1/clinician-scales/totals', {
      scaleId: 'wcrs',
      total: 12,
      date: '2026-02-20',
      rater: { role: 'clinician', name: 'Dr Rossi' },
    });
    expect(total.statusCode, total.body).toBe(201);
    const diary = await alice.client.post('/api/v1/diary/entries', {
      at: '2026-03-02T09:30:00+01:00',
      notes: 'x',
    });
    expect(diary.statusCode, diary.body).toBe(201);
  });
  afterAll(() => t.close());

  it('FHIR: a valid R4 Bundle (fhir library, zero errors) with the stored values, served as fhir+json', async () => {
    const response = await alice.client.get('/api/v1/export/fhir');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="dystrack-fhir-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const bundle = response.json();
    const result = new Fhir().validate(bundle, { errorOnUnexpected: true });
    expect(result.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal')).toEqual([]);
    expect(result.valid).toBe(true);
    const resources = (bundle.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    const observations = resources.filter((r) => r.resourceType === 'Observation');
    expect(observations).toHaveLength(4); // 2 metrics × 2 analysis versions
    expect(
      observations.map((o) => (o.code as { coding: { version: string }[] }).coding[0]!.version).sort(),
    ).toEqual(['1.3.0', '1.3.0', '1.4.0', '1.4.0']);
    const [procedure] = resources.filter((r) => r.resourceType === 'Procedure');
    expect(procedure!.bodySite).toEqual([
      { text: 'Flexor carpi ulnaris, left' },
      { text: 'First dorsal interosseous, left' },
    ]);
    expect(resources.filter((r) => r.resourceType === 'MedicationStatement')).toHaveLength(1);
    const responses = resources.filter((r) => r.resourceType === 'QuestionnaireResponse');
    expect(responses.map((r) => r.questionnaire)).toEqual([
      'https://dystrack.org/fhir/Questionnaire/clinician-scale-wcrs|1.0.0',
      'https://dystrack.org/fhir/Questionnaire/phq-9|1.0.0',
    ]);
    const response9 = responses[1];
    expect(response9).toMatchObject({ authored: '2026-03-01T09:30:00+01:00', status: 'completed' });
    expect((response9!.item as { linkId: string; answer: unknown }[]).at(-1)).toMatchObject({
      linkId: 'phq9-total',
      answer: [{ valueInteger: 9 }],
    });
    const audited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.patientId, alice.user.id), eq(auditLog.route, '/api/v1/export/fhir')));
    expect(audited.map((a) => a.action)).toEqual(['data.export']);
  });

  it('CSV: a ZIP whose metrics.csv parses back to one row per session and metric, with its dictionary', async () => {
    const response = await alice.client.get('/api/v1/export/csv');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(response.rawPayload));
    expect(Object.keys(files).sort()).toEqual(['data-dictionary.md', 'metric-catalogue.csv', 'metrics.csv']);
    const parsed = Papa.parse<string[]>(strFromU8(files['metrics.csv']!), {
      delimiter: ',',
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...METRICS_CSV_HEADER]);
    const rows = parsed.data
      .slice(1)
      .map((r) => Object.fromEntries(METRICS_CSV_HEADER.map((h, i) => [h, r[i]])));
    expect(rows.map((r) => [r.recording_id, r.metric_id, r.analysis_version, r.value, r.ucum_unit])).toEqual([
      [ids.tremor, 'tremor_peak_frequency_hz', '1.3.0', '5.5', 'Hz'],
      [ids.tremor, 'tremor_peak_frequency_hz', '1.4.0', '5.5', 'Hz'],
      [ids.tremor, 'tremor_rms_m_per_s2', '1.3.0', '', 'm/s2'],
      [ids.tremor, 'tremor_rms_m_per_s2', '1.4.0', '', 'm/s2'],
    ]);
    expect(rows[2]!.quality_flags).toBe('SHORT');
    expect(strFromU8(files['data-dictionary.md']!)).toContain('apostrophe');
  });

  it('raw: each stored JSON as is, its contract CSV and a manifest whose hashes match the files', async () => {
    const response = await alice.client.get('/api/v1/export/raw');
    expect(response.statusCode, response.body).toBe(200);
    const files = unzipSync(new Uint8Array(response.rawPayload));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { recordings: RawManifestItem[] };
    expect(manifest.recordings.map((r) => r.id)).toEqual([ids.tremor, ids.typing, ids.spiral, ids.erased]);
    const stored = await t.database.db
      .select({ id: recordings.id, content: recordings.content, sha256: recordings.sha256 })
      .from(recordings)
      .where(eq(recordings.patientId, alice.user.id));
    for (const item of manifest.recordings) {
      const row = stored.find((r) => r.id === item.id)!;
      expect(item.storedSha256).toBe(row.sha256);
      if (item.id === ids.erased) {
        expect(item).toMatchObject({ json: null, csv: null, csvProblem: 'erased' });
        expect(files[`recordings/${item.id}.json`]).toBeUndefined();
        continue;
      }
      const json = files[item.json!.path]!;
      expect(strFromU8(json)).toBe(row.content); // as stored, byte for byte
      expect(sha256(json)).toBe(item.json!.sha256);
      expect(sha256(json)).toBe(row.sha256);
      expect(json.byteLength).toBe(item.json!.bytes);
      if (item.csv) expect(sha256(files[item.csv.path]!)).toBe(item.csv.sha256);
    }
    const tremor = manifest.recordings.find((r) => r.id === ids.tremor)!;
    expect(strFromU8(files[tremor.csv!.path]!).split('\r\n')[0]).toBe('t_ms,ax,ay,az');
    // a recording its task cannot read has its JSON and the reason there is no CSV
    const spiral = manifest.recordings.find((r) => r.id === ids.spiral)!;
    expect(spiral.csv).toBeNull();
    expect(spiral.csvProblem).toMatch(/pen-down/);
    expect(files['README.txt']).toBeDefined();
  });

  it("only the signed-in patient's own data, and a session is needed", async () => {
    const bob = await signUp(t);
    const raw = unzipSync(new Uint8Array((await bob.client.get('/api/v1/export/raw')).rawPayload));
    expect(JSON.parse(strFromU8(raw['manifest.json']!)).recordings).toEqual([]);
    const fhir = (await bob.client.get('/api/v1/export/fhir')).json();
    expect(
      fhir.entry.filter(
        (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Observation',
      ),
    ).toEqual([]);
    for (const format of ['fhir', 'csv', 'raw']) {
      expect((await t.client().get(`/api/v1/export/${format}`)).statusCode).toBe(401);
    }
  });

  it('zipStream hands on each file while it is read: bytes come before the last file is asked for', async () => {
    let asked = 0;
    async function* files() {
      for (let i = 0; i < 3; i++) {
        asked++;
        yield { name: `f${i}.bin`, data: [new Uint8Array(200_000).fill(i + 1)] };
      }
    }
    const stream = zipStream(files(), new Date('2026-03-01T00:00:00Z'));
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect(asked).toBe(1);
    const rest: Uint8Array[] = [first.value as Uint8Array];
    for await (const chunk of stream) rest.push(chunk);
    const all = new Uint8Array(rest.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const c of rest) {
      all.set(c, offset);
      offset += c.byteLength;
    }
    const unzipped = unzipSync(all);
    expect(Object.keys(unzipped)).toEqual(['f0.bin', 'f1.bin', 'f2.bin']);
    expect(unzipped['f2.bin']!.every((b) => b === 3)).toBe(true);
  });
});
